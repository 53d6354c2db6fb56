// The run manager gets a trainer ready ahead of runs (StartTraining.prewarm) only while nothing
// trains: once at start, again after each run, never during one; close() releases it.
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import type {
  TrainerEvent,
  TrainingHandle,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import type { StartTraining } from '../../src-main/core/services/training-manager.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { classFolders, jobFinished, tempDir, writeTree } from './services-helpers.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('trainer prewarm', () => {
  let dir: string;
  let ws: Workstation | null = null;
  afterEach(async () => {
    await ws?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('happens at start and after each run, not during one; close() releases it', async () => {
    dir = await tempDir('assay-prewarm-');
    const calls: string[] = [];
    let finish: ((e: TrainerEvent) => void) | null = null;
    const start = ((_job, onEvent): TrainingHandle => {
      calls.push('start');
      let exit!: () => void;
      const done = new Promise<void>((resolve) => (exit = resolve));
      finish = (e) => {
        onEvent(e);
        exit();
      };
      return { done, stop: () => undefined, kill: async () => exit() };
    }) as StartTraining;
    const withHooks: StartTraining = Object.assign(start, {
      prewarm: () => void calls.push('prewarm'),
      release: async () => void calls.push('release'),
    });
    ws = await createWorkstation(
      { workspaceDir: join(dir, 'ws'), version: 't' },
      { runImportWorker, inspectZip, startTraining: withHooks },
    );
    while (!calls.includes('prewarm')) await tick();
    expect(calls).toEqual(['prewarm']);

    const pid = (await ws.ops.createProject({ name: 'p', task: 'classification' })).id;
    const src = await tempDir('assay-prewarm-src-');
    await writeTree(src, await classFolders(['cat', 'dog'], 3));
    const job = await ws.ops.importLocal({ project_id: pid, path: src });
    expect((await jobFinished(ws, job.job_id)).status).toBe('completed');
    await rm(src, { recursive: true, force: true });
    await ws.ops.createSplit({
      project_id: pid,
      name: 's',
      ratios: { train: 0.5, val: 0.5, test: 0 },
      seed: 1,
      stratify: true,
    });
    const exp = await ws.ops.createExperiment({
      project_id: pid,
      name: 'e',
      split_index: 0,
      config: {},
    });
    await ws.ops.startRun({ project_id: pid, exp_id: exp.id });
    while (!finish) await tick();
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toEqual(['prewarm', 'start']);

    (finish as (e: TrainerEvent) => void)({ type: 'completed', reason: 'finished', message: 'ok' });
    while (calls.length < 3) await tick();
    expect(calls).toEqual(['prewarm', 'start', 'prewarm']);

    await ws.close();
    ws = null;
    expect(calls).toEqual(['prewarm', 'start', 'prewarm', 'release']);
  });
});
