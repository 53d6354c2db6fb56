import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/contract/index.js';
import { AppError } from '../../src-main/core/errors.js';
import { openStore } from '../../src-main/core/store/index.js';
import {
  createWorkstation,
  INTERRUPTED_JOB_ERROR,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import type { ImportHandle } from '../../src-main/core/services/import-jobs.js';
import type {
  ImportedItem,
  ImportSpec,
  ImportWorkerMessage,
} from '../../src-main/core/workspace/import-types.js';
import { jobFinished, tempDir } from './services-helpers.js';

/** A worker stand-in the test drives message by message. */
interface FakeRun {
  readonly spec: ImportSpec;
  post(m: ImportWorkerMessage): void;
  exit(): void;
  cancelled: boolean;
}

function item(filename: string, hash: string): ImportedItem {
  return {
    filename,
    className: filename.includes('/') ? filename.split('/')[0]! : null,
    mediaKind: 'image',
    mime: 'image/png',
    size: 10,
    hash,
    blobPath: `blobs/${hash.slice(0, 2)}/${hash}.png`,
    thumbPath: `thumbs/${hash}.webp`,
    width: 1,
    height: 1,
    duration: null,
    sampleRate: null,
    channels: null,
    rows: null,
    columns: null,
    waveform: null,
  };
}

const hex = (n: number) => n.toString(16).padStart(64, '0');

describe('import job orchestration (driven by a fake worker)', () => {
  let dir: string;
  let ws: Workstation;
  let runs: FakeRun[];
  let zipInspected: string[];

  beforeEach(async () => {
    dir = await tempDir('assay-jobs-');
    runs = [];
    zipInspected = [];
    ws = await createWorkstation(
      { workspaceDir: dir, version: 't' },
      {
        runImportWorker: (spec, onMessage): ImportHandle => {
          let exit!: () => void;
          const done = new Promise<void>((resolve) => (exit = resolve));
          const run: FakeRun = {
            spec,
            post: (m) => onMessage(m),
            exit,
            cancelled: false,
          };
          runs.push(run);
          return {
            done,
            cancel: () => {
              run.cancelled = true;
              exit();
            },
          };
        },
        inspectZip: async (zipPath) => {
          zipInspected.push(zipPath);
          if (zipPath.endsWith('bad')) throw new AppError('payload_too_large', 'too many entries');
          return { entries: 1, totalBytes: 1 };
        },
      },
    );
  });
  afterEach(async () => {
    await ws.close();
    await rm(dir, { recursive: true, force: true });
  });

  const project = () => ws.ops.createProject({ name: 'p', task: 'classification' });
  const count = async (projectId: string) =>
    (await ws.ops.getDataset({ project_id: projectId })).total_items;

  it('writes items in batches of 50 and reports progress events', async () => {
    const p = await project();
    const started = await ws.ops.importLocal({ project_id: p.id, path: dir });
    const events: Job[] = [];
    ws.onJob(started.job_id, (j) => events.push(j));
    const run = runs[0]!;
    expect(run.spec).toMatchObject({ projectId: p.id, sources: [{ kind: 'local', path: dir }] });
    run.post({ type: 'total', total: 120 });
    for (let i = 0; i < 60; i++) run.post({ type: 'item', item: item(`c/${i}.png`, hex(i)) });
    // The 50th item flushed at once, in one transaction; the other 10 wait for the next batch.
    expect(await count(p.id)).toBe(50);
    expect(events.at(-1)).toMatchObject({
      status: 'running',
      total: 120,
      result: { imported: 50 },
    });
    run.post({ type: 'item', item: item(`c/dup.png`, hex(3)) });
    run.post({
      type: 'file-error',
      error: { file: 'c/bad.png', code: 'corrupt', message: 'truncated' },
    });
    run.post({ type: 'progress', done: 62, total: 120, current: 'c/bad.png' });
    run.post({ type: 'done' });
    run.exit();
    const job = await jobFinished(ws, started.job_id);
    expect(job).toMatchObject({
      status: 'completed',
      done: 62,
      total: 120,
      error: null,
      result: {
        imported: 60,
        duplicates: 1,
        failed: 1,
        errors: [{ file: 'c/bad.png', code: 'corrupt' }],
      },
    });
    expect(events.at(-1)?.status).toBe('completed');
    expect(await count(p.id)).toBe(60);
    const json = JSON.parse(
      await readFile(join(dir, 'projects', p.id, 'dataset.json'), 'utf8'),
    ) as { images: unknown[] };
    expect(json.images).toHaveLength(60);
  });

  it('refuses a name taken by other content and removes the orphaned blob', async () => {
    const p = await project();
    const first = await ws.ops.importLocal({ project_id: p.id, path: dir });
    runs[0]!.post({ type: 'item', item: item('a/x.png', hex(1)) });
    runs[0]!.post({ type: 'done' });
    runs[0]!.exit();
    await jobFinished(ws, first.job_id);

    const second = await ws.ops.importLocal({ project_id: p.id, path: dir });
    const refused = item('a/x.png', hex(2));
    const blob = join(dir, 'projects', p.id, refused.blobPath);
    await mkdir(join(blob, '..'), { recursive: true });
    await writeFile(blob, 'x');
    runs[1]!.post({ type: 'item', item: refused });
    runs[1]!.post({ type: 'done' });
    runs[1]!.exit();
    const job = await jobFinished(ws, second.job_id);
    expect(job.result).toMatchObject({
      imported: 0,
      failed: 1,
      errors: [{ file: 'a/x.png', code: 'name_taken' }],
    });
    await expect(stat(blob)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('takes tables into regression projects only, and only tables there', async () => {
    const table = {
      ...item('t.csv', hex(7)),
      mediaKind: 'table' as const,
      mime: 'text/csv',
      rows: 3,
      columns: 2,
    };
    const cls = await project();
    const a = await ws.ops.importLocal({ project_id: cls.id, path: dir });
    runs[0]!.post({ type: 'item', item: table });
    runs[0]!.post({ type: 'item', item: item('a/1.png', hex(8)) });
    runs[0]!.post({ type: 'done' });
    runs[0]!.exit();
    expect((await jobFinished(ws, a.job_id)).result).toMatchObject({
      imported: 1,
      errors: [{ file: 't.csv', code: 'unsupported_type' }],
    });

    const reg = await ws.ops.createProject({ name: 'r', task: 'regression' });
    const b = await ws.ops.importLocal({ project_id: reg.id, path: dir });
    runs[1]!.post({ type: 'item', item: table });
    runs[1]!.post({ type: 'item', item: item('a/1.png', hex(8)) });
    runs[1]!.post({ type: 'done' });
    runs[1]!.exit();
    const job = await jobFinished(ws, b.job_id);
    expect(job.result).toMatchObject({
      imported: 1,
      errors: [{ file: 'a/1.png', code: 'unsupported_type' }],
    });
    expect((await ws.ops.getDataset({ project_id: reg.id })).media_kinds).toEqual({ table: 1 });
  });

  it('cancels: keeps what was recorded, ends as cancelled, frees the project', async () => {
    const p = await project();
    const started = await ws.ops.importLocal({ project_id: p.id, path: dir });
    runs[0]!.post({ type: 'item', item: item('a/1.png', hex(1)) });
    const job = await ws.ops.cancelJob({ job_id: started.job_id });
    expect(runs[0]!.cancelled).toBe(true);
    expect(job).toMatchObject({ status: 'cancelled', result: { imported: 1 } });
    expect(await count(p.id)).toBe(1);
    // Cancelling again just reports the end state.
    expect((await ws.ops.cancelJob({ job_id: started.job_id })).status).toBe('cancelled');
    expect((await ws.ops.getDataset({ project_id: p.id })).active_job_id).toBeNull();
    await ws.ops.importLocal({ project_id: p.id, path: dir }); // no longer a conflict
  });

  it('fails the job on a fatal message or a worker that exits without finishing', async () => {
    const p = await project();
    const a = await ws.ops.importLocal({ project_id: p.id, path: dir });
    runs[0]!.post({ type: 'fatal', message: 'disk full' });
    runs[0]!.exit();
    expect(await jobFinished(ws, a.job_id)).toMatchObject({ status: 'failed', error: 'disk full' });

    const b = await ws.ops.importLocal({ project_id: p.id, path: dir });
    runs[1]!.exit();
    expect(await jobFinished(ws, b.job_id)).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/stopped without finishing/),
    });
  });

  it('importStaged inspects ZIPs by their bytes and removes every staged file on refusal', async () => {
    const p = await project();
    const zip = join(ws.tmpDir, 'upload-1-bad');
    const notZip = join(ws.tmpDir, 'upload-2.zip');
    await writeFile(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]));
    await writeFile(notZip, 'named .zip, but plain text');
    await expect(
      ws.importStaged(p.id, [
        { tempPath: zip, relativePath: 'big.zip' },
        { tempPath: notZip, relativePath: 'notes.zip' },
      ]),
    ).rejects.toMatchObject({ code: 'payload_too_large', message: 'big.zip: too many entries' });
    expect(zipInspected).toEqual([zip]);
    for (const f of [zip, notZip]) await expect(stat(f)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(runs).toHaveLength(0);

    const good = join(ws.tmpDir, 'upload-3');
    await writeFile(good, Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    await writeFile(notZip, 'plain');
    const started = await ws.importStaged(p.id, [
      { tempPath: good, relativePath: 'set.zip' },
      { tempPath: notZip, relativePath: 'notes.txt' },
    ]);
    expect(started.status).toBe('pending');
    expect(runs[0]!.spec.sources).toEqual([
      { kind: 'staged', files: [{ tempPath: notZip, relativePath: 'notes.txt' }] },
      { kind: 'zip', path: good, deleteAfter: true },
    ]);
    await expect(
      ws.importStaged(p.id, [{ tempPath: good, relativePath: 'x' }]),
    ).rejects.toMatchObject({ code: 'conflict' });
    // A file outside tmp/ is refused and left alone (a refusal deletes only staged files).
    const outside = join(dir, 'mine.png');
    await writeFile(outside, 'keep me');
    for (const tempPath of [outside, join(ws.tmpDir, '..', 'mine.png'), ws.tmpDir]) {
      await expect(ws.importStaged(p.id, [{ tempPath, relativePath: 'x' }])).rejects.toMatchObject({
        code: 'forbidden',
      });
    }
    expect(await readFile(outside, 'utf8')).toBe('keep me');
    runs[0]!.post({ type: 'done' });
    runs[0]!.exit();
    await jobFinished(ws, started.job_id);
  });

  it('deleting a project stops its import first', async () => {
    const p = await project();
    const started = await ws.ops.importLocal({ project_id: p.id, path: dir });
    runs[0]!.post({ type: 'item', item: item('a/1.png', hex(1)) });
    await ws.ops.deleteProject({ id: p.id });
    expect(runs[0]!.cancelled).toBe(true);
    expect(await ws.ops.getJob({ job_id: started.job_id }).catch((e: AppError) => e.code)).toBe(
      'not_found',
    );
  });

  it('marks jobs a previous process left running as failed at start', async () => {
    const p = await project();
    const started = await ws.ops.importLocal({ project_id: p.id, path: dir });
    // Simulate a crash: the job row stays "running" and no one finishes it.
    runs[0]!.post({ type: 'total', total: 5 });
    runs[0]!.post({ type: 'progress', done: 1, total: 5, current: 'x' });
    const store = openStore(join(dir, 'assay.db'));
    store.db.prepare("UPDATE jobs SET status = 'running'").run();
    store.close();
    const reopened = await createWorkstation(
      { workspaceDir: join(dir), version: 't' },
      {
        runImportWorker: () => ({ done: Promise.resolve(), cancel: () => undefined }),
        inspectZip: async () => ({ entries: 0, totalBytes: 0 }),
      },
    );
    try {
      expect(await reopened.ops.getJob({ job_id: started.job_id })).toMatchObject({
        status: 'interrupted',
        error: INTERRUPTED_JOB_ERROR,
        resumable: false,
      });
    } finally {
      await reopened.close();
    }
  });
});
