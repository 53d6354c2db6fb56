// What the session cache reports as loaded (what /health's models_loaded counts): sessions that
// onnxruntime really opened — not a load in progress, not a failed load, not an evicted one —
// and the parity record each checked export carries.
import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCheckpointFiles } from '../../src-main/core/engine/export/checkpoint-model.js';
import { exportCheckedOnnx } from '../../src-main/core/engine/runtime/checkpoint-onnx-export.js';
import {
  exportCheckedOnnxInThread,
  FileModelRegistry,
  SessionCache,
  type ModelVersion,
} from '../../src-main/core/engine/runtime/index.js';
import { writeCheckpoint, ZOO_CASES } from './export-fixtures.js';

let dir = '';
const versions: ModelVersion[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-sessions-'));
  const registry = new FileModelRegistry(path.join(dir, 'models'));
  for (const name of ['small-cnn', 'mlp']) {
    const c = ZOO_CASES.find((z) => z.name === name)!;
    const { model, root } = await writeCheckpoint(path.join(dir, name), c);
    model.dispose();
    versions.push(
      await registry.registerCheckpoint(path.join(root, 'best'), { checkpoint: 'best' }),
    );
  }
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('session cache: loaded sessions', () => {
  it('counts a session once it is open, not while it loads; LRU eviction and close uncount it', async () => {
    const cache = new SessionCache({ capacity: 1, threads: { intraOpNumThreads: 1 } });
    const [a, b] = versions as [ModelVersion, ModelVersion];
    let seenWhileLoading = -1;
    await cache.use(a, async () => {
      seenWhileLoading = cache.loaded().length;
    });
    // `use` runs fn after the load resolved: it is counted by then.
    expect(seenWhileLoading).toBe(1);
    expect(cache.loaded().map((s) => s.id)).toEqual([a.id]);
    await cache.use(b, async () => undefined);
    expect(cache.loaded().map((s) => s.id)).toEqual([b.id]);
    await cache.evict(b.id);
    expect(cache.loaded()).toEqual([]);
    await cache.use(a, async () => undefined);
    await cache.close();
    expect(cache.loaded()).toEqual([]);
  });

  it('a model that fails to load is refused (422) and never counted', async () => {
    const cache = new SessionCache();
    const junk = path.join(dir, 'junk.onnx');
    await writeFile(junk, 'not a model at all');
    const broken = { id: 'mv-0badf00d', sha256: 'x', onnx_path: junk };
    const loading = cache.use(broken, async () => undefined);
    expect(cache.loaded()).toEqual([]);
    await expect(loading).rejects.toMatchObject({ code: 'unprocessable' });
    expect(cache.loaded()).toEqual([]);
    expect(cache.size).toBe(0);
    await cache.close();
  });

  it('every registered checkpoint export records its parity with TensorFlow.js and its checkpoint hash', () => {
    for (const v of versions) {
      expect(v.origin?.parity_max_diff).toBeGreaterThanOrEqual(0);
      expect(v.origin?.parity_max_diff).toBeLessThan(1e-4);
      expect(v.origin?.checkpoint_sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('the export in a worker thread writes the very graph the in-thread export does; failures are 4xx', async () => {
    const best = path.join(dir, 'small-cnn', 'checkpoints', 'best');
    const here = await exportCheckedOnnx(await readCheckpointFiles(best));
    const there = await exportCheckedOnnxInThread(best);
    expect(Buffer.from(there.bytes).equals(Buffer.from(here.bytes))).toBe(true);
    expect(there.parityMaxDiff).toBe(here.parityMaxDiff);
    await expect(exportCheckedOnnxInThread(path.join(dir, 'absent'))).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
