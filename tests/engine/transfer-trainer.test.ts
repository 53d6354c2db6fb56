// mobilenet-v2-transfer on the trainer's own code path (inline, wasm backend): the preparing
// phase reports feature extraction, a stopped run resumes bit for bit, and the checkpoint holds
// the trained head alone while loading it gives the whole pixels-to-probabilities model.
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  loadCheckpointModel,
  readCheckpointFiles,
} from '../../src-main/core/engine/export/checkpoint-model.js';
import type { TrainItem } from '../../src-main/core/engine/trainer/training-runner.js';
import { patternImages } from './trainer-fixtures.js';
import {
  checkpointFile,
  checkpointState,
  epochs,
  makeJob,
  runInline,
  splitItems,
  started,
  terminal,
} from './trainer-harness.js';

let dir = '';
let images: TrainItem[];
const sub = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'assay-transfer-trainer-'));
  images = await patternImages(dir, 12, 3);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('mobilenet-v2-transfer in the trainer', () => {
  const input = {
    architecture: 'mobilenet-v2-transfer' as const,
    epochs: 4,
    batch_size: 8,
    seed: 5,
    early_stopping: { enabled: false },
  };
  // One model cache for every job: the backbone is converted once for the whole file.
  const job = (name: string) =>
    makeJob(sub(name), 'classification', splitItems(images, 12, 9), input, {
      modelCacheDir: sub('models'),
      cacheDir: sub('features'),
    });

  it('reports feature extraction as its preparing phase, then trains the head', async () => {
    const preparing: [number, number][] = [];
    const events = await runInline(job('straight'), {
      onEvent: (e) => {
        if (e.type === 'progress' && e.progress.phase === 'preparing') {
          preparing.push([e.progress.batch, e.progress.batches]);
        }
      },
    });
    expect(terminal(events)?.type, JSON.stringify(terminal(events))).toBe('completed');
    // Items done out of all (train + val), up to every one of them.
    expect(preparing.at(-1)).toEqual([36, 36]);
    expect(epochs(events)).toHaveLength(4);
    const state = await checkpointState(job('straight'));
    expect(state.meta.input_shape).toEqual([224, 224, 3]);

    // The checkpoint is the head; loaded, it is the whole model.
    const files = await readCheckpointFiles(
      path.join(sub('straight'), 'run', 'checkpoints', 'last'),
    );
    expect(files.meta.backbone).toMatchObject({ id: 'mobilenet-v2' });
    const model = await loadCheckpointModel(files);
    expect(model.inputs[0]!.shape).toEqual([null, 224, 224, 3]);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    model.dispose();
  }, 300_000);

  it('stops and resumes bit for bit', async () => {
    const split = job('split');
    const first = await runInline(split, { stopAfter: { epochs: 2, batches: 1 } });
    expect(terminal(first)).toEqual({ type: 'stopped' });
    const second = await runInline({ ...split, resume: true });
    expect(started(second)).toMatchObject({ resumedFromEpoch: 2 });
    expect(epochs(second).map((m) => m.epoch)).toEqual([3, 4]);
    const ref = await checkpointFile(job('straight'), 'last', 'weights.bin');
    expect((await checkpointFile(split, 'last', 'weights.bin')).equals(ref)).toBe(true);
  }, 300_000);
});
