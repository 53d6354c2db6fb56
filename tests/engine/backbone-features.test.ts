import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapePng } from '../../e2e/helpers/images.js';
import {
  backboneFeatureKey,
  loadBackboneFeatures,
} from '../../src-main/core/engine/features/backbone.js';
import { POOLED_FEATURES } from '../../src-main/core/engine/pretrained/mobilenet-v2.js';

let dir = '';
const items: { key: string; path: string }[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-backbone-features-'));
  await mkdir(path.join(dir, 'img'));
  for (const [i, shape] of (
    ['circle', 'square', 'triangle', 'circle', 'square'] as const
  ).entries()) {
    const png = await shapePng(shape, i);
    const file = path.join(dir, 'img', `${i}.png`);
    await writeFile(file, png);
    items.push({ key: createHash('sha256').update(png).digest('hex'), path: file });
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('backbone feature cache', () => {
  it('computes each item once, keyed by model hash, item hash and preprocessing', async () => {
    const cache = path.join(dir, 'features');
    const models = path.join(dir, 'models');
    const progress: number[] = [];
    const first = await loadBackboneFeatures(items, cache, models, {
      onProgress: (d) => progress.push(d),
    });
    expect(first.features).toHaveLength(items.length * POOLED_FEATURES);
    expect(progress.at(-1)).toBe(items.length);
    const { key } = backboneFeatureKey(first.backbone.sourceHash);
    const files = (await readdir(path.join(cache, key))).filter((f) => f.endsWith('.f32'));
    expect(files.sort()).toEqual(items.map((i) => `${i.key}.f32`).sort());
    const params = JSON.parse(await readFile(path.join(cache, key, 'params.json'), 'utf8')) as {
      source_sha256: string;
      width: number;
    };
    expect(params).toMatchObject({ source_sha256: first.backbone.sourceHash, width: 224 });

    // The images are gone: the features still come back, from the cache, the same numbers.
    const before = (await stat(path.join(cache, key, files[0]!))).mtimeMs;
    await rm(path.join(dir, 'img'), { recursive: true });
    const again = await loadBackboneFeatures(items, cache, models);
    expect(Array.from(again.features)).toEqual(Array.from(first.features));
    expect((await stat(path.join(cache, key, files[0]!))).mtimeMs).toBe(before);

    // Another output (fine-tuning's input) is another key: not served from the pooled cache.
    expect(backboneFeatureKey(first.backbone.sourceHash, 'block_12_add').key).not.toBe(key);
    await expect(
      loadBackboneFeatures(items, cache, models, { output: 'block_12_add' }),
    ).rejects.toThrow(/cannot read 0\.png/);
    // And another source hash (other weights) too.
    expect(backboneFeatureKey('0'.repeat(64)).key).not.toBe(key);
  }, 120_000);

  it('recomputes a torn cache file and refuses an item key that is not a content hash', async () => {
    const cache = path.join(dir, 'features-2');
    const models = path.join(dir, 'models');
    await mkdir(path.join(dir, 'img'), { recursive: true });
    const png = await shapePng('triangle', 99);
    const file = path.join(dir, 'img', 'tri.png');
    await writeFile(file, png);
    const item = { key: createHash('sha256').update(png).digest('hex'), path: file };
    const good = await loadBackboneFeatures([item], cache, models);
    const { key } = backboneFeatureKey(good.backbone.sourceHash);
    await writeFile(path.join(cache, key, `${item.key}.f32`), Buffer.alloc(10));
    const fixed = await loadBackboneFeatures([item], cache, models);
    expect(Array.from(fixed.features)).toEqual(Array.from(good.features));
    await expect(
      loadBackboneFeatures([{ key: '../../etc', path: file }], cache, models),
    ).rejects.toThrow(/not a content hash/);
  }, 120_000);
});
