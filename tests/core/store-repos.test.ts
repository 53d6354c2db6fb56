import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Job } from '../../src-shared/contract/index.js';
import { openStore, type Store } from '../../src-main/core/store/index.js';
import type { ImportedItem } from '../../src-main/core/workspace/import-types.js';

const P = 'proj-0000000a';
const T = '2026-01-01T00:00:00.000Z';

function fakeItem(filename: string, hash: string, extra: Partial<ImportedItem> = {}): ImportedItem {
  const slash = filename.indexOf('/');
  return {
    filename,
    className: slash > 0 ? filename.slice(0, slash) : null,
    mediaKind: 'image',
    mime: 'image/png',
    size: 100,
    hash,
    blobPath: `blobs/${hash.slice(0, 2)}/${hash}.png`,
    thumbPath: `thumbs/${hash}.webp`,
    width: 8,
    height: 8,
    duration: null,
    sampleRate: null,
    channels: null,
    rows: null,
    columns: null,
    waveform: null,
    ...extra,
  };
}

describe('repositories', () => {
  let dir: string;
  let store: Store;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-repo-'));
    store = openStore(join(dir, 'assay.db'));
    store.projects.insert({ id: P, name: 'Parts', task: 'classification', createdAt: T });
  });
  afterEach(async () => {
    store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('projects: insert, counts, update, settings, delete', () => {
    expect(store.projects.get(P)).toMatchObject({
      id: P,
      name: 'Parts',
      item_count: 0,
      class_count: 0,
      split_count: 0,
    });
    store.items.insertMany(
      P,
      [fakeItem('a/1.png', 'aa1'), fakeItem('b/1.png', 'bb1'), fakeItem('root.png', 'cc1')],
      T,
    );
    expect(store.projects.get(P)).toMatchObject({ item_count: 3, class_count: 2 });
    expect(store.projects.update(P, { name: 'Renamed' }, '2026-01-02T00:00:00.000Z')).toBe(true);
    expect(store.projects.get(P)).toMatchObject({
      name: 'Renamed',
      task: 'classification',
      updated_at: '2026-01-02T00:00:00.000Z',
    });
    expect(store.projects.update('proj-ffffffff', { name: 'x' }, T)).toBe(false);
    store.projects.setSettings(P, { device: 'cpu' }, T);
    expect(store.projects.settings(P)).toEqual({ device: 'cpu' });
    expect(store.projects.list().map((p) => p.id)).toEqual([P]);
    expect(store.projects.delete(P)).toBe(true);
    expect(store.projects.exists(P)).toBe(false);
    expect(store.items.stats(P).totalItems).toBe(0);
  });

  it('items: duplicates by hash (also within one batch), taken names, stats', () => {
    const outcomes = store.items.insertMany(
      P,
      [
        fakeItem('a/1.png', 'h1'),
        fakeItem('a/copy.png', 'h1'),
        fakeItem('b/1.png', 'h2', { size: 50 }),
      ],
      T,
    );
    expect(outcomes).toEqual(['inserted', 'duplicate', 'inserted']);
    expect(
      store.items.insertMany(P, [fakeItem('a/1.png', 'h3'), fakeItem('x.png', 'h2')], T),
    ).toEqual(['name_taken', 'duplicate']);
    expect(store.items.hasHash(P, 'h3')).toBe(false);
    const stats = store.items.stats(P);
    expect(stats).toEqual({
      totalItems: 2,
      totalSize: 150,
      classCounts: [
        { name: 'a', count: 1 },
        { name: 'b', count: 1 },
      ],
      unlabeled: 0,
      mediaKinds: { image: 2 },
    });
    expect(store.items.blobRefs(P, 'blobs/h1/h1.png')).toBe(1);
  });

  it('items: list pages, sorts, filters and searches with literal wildcards', () => {
    const items = [
      fakeItem('cat/img_01.png', 'c1', { size: 30 }),
      fakeItem('cat/img001.png', 'c2', { size: 10 }),
      fakeItem('dog/IMG_02.png', 'd1', { size: 20 }),
      fakeItem('dog/100%.png', 'd2', { size: 40 }),
      fakeItem('hum/a.wav', 'w1', {
        mediaKind: 'audio',
        mime: 'audio/wav',
        size: 5,
        waveform: [[-1, 1]],
      }),
    ];
    store.items.insertMany(P, items, T);
    const base = { page: 1, pageSize: 50, sortBy: 'filename', sortOrder: 'asc' } as const;
    const names = (q: Partial<Parameters<Store['items']['list']>[1]>) =>
      store.items.list(P, { ...base, ...q }).rows.map((r) => r.filename);

    expect(names({})).toEqual([
      'cat/img001.png',
      'cat/img_01.png',
      'dog/100%.png',
      'dog/IMG_02.png',
      'hum/a.wav',
    ]);
    expect(names({ sortBy: 'size', sortOrder: 'desc' })).toEqual([
      'dog/100%.png',
      'cat/img_01.png',
      'dog/IMG_02.png',
      'cat/img001.png',
      'hum/a.wav',
    ]);
    expect(names({ sortBy: 'class', sortOrder: 'desc' })[0]).toBe('hum/a.wav');
    expect(names({ filterClass: 'dog' })).toEqual(['dog/100%.png', 'dog/IMG_02.png']);
    // "_" is a character here, not LIKE's any-one-character; matching ignores ASCII case.
    expect(names({ search: 'img_' })).toEqual(['cat/img_01.png', 'dog/IMG_02.png']);
    expect(names({ search: '%' })).toEqual(['dog/100%.png']);
    expect(names({ mediaKind: 'audio' })).toEqual(['hum/a.wav']);
    expect(names({ filterClass: 'dog', search: 'img' })).toEqual(['dog/IMG_02.png']);
    const page2 = store.items.list(P, { ...base, page: 2, pageSize: 2 });
    expect(page2.total).toBe(5);
    expect(page2.rows.map((r) => r.filename)).toEqual(['dog/100%.png', 'dog/IMG_02.png']);
    expect(store.items.get(P, 'hum/a.wav')?.waveform).toBe('[[-1,1]]');
    expect(store.items.splitSources(P).map((s) => s.filename)).toEqual(names({}));
  });

  it('splits: create with assignments, stats with late items as none, delete re-indexes', () => {
    store.items.insertMany(
      P,
      [fakeItem('a/1.png', 'h1'), fakeItem('a/2.png', 'h2'), fakeItem('b/1.png', 'h3')],
      T,
    );
    const src = store.items.splitSources(P);
    const mk = (name: string) =>
      store.splits.create(
        P,
        { name, ratios: { train: 0.5, val: 0.5, test: 0 }, seed: 1, stratify: true, createdAt: T },
        src.map((s, i) => ({ itemId: s.id, subset: i === 0 ? 'val' : 'train' })),
      );
    expect([mk('s0').index, mk('s1').index, mk('s2').index]).toEqual([0, 1, 2]);
    store.items.insertMany(P, [fakeItem('b/late.png', 'h4')], T);
    const s1 = store.splits.get(P, 1)!;
    expect(store.splits.stats(s1)).toEqual({ train: 2, val: 1, test: 0, none: 1 });
    expect(store.splits.perClass(s1)).toEqual([
      { class: 'a', train: 1, val: 1, test: 0, none: 0 },
      { class: 'b', train: 1, val: 0, test: 0, none: 1 },
    ]);
    const late = store.items.get(P, 'b/late.png')!;
    expect(store.splits.membership(P, late.id).map((m) => m.subset)).toEqual([
      'none',
      'none',
      'none',
    ]);

    expect(store.splits.delete(P, 0)).toBe(true);
    expect(store.splits.list(P).map((s) => [s.index, s.name])).toEqual([
      [0, 's1'],
      [1, 's2'],
    ]);
    expect(store.splits.delete(P, 5)).toBe(false);
    expect(mk('s3').index).toBe(2);
    expect(store.splits.findByName(P, 's3')?.index).toBe(2);
    expect(store.splits.assignments(store.splits.get(P, 2)!).size).toBe(3);
    store.items.deleteAll(P);
    expect(store.splits.stats(store.splits.get(P, 0)!)).toEqual({
      train: 0,
      val: 0,
      test: 0,
      none: 0,
    });
  });

  it('jobs: insert, update, find, list, and what a previous process left running', () => {
    const job: Job = {
      id: 'job-00000001',
      kind: 'import',
      project_id: P,
      status: 'running',
      done: 0,
      total: 0,
      message: '',
      result: null,
      error: null,
      eta_seconds: null,
      resumable: false,
      subject_id: null,
      created_at: T,
      updated_at: T,
      started_at: T,
      finished_at: null,
    };
    store.jobs.insert(job);
    store.jobs.insert({ ...job, id: 'job-00000002', status: 'completed' });
    const updated = store.jobs.update(
      'job-00000001',
      { done: 3, total: 9, message: 'a/1.png' },
      '2026-01-01T00:00:01.000Z',
    );
    expect(updated).toMatchObject({
      done: 3,
      total: 9,
      status: 'running',
      updated_at: '2026-01-01T00:00:01.000Z',
    });
    expect(store.jobs.findByProject(P, ['pending', 'running']).map((j) => j.id)).toEqual([
      'job-00000001',
    ]);
    expect(store.jobs.update('job-ffffffff', { done: 1 }, T)).toBeUndefined();
    expect(store.jobs.unfinished().map((j) => j.id)).toEqual(['job-00000001']);
    expect(store.jobs.list({ status: 'completed' }, 10, 0).map((j) => j.id)).toEqual([
      'job-00000002',
    ]);
    expect(store.jobs.count({ kind: 'import', projectId: P })).toBe(2);
    const result = { imported: 1, duplicates: 0, failed: 0, errors: [] };
    expect(store.jobs.update('job-00000002', { result }, T)?.result).toEqual(result);
    expect(store.jobs.get('job-00000002')?.result).toEqual(result);
  });
});
