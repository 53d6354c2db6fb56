// Section 4 of the API reference over HTTP, against a real workstation and the real trainer
// (worker thread, TensorFlow.js): experiments CRUD, runs (start, queue, stop, resume, delete,
// metrics), the SSE stream read by a real HTTP client, and the 4xx answers for bad input.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DatasetInfo, ImportStarted } from '../../src-shared/contract/datasets.js';
import {
  Experiment,
  MetricsJson,
  Run,
  RunEvent,
  RunStarted,
  type EpochMetrics,
  type ExperimentConfigInput,
} from '../../src-shared/contract/training.js';
import {
  createProject,
  expectError,
  listen,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';
import { readEventStream, sleep, tinyConfig, writeImageDataset } from './training-helpers.js';

let t: TestApp;
let server: { port: number; close(): Promise<void> };
let pid: string;

const base = (projectId = pid) => `/api/training/${projectId}`;

async function importImages(
  projectId: string,
  perClass: number,
  classes: readonly ('left' | 'right' | 'top')[],
) {
  const dir = await mkdtemp(path.join(t.root, 'data-'));
  await writeImageDataset(dir, perClass, classes);
  const started = okData(
    await request(t.app).post(`/api/datasets/${projectId}/import/local`).send({ path: dir }),
    ImportStarted,
  );
  expect((await waitForJob(t.app, started.job_id)).status).toBe('completed');
}

async function makeSplit(projectId: string, ratios = { train: 0.67, val: 0.33, test: 0 }) {
  const res = await request(t.app)
    .post(`/api/splits/${projectId}`)
    .send({ name: `s-${ratios.train}-${Math.random()}`, ratios, seed: 3 });
  return okData(res, z.object({ split_index: z.number() })).split_index;
}

async function createExperiment(config: ExperimentConfigInput, split_index = 0, projectId = pid) {
  const res = await request(t.app)
    .post(`${base(projectId)}/experiments`)
    .send({ name: 'tiny', split_index, config });
  return okData(res, Experiment);
}

async function startRun(expId: string, projectId = pid) {
  return okData(
    await request(t.app).post(`${base(projectId)}/experiments/${expId}/run`),
    RunStarted,
  );
}

const getRun = async (runId: string) =>
  okData(await request(t.app).get(`${base()}/runs/${runId}`), Run);

/** Polls the run until `pred` holds (the test timeout bounds the wait). */
async function waitRun(runId: string, pred: (r: Run) => boolean): Promise<Run> {
  for (;;) {
    const run = await getRun(runId);
    if (pred(run)) return run;
    if (['failed', 'interrupted'].includes(run.status) && !pred(run)) {
      throw new Error(`run ${runId} ended ${run.status}: ${run.message}`);
    }
    await sleep(10);
  }
}

const epochsOf = (history: readonly EpochMetrics[]) => history.map((m) => m.epoch);

beforeAll(async () => {
  t = await openTestApp();
  server = await listen(t.app);
  pid = (await createProject(t.app, 'Shapes')).id;
  await importImages(pid, 12, ['left', 'right']);
  expect(await makeSplit(pid)).toBe(0);
});
afterAll(async () => {
  await server?.close();
  await t?.close();
});

describe('experiments', () => {
  it('creates with per-task defaults, reads, lists, patches and deletes', async () => {
    const created = await createExperiment({ epochs: 3 });
    expect(created.id).toMatch(/^exp-[0-9a-f]{8}$/);
    expect(created.config).toMatchObject({ architecture: 'mobilenet-v2-transfer', epochs: 3 });
    expect(created.runs).toEqual([]);

    const one = okData(await request(t.app).get(`${base()}/experiments/${created.id}`), Experiment);
    expect(one).toEqual(created);
    const list = okData(await request(t.app).get(`${base()}/experiments`), z.array(Experiment));
    expect(list.map((e) => e.id)).toContain(created.id);

    const patched = okData(
      await request(t.app)
        .patch(`${base()}/experiments/${created.id}`)
        .send({ name: 'renamed', config: { batch_size: 8, optimizer: { learning_rate: 0.01 } } }),
      Experiment,
    );
    expect(patched).toMatchObject({
      name: 'renamed',
      config: { epochs: 3, batch_size: 8, optimizer: { name: 'adam', learning_rate: 0.01 } },
    });

    const deleted = await request(t.app).delete(`${base()}/experiments/${created.id}`);
    expect(okData(deleted, z.object({ deleted: z.literal(true), id: z.string() })).id).toBe(
      created.id,
    );
    expectError(await request(t.app).get(`${base()}/experiments/${created.id}`), 404, 'not_found');
  });

  it('refuses bad configs and unknown splits with a 400 that says why', async () => {
    const post = (body: object) => request(t.app).post(`${base()}/experiments`).send(body);
    const arch = expectError(
      await post({ name: 'x', config: { architecture: 'resnet-152' } }),
      400,
      'validation_error',
    );
    expect(arch.error.message).toMatch(/architecture/);
    const epochs = expectError(
      await post({ name: 'x', config: { epochs: -1 } }),
      400,
      'validation_error',
    );
    expect(epochs.error.message).toMatch(/epochs/);
    expectError(
      await post({ name: 'x', config: { architecture: 'mlp' } }),
      400,
      'validation_error',
    );
    const split = expectError(await post({ name: 'x', split_index: 9 }), 400, 'bad_request');
    expect(split.error.message).toMatch(/split_index 9 does not exist/);
    expectError(await request(t.app).get(`${base('proj-00000000')}/experiments`), 404, 'not_found');
    expectError(await request(t.app).get(`${base()}/experiments/nope`), 400, 'validation_error');
  });
});

describe('runs', () => {
  it('trains, queues a second run, streams events over SSE and keeps GETs answering', async () => {
    const exp = await createExperiment(tinyConfig({ epochs: 2 }));
    const first = await startRun(exp.id);
    // As the API reference documents: `pending`, then the run moves on.
    expect(first).toMatchObject({ status: 'pending', queue_position: null });
    const second = await startRun(exp.id);
    expect(second).toMatchObject({ status: 'pending', queue_position: 1 });
    expect(['running', 'completed']).toContain((await getRun(first.run_id)).status);

    const stream = readEventStream(server.port, `${base()}/runs/${first.run_id}/stream`);
    // While it trains, the API answers (its trainer lives in a worker thread).
    for (const url of ['/api/projects', `${base()}/runs`, `${base()}/runs/${first.run_id}`]) {
      expect((await request(t.app).get(url)).status).toBe(200);
    }
    expect((await getRun(second.run_id)).queue_position).toBe(1);

    const { status, headers, events } = await stream;
    expect(status).toBe(200);
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    const parsed = events.map((e) => ({ name: e.event, body: RunEvent.parse(JSON.parse(e.data)) }));
    for (const e of parsed) expect(e.name).toBe(e.body.type);
    expect(parsed[0]?.body.type).toBe('status');
    const last = parsed.at(-1)?.body;
    expect(last?.type === 'status' && last.run.status).toBe('completed');
    const epochEvents = parsed.flatMap((e) => (e.body.type === 'epoch' ? [e.body.metrics] : []));
    expect(epochsOf(epochEvents)).toEqual([1, 2]);
    expect(parsed.some((e) => e.body.type === 'progress')).toBe(true);

    const done = await getRun(first.run_id);
    expect(done).toMatchObject({ status: 'completed', queue_position: null });
    expect(done.backend).not.toBeNull();
    expect(epochsOf(done.metrics.history)).toEqual([1, 2]);
    for (const m of done.metrics.history) {
      for (const key of ['loss', 'accuracy', 'val_loss', 'val_accuracy']) {
        expect(typeof m[key]).toBe('number');
      }
    }
    expect(done.checkpoints.last).toMatchObject({ epoch: 2 });
    expect(done.checkpoints.best).not.toBeNull();
    const runDir = path.join(t.workspaceDir, 'projects', pid, 'runs', first.run_id);
    expect(existsSync(path.join(runDir, 'checkpoints', 'last'))).toBe(true);
    expect(existsSync(path.join(runDir, 'checkpoints', 'best'))).toBe(true);

    const metrics = okData(
      await request(t.app).get(`${base()}/runs/${first.run_id}/metrics`),
      MetricsJson,
    );
    expect(metrics).toMatchObject({ run_id: first.run_id, classes: ['left', 'right'] });
    expect(metrics.history).toEqual(done.metrics.history);

    // The queued run started once the first was over.
    const secondDone = await waitRun(second.run_id, (r) => r.status === 'completed');
    expect(epochsOf(secondDone.metrics.history)).toEqual([1, 2]);
    const listed = okData(await request(t.app).get(`${base()}/experiments/${exp.id}`), Experiment);
    expect(listed.runs.map((r) => [r.run_id, r.epochs_completed]).sort()).toEqual(
      [
        [first.run_id, 2],
        [second.run_id, 2],
      ].sort(),
    );
    const all = okData(await request(t.app).get(`${base()}/runs`), z.array(Run));
    expect(all.map((r) => r.run_id)).toEqual(expect.arrayContaining([first.run_id, second.run_id]));

    // A settled run's stream: its status, then the server closes it.
    const settled = await readEventStream(server.port, `${base()}/runs/${first.run_id}/stream`);
    expect(settled.events.map((e) => e.event)).toEqual(['status']);
    const unknown = await request(t.app).get(`${base()}/runs/run-00000000/stream`);
    expectError(unknown, 404, 'not_found');
  });

  it('stops a run gracefully and resumes it to completion with every epoch once', async () => {
    const exp = await createExperiment(tinyConfig({ epochs: 30 }));
    const { run_id } = await startRun(exp.id);
    await waitRun(run_id, (r) => r.metrics.history.length >= 1);
    // While it trains, its data stays: clearing the dataset or deleting its split is refused.
    const items = async () =>
      okData(await request(t.app).get(`/api/datasets/${pid}`), DatasetInfo).total_items;
    const itemsBefore = await items();
    const clear = expectError(await request(t.app).delete(`/api/datasets/${pid}`), 409, 'conflict');
    expect(clear.error.message).toContain(run_id);
    expect(clear.error.message).toMatch(/stop it first/);
    expectError(await request(t.app).delete(`/api/splits/${pid}/0`), 409, 'conflict');
    expect(await items()).toBe(itemsBefore);
    okData(await request(t.app).get(`/api/splits/${pid}/0`), z.unknown());
    const stopped = okData(await request(t.app).post(`${base()}/runs/${run_id}/stop`), Run);
    expect(stopped.status).toBe('stopped');
    expect(stopped.message).toMatch(/stopped/);
    const before = stopped.metrics.history;
    expect(before.length).toBeGreaterThanOrEqual(1);
    expectError(await request(t.app).post(`${base()}/runs/${run_id}/stop`), 409, 'conflict');

    const resumed = okData(
      await request(t.app).post(`${base()}/runs/${run_id}/resume`),
      RunStarted,
    );
    expect(resumed.status).toBe('pending');
    const done = await waitRun(run_id, (r) => r.status === 'completed');
    expect(epochsOf(done.metrics.history)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(done.metrics.history.slice(0, before.length)).toEqual(before);

    const again = expectError(
      await request(t.app).post(`${base()}/runs/${run_id}/resume`),
      409,
      'conflict',
    );
    expect(again.error.message).toMatch(/completed/);
  });

  it('deletes a run (its folder too) and an experiment with its runs', async () => {
    const exp = await createExperiment(tinyConfig({ epochs: 1 }));
    const { run_id } = await startRun(exp.id);
    const runDir = path.join(t.workspaceDir, 'projects', pid, 'runs', run_id);
    await waitRun(run_id, (r) => r.status === 'completed');
    expect(existsSync(runDir)).toBe(true);
    const del = await request(t.app).delete(`${base()}/runs/${run_id}`);
    expect(okData(del, z.object({ deleted: z.literal(true), id: z.string() })).id).toBe(run_id);
    expectError(await request(t.app).get(`${base()}/runs/${run_id}`), 404, 'not_found');
    expect(existsSync(runDir)).toBe(false);

    // A running one is stopped first.
    const live = await startRun(exp.id);
    await request(t.app).delete(`${base()}/experiments/${exp.id}`).expect(200);
    expectError(await request(t.app).get(`${base()}/runs/${live.run_id}`), 404, 'not_found');
    expect(existsSync(path.join(t.workspaceDir, 'projects', pid, 'runs', live.run_id))).toBe(false);
    expectError(await request(t.app).delete(`${base()}/runs/${live.run_id}`), 404, 'not_found');
  });

  it('refuses runs that cannot train with a 4xx that says why', async () => {
    // A split whose train subset is empty.
    const empty = await makeSplit(pid, { train: 0, val: 0.5, test: 0.5 });
    const expEmpty = await createExperiment(tinyConfig(), empty);
    const noTrain = expectError(
      await request(t.app).post(`${base()}/experiments/${expEmpty.id}/run`),
      422,
      'unprocessable',
    );
    expect(noTrain.error.message).toMatch(/train subset .* is empty/);

    // A classification project with a single class.
    const single = (await createProject(t.app, 'One class')).id;
    await importImages(single, 4, ['left']);
    await makeSplit(single);
    const expSingle = await createExperiment(tinyConfig(), 0, single);
    const oneClass = expectError(
      await request(t.app).post(`${base(single)}/experiments/${expSingle.id}/run`),
      422,
      'unprocessable',
    );
    expect(oneClass.error.message).toMatch(/at least two classes/);

    expectError(
      await request(t.app).post(`${base()}/experiments/exp-00000000/run`),
      404,
      'not_found',
    );
    expectError(await request(t.app).post(`${base()}/runs/run-00000000/resume`), 404, 'not_found');
    expectError(await request(t.app).get(`${base()}/runs/run-00000000/metrics`), 404, 'not_found');
  });
});
