import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EvalItem,
  evaluateCheckpoint,
} from '../../src-main/core/engine/evaluation/evaluate-checkpoint.js';
import { classificationMetrics } from '../../src-main/core/engine/evaluation/metrics.js';
import { extractImageFeatures } from '../../src-main/core/engine/features/image.js';
import { splitRows } from '../../src-main/core/engine/features/table.js';
import { randomInputs, writeCheckpoint, ZOO_CASES } from './export-fixtures.js';

let dir = '';
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-eval-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const zoo = (name: string) => ZOO_CASES.find((c) => c.name === name)!;

describe('evaluating a checkpoint', () => {
  it('image classification: per-item predictions and the confusion matrix are those of the trained model', async () => {
    const input = { width: 20, height: 24, channels: 3 as const };
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-img'), zoo('small-cnn'), {
      features: { kind: 'image', input },
    });
    const items: EvalItem[] = [];
    for (let i = 0; i < 8; i++) {
      const px = Buffer.from(
        randomInputs(1, [24, 20, 3], 50 + i).map((v) => Math.round((v + 1) * 127)),
      );
      const file = path.join(dir, `e${i}.png`);
      await writeFile(
        file,
        await sharp(px, { raw: { width: 20, height: 24, channels: 3 } })
          .png()
          .toBuffer(),
      );
      const key = createHash('sha256')
        .update(await readFile(file))
        .digest('hex');
      items.push({ filename: `class_${i % 4}/e${i}.png`, key, path: file, label: i % 4 });
    }
    const progress: number[] = [];
    const res = await evaluateCheckpoint({
      checkpointDir: path.join(root, 'best'),
      cacheDir: path.join(dir, 'cache'),
      data: { kind: 'items', items },
      batchSize: 3,
      onProgress: (d, t) => progress.push(d / t),
    });
    expect(res.kind).toBe('classification');
    const probs: number[][] = [];
    for (const it of items) {
      const x = await extractImageFeatures(it.path, input);
      probs.push(
        Array.from(
          tf.tidy(() => (model.predict(tf.tensor(x, [1, 24, 20, 3])) as tf.Tensor).dataSync()),
        ),
      );
    }
    const expected = classificationMetrics(
      ['class_0', 'class_1', 'class_2', 'class_3'],
      items.map((i) => i.label),
      probs,
    );
    expect(res.metrics).toMatchObject({
      confusion_matrix: expected.confusion_matrix,
      accuracy: expected.accuracy,
      count: 8,
    });
    res.items.forEach((r, i) => {
      const p = probs[i]!;
      const best = p.indexOf(Math.max(...p));
      expect(r).toMatchObject({
        filename: items[i]!.filename,
        true_label: `class_${i % 4}`,
        predicted_label: `class_${best}`,
        correct: best === i % 4,
      });
      expect(r.confidence!).toBeCloseTo(p[best]!, 4);
      expect(r.error).toBeCloseTo(1 - p[i % 4]!, 4);
    });
    expect(progress.at(-1)).toBe(1);
  });

  it('regression: the split subset of the table rows, predictions in target units', async () => {
    const c = zoo('mlp');
    const columns = Array.from({ length: 7 }, (_, i) => `x${i}`);
    const rows = Array.from({ length: 20 }, (_, r) => [
      ...columns.map((_, j) => ((r * 7 + j) % 11) / 3),
      r / 2,
    ]);
    const csv = path.join(dir, 'data.csv');
    await writeFile(
      csv,
      `${[...columns, 'y'].join(',')}\n${rows.map((r) => r.join(',')).join('\n')}\n`,
    );
    const normalization = { mean: [1, 1, 1, 1, 1, 1, 1], std: [2, 2, 2, 2, 2, 2, 2] };
    const { model, root } = await writeCheckpoint(path.join(dir, 'run-tab'), c, { normalization });
    const ratios = { train: 0.5, val: 0.2, test: 0.3 };
    const res = await evaluateCheckpoint({
      checkpointDir: path.join(root, 'last'),
      cacheDir: path.join(dir, 'cache'),
      data: { kind: 'table', tables: [csv], targetColumn: 'y', ratios, seed: 4, subset: 'test' },
    });
    const test = splitRows(20, ratios, 4).test;
    expect(res.kind).toBe('regression');
    expect(res.items.map((i) => i.filename)).toEqual(test.map((r) => `row ${r + 1}`));
    res.items.forEach((item, i) => {
      const row = rows[test[i]!]!;
      const x = Float32Array.from(row.slice(0, 7), (v) => (v - 1) / 2);
      const y =
        tf.tidy(() => (model.predict(tf.tensor(x, [1, 7])) as tf.Tensor).dataSync()[0]!) * 0.75 +
        2.5;
      expect(item.target).toBeCloseTo(row[7]!, 6);
      expect(item.prediction!).toBeCloseTo(y, 4);
    });
    expect(res.metrics.count).toBe(test.length);
  });

  it('refuses: no checkpoint (404), an empty subset or unknown class (422)', async () => {
    const cacheDir = path.join(dir, 'cache');
    await expect(
      evaluateCheckpoint({
        checkpointDir: path.join(dir, 'nope', 'best'),
        cacheDir,
        data: { kind: 'items', items: [] },
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    const best = path.join(dir, 'run-img', 'checkpoints', 'best');
    await expect(
      evaluateCheckpoint({ checkpointDir: best, cacheDir, data: { kind: 'items', items: [] } }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    await expect(
      evaluateCheckpoint({
        checkpointDir: best,
        cacheDir,
        data: {
          kind: 'items',
          items: [{ filename: 'x.png', key: 'a'.repeat(64), path: '/nonexistent', label: 9 }],
        },
      }),
    ).rejects.toMatchObject({ code: 'unprocessable' });
  });
});
