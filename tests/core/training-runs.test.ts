import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EpochMetrics, Run, RunEvent } from '../../src-shared/contract/training.js';
import type {
  TrainerEvent,
  TrainingHandle,
  TrainJob,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import { openStore } from '../../src-main/core/store/index.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { INTERRUPTED_AT_START } from '../../src-main/core/services/training-manager.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { classFolders, jobFinished, tempDir, writeTree } from './services-helpers.js';

/** One training the fake trainer was asked for; the test drives its events. */
interface FakeTraining {
  readonly job: TrainJob;
  emit(e: TrainerEvent): void;
  exit(): void;
  stopCalls: number;
  killed: boolean;
}

const metrics = (epoch: number, loss: number): EpochMetrics => ({
  epoch,
  loss,
  accuracy: 1 - loss,
  val_loss: loss + 0.1,
  val_accuracy: 0.9 - loss,
  lr: 0.001,
  duration_seconds: 1,
  samples_per_second: 10,
});

describe('training services over a driven fake trainer', () => {
  let dir: string;
  let ws: Workstation;
  let trainings: FakeTraining[];
  /** When true, stop() answers at once with `stopped` and the worker exits. */
  let obeyStop: boolean;
  let projectId: string;

  const open = () =>
    createWorkstation(
      { workspaceDir: join(dir, 'ws'), version: 't' },
      {
        runImportWorker,
        inspectZip,
        training: { closeTimeoutMs: 100, stopTimeoutMs: 100, progressPersistMs: 0 },
        startTraining: (job, onEvent): TrainingHandle => {
          let exit!: () => void;
          const done = new Promise<void>((resolve) => (exit = resolve));
          const t: FakeTraining = { job, emit: onEvent, exit, stopCalls: 0, killed: false };
          trainings.push(t);
          return {
            done,
            stop: () => {
              t.stopCalls++;
              if (!obeyStop) return;
              // The trainer's own order: last checkpoint, then `stopped`, then exit.
              void mkdir(join(job.runDir, 'checkpoints', 'last'), { recursive: true }).then(() => {
                onEvent({ type: 'stopped' });
                exit();
              });
            },
            kill: async () => {
              t.killed = true;
              exit();
            },
          };
        },
      },
    );

  async function importFolder(files: Record<string, Buffer>, pid = projectId): Promise<void> {
    const src = await tempDir('assay-train-src-');
    await writeTree(src, files);
    const started = await ws.ops.importLocal({ project_id: pid, path: src });
    expect((await jobFinished(ws, started.job_id)).status).toBe('completed');
    await rm(src, { recursive: true, force: true });
  }

  const split = (ratios = { train: 0.5, val: 0.5, test: 0 }, pid = projectId) =>
    ws.ops.createSplit({
      project_id: pid,
      name: `s${Math.random()}`,
      ratios,
      seed: 1,
      stratify: true,
    });

  const experiment = (config = {}, split_index = 0) =>
    ws.ops.createExperiment({ project_id: projectId, name: 'e', split_index, config });

  const getRun = (run_id: string) => ws.ops.getRun({ project_id: projectId, run_id });

  async function until(run_id: string, pred: (r: Run) => boolean): Promise<Run> {
    for (;;) {
      const r = await getRun(run_id);
      if (pred(r)) return r;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  beforeEach(async () => {
    dir = await tempDir('assay-train-');
    trainings = [];
    obeyStop = true;
    ws = await open();
    projectId = (await ws.ops.createProject({ name: 'p', task: 'classification' })).id;
    await importFolder(await classFolders(['cat', 'dog', 'emu'], 4));
    await split();
  });
  afterEach(async () => {
    await ws.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('creates, reads, edits and lists experiments with resolved configs', async () => {
    const exp = await experiment({ epochs: 3 });
    expect(exp.id).toMatch(/^exp-[0-9a-f]{8}$/);
    expect(exp.config.epochs).toBe(3);
    expect(exp.config.architecture).toBe('mobilenet-v2-transfer');
    expect(exp.runs).toEqual([]);
    const edited = await ws.ops.updateExperiment({
      project_id: projectId,
      exp_id: exp.id,
      name: 'renamed',
      config: { batch_size: 4 },
    });
    expect(edited).toMatchObject({ name: 'renamed', config: { epochs: 3, batch_size: 4 } });
    expect(await ws.ops.listExperiments({ project_id: projectId })).toHaveLength(1);
    await expect(experiment({}, 7)).rejects.toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(/split_index 7 does not exist/),
    });
    await expect(experiment({ architecture: 'mlp' })).rejects.toMatchObject({
      code: 'validation_error',
    });
    await expect(
      ws.ops.getExperiment({ project_id: projectId, exp_id: 'exp-00000000' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('trains one run at a time, queues the next, stores epochs once and reports events', async () => {
    const exp = await experiment({ epochs: 2, best_metric: 'val_loss' });
    const first = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    // Answered as queued (`pending`), then it moves on: nothing else trains, so it runs at once.
    expect(first).toMatchObject({ status: 'pending', queue_position: null });
    expect(await ws.ops.getRun({ project_id: projectId, run_id: first.run_id })).toMatchObject({
      status: 'running',
    });
    const second = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    expect(second).toMatchObject({ status: 'pending', queue_position: 1 });
    expect(trainings).toHaveLength(1);

    const job = trainings[0]!.job;
    expect(job.classes).toEqual(['cat', 'dog', 'emu']);
    expect(job.resume).toBe(false);
    expect(job.runDir).toBe(join(dir, 'ws', 'projects', projectId, 'runs', first.run_id));
    expect(existsSync(job.runDir)).toBe(true);
    if (job.data.kind !== 'items') throw new Error('expected items');
    expect(job.data.train).toHaveLength(6);
    expect(job.data.val).toHaveLength(6);
    for (const item of [...job.data.train, ...job.data.val]) {
      expect(existsSync(item.path)).toBe(true);
      expect(item.path).toContain(item.key);
      expect(item.label).toBeGreaterThanOrEqual(0);
    }

    const events: RunEvent[] = [];
    const off = ws.onRun(first.run_id, (e) => events.push(e));
    const t = trainings[0]!;
    t.emit({ type: 'started', backend: 'cpu', device: 'cpu', resumedFromEpoch: 0 });
    t.emit({
      type: 'progress',
      progress: {
        epoch: 1,
        epochs: 2,
        batch: 1,
        batches: 3,
        samples_per_second: 5,
        eta_seconds: 2,
        phase: 'training',
      },
    });
    expect((await getRun(first.run_id)).progress).toMatchObject({ batch: 1, phase: 'training' });
    t.emit({ type: 'epoch', metrics: metrics(1, 0.5), isBest: true });
    t.emit({ type: 'epoch', metrics: metrics(1, 0.1), isBest: true }); // repeated: ignored
    t.emit({ type: 'epoch', metrics: metrics(2, 0.7), isBest: false });
    t.emit({ type: 'completed', reason: 'finished', message: 'done after 2 epochs' });
    // Nothing starts until the first worker has exited.
    expect(trainings).toHaveLength(1);
    t.exit();
    await until(second.run_id, (r) => r.status === 'running');
    off();

    const done = await getRun(first.run_id);
    expect(done).toMatchObject({
      status: 'completed',
      backend: 'cpu',
      message: 'done after 2 epochs',
      checkpoints: {
        best: { epoch: 1, metric: 'val_loss', value: 0.6 },
        last: { epoch: 2, metric: 'val_loss', value: 0.7 + 0.1 },
      },
    });
    expect(done.metrics.history.map((m) => [m.epoch, m.loss])).toEqual([
      [1, 0.5],
      [2, 0.7],
    ]);
    expect(done.finished_at).not.toBeNull();
    expect(events.map((e) => e.type)).toEqual(['status', 'progress', 'epoch', 'epoch', 'status']);
    const metricsJson = await ws.ops.getRunMetrics({ project_id: projectId, run_id: first.run_id });
    expect(metricsJson).toMatchObject({ classes: ['cat', 'dog', 'emu'], status: 'completed' });
    const listed = await ws.ops.getExperiment({ project_id: projectId, exp_id: exp.id });
    expect(listed.runs.find((r) => r.run_id === first.run_id)).toMatchObject({
      epochs_completed: 2,
      best_value: 0.6,
    });
    await expect(
      ws.ops.resumeRun({ project_id: projectId, run_id: first.run_id }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/completed/) });
  });

  it('stops a running run gracefully and a queued one at once, then resumes from the checkpoint', async () => {
    const exp = await experiment();
    const a = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const b = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const c = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    expect((await getRun(c.run_id)).queue_position).toBe(2);
    const stoppedB = await ws.ops.stopRun({ project_id: projectId, run_id: b.run_id });
    expect(stoppedB).toMatchObject({ status: 'stopped', message: 'stopped before it started' });
    expect((await getRun(c.run_id)).queue_position).toBe(1);

    trainings[0]!.emit({ type: 'epoch', metrics: metrics(1, 0.5), isBest: true });
    const stoppedA = await ws.ops.stopRun({ project_id: projectId, run_id: a.run_id });
    expect(stoppedA.status).toBe('stopped');
    expect(trainings[0]!.stopCalls).toBe(1);
    await until(c.run_id, (r) => r.status === 'running');
    await expect(ws.ops.stopRun({ project_id: projectId, run_id: a.run_id })).rejects.toMatchObject(
      { code: 'conflict' },
    );

    const resumed = await ws.ops.resumeRun({ project_id: projectId, run_id: a.run_id });
    expect(resumed).toMatchObject({ status: 'pending', queue_position: 1 });
    await ws.ops.stopRun({ project_id: projectId, run_id: c.run_id });
    await until(a.run_id, (r) => r.status === 'running');
    const again = trainings.at(-1)!;
    expect(again.job.runId).toBe(a.run_id);
    expect(again.job.resume).toBe(true);
    // A stopped run without a checkpoint and without epochs starts over.
    const fresh = await ws.ops.resumeRun({ project_id: projectId, run_id: b.run_id });
    expect(fresh.status).toBe('pending');
    again.emit({ type: 'epoch', metrics: metrics(1, 0.2), isBest: true }); // re-announced: kept once
    again.emit({ type: 'epoch', metrics: metrics(2, 0.3), isBest: false });
    again.emit({ type: 'completed', reason: 'finished', message: 'ok' });
    again.exit();
    await until(b.run_id, (r) => r.status === 'running');
    expect(trainings.at(-1)!.job.resume).toBe(false);
    const history = (await getRun(a.run_id)).metrics.history;
    expect(history.map((m) => [m.epoch, m.loss])).toEqual([
      [1, 0.5],
      [2, 0.3],
    ]);
  });

  it('on resume, stores epochs the checkpoint holds but a crash kept from the database', async () => {
    const exp = await experiment({ best_metric: 'val_loss' });
    const r = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const t = trainings[0]!;
    t.emit({ type: 'epoch', metrics: metrics(1, 0.5), isBest: true });
    // Epoch 2's checkpoint became durable, then the process died before its row was written.
    const last = join(t.job.runDir, 'checkpoints', 'last');
    await mkdir(last, { recursive: true });
    const history = [metrics(1, 0.4), metrics(2, 0.3)];
    await writeFile(
      join(last, 'state.json'),
      JSON.stringify({
        format: 'assay-training-checkpoint',
        version: 1,
        history,
        best: { metric: 'val_loss', value: 0.4, epoch: 2 },
      }),
    );
    obeyStop = false;
    await ws.close();
    obeyStop = true;
    ws = await open();
    expect((await getRun(r.run_id)).status).toBe('interrupted');
    await ws.ops.resumeRun({ project_id: projectId, run_id: r.run_id });
    const run = await getRun(r.run_id);
    expect(run.metrics.history.map((m) => [m.epoch, m.loss])).toEqual([
      [1, 0.5], // stored before: kept as it was
      [2, 0.3],
    ]);
    expect(run.checkpoints).toMatchObject({
      best: { epoch: 2, value: 0.4 },
      last: { epoch: 2 },
    });
    expect(trainings.at(-1)!.job.resume).toBe(true);
  });

  it('fails a run whose worker dies without an outcome, and refuses to resume it without a checkpoint', async () => {
    const exp = await experiment();
    const r = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    trainings[0]!.exit();
    const failed = await until(r.run_id, (x) => x.status === 'failed');
    expect(failed.message).toMatch(/without reporting an outcome/);
    await expect(
      ws.ops.resumeRun({ project_id: projectId, run_id: r.run_id }),
    ).rejects.toMatchObject({ code: 'conflict', message: expect.stringMatching(/no checkpoint/) });
  });

  it('deletes a running run (stopping it first) and an experiment with its run folders', async () => {
    const exp = await experiment();
    const r = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const runDir = trainings[0]!.job.runDir;
    await ws.ops.deleteRun({ project_id: projectId, run_id: r.run_id });
    expect(trainings[0]!.stopCalls).toBe(1);
    expect(existsSync(runDir)).toBe(false);
    await expect(getRun(r.run_id)).rejects.toMatchObject({ code: 'not_found' });

    const r2 = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const r3 = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    await ws.ops.deleteExperiment({ project_id: projectId, exp_id: exp.id });
    expect(await readdir(join(dir, 'ws', 'projects', projectId, 'runs'))).toEqual([]);
    for (const id of [r2.run_id, r3.run_id])
      await expect(getRun(id)).rejects.toMatchObject({ code: 'not_found' });
    expect(trainings).toHaveLength(2); // the queued one never started
  });

  it('names runs "<experiment> #n", never reuses a number, and keeps a name a person gave', async () => {
    const exp = await experiment();
    const a = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const b = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    expect(await getRun(a.run_id)).toMatchObject({ name: 'e #1', number: 1, renamed: false });
    expect(await getRun(b.run_id)).toMatchObject({ name: 'e #2', number: 2 });
    await ws.ops.deleteRun({ project_id: projectId, run_id: a.run_id });
    const c = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    expect((await getRun(c.run_id)).name).toBe('e #3');

    const renamed = await ws.ops.updateRun({
      project_id: projectId,
      run_id: b.run_id,
      name: 'wide lr',
    });
    expect(renamed).toMatchObject({ name: 'wide lr', number: 2, renamed: true });
    // The default follows the experiment's name; a given name does not.
    await ws.ops.updateExperiment({ project_id: projectId, exp_id: exp.id, name: 'baseline' });
    expect((await getRun(b.run_id)).name).toBe('wide lr');
    expect((await getRun(c.run_id)).name).toBe('baseline #3');
    const back = await ws.ops.updateRun({ project_id: projectId, run_id: b.run_id, name: null });
    expect(back).toMatchObject({ name: 'baseline #2', renamed: false });
    await expect(
      ws.ops.updateRun({ project_id: projectId, run_id: 'run-00000000', name: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('stops the runs of a project before the project is deleted', async () => {
    const exp = await experiment();
    await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    await ws.ops.deleteProject({ id: projectId });
    expect(trainings).toHaveLength(1); // the queued one never started
    expect(trainings[0]!.stopCalls).toBe(1);
    expect(existsSync(join(dir, 'ws', 'projects', projectId))).toBe(false);
    await expect(ws.ops.listRuns({ project_id: projectId })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses runs that cannot train with a 422 that says why', async () => {
    const exp = await experiment();
    // A split that gives nothing to train.
    await split({ train: 0, val: 0.5, test: 0.5 });
    const noTrain = await ws.ops.updateExperiment({
      project_id: projectId,
      exp_id: exp.id,
      split_index: 1,
    });
    await expect(
      ws.ops.startRun({ project_id: projectId, exp_id: noTrain.id }),
    ).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/train ratio is 0/),
    });

    const single = (await ws.ops.createProject({ name: 'one', task: 'classification' })).id;
    await importFolder(await classFolders(['only'], 3), single);
    await split(undefined, single);
    const e = await ws.ops.createExperiment({
      project_id: single,
      name: 'e',
      split_index: 0,
      config: {},
    });
    await expect(ws.ops.startRun({ project_id: single, exp_id: e.id })).rejects.toMatchObject({
      code: 'unprocessable',
      message: expect.stringMatching(/at least two classes.*"only"/),
    });
    await expect(
      ws.ops
        .updateExperiment({
          project_id: projectId,
          exp_id: exp.id,
          split_index: 0,
          config: { class_weights: { wolf: 2 } },
        })
        .then(() => ws.ops.startRun({ project_id: projectId, exp_id: exp.id })),
    ).rejects.toMatchObject({ code: 'validation_error', message: expect.stringMatching(/wolf/) });
    expect(trainings).toHaveLength(0);
  });

  it('marks runs interrupted when closing cannot stop them, and at start when a process died', async () => {
    obeyStop = false;
    const exp = await experiment();
    const a = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    const b = await ws.ops.startRun({ project_id: projectId, exp_id: exp.id });
    await ws.close();
    expect(trainings[0]!.killed).toBe(true);
    ws = await open();
    expect(await getRun(a.run_id)).toMatchObject({ status: 'interrupted' });
    expect((await getRun(a.run_id)).message).toMatch(/could not stop in time/);
    expect((await getRun(b.run_id)).message).toMatch(/before this run started/);
    await ws.close();

    // A process that died leaves rows `running`: the next start marks them interrupted.
    const store = openStore(join(dir, 'ws', 'assay.db'));
    store.runs.update(a.run_id, { status: 'running' });
    store.runs.update(b.run_id, { status: 'pending' });
    store.close();
    ws = await open();
    for (const id of [a.run_id, b.run_id]) {
      expect(await getRun(id)).toMatchObject({
        status: 'interrupted',
        message: INTERRUPTED_AT_START,
      });
    }
    expect(trainings).toHaveLength(1);
  });
});
