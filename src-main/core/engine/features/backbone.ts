import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { type ConvertedBackbone, ensureBackboneOnnx, toNchw } from '../pretrained/backbone-onnx.js';
import {
  FINE_TUNE_INPUT,
  FINE_TUNE_SHAPE,
  MOBILENET_INPUT,
  MOBILENET_V2,
  POOLED_FEATURES,
} from '../pretrained/mobilenet-v2.js';
import { SessionCache } from '../runtime/session-cache.js';
import {
  type FeatureItem,
  type LoadOptions,
  cacheFileOf,
  checkItemKey,
  readCached,
  writeCached,
  writeParamsFile,
} from './cache.js';
import { extractImageFeatures } from './image.js';

export type BackboneFeatures = 'pooled' | typeof FINE_TUNE_INPUT;

/** Values per item of each kind of backbone features. */
export function backboneFeatureSize(output: BackboneFeatures): number {
  return output === 'pooled' ? POOLED_FEATURES : FINE_TUNE_SHAPE.reduce((a, b) => a * b, 1);
}

/** Bump when the pixels fed to the backbone change: old caches are then ignored. */
const BACKBONE_FEATURE_VERSION = 1;
/** Images per onnxruntime call: large enough to amortise the call, small enough for memory. */
const BATCH = 8;

/** Sessions of converted feature models, per thread (a trainer thread keeps its own). */
const sessions = new SessionCache({ capacity: 2 });

/**
 * The cache key of backbone features: the model and its source hash, the output taken, and the
 * preprocessing (size, resize rule, scaling). Any change gives another folder.
 */
export function backboneFeatureKey(
  sourceHash: string,
  output: BackboneFeatures = 'pooled',
): { key: string; params: object } {
  const params = {
    v: BACKBONE_FEATURE_VERSION,
    kind: 'backbone',
    model: MOBILENET_V2,
    source_sha256: sourceHash,
    output: output === 'pooled' ? 'gap(block_13_expand_relu)' : FINE_TUNE_INPUT,
    ...MOBILENET_INPUT,
    fit: 'fill',
    scale: 'pixels/255',
  };
  const key = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
  return { key: `backbone-${key}`, params };
}

/**
 * Every item's pooled MobileNetV2 features ([576] each, packed back to back), computed once per
 * item: cached as `<cacheDir>/<backbone key>/<item key>.f32` and read from there afterwards.
 * Misses are decoded (224×224, pixels ÷ 255, the way the backbone was trained) and run through
 * the converted backbone in onnxruntime in batches. `modelCacheDir` holds the conversion.
 */
export async function loadBackboneFeatures(
  items: readonly FeatureItem[],
  cacheDir: string,
  modelCacheDir: string,
  opts: LoadOptions & {
    readonly nativeModelsDir?: string;
    /** `pooled` (the frozen head's input) or `block_12_add` (fine-tuning's). */
    readonly output?: BackboneFeatures;
  } = {},
): Promise<{ features: Float32Array; backbone: ConvertedBackbone }> {
  const backbone = await ensureBackboneOnnx(modelCacheDir, opts.nativeModelsDir);
  const output = opts.output ?? 'pooled';
  const { key, params } = backboneFeatureKey(backbone.sourceHash, output);
  const dir = path.join(cacheDir, key);
  await mkdir(dir, { recursive: true });
  await writeParamsFile(dir, params);
  const size = backboneFeatureSize(output);
  const fetch = output === 'pooled' ? 'output' : FINE_TUNE_INPUT;
  const out = new Float32Array(items.length * size);
  const missing: number[] = [];
  let done = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as FeatureItem;
    checkItemKey(item.key);
    const hit = await readCached(cacheFileOf(dir, item.key), size);
    if (hit) {
      out.set(hit, i * size);
      opts.onProgress?.(++done, items.length);
    } else missing.push(i);
  }
  const { width, height, channels } = MOBILENET_INPUT;
  const pixels = width * height * channels;
  const version = {
    id: 'mobilenet-v2-backbone',
    sha256: backbone.sourceHash,
    onnx_path: backbone.file,
  };
  for (let start = 0; start < missing.length; start += BATCH) {
    if (opts.cancelled?.()) break;
    const batch = missing.slice(start, start + BATCH);
    const x = new Float32Array(batch.length * pixels);
    await Promise.all(
      batch.map(async (idx, j) => {
        const item = items[idx] as FeatureItem;
        try {
          x.set(await extractImageFeatures(item.path, MOBILENET_INPUT), j * pixels);
        } catch (err) {
          throw new Error(`cannot read ${path.basename(item.path)}: ${(err as Error).message}`);
        }
      }),
    );
    const feeds = {
      input: new ort.Tensor('float32', toNchw(x, batch.length), [
        batch.length,
        channels,
        height,
        width,
      ]),
    };
    const y = await sessions.use(version, async (s) => (await s.run(feeds, [fetch]))[fetch]);
    const data = y?.data as Float32Array;
    for (let j = 0; j < batch.length; j++) {
      const idx = batch[j] as number;
      const f = data.slice(j * size, (j + 1) * size);
      out.set(f, idx * size);
      await writeCached(cacheFileOf(dir, (items[idx] as FeatureItem).key), f);
      opts.onProgress?.(++done, items.length);
    }
  }
  return { features: out, backbone };
}

/**
 * The workspace's model cache, for callers that know only a project's feature cache
 * (`<ws>/projects/<id>/cache/features` → `<ws>/cache/models`): a conversion is shared by every
 * project of the workspace.
 */
export function modelCacheDirFor(featureCacheDir: string): string {
  return path.resolve(featureCacheDir, '..', '..', '..', '..', 'cache', 'models');
}
