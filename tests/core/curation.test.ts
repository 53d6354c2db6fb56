import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Run } from '../../src-shared/contract/training.js';
import type {
  TrainerEvent,
  TrainingHandle,
  TrainJob,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { classFolders, jobFinished, tempDir, writeTree } from './services-helpers.js';

/** Curation over a real workstation and SQLite file; the trainer is driven by the test. */
describe('curating items: relabel, delete, undo, and the runs that trained on them', () => {
  let dir: string;
  let ws: Workstation;
  let pid: string;
  let jobs: { job: TrainJob; emit: (e: TrainerEvent) => void; exit: () => void }[];

  beforeEach(async () => {
    dir = await tempDir('assay-curate-');
    jobs = [];
    ws = await createWorkstation(
      { workspaceDir: join(dir, 'ws'), version: 't' },
      {
        runImportWorker,
        inspectZip,
        training: { closeTimeoutMs: 100, stopTimeoutMs: 100, progressPersistMs: 0 },
        startTraining: (job, emit): TrainingHandle => {
          let exit!: () => void;
          const done = new Promise<void>((resolve) => (exit = resolve));
          jobs.push({ job, emit, exit });
          return { done, stop: () => exit(), kill: async () => exit() };
        },
      },
    );
    pid = (await ws.ops.createProject({ name: 'p', task: 'classification' })).id;
    const src = await tempDir('assay-curate-src-');
    await writeTree(src, await classFolders(['cat', 'dog'], 4));
    const started = await ws.ops.importLocal({ project_id: pid, path: src });
    expect((await jobFinished(ws, started.job_id)).status).toBe('completed');
    await ws.ops.createSplit({
      project_id: pid,
      name: 's',
      ratios: { train: 0.5, val: 0.5, test: 0 },
      seed: 1,
      stratify: true,
    });
  });
  afterEach(async () => {
    await ws.close();
    await rm(dir, { recursive: true, force: true });
  });

  const classOf = async (filename: string) =>
    (await ws.ops.getItemInfo({ project_id: pid, filename })).class;

  async function finishedRun(): Promise<Run> {
    const exp = await ws.ops.createExperiment({
      project_id: pid,
      name: 'e',
      split_index: 0,
      config: { epochs: 1 },
    });
    const { run_id } = await ws.ops.startRun({ project_id: pid, exp_id: exp.id });
    const t = jobs.at(-1)!;
    t.emit({ type: 'completed', reason: 'finished', message: 'done' });
    t.exit();
    for (;;) {
      const run = await ws.ops.getRun({ project_id: pid, run_id });
      if (run.status === 'completed') return run;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it('relabels many items in one change and undoes it', async () => {
    const res = await ws.ops.relabelItems({
      project_id: pid,
      filenames: ['cat/img0.png', 'cat/img1.png', 'dog/img0.png'],
      class_name: 'dog',
    });
    expect(res).toMatchObject({ changed: 2, runs_using: 0 });
    expect(await classOf('cat/img0.png')).toBe('dog');
    expect((await ws.ops.getLastItemChange({ project_id: pid })).change).toMatchObject({
      kind: 'relabel',
      item_count: 2,
    });
    const undone = await ws.ops.undoItemChange({ project_id: pid });
    expect(undone).toMatchObject({ kind: 'relabel', changed: 2 });
    expect(await classOf('cat/img0.png')).toBe('cat');
    expect(await classOf('dog/img0.png')).toBe('dog');
    // Undone once: nothing is left to undo.
    await expect(ws.ops.undoItemChange({ project_id: pid })).rejects.toMatchObject({
      code: 'conflict',
    });
  });

  it('takes a class away and gives one back; unknown items or bad names change nothing', async () => {
    await ws.ops.relabelItems({ project_id: pid, filenames: ['cat/img2.png'], class_name: null });
    expect(await classOf('cat/img2.png')).toBeNull();
    expect((await ws.ops.getDataset({ project_id: pid })).unlabeled).toBe(1);
    await ws.ops.relabelItems({ project_id: pid, filenames: ['cat/img2.png'], class_name: 'emu' });
    expect(await classOf('cat/img2.png')).toBe('emu');
    await expect(
      ws.ops.relabelItems({
        project_id: pid,
        filenames: ['cat/img3.png', 'nope.png'],
        class_name: 'dog',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      ws.ops.relabelItems({ project_id: pid, filenames: ['cat/img3.png'], class_name: 'a/b' }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(await classOf('cat/img3.png')).toBe('cat');
  });

  it('deletes items with their split places and restores both on undo', async () => {
    const before = await ws.ops.getSplit({ project_id: pid, split_index: 0 });
    const res = await ws.ops.deleteItems({
      project_id: pid,
      filenames: ['dog/img1.png', 'dog/img2.png'],
    });
    expect(res.changed).toBe(2);
    expect((await ws.ops.getDataset({ project_id: pid })).total_items).toBe(6);
    await expect(classOf('dog/img1.png')).rejects.toMatchObject({ code: 'not_found' });
    await ws.ops.undoItemChange({ project_id: pid });
    expect((await ws.ops.getDataset({ project_id: pid })).total_items).toBe(8);
    expect(await classOf('dog/img1.png')).toBe('dog');
    const after = await ws.ops.getSplit({ project_id: pid, split_index: 0 });
    expect(after.stats).toEqual(before.stats);
    // The file is back too.
    const file = await ws.ops.getItemFile({ project_id: pid, filename: 'dog/img1.png' });
    expect(file.path).toBeTruthy();
  });

  it('records a change to items a finished run used, which keeps its labels', async () => {
    const run = await finishedRun();
    const res = await ws.ops.relabelItems({
      project_id: pid,
      filenames: ['cat/img0.png', 'cat/img1.png', 'cat/img2.png', 'cat/img3.png'],
      class_name: 'dog',
    });
    expect(res.runs_using).toBe(1);
    expect(res.message).toContain('keeps the labels it trained on');
    // The past run still says it trained on two classes.
    expect((await ws.ops.getRunMetrics({ project_id: pid, run_id: run.run_id })).classes).toEqual([
      'cat',
      'dog',
    ]);

    // A new run sees one class now and is refused; the labels moved for future runs only.
    const exp = await ws.ops.createExperiment({
      project_id: pid,
      name: 'f',
      split_index: 0,
      config: {},
    });
    await expect(ws.ops.startRun({ project_id: pid, exp_id: exp.id })).rejects.toMatchObject({
      code: 'unprocessable',
    });
  });

  it('resumes a stopped run on the labels it was made with, not on a later relabel', async () => {
    const exp = await ws.ops.createExperiment({
      project_id: pid,
      name: 'e',
      split_index: 0,
      config: { epochs: 3 },
    });
    const { run_id } = await ws.ops.startRun({ project_id: pid, exp_id: exp.id });
    const first = jobs[0]!;
    await mkdir(join(first.job.runDir, 'checkpoints', 'last'), { recursive: true });
    first.emit({ type: 'stopped' });
    first.exit();
    for (;;) {
      if ((await ws.ops.getRun({ project_id: pid, run_id })).status === 'stopped') break;
      await new Promise((r) => setTimeout(r, 5));
    }
    await ws.ops.relabelItems({
      project_id: pid,
      filenames: ['cat/img0.png', 'cat/img1.png', 'cat/img2.png', 'cat/img3.png'],
      class_name: 'dog',
    });
    await ws.ops.resumeRun({ project_id: pid, run_id });
    for (let i = 0; jobs.length < 2 && i < 1000; i++) await new Promise((r) => setTimeout(r, 5));
    const resumed = jobs[1]!.job;
    expect(resumed.resume).toBe(true);
    expect(resumed.classes).toEqual(['cat', 'dog']);
    if (resumed.data.kind !== 'items' || first.job.data.kind !== 'items') throw new Error('items');
    const labels = (d: typeof resumed.data) =>
      d.kind === 'items' ? [...d.train, ...d.val].map((t) => `${t.key}:${t.label}`).sort() : [];
    expect(labels(resumed.data)).toEqual(labels(first.job.data));
    jobs[1]!.exit();
  });

  it('puts a deleted item back without the place in a split deleted since; a cleared dataset has no undo', async () => {
    await ws.ops.deleteItems({ project_id: pid, filenames: ['cat/img0.png'] });
    await ws.ops.deleteSplit({ project_id: pid, split_index: 0 });
    await ws.ops.undoItemChange({ project_id: pid });
    expect(await classOf('cat/img0.png')).toBe('cat');

    await ws.ops.deleteItems({ project_id: pid, filenames: ['cat/img1.png'] });
    await ws.ops.clearDataset({ project_id: pid });
    expect((await ws.ops.getLastItemChange({ project_id: pid })).change).toBeNull();
    await expect(ws.ops.undoItemChange({ project_id: pid })).rejects.toMatchObject({
      code: 'conflict',
    });
  });
});
