// Every kind of background work through the one job system, in process: the listing and its
// filters, progress events, cancel per kind, an import's per-file errors paged, regression
// `/reset` cancelling a training, and evaluations and exports running off the main thread.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import { Evaluation } from '../../src-shared/contract/evaluation.js';
import { Export } from '../../src-shared/contract/export.js';
import { Job, JobErrorPage, JobPage, importResultOf } from '../../src-shared/contract/jobs.js';
import { Experiment, Run, RunStarted } from '../../src-shared/contract/training.js';
import { classImages, writeTree } from './helpers/media.js';
import {
  createProject,
  expectError,
  listen,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';
import { readEventStream, sleep, tinyConfig, trainTinyRun } from './training-helpers.js';

let t: TestApp;
/** Task jobs on this one wait (cancellably) before they start working, so cancel lands mid-job. */
let held: TestApp;
let tiny: { pid: string; expId: string; runId: string };
let heldRun: { pid: string; expId: string; runId: string };

beforeAll(async () => {
  t = await openTestApp();
  held = await openTestApp({ taskHoldMs: 60_000 });
  tiny = await trainTinyRun(t, {
    name: 'kinds',
    perClass: 8,
    ratios: { train: 0.5, val: 0.25, test: 0.25 },
  });
  heldRun = await trainTinyRun(held, {
    name: 'held',
    perClass: 4,
    ratios: { train: 0.5, val: 0.25, test: 0.25 },
  });
});
afterAll(async () => {
  await t.close();
  await held.close();
});

const jobs = async (app: TestApp, query: string) =>
  okData(await request(app.app).get(`/api/jobs?${query}`), JobPage);

/** The job of kind `kind` about `subject`, once it exists. */
async function jobOf(app: TestApp, kind: string, subject: string): Promise<Job> {
  for (;;) {
    const page = await jobs(app, `kind=${kind}&page_size=1000`);
    const job = page.items.find((j) => j.subject_id === subject);
    if (job) return job;
    await sleep(20);
  }
}

async function waitStatus(app: TestApp, jobId: string, status: Job['status']): Promise<Job> {
  for (;;) {
    const job = okData(await request(app.app).get(`/api/jobs/${jobId}`), Job);
    if (job.status === status) return job;
    await sleep(20);
  }
}

describe('one job system, every kind', () => {
  it('runs evaluations and exports as jobs on a worker thread, with progress, never on the main thread', async () => {
    const { pid, expId, runId } = tiny;
    const evaluation = okData(
      await request(t.app)
        .post(`/api/evaluation/${pid}`)
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'best', split_subset: 'train' }),
      Evaluation,
    );
    const evalJob = await jobOf(t, 'evaluation', evaluation.eval_id);
    const seen: Job[] = [];
    const off = t.ws.onJob(evalJob.id, (j) => seen.push(j));
    const exported = okData(
      await request(t.app)
        .post(`/api/export/${pid}`)
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'best', format: 'onnx' }),
      Export,
    );
    const exportJob = await jobOf(t, 'export', exported.export_id);
    const exportSeen: Job[] = [];
    const offExport = t.ws.onJob(exportJob.id, (j) => exportSeen.push(j));
    const evalEnd = await waitForJob(t.app, evalJob.id);
    const exportEnd = await waitForJob(t.app, exportJob.id);
    off();
    offExport();
    expect(evalEnd).toMatchObject({ status: 'completed', resumable: true, error: null });
    expect(exportEnd).toMatchObject({ status: 'completed', resumable: true, error: null });
    // Progress went out while it ran: items scored, never going backwards, then the end.
    const running = seen.filter((j) => j.status === 'running');
    expect(running.some((j) => j.done > 0 && j.total > 0)).toBe(true);
    const dones = running.map((j) => j.done);
    expect(dones).toEqual([...dones].sort((a, b) => a - b));
    expect(seen.at(-1)?.status).toBe('completed');
    // The export waited behind the evaluation, then reported its steps: writing, written.
    expect(exportSeen.map((j) => j.status)).toContain('running');
    expect(exportSeen.at(-1)).toMatchObject({ status: 'completed', done: 1, total: 1 });
    // The work ran on the task thread (a worker: thread id ≠ 0), and this thread never loaded
    // TensorFlow.js (it registers its engine on globalThis), which both need. (It does hold
    // onnxruntime's addon: loaded at start so worker threads can load it after one has exited.)
    const threadOf = (j: Job): unknown => (j.result as Record<string, unknown> | null)?.thread_id;
    expect(threadOf(evalEnd)).toBeGreaterThan(0);
    expect(threadOf(exportEnd)).toBe(threadOf(evalEnd));
    expect((globalThis as { _tfengine?: unknown })._tfengine).toBeUndefined();
    const stored = okData(
      await request(t.app).get(`/api/evaluation/${pid}/${evaluation.eval_id}`),
      Evaluation,
    );
    expect(stored.status).toBe('completed');
  });

  it('lists every kind with filters (kind, status, project) and pages', async () => {
    const all = await jobs(t, 'page_size=1000');
    const kinds = new Set(all.items.map((j) => j.kind));
    for (const k of ['import', 'training', 'evaluation', 'export']) expect(kinds).toContain(k);
    const training = await jobs(t, `kind=training&project_id=${tiny.pid}`);
    expect(training.items.length).toBeGreaterThan(0);
    expect(training.items.every((j) => j.kind === 'training')).toBe(true);
    const first = training.items.find((j) => j.subject_id === tiny.runId);
    expect(first).toMatchObject({ status: 'completed', done: 1, total: 1, resumable: true });
    const done = await jobs(t, 'status=completed&page_size=2&page=1');
    expect(done.items.every((j) => j.status === 'completed')).toBe(true);
    expect(done.total_pages).toBe(Math.ceil(done.total / 2));
    const page2 = await jobs(t, 'status=completed&page_size=2&page=2');
    expect(page2.items.map((j) => j.id)).not.toEqual(done.items.map((j) => j.id));
    expect((await jobs(held, `project_id=${tiny.pid}`)).total).toBe(0);
    expectError(await request(t.app).get('/api/jobs?kind=nope'), 400, 'validation_error');
    expectError(await request(t.app).get('/api/jobs?page=0'), 400, 'validation_error');
  });

  it('cancels a running evaluation and export: the jobs end cancelled and nothing is written', async () => {
    const { pid, expId, runId } = heldRun;
    const ev = okData(
      await request(held.app)
        .post(`/api/evaluation/${pid}`)
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'best' }),
      Evaluation,
    );
    const xp = okData(
      await request(held.app)
        .post(`/api/export/${pid}`)
        .send({ experiment_id: expId, run_id: runId, checkpoint: 'best', format: 'tfjs' }),
      Export,
    );
    const evalJob = await waitStatus(
      held,
      (await jobOf(held, 'evaluation', ev.eval_id)).id,
      'running',
    );
    const exportJob = await jobOf(held, 'export', xp.export_id);
    // The export waits behind the evaluation on the task thread: it is cancelled while queued.
    expect(exportJob.status).toBe('pending');
    const cancelledExport = okData(
      await request(held.app).post(`/api/jobs/${exportJob.id}/cancel`),
      Job,
    );
    expect(cancelledExport.status).toBe('cancelled');
    const cancelledEval = okData(
      await request(held.app).post(`/api/jobs/${evalJob.id}/cancel`),
      Job,
    );
    expect(cancelledEval).toMatchObject({ status: 'cancelled', message: 'cancelled by the user' });
    expect(
      okData(await request(held.app).get(`/api/evaluation/${pid}/${ev.eval_id}`), Evaluation),
    ).toMatchObject({ status: 'failed', message: 'cancelled by the user' });
    expect(
      okData(await request(held.app).get(`/api/export/${pid}/${xp.export_id}`), Export),
    ).toMatchObject({ status: 'failed', download_url: null });
    const projectDir = path.join(held.workspaceDir, 'projects', pid);
    const names = async (sub: string) => readdir(path.join(projectDir, sub)).catch(() => []);
    expect((await names('evaluations')).filter((n) => n.includes(ev.eval_id))).toEqual([]);
    expect((await names('exports')).filter((n) => n.includes(xp.export_id))).toEqual([]);
    // Cancelling again answers the same end.
    expect(okData(await request(held.app).post(`/api/jobs/${evalJob.id}/cancel`), Job).status).toBe(
      'cancelled',
    );
  });

  it('cancels a training job: the run stops gracefully and its job reads cancelled', async () => {
    const { pid } = tiny;
    const exp = okData(
      await request(t.app)
        .post(`/api/training/${pid}/experiments`)
        .send({ name: 'long', split_index: 0, config: tinyConfig({ epochs: 200, batch_size: 2 }) }),
      Experiment,
    );
    const { run_id } = okData(
      await request(t.app).post(`/api/training/${pid}/experiments/${exp.id}/run`),
      RunStarted,
    );
    const job = await waitStatus(t, (await jobOf(t, 'training', run_id)).id, 'running');
    expect(job).toMatchObject({ kind: 'training', project_id: pid, total: 200, resumable: true });
    // Its events stream over SSE like an import's, and close after the end.
    const server = await listen(t.app);
    const stream = readEventStream(server.port, `/api/jobs/${job.id}/events`);
    const cancelled = okData(await request(t.app).post(`/api/jobs/${job.id}/cancel`), Job);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.done).toBeLessThan(200);
    const run = okData(await request(t.app).get(`/api/training/${pid}/runs/${run_id}`), Run);
    expect(run.status).toBe('stopped');
    const { events } = await stream;
    await server.close();
    expect(events.at(-1)?.event).toBe('done');
    expect(Job.parse(JSON.parse(events.at(-1)?.data ?? '{}')).status).toBe('cancelled');
    expect(events.slice(0, -1).every((e) => e.event === 'progress')).toBe(true);
  });

  it("keeps an import's result small and pages every per-file error", async () => {
    const p = await createProject(t.app, 'many errors');
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 25; i++)
      files[`cls/broken-${String(i).padStart(2, '0')}.png`] = Buffer.from(`not a png ${i}`);
    const folder = await writeTree(path.join(t.root, 'errors'), {
      ...(await classImages({ cls: 2 }, 9)),
      ...files,
    });
    const started = okData(
      await request(t.app).post(`/api/datasets/${p.id}/import/local`).send({ path: folder }),
      ImportStarted,
    );
    const job = await waitForJob(t.app, started.job_id);
    const result = importResultOf(job);
    expect(result).toMatchObject({ imported: 2, failed: 25 });
    expect(result?.errors).toHaveLength(20);
    const page = (n: number) =>
      request(t.app).get(`/api/jobs/${job.id}/errors?page=${n}&page_size=10`);
    const p1 = okData(await page(1), JobErrorPage);
    const p3 = okData(await page(3), JobErrorPage);
    expect(p1).toMatchObject({ total: 25, total_pages: 3 });
    expect(p1.items).toHaveLength(10);
    expect(p3.items).toHaveLength(5);
    const everyFile = [...p1.items, ...okData(await page(2), JobErrorPage).items, ...p3.items];
    expect(new Set(everyFile.map((e) => e.file)).size).toBe(25);
    expect(p1.items.slice(0, 10)).toEqual(result?.errors.slice(0, 10));
    expectError(await request(t.app).get('/api/jobs/job-00000000/errors'), 404, 'not_found');
  });

  it('regression /reset cancels a running training instead of waiting for it', async () => {
    const rows = ['a,b,c,target'];
    for (let i = 0; i < 600; i++) {
      const [a, b, c] = [i % 7, (i * 3) % 11, (i * 5) % 13];
      rows.push(`${a},${b},${c},${a + 2 * b - c}`);
    }
    const up = await request(t.app)
      .post('/upload')
      .field('target_column', 'target')
      .attach('file', Buffer.from(rows.join('\n')), 'table.csv');
    expect(up.status, JSON.stringify(up.body)).toBe(200);
    const training = request(t.app)
      .post('/train')
      .send({ epochs: 2000, hidden_layers: [8], batch_size: 4 })
      .then((r) => r);
    let job: Job | undefined;
    for (;;) {
      job = (await jobs(t, 'kind=regression-training&status=running')).items[0];
      if (job && job.done >= 1) break;
      await sleep(20);
    }
    const reset = await request(t.app).post('/reset');
    expect(reset.status).toBe(200);
    const train = await training;
    expect(train.status).toBe(409);
    expect(train.body).toMatchObject({ status: 'error' });
    const end = okData(await request(t.app).get(`/api/jobs/${job.id}`), Job);
    expect(end).toMatchObject({ status: 'cancelled', kind: 'regression-training' });
    expect(end.done).toBeLessThan(2000);
    // Nothing of the cancelled training remains: no model, no plots, no experiment.
    expect((await request(t.app).get('/outputs/model.pkl')).status).toBe(404);
    expect((await request(t.app).get('/outputs/learning_curve.png')).status).toBe(404);
    const state = (await request(t.app).get('/api/regression/state')).body.data;
    expect(state).toMatchObject({ model: null, dataset: null, training: null });
    const exps = await request(t.app).get(`/api/training/${state.project_id}/experiments`);
    expect(okData(exps, z.array(z.unknown()))).toEqual([]);
  });
});
