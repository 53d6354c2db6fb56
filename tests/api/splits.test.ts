// Section 3 of training-platform.md: splits.
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import type { Project } from '../../src-shared/contract/projects.js';
import {
  DatasetJson,
  SplitCreated,
  SplitDetail,
  SplitList,
  SplitPreview,
} from '../../src-shared/contract/splits.js';
import { classImages, writeTree } from './helpers/media.js';
import {
  createProject,
  expectError,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
let project: Project;

beforeAll(async () => {
  t = await openTestApp();
  project = await createProject(t.app, 'Splits');
  const folder = await writeTree(
    path.join(t.root, 'src'),
    await classImages({ a: 10, b: 10, c: 10 }),
  );
  const started = okData(
    await request(t.app).post(`/api/datasets/${project.id}/import/local`).send({ path: folder }),
    ImportStarted,
  );
  const job = await waitForJob(t.app, started.job_id);
  expect(job.result?.imported).toBe(30);
});
afterAll(async () => {
  await t.close();
});

describe('splits', () => {
  it('starts with no splits', async () => {
    const list = okData(await request(t.app).get(`/api/splits/${project.id}`), SplitList);
    expect(list).toEqual({ split_names: [], splits: [] });
  });

  it('previews without storing, deterministically', async () => {
    const url = `/api/splits/${project.id}/preview?train=0.8&val=0.1&test=0.1&seed=7`;
    const a = okData(await request(t.app).get(url), SplitPreview);
    const b = okData(await request(t.app).get(url), SplitPreview);
    expect(a).toEqual(b);
    expect(a.stats).toEqual({ train: 24, val: 3, test: 3, none: 0 });
    expect(a.per_class.map((c) => [c.class, c.train, c.val, c.test])).toEqual([
      ['a', 8, 1, 1],
      ['b', 8, 1, 1],
      ['c', 8, 1, 1],
    ]);
    expect(a.stratify).toBe(true);
    const defaults = okData(
      await request(t.app).get(`/api/splits/${project.id}/preview`),
      SplitPreview,
    );
    expect(defaults.ratios).toEqual({ train: 0.8, val: 0.1, test: 0.1 });
    expect(defaults.seed).toBe(42);
    const list = okData(await request(t.app).get(`/api/splits/${project.id}`), SplitList);
    expect(list.splits).toHaveLength(0);
  });

  it('creates, reads and deletes splits (re-indexing)', async () => {
    const created = okData(
      await request(t.app)
        .post(`/api/splits/${project.id}`)
        .send({ name: '80-10-10', ratios: { train: 0.8, val: 0.1, test: 0.1 }, seed: 42 }),
      SplitCreated,
    );
    expect(created).toEqual({
      split_index: 0,
      name: '80-10-10',
      stats: { train: 24, val: 3, test: 3 },
    });
    const second = okData(
      await request(t.app)
        .post(`/api/splits/${project.id}`)
        .send({ name: 'half', ratios: { train: 0.5 }, seed: 1, stratify: false }),
      SplitCreated,
    );
    expect(second.split_index).toBe(1);
    expect(second.stats.train).toBe(15);

    const detail = okData(await request(t.app).get(`/api/splits/${project.id}/0`), SplitDetail);
    expect(detail).toMatchObject({ split_index: 0, name: '80-10-10', seed: 42, stratify: true });
    expect(detail.stats).toEqual({ train: 24, val: 3, test: 3, none: 0 });
    expect(detail.per_class).toHaveLength(3);

    const list = okData(await request(t.app).get(`/api/splits/${project.id}`), SplitList);
    expect(list.split_names).toEqual(['80-10-10', 'half']);

    const doc = okData(
      await request(t.app).get(`/api/datasets/${project.id}/dataset.json`),
      DatasetJson,
    );
    expect(doc.split_names).toEqual(['80-10-10', 'half']);
    expect(doc.images.every((i) => i.split.length === 2)).toBe(true);
    expect(doc.images.filter((i) => i.split[1] === 'none')).toHaveLength(15);

    const afterDelete = okData(
      await request(t.app).delete(`/api/splits/${project.id}/0`),
      SplitList,
    );
    expect(afterDelete.split_names).toEqual(['half']);
    expect(afterDelete.splits[0]?.split_index).toBe(0);
    const half = okData(await request(t.app).get(`/api/splits/${project.id}/0`), SplitDetail);
    expect(half.name).toBe('half');
    expectError(await request(t.app).get(`/api/splits/${project.id}/1`), 404, 'not_found');
  });

  it('validates ratios, names and indexes', async () => {
    const url = `/api/splits/${project.id}`;
    for (const body of [
      { name: 'x', ratios: { train: 0.9, val: 0.2 } },
      { name: 'x', ratios: { train: 0, val: 0, test: 0 } },
      { name: 'x', ratios: { train: -0.1 } },
      { name: '', ratios: { train: 0.5 } },
      { name: 'x' },
      { name: 'x', ratios: { train: 0.5 }, seed: 1.5 },
      { name: 'x', ratios: { train: 0.5, extra: 1 } },
    ]) {
      expectError(await request(t.app).post(url).send(body), 400, 'validation_error');
    }
    const sum = expectError(
      await request(t.app)
        .post(url)
        .send({ name: 'x', ratios: { train: 0.9, val: 0.2 } }),
      400,
      'validation_error',
    );
    expect(sum.error.message).toContain('ratios');
    for (const q of ['train=2', 'seed=-1', 'stratify=maybe', 'val=abc']) {
      expectError(await request(t.app).get(`${url}/preview?${q}`), 400, 'validation_error');
    }
    expectError(await request(t.app).get(`${url}/abc`), 400, 'validation_error');
    expectError(await request(t.app).get(`${url}/-1`), 400, 'validation_error');
    expectError(await request(t.app).delete(`${url}/99`), 404, 'not_found');
  });

  it('answers 404 for unknown projects and refuses traversal ids', async () => {
    const id = 'proj-00000000';
    expectError(await request(t.app).get(`/api/splits/${id}`), 404, 'not_found');
    expectError(await request(t.app).get(`/api/splits/${id}/preview`), 404, 'not_found');
    expectError(await request(t.app).get(`/api/splits/${id}/0`), 404, 'not_found');
    expectError(await request(t.app).delete(`/api/splits/${id}/0`), 404, 'not_found');
    expectError(
      await request(t.app)
        .post(`/api/splits/${id}`)
        .send({ name: 'x', ratios: { train: 0.5 } }),
      404,
      'not_found',
    );
    const evil = await request(t.app).get('/api/splits/..%2F..%2Fetc/0');
    expect([400, 404]).toContain(evil.status);
    expect(evil.body.status).toBe('error');
  });
});
