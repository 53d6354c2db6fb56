import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTraining,
  type TrainerEvent,
  type TrainItem,
  type TrainJob,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { patternImages, tempDir } from './trainer-fixtures.js';
import { checkpointState, epochs, makeJob, splitItems, terminal } from './trainer-harness.js';

let dir: string;
let images: TrainItem[];
beforeAll(async () => {
  dir = await tempDir('trainer-worker');
  images = await patternImages(dir, 20, 3);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const job = (name: string, epochsWanted: number): TrainJob =>
  makeJob(path.join(dir, name), 'classification', splitItems(images, 20, 15), {
    input: { width: 16, height: 16 },
    batch_size: 8,
    epochs: epochsWanted,
    optimizer: { learning_rate: 0.005 },
  });

/** Starts a training in the worker; `onEpoch` may act on the handle as epochs arrive. */
function train(j: TrainJob, onEpoch?: (n: number, h: ReturnType<typeof startTraining>) => void) {
  const events: TrainerEvent[] = [];
  let handle: ReturnType<typeof startTraining> | undefined = undefined;
  handle = startTraining(j, (e) => {
    events.push(e);
    if (e.type === 'epoch' && handle) onEpoch?.(e.metrics.epoch, handle);
  });
  return { handle, events };
}

describe('training in a worker thread', () => {
  it('runs to completion, streaming started, progress, epoch and completed events', async () => {
    const j = job('full', 2);
    const { handle, events } = train(j);
    await handle.done;
    expect(events[events.length - 1]).toMatchObject({ type: 'completed', reason: 'finished' });
    expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    expect(epochs(events).map((m) => m.epoch)).toEqual([1, 2]);
    const phases = new Set(
      events.flatMap((e) => (e.type === 'progress' ? [e.progress.phase] : [])),
    );
    expect([...phases]).toEqual(
      expect.arrayContaining(['preparing', 'training', 'validating', 'checkpointing']),
    );
  });

  it('stop() finishes gracefully: last checkpoint written, then `stopped`', async () => {
    const j = job('stop', 50);
    const { handle, events } = train(j, (n, h) => n === 1 && h.stop());
    await handle.done;
    expect(terminal(events)).toEqual({ type: 'stopped' });
    expect(events.at(-1)).toEqual({ type: 'stopped' });
    const state = await checkpointState(j);
    expect(state.epochs_completed).toBeGreaterThanOrEqual(1);
    expect(state.epochs_completed).toBeLessThan(50);
  });

  it('kill() mid-run delivers nothing more; resuming completes with every earlier epoch kept once', async () => {
    const j = job('kill', 4);
    const first = train(j, (n, h) => n === 2 && void h.kill());
    await first.handle.done;
    expect(terminal(first.events)).toBeUndefined();
    const seen = epochs(first.events).map((m) => m.epoch);
    expect(seen).toEqual([1, 2]);

    const second = train({ ...j, resume: true });
    await second.handle.done;
    expect(terminal(second.events)).toMatchObject({ type: 'completed' });
    const resumedFrom = second.events.find((e) => e.type === 'started');
    expect(resumedFrom).toMatchObject({ resumedFromEpoch: expect.any(Number) });
    const from = (resumedFrom as { resumedFromEpoch: number }).resumedFromEpoch;
    expect(from).toBeGreaterThanOrEqual(2);
    expect(epochs(second.events).map((m) => m.epoch)).toEqual([3, 4].slice(from - 2));
    expect((await checkpointState(j)).history.map((m) => m['epoch'])).toEqual([1, 2, 3, 4]);
  });

  it('a listener that throws stops the worker and is told `failed`', async () => {
    const events: TrainerEvent[] = [];
    const handle = startTraining(job('throws', 3), (e) => {
      events.push(e);
      if (e.type === 'started') throw new Error('listener broke');
    });
    await handle.done;
    expect(events.at(-1)).toEqual({ type: 'failed', message: 'training aborted: listener broke' });
  });

  it('a job that cannot train fails with the reason', async () => {
    const bad = { ...job('bad', 1), classes: ['only'] };
    const { handle, events } = train(bad);
    await handle.done;
    expect(terminal(events)).toMatchObject({
      type: 'failed',
      message: expect.stringMatching(/at least two classes/),
    });
  });
});
