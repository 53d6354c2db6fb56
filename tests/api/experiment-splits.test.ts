// Experiments keep the split they chose by its stable id: deleting an earlier split re-indexes
// the rest (training-platform.md §3) but never moves an experiment onto another split, and an
// experiment whose own split was deleted is refused with a 409 that names it.
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import { Experiment, Run, RunStarted } from '../../src-shared/contract/training.js';
import { sleep, tinyConfig, writeImageDataset } from './training-helpers.js';
import {
  createProject,
  expectError,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';

let t: TestApp;
let pid: string;
const api = (p: string) => `/api/training/${pid}${p}`;
const split = (name: string, seed: number) =>
  request(t.app)
    .post(`/api/splits/${pid}`)
    .send({ name, ratios: { train: 0.6, val: 0.4, test: 0 }, seed })
    .expect(200);
const createExperiment = async (body: object) =>
  request(t.app)
    .post(api('/experiments'))
    .send({ config: tinyConfig({ epochs: 1 }), ...body });
const getExperiment = async (id: string) =>
  okData(await request(t.app).get(api(`/experiments/${id}`)), Experiment);

beforeAll(async () => {
  t = await openTestApp();
  pid = (await createProject(t.app, 'Split ids')).id;
  const dir = await mkdtemp(path.join(t.root, 'data-'));
  await writeImageDataset(dir, 6, ['left', 'right']);
  const started = okData(
    await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: dir }),
    ImportStarted,
  );
  expect((await waitForJob(t.app, started.job_id)).status).toBe('completed');
  await split('first', 1);
  await split('second', 2);
});
afterAll(async () => {
  await t.close();
});

describe('experiments and their split', () => {
  let onSecond: Experiment;
  let onFirst: Experiment;

  it('resolves the documented split_index to the split’s id at creation', async () => {
    onSecond = okData(await createExperiment({ name: 'on second', split_index: 1 }), Experiment);
    onFirst = okData(await createExperiment({ name: 'on first', split_index: 0 }), Experiment);
    expect(onSecond).toMatchObject({ split_index: 1, split_name: 'second' });
    expect(onFirst).toMatchObject({ split_index: 0, split_name: 'first' });
    expect(onSecond.split_id).not.toBe(onFirst.split_id);
    // split_id is accepted too; given with an index, the two must agree.
    const byId = okData(
      await createExperiment({ name: 'by id', split_id: onSecond.split_id }),
      Experiment,
    );
    expect(byId).toMatchObject({ split_index: 1, split_name: 'second' });
    expectError(
      await createExperiment({ name: 'both', split_id: onSecond.split_id, split_index: 0 }),
      400,
      'bad_request',
    );
    expectError(await createExperiment({ name: 'none', split_id: 9999 }), 400, 'bad_request');
    const defaulted = okData(await createExperiment({ name: 'default' }), Experiment);
    expect(defaulted).toMatchObject({ split_index: 0, split_name: 'first' });
  });

  it('deleting an earlier split moves no experiment onto another split', async () => {
    await request(t.app).delete(`/api/splits/${pid}/0`).expect(200);
    // "second" is index 0 now; its experiment still trains on it, and says so.
    expect(await getExperiment(onSecond.id)).toMatchObject({
      split_id: onSecond.split_id,
      split_name: 'second',
      split_index: 0,
    });
    expect(await getExperiment(onFirst.id)).toMatchObject({
      split_id: null,
      split_name: 'first',
      split_index: null,
    });
  });

  it('refuses to run an experiment whose split was deleted, naming it', async () => {
    const refused = expectError(
      await request(t.app).post(api(`/experiments/${onFirst.id}/run`)),
      409,
      'conflict',
    );
    expect(refused.error.message).toBe(
      `experiment "on first" (${onFirst.id}) trains on split "first", which was deleted; choose another split for it (PATCH its split_index or split_id)`,
    );
    const list = okData(await request(t.app).get(api('/experiments')), Experiment.array());
    expect(list.find((e) => e.id === onFirst.id)?.split_index).toBeNull();
    // Choosing another split makes it trainable again.
    const moved = okData(
      await request(t.app)
        .patch(api(`/experiments/${onFirst.id}`))
        .send({ split_index: 0 }),
      Experiment,
    );
    expect(moved).toMatchObject({ split_id: onSecond.split_id, split_name: 'second' });
  });

  it('a run records the split’s id and name, and shows its index as it is now', async () => {
    const { run_id } = okData(
      await request(t.app).post(api(`/experiments/${onSecond.id}/run`)),
      RunStarted,
    );
    let run: Run;
    for (;;) {
      run = okData(await request(t.app).get(api(`/runs/${run_id}`)), Run);
      if (!['pending', 'running'].includes(run.status)) break;
      await sleep(50);
    }
    expect(run.status).toBe('completed');
    expect(run).toMatchObject({
      split_id: onSecond.split_id,
      split_name: 'second',
      split_index: 0,
    });
    await split('third', 3);
    await request(t.app).delete(`/api/splits/${pid}/0`).expect(200);
    const after = okData(await request(t.app).get(api(`/runs/${run_id}`)), Run);
    expect(after).toMatchObject({ split_id: null, split_name: 'second', split_index: null });
  });

  it('renames a run over PATCH; a bad name is a 400 and an unknown run a 404', async () => {
    const [first] = okData(await request(t.app).get(api('/runs')), Run.array());
    const id = first!.run_id;
    expect(first).toMatchObject({ name: `${onSecond.name} #1`, number: 1, renamed: false });
    const renamed = okData(
      await request(t.app)
        .patch(api(`/runs/${id}`))
        .send({ name: 'the good one' }),
      Run,
    );
    expect(renamed).toMatchObject({ name: 'the good one', renamed: true });
    expectError(
      await request(t.app)
        .patch(api(`/runs/${id}`))
        .send({ name: 5 }),
      400,
      'validation_error',
    );
    expectError(
      await request(t.app).patch(api('/runs/run-00000000')).send({ name: 'x' }),
      404,
      'not_found',
    );
    const after = okData(await request(t.app).get(api(`/runs/${id}`)), Run);
    expect(after.name).toBe('the good one');
  });
});
