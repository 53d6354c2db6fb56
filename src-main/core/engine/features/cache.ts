import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AudioInput, ImageInput } from '../config.js';
import { audioFeatureShape, extractAudioFeatures } from './audio.js';
import { extractImageFeatures, imageFeatureShape } from './image.js';

/** Bump when extraction changes in a way that changes the numbers: old caches are then ignored. */
const FEATURE_VERSION = 1;

export type FeatureSpec =
  | { readonly kind: 'image'; readonly input: ImageInput }
  | { readonly kind: 'audio'; readonly input: AudioInput };

export function featureShape(spec: FeatureSpec): [number, number, number] {
  return spec.kind === 'image' ? imageFeatureShape(spec.input) : audioFeatureShape(spec.input);
}

/** Canonical parameters (fixed key order) that decide every number of an item's features. */
function canonical(spec: FeatureSpec): Record<string, unknown> {
  if (spec.kind === 'image') {
    const { width, height, channels } = spec.input;
    return { v: FEATURE_VERSION, kind: 'image', width, height, channels, fit: 'fill' };
  }
  const { sample_rate, clip_seconds, n_mels, window_ms, hop_ms } = spec.input;
  return {
    v: FEATURE_VERSION,
    kind: 'audio',
    sample_rate,
    clip_seconds,
    n_mels,
    window_ms,
    hop_ms,
    mel: 'htk',
    log: 'ln(p+1e-6)',
  };
}

/** Folder name under the cache: a hash of the feature parameters (16 hex digits). */
export function featureKey(spec: FeatureSpec): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(spec)))
    .digest('hex')
    .slice(0, 16);
}

const ITEM_KEY = /^[0-9a-f]{16,128}$/;

export interface FeatureItem {
  /** Content hash: names the cache file. */
  readonly key: string;
  readonly path: string;
}

export interface LoadOptions {
  readonly onProgress?: (done: number, total: number) => void;
  readonly cancelled?: () => boolean;
  readonly concurrency?: number;
}

/**
 * Every item's features, packed back to back (item i at [i·size, (i+1)·size)). Each item is
 * computed once per feature key and cached as raw little-endian float32 at
 * `<cacheDir>/<feature-key>/<item-key>.f32`; later epochs and runs read the file.
 * Cache files are written as temp file + rename (readers never see a torn file) without fsync:
 * a cache is derived data, and a file a power cut leaves short fails the size check on read and
 * is simply computed again.
 */
export async function loadFeatures(
  items: readonly FeatureItem[],
  spec: FeatureSpec,
  cacheDir: string,
  opts: LoadOptions = {},
): Promise<Float32Array> {
  const shape = featureShape(spec);
  const size = shape[0] * shape[1] * shape[2];
  const dir = path.join(cacheDir, featureKey(spec));
  await mkdir(dir, { recursive: true });
  await writeParams(dir, spec);
  const out = new Float32Array(items.length * size);
  let next = 0;
  let done = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      if (opts.cancelled?.()) return;
      const i = next++;
      const item = items[i] as FeatureItem;
      out.set(await itemFeatures(item, spec, dir, size), i * size);
      opts.onProgress?.(++done, items.length);
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency ?? 4 }, worker));
  return out;
}

async function itemFeatures(
  item: FeatureItem,
  spec: FeatureSpec,
  dir: string,
  size: number,
): Promise<Float32Array> {
  if (!ITEM_KEY.test(item.key)) throw new Error(`item key "${item.key}" is not a content hash`);
  const file = path.join(dir, `${item.key}.f32`);
  const cached = await readCached(file, size);
  if (cached) return cached;
  let features: Float32Array;
  try {
    features =
      spec.kind === 'image'
        ? await extractImageFeatures(item.path, spec.input)
        : await extractAudioFeatures(item.path, spec.input);
  } catch (err) {
    throw new Error(`cannot read ${path.basename(item.path)}: ${(err as Error).message}`);
  }
  if (features.length !== size) {
    throw new Error(`features of ${item.key} have ${features.length} values, expected ${size}`);
  }
  const tmp = path.join(dir, `.${item.key}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(tmp, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written (full disk, read-only) costs speed, not correctness.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
  return features;
}

async function readCached(file: string, size: number): Promise<Float32Array | null> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch {
    return null;
  }
  if (buf.byteLength !== size * 4) return null;
  // Copy: a Buffer's offset inside Node's pool need not be 4-byte aligned.
  const out = new Float32Array(size);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

async function writeParams(dir: string, spec: FeatureSpec): Promise<void> {
  const file = path.join(dir, 'params.json');
  try {
    await readFile(file);
  } catch {
    await writeFile(file, `${JSON.stringify(canonical(spec), null, 2)}\n`).catch(() => undefined);
  }
}
