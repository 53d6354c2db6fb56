import { importResultOf } from '../../src-shared/contract/jobs.js';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatasetJson, Health } from '../../src-shared/contract/index.js';
import { AppError } from '../../src-main/core/errors.js';
import { migrations } from '../../src-main/core/store/index.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { classFolders, jobFinished, tempDir, writeTree } from './services-helpers.js';
import { rm } from 'node:fs/promises';

const code = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (err: unknown) => (err instanceof AppError ? err.code : `not an AppError: ${String(err)}`),
  );

describe('workstation services, end to end with the real import worker', () => {
  let wsDir: string;
  let dataDir: string;
  let ws: Workstation;
  let files: Record<string, Buffer>;

  beforeEach(async () => {
    wsDir = await tempDir('assay-ws-');
    dataDir = await tempDir('assay-data-');
    files = await classFolders(['cat', 'dog', 'owl'], 4);
    await writeTree(dataDir, {
      ...files,
      // Same bytes: the first in name order is kept (on every run), the other counted a duplicate.
      'cat/copy-of-img0.png': files['cat/img0.png']!,
      'dog/broken.png': 'this is not a PNG at all',
    });
    ws = await openWorkstation({ workspaceDir: wsDir, version: '9.9.9-test' });
  });
  afterEach(async () => {
    await ws.close();
    await rm(wsDir, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  });

  async function importFolder(projectId: string, path = dataDir) {
    const started = await ws.ops.importLocal({ project_id: projectId, path });
    expect(started.status).toBe('pending');
    return jobFinished(ws, started.job_id);
  }

  it('imports a folder, lists, splits, exports and clears', async () => {
    const project = await ws.ops.createProject({ name: 'Parts', task: 'classification' });
    expect(project.id).toMatch(/^proj-[0-9a-f]{8}$/);

    const job = await importFolder(project.id);
    expect(job.status).toBe('completed');
    expect(job.result).toMatchObject({ imported: 12, duplicates: 1, failed: 1 });
    expect(importResultOf(job)?.errors.map((e) => e.file)).toEqual(['dog/broken.png']);

    const info = await ws.ops.getDataset({ project_id: project.id });
    expect(info).toMatchObject({
      total_items: 12,
      classes: ['cat', 'dog', 'owl'],
      unlabeled: 0,
      media_kinds: { image: 12 },
      active_job_id: null,
    });
    expect(info.class_counts).toEqual([
      { name: 'cat', count: 4 },
      { name: 'dog', count: 4 },
      { name: 'owl', count: 4 },
    ]);
    expect(await ws.ops.getProject({ id: project.id })).toMatchObject({
      item_count: 12,
      class_count: 3,
    });

    const page = await ws.ops.listImages({
      project_id: project.id,
      page: 2,
      page_size: 5,
      sort_by: 'filename',
      sort_order: 'desc',
    });
    expect(page).toMatchObject({ total: 12, page: 2, page_size: 5, total_pages: 3 });
    // Descending: owl/img3…img0 fill page 1 with dog/img3.
    expect(page.items.map((i) => i.filename)).toEqual([
      'dog/img2.png',
      'dog/img1.png',
      'dog/img0.png',
      'cat/img3.png',
      'cat/img2.png',
    ]);
    const owls = await ws.ops.listImages({
      project_id: project.id,
      page: 1,
      page_size: 50,
      sort_by: 'filename',
      sort_order: 'asc',
      filter_class: 'owl',
      search: 'IMG1',
    });
    expect(owls.items.map((i) => i.filename)).toEqual(['owl/img1.png']);
    const cats = await ws.ops.listImages({
      project_id: project.id,
      page: 1,
      page_size: 50,
      sort_by: 'filename',
      sort_order: 'asc',
      filter_class: 'cat',
    });
    expect(cats.items.map((i) => i.filename)).toEqual([
      'cat/copy-of-img0.png',
      'cat/img1.png',
      'cat/img2.png',
      'cat/img3.png',
    ]);
    expect(owls.items[0]).toMatchObject({
      class: 'owl',
      media_kind: 'image',
      mime: 'image/png',
      width: 32,
      height: 24,
    });

    // Media resolves through the database; names that try to leave the project do not.
    const media = await ws.resolveMedia(project.id, 'cat/img1.png', 'file');
    expect(await readFile(media.path)).toEqual(files['cat/img1.png']);
    const thumb = await ws.resolveMedia(project.id, 'cat/img1.png', 'thumbnail');
    expect(thumb.mime).toBe('image/webp');
    expect((await stat(thumb.path)).size).toBeGreaterThan(0);
    expect(await code(ws.resolveMedia(project.id, '../../assay.db', 'file'))).toBe('not_found');
    expect(await code(ws.resolveMedia('..%2F..', 'cat/img0.png', 'file'))).toBe('not_found');
    expect(
      await code(ws.ops.getItemInfo({ project_id: project.id, filename: 'cat/nope.png' })),
    ).toBe('not_found');

    // Splits: preview equals what create stores, per class 3/1/0 of 4 (cumulative rounding of .8/.1/.1).
    const preview = await ws.ops.previewSplit({
      project_id: project.id,
      train: 0.8,
      val: 0.1,
      test: 0.1,
      seed: 42,
      stratify: true,
    });
    const created = await ws.ops.createSplit({
      project_id: project.id,
      name: '80-10-10',
      ratios: { train: 0.8, val: 0.1, test: 0.1 },
      seed: 42,
      stratify: true,
    });
    expect(created).toEqual({
      split_index: 0,
      name: '80-10-10',
      stats: { train: 9, val: 3, test: 0 },
    });
    expect(preview.stats).toEqual({ ...created.stats, none: 0 });
    const detail = await ws.ops.getSplit({ project_id: project.id, split_index: 0 });
    expect(detail.per_class).toEqual(preview.per_class);
    expect(detail.per_class.map((c) => c.train)).toEqual([3, 3, 3]);
    expect(
      await code(
        ws.ops.createSplit({
          project_id: project.id,
          name: '80-10-10',
          ratios: { train: 1, val: 0, test: 0 },
          seed: 1,
          stratify: true,
        }),
      ),
    ).toBe('conflict');
    await ws.ops.createSplit({
      project_id: project.id,
      name: 'half',
      ratios: { train: 0.5, val: 0, test: 0 },
      seed: 7,
      stratify: false,
    });

    const itemInfo = await ws.ops.getItemInfo({ project_id: project.id, filename: 'owl/img2.png' });
    expect(itemInfo.splits.map((s) => [s.split_index, s.name])).toEqual([
      [0, '80-10-10'],
      [1, 'half'],
    ]);
    expect(itemInfo.waveform).toBeNull();

    // dataset.json on disk is the export, and follows every change.
    const onDisk = DatasetJson.parse(
      JSON.parse(await readFile(join(wsDir, 'projects', project.id, 'dataset.json'), 'utf8')),
    );
    expect(onDisk).toEqual(await ws.ops.exportDatasetJson({ project_id: project.id }));
    expect(onDisk.split_names).toEqual(['80-10-10', 'half']);
    expect(onDisk.images).toHaveLength(12);
    expect(onDisk.images.filter((i) => i.split[1] === 'train')).toHaveLength(6);

    const afterDelete = await ws.ops.deleteSplit({ project_id: project.id, split_index: 0 });
    expect(afterDelete.split_names).toEqual(['half']);
    expect(afterDelete.splits[0]).toMatchObject({
      split_index: 0,
      name: 'half',
      stats: { train: 6, none: 6 },
    });
    expect(await code(ws.ops.getSplit({ project_id: project.id, split_index: 1 }))).toBe(
      'not_found',
    );
    const json2 = await ws.ops.exportDatasetJson({ project_id: project.id });
    expect(json2.images.every((i) => i.split.length === 1)).toBe(true);

    // Importing the same folder again: everything is already there.
    const again = await importFolder(project.id);
    expect(again.result).toMatchObject({ imported: 0, duplicates: 13, failed: 1 });

    const cleared = await ws.ops.clearDataset({ project_id: project.id });
    expect(cleared).toEqual({ project_id: project.id, removed_items: 12 });
    expect(await readdir(join(wsDir, 'projects', project.id, 'blobs'))).toEqual([]);
    expect((await ws.ops.listSplits({ project_id: project.id })).splits).toEqual([]);
    expect(await code(ws.resolveMedia(project.id, 'cat/img1.png', 'file'))).toBe('not_found');
  });

  it('refuses what can be judged up front', async () => {
    const p = await ws.ops.createProject({ name: 'P', task: 'classification' });
    const missing = ws.ops.importLocal({ project_id: p.id, path: join(dataDir, 'nope') });
    await expect(missing).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/does not exist/),
    });
    expect(await code(ws.ops.importLocal({ project_id: p.id, path: 'relative/path' }))).toBe(
      'bad_request',
    );
    expect(await code(ws.ops.importLocal({ project_id: 'proj-00000000', path: dataDir }))).toBe(
      'not_found',
    );
    expect(
      await code(
        ws.ops.createSplit({
          project_id: p.id,
          name: 's',
          ratios: { train: 1, val: 0, test: 0 },
          seed: 1,
          stratify: true,
        }),
      ),
    ).toBe('unprocessable');
    expect(
      await code(
        ws.ops.previewSplit({
          project_id: p.id,
          train: 0.8,
          val: 0.3,
          test: 0,
          seed: 1,
          stratify: true,
        }),
      ),
    ).toBe('validation_error');
    expect(await code(ws.ops.getProject({ id: 'proj-ffffffff' }))).toBe('not_found');
    expect(await code(ws.ops.getJob({ job_id: 'job-ffffffff' }))).toBe('not_found');

    // One import per project at a time.
    const first = await ws.ops.importLocal({ project_id: p.id, path: dataDir });
    expect(await code(ws.ops.importLocal({ project_id: p.id, path: dataDir }))).toBe('conflict');
    expect(await code(ws.ops.clearDataset({ project_id: p.id }))).toBe('conflict');
    expect((await ws.ops.getDataset({ project_id: p.id })).active_job_id).toBe(first.job_id);
    await jobFinished(ws, first.job_id);
  });

  it('imports staged uploads and refuses a ZIP with ../ entries before any work', async () => {
    const { zipOf } = await import('../fixtures/zip-fixtures.js');
    const p = await ws.ops.createProject({ name: 'Z', task: 'classification' });
    const evil = join(ws.tmpDir, 'upload-evil');
    await writeTree(ws.tmpDir, {
      'upload-evil': zipOf({ '../escape.png': files['cat/img0.png']! }),
    });
    await expect(
      ws.importStaged(p.id, [{ tempPath: evil, relativePath: 'evil.zip' }]),
    ).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/^evil\.zip: /),
    });
    await expect(stat(evil)).rejects.toMatchObject({ code: 'ENOENT' });

    await writeTree(ws.tmpDir, {
      'upload-a': zipOf({
        'cat/a.png': files['cat/img1.png']!,
        'dog/b.png': files['dog/img1.png']!,
      }),
      'upload-b': files['owl/img1.png']!,
    });
    const started = await ws.importStaged(p.id, [
      { tempPath: join(ws.tmpDir, 'upload-a'), relativePath: 'set.zip' },
      { tempPath: join(ws.tmpDir, 'upload-b'), relativePath: 'owl/single.png' },
    ]);
    const job = await jobFinished(ws, started.job_id);
    expect(job.result).toMatchObject({ imported: 3, failed: 0 });
    const names = (await ws.ops.exportDatasetJson({ project_id: p.id })).images.map(
      (i) => i.filename,
    );
    expect(names).toEqual(['cat/a.png', 'dog/b.png', 'owl/single.png']);
    expect((await readdir(ws.tmpDir)).filter((n) => n.startsWith('upload-'))).toEqual([]);
  });

  it('deletes a project with its rows and its folder', async () => {
    const p = await ws.ops.createProject({ name: 'Gone', task: 'classification' });
    await importFolder(p.id);
    expect(await ws.ops.deleteProject({ id: p.id })).toEqual({ deleted: true, id: p.id });
    expect(await code(ws.ops.getProject({ id: p.id }))).toBe('not_found');
    await expect(stat(join(wsDir, 'projects', p.id))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await ws.ops.listProjects({})).toEqual([]);
    expect(await code(ws.ops.deleteProject({ id: p.id }))).toBe('not_found');
  });

  it('reports health, devices and workspace usage truthfully', async () => {
    const health = Health.parse(await ws.ops.health({}));
    expect(health).toMatchObject({ status: 'healthy', version: '9.9.9-test', models_loaded: 0 });
    expect(health.detail).toMatchObject({ database: { schema_version: migrations.length } });

    const devices = await ws.ops.devices({});
    expect(devices.devices[0]).toMatchObject({ id: 'cpu', type: 'cpu' });
    expect(devices.devices[0]!.cores).toBeGreaterThan(0);
    expect(devices.backends.map((b) => b.name)).toEqual([
      'tensorflow-gpu',
      'tensorflow',
      'wasm',
      'cpu',
      'onnxruntime',
    ]);
    for (const b of devices.backends) expect(b.available || (b.reason ?? '').length > 0).toBe(true);
    expect(devices.default_selected).toEqual(
      devices.devices.some((d) => d.type === 'gpu') ? ['gpu:0'] : ['cpu'],
    );

    const p = await ws.ops.createProject({ name: 'Sized', task: 'classification' });
    await importFolder(p.id);
    const usage = await ws.ops.workspace({});
    expect(usage.database_bytes).toBeGreaterThan(0);
    const proj = usage.projects.find((x) => x.id === p.id)!;
    expect(proj.items).toBe(12);
    expect(proj.bytes).toBeGreaterThan(12 * 50);
    expect(usage.total_bytes).toBeGreaterThanOrEqual(proj.bytes + usage.database_bytes);
    expect(usage.disk_total_bytes).toBeGreaterThan(usage.disk_free_bytes);
  });
});
