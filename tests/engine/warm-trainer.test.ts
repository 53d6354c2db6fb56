// A trainer thread started ahead of its run (training-runner.ts prewarmTrainer): the run it
// takes behaves as on a thread of its own started cold, and the spare is used once.
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  hasSpareTrainer,
  prewarmTrainer,
  releaseTrainer,
  startTraining,
  type TrainerEvent,
  type TrainItem,
  type TrainJob,
} from '../../src-main/core/engine/trainer/training-runner.js';
import { patternImages, tempDir } from './trainer-fixtures.js';
import { checkpointFile, epochs, makeJob, splitItems, terminal } from './trainer-harness.js';

let dir: string;
let images: TrainItem[];
beforeAll(async () => {
  dir = await tempDir('warm-trainer');
  images = await patternImages(dir, 12, 3);
});
afterAll(async () => {
  await releaseTrainer();
  await rm(dir, { recursive: true, force: true });
});

const job = (name: string): TrainJob =>
  makeJob(path.join(dir, name), 'classification', splitItems(images, 12, 9), {
    input: { width: 16, height: 16 },
    batch_size: 8,
    epochs: 2,
    optimizer: { learning_rate: 0.005 },
  });

async function train(j: TrainJob, onEvent?: (e: TrainerEvent, stop: () => void) => void) {
  const events: TrainerEvent[] = [];
  const h = startTraining(j, (e) => {
    events.push(e);
    onEvent?.(e, () => h.stop());
  });
  await h.done;
  return events;
}

describe('a warm spare trainer thread', () => {
  it('is taken by the next run, which trains exactly as on a cold thread', async () => {
    await releaseTrainer();
    const cold = job('cold');
    const coldEvents = await train(cold);
    expect(hasSpareTrainer()).toBe(false);

    prewarmTrainer();
    prewarmTrainer(); // one spare at most
    expect(hasSpareTrainer()).toBe(true);
    const warm = job('warm');
    const warmEvents = await train(warm);
    expect(hasSpareTrainer()).toBe(false);

    for (const events of [coldEvents, warmEvents]) {
      expect(terminal(events)).toMatchObject({ type: 'completed', reason: 'finished' });
      expect(events.filter((e) => e.type === 'started')).toHaveLength(1);
    }
    expect(epochs(warmEvents).map((m) => m.epoch)).toEqual([1, 2]);
    const [a, b] = await Promise.all([
      checkpointFile(cold, 'last', 'weights.bin'),
      checkpointFile(warm, 'last', 'weights.bin'),
    ]);
    expect(a.equals(b)).toBe(true);
  });

  it('stops gracefully like any run; a released spare is not used', async () => {
    prewarmTrainer();
    const j = { ...job('stop'), config: { ...job('stop').config, epochs: 40 } };
    const events = await train(j, (e, stop) => {
      if (e.type === 'epoch' && e.metrics.epoch === 1) stop();
    });
    expect(events.at(-1)).toEqual({ type: 'stopped' });
    expect(epochs(events).length).toBeLessThan(40);

    prewarmTrainer();
    await releaseTrainer();
    expect(hasSpareTrainer()).toBe(false);
    const again = await train(job('after-release'));
    expect(terminal(again)).toMatchObject({ type: 'completed' });
  });
});
