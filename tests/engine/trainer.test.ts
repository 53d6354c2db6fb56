import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrainItem } from '../../src-main/core/engine/trainer/training-runner.js';
import { linearTable, patternImages, tempDir, toneClips } from './trainer-fixtures.js';
import {
  checkpointFile,
  checkpointState,
  epochs,
  learned,
  makeJob,
  runInline,
  splitItems,
  started,
  terminal,
} from './trainer-harness.js';

let dir: string;
let images: TrainItem[];
const IMAGE_INPUT = {
  input: { width: 16, height: 16 },
  batch_size: 16,
  optimizer: { learning_rate: 0.005 },
} as const;

beforeAll(async () => {
  dir = await tempDir('trainer');
  images = await patternImages(dir, 40, 1);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sub = (name: string) => path.join(dir, name);

describe('trainer learns generated data (wasm backend)', () => {
  it('images: 3 pattern classes to ≥ 0.9 validation accuracy; best and last checkpoints load as tf.layers models', async () => {
    const job = makeJob(sub('img'), 'classification', splitItems(images, 40, 30), {
      ...IMAGE_INPUT,
      epochs: 6,
    });
    const events = await runInline(job);
    expect(terminal(events)).toMatchObject({ type: 'completed', reason: 'finished' });
    expect(started(events)).toMatchObject({
      type: 'started',
      backend: 'wasm',
      resumedFromEpoch: 0,
    });
    const history = epochs(events);
    expect(history.map((m) => m.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Object.keys(history[0] ?? {}).sort()).toEqual(
      [
        'accuracy',
        'duration_seconds',
        'epoch',
        'loss',
        'lr',
        'samples_per_second',
        'val_accuracy',
        'val_loss',
      ].sort(),
    );
    expect(Math.max(...history.map((m) => m.val_accuracy as number))).toBeGreaterThanOrEqual(0.9);
    expect(history.at(-1)?.val_accuracy).toBeGreaterThanOrEqual(0.9);
    expect(history.at(-1)?.loss).toBeLessThan(history[0]?.loss as number);

    // The best checkpoint is the epoch whose val_accuracy first reached the maximum.
    const best = await checkpointState(job, 'best');
    const top = Math.max(...history.map((m) => m.val_accuracy as number));
    expect(best.epochs_completed).toBe(history.findIndex((m) => m.val_accuracy === top) + 1);
    const last = await checkpointState(job, 'last');
    expect(last.epochs_completed).toBe(6);
    expect(last.history).toHaveLength(6);
    expect(last.meta).toMatchObject({ classes: ['a', 'b', 'c'], input_shape: [16, 16, 3] });

    // The layers-format files load into tf.layers and predict with the meta's class count.
    const modelJson = JSON.parse(
      (await checkpointFile(job, 'last', 'model.json')).toString('utf8'),
    );
    const weights = await checkpointFile(job, 'last', 'weights.bin');
    const model = await tfl.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology,
        weightSpecs: modelJson.weightsManifest[0].weights,
        weightData: new Uint8Array(weights).buffer,
      }),
    );
    expect(modelJson.userDefinedMetadata.assay.classes).toEqual(['a', 'b', 'c']);
    expect((model.predict(tf.zeros([1, 16, 16, 3])) as tf.Tensor).shape).toEqual([1, 3]);
  });

  it('images with mobilenet-lite (batch norm re-estimated each epoch) to ≥ 0.9 validation accuracy', async () => {
    const job = makeJob(sub('mobilenet'), 'classification', splitItems(images, 40, 30), {
      ...IMAGE_INPUT,
      architecture: 'mobilenet-lite',
      width_multiplier: 0.5,
      optimizer: { learning_rate: 0.003 },
      epochs: 4,
    });
    const events = await runInline(job);
    expect(terminal(events)).toMatchObject({ type: 'completed' });
    expect(epochs(events).at(-1)?.val_accuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('audio: 3 noisy tones (0.5 s at 8 kHz) to ≥ 0.9 validation accuracy', async () => {
    await mkdir(sub('tones'), { recursive: true });
    const clips = await toneClips(sub('tones'), 30, 2);
    const job = makeJob(sub('audio'), 'audio-classification', splitItems(clips, 30, 22), {
      input: { sample_rate: 8000, clip_seconds: 0.5, n_mels: 24 },
      epochs: 4,
      batch_size: 16,
      optimizer: { learning_rate: 0.003 },
    });
    const events = await runInline(job);
    expect(terminal(events)).toMatchObject({ type: 'completed' });
    const history = epochs(events);
    expect(history.at(-1)?.val_accuracy).toBeGreaterThanOrEqual(0.9);
    const state = await checkpointState(job);
    expect(state.meta.input_shape).toEqual([48, 24, 1]);
    // Log-mels are scaled by statistics of the training set, kept for inference.
    expect(state.meta.normalization).toMatchObject({
      mean: expect.any(Number),
      std: expect.any(Number),
    });
  });

  it('regression: an MLP fits a noisy linear table; metrics in the target’s units', async () => {
    await mkdir(sub('table'), { recursive: true });
    const table = await linearTable(sub('table'), 200, 3);
    const job = makeJob(
      sub('table'),
      'regression',
      {
        kind: 'table',
        tables: [table],
        targetColumn: null,
        ratios: { train: 0.7, val: 0.15, test: 0.15 },
        seed: 1,
      },
      { epochs: 15, batch_size: 16, optimizer: { learning_rate: 0.01 } },
    );
    const events = await runInline(job);
    expect(terminal(events)).toMatchObject({ type: 'completed' });
    const history = epochs(events);
    expect(Object.keys(history[0] ?? {})).toEqual(
      expect.arrayContaining(['loss', 'mae', 'mse', 'val_loss', 'val_mae', 'val_mse']),
    );
    // Var(y) ≈ 13.3; a fitted model leaves the noise and a little more.
    expect(history.at(-1)?.val_mse).toBeLessThan(0.3);
    expect(history.at(-1)?.val_loss).toBe(history.at(-1)?.val_mse);
    const state = await checkpointState(job);
    expect(state.meta.target_normalization).toMatchObject({
      mean: expect.any(Number),
      std: expect.any(Number),
    });
    expect((state.meta.normalization as { mean: number[] }).mean).toHaveLength(4);
  });
});

describe('determinism, stop and resume', () => {
  const input = { ...IMAGE_INPUT, epochs: 4, seed: 11 };
  const data = () => splitItems(images, 40, 30);

  it('the same seed trains the same weights; another seed does not', async () => {
    const a = makeJob(sub('seed-a'), 'classification', data(), { ...input, epochs: 1 });
    const b = makeJob(sub('seed-b'), 'classification', data(), { ...input, epochs: 1 });
    const c = makeJob(sub('seed-c'), 'classification', data(), { ...input, epochs: 1, seed: 12 });
    const [ea, eb] = [await runInline(a), await runInline(b)];
    await runInline(c);
    expect(learned(epochs(ea)[0] ?? {})).toEqual(learned(epochs(eb)[0] ?? {}));
    const wa = await checkpointFile(a, 'last', 'weights.bin');
    expect(wa.equals(await checkpointFile(b, 'last', 'weights.bin'))).toBe(true);
    expect(wa.equals(await checkpointFile(c, 'last', 'weights.bin'))).toBe(false);
  });

  it('4 epochs straight = 2 epochs, stop, resume; and = a stop in the middle of epoch 3, resume (bit for bit)', async () => {
    const straight = makeJob(sub('straight'), 'classification', data(), input);
    const full = await runInline(straight);
    expect(terminal(full)?.type).toBe('completed');

    const split = makeJob(sub('split'), 'classification', data(), input);
    const first = await runInline(split, { stopAfter: { epochs: 2, batches: 0 } });
    expect(terminal(first)).toEqual({ type: 'stopped' });
    expect(epochs(first).map((m) => m.epoch)).toEqual([1, 2]);
    const second = await runInline({ ...split, resume: true });
    expect(started(second)).toMatchObject({ type: 'started', resumedFromEpoch: 2 });
    expect(epochs(second).map((m) => m.epoch)).toEqual([3, 4]);

    // Stop after 2 of epoch 3's 6 batches: the last checkpoint is mid-epoch.
    const mid = makeJob(sub('mid'), 'classification', data(), input);
    expect(terminal(await runInline(mid, { stopAfter: { epochs: 2, batches: 2 } }))).toEqual({
      type: 'stopped',
    });
    expect((await checkpointState(mid)).partial).toMatchObject({ epoch: 2, batch: 2 });
    const rest = await runInline({ ...mid, resume: true });
    expect(epochs(rest).map((m) => m.epoch)).toEqual([3, 4]);

    const ref = await checkpointFile(straight, 'last', 'weights.bin');
    for (const job of [split, mid]) {
      expect((await checkpointFile(job, 'last', 'weights.bin')).equals(ref)).toBe(true);
      expect(
        (await checkpointFile(job, 'last', 'optimizer.bin')).equals(
          await checkpointFile(straight, 'last', 'optimizer.bin'),
        ),
      ).toBe(true);
      const h = (await checkpointState(job)).history.map(learned);
      expect(h).toEqual((await checkpointState(straight)).history.map(learned));
    }
    expect(epochs(rest).map(learned)).toEqual(epochs(full).slice(2).map(learned));
  });

  it('threads: 2 trains data-parallel, learns, and is deterministic for its thread count', async () => {
    const a = makeJob(sub('dp-a'), 'classification', data(), { ...input, epochs: 2, threads: 2 });
    const b = makeJob(sub('dp-b'), 'classification', data(), { ...input, epochs: 2, threads: 2 });
    const ea = await runInline(a);
    expect(
      ea.some((e) => e.type === 'log' && /data-parallel training on 2 threads/.test(e.message)),
    ).toBe(true);
    expect(terminal(ea)).toMatchObject({ type: 'completed' });
    expect(epochs(ea).at(-1)?.val_accuracy).toBeGreaterThanOrEqual(0.9);
    await runInline(b);
    const wa = await checkpointFile(a, 'last', 'weights.bin');
    expect(wa.equals(await checkpointFile(b, 'last', 'weights.bin'))).toBe(true);
  });

  it('a checkpoint that cannot be written (ENOSPC) fails the run and keeps the previous one intact', async () => {
    const job = makeJob(sub('enospc'), 'classification', data(), input);
    const events = await runInline(job, { testOptions: { failCheckpointAtEpoch: 2 } });
    const end = terminal(events);
    expect(end?.type).toBe('failed');
    expect(end && 'message' in end ? end.message : '').toMatch(
      /after epoch 2: the disk is full \(ENOSPC\); the previous checkpoint is kept/,
    );
    // Epoch 2 was never announced: its checkpoint is not durable.
    expect(epochs(events).map((m) => m.epoch)).toEqual([1]);
    expect((await checkpointState(job)).epochs_completed).toBe(1);
    expect((await readdir(path.join(job.runDir, 'checkpoints'))).sort()).toEqual(['best', 'last']);
    // …and the run resumes from it.
    const again = await runInline({ ...job, resume: true });
    expect(epochs(again).map((m) => m.epoch)).toEqual([2, 3, 4]);
  });

  it('resume without a checkpoint starts from the beginning; a finished run stays finished', async () => {
    const job = makeJob(sub('fresh'), 'classification', data(), { ...input, epochs: 1 });
    const events = await runInline({ ...job, resume: true });
    expect(events.some((e) => e.type === 'log' && /no checkpoint/.test(e.message))).toBe(true);
    expect(terminal(events)?.type).toBe('completed');
    const again = await runInline({ ...job, resume: true });
    expect(terminal(again)).toMatchObject({ type: 'completed', reason: 'finished' });
    expect(epochs(again)).toEqual([]);
  });

  it('refuses to resume a checkpoint of another model', async () => {
    const job = makeJob(sub('other'), 'classification', data(), { ...input, epochs: 1 });
    await runInline(job);
    await cp(path.join(job.runDir), path.join(sub('other2'), 'run'), { recursive: true });
    const other = makeJob(
      sub('other2'),
      'classification',
      data(),
      { ...input, architecture: 'mobilenet-lite' },
      { resume: true },
    );
    await expect(runInline(other)).rejects.toThrow(/another model/);
  });
});
