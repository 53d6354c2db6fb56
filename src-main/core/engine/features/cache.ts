import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import type { AudioInput, ImageInput } from '../config.js';
import { audioFeatureShape, extractAudioFeatures } from './audio.js';
import { extractImageFeatures, imageFeatureShape } from './image.js';
import { extractSpeechFeatures, speechFeatureShape, speechSourceHash } from './speech.js';

/** Bump when extraction changes in a way that changes the numbers: old caches are then ignored. */
const FEATURE_VERSION = 1;

export type FeatureSpec =
  | { readonly kind: 'image'; readonly input: ImageInput }
  | { readonly kind: 'audio'; readonly input: AudioInput }
  /** openWakeWord's speech embeddings of a 16 kHz clip (the speech-embedding-head's input). */
  | { readonly kind: 'speech-embedding'; readonly input: AudioInput };

export function featureShape(spec: FeatureSpec): [number, number, number] {
  switch (spec.kind) {
    case 'image':
      return imageFeatureShape(spec.input);
    case 'audio':
      return audioFeatureShape(spec.input);
    case 'speech-embedding':
      return speechFeatureShape(spec.input);
  }
}

/** The features of one file, as a spec defines them. */
export function extractFeatures(file: string, spec: FeatureSpec): Promise<Float32Array> {
  switch (spec.kind) {
    case 'image':
      return extractImageFeatures(file, spec.input);
    case 'audio':
      return extractAudioFeatures(file, spec.input);
    case 'speech-embedding':
      return extractSpeechFeatures(file, spec.input);
  }
}

/**
 * Canonical parameters (fixed key order) that decide every number of an item's features; a
 * pretrained model's features include its files' hash (`source`).
 */
function canonical(spec: FeatureSpec, source = ''): Record<string, unknown> {
  if (spec.kind === 'speech-embedding') {
    const { clip_seconds } = spec.input;
    return { v: FEATURE_VERSION, kind: spec.kind, source, sample_rate: 16000, clip_seconds };
  }
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
export function featureKey(spec: FeatureSpec, source = ''): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(spec, source)))
    .digest('hex')
    .slice(0, 16);
}

/** The pretrained models' hash a spec's features depend on ('' for plain decoding). */
async function sourceOf(spec: FeatureSpec): Promise<string> {
  return spec.kind === 'speech-embedding' ? speechSourceHash() : '';
}

const ITEM_KEY = /^[0-9a-f]{16,128}$/;

/** Refuses an item key that is not a content hash (it names a file). */
export function checkItemKey(key: string): void {
  if (!ITEM_KEY.test(key)) throw new Error(`item key "${key}" is not a content hash`);
}

/** The cache file of one item under a feature key's folder. */
export const cacheFileOf = (dir: string, key: string): string => path.join(dir, `${key}.f32`);

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
  const source = await sourceOf(spec);
  const dir = path.join(cacheDir, featureKey(spec, source));
  await mkdir(dir, { recursive: true });
  await writeParamsFile(dir, canonical(spec, source));
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
  checkItemKey(item.key);
  const file = cacheFileOf(dir, item.key);
  const cached = await readCached(file, size);
  if (cached) return cached;
  let features: Float32Array;
  try {
    features = await extractFeatures(item.path, spec);
  } catch (err) {
    throw new Error(`cannot read ${path.basename(item.path)}: ${(err as Error).message}`);
  }
  if (features.length !== size) {
    throw new Error(`features of ${item.key} have ${features.length} values, expected ${size}`);
  }
  await writeCached(file, features);
  return features;
}

/** Temp file + rename, no fsync (see {@link loadFeatures}); a failed write is only a miss. */
export async function writeCached(file: string, features: Float32Array): Promise<void> {
  const tmp = path.join(
    path.dirname(file),
    `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    await writeFile(tmp, new Uint8Array(features.buffer, features.byteOffset, features.byteLength));
    await rename(tmp, file);
  } catch {
    // A cache that cannot be written (full disk, read-only) costs speed, not correctness.
    await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/** An item's cached features, or null when absent or of the wrong size (a torn write). */
export async function readCached(file: string, size: number): Promise<Float32Array | null> {
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

/** `params.json` beside the cache files: what the folder's hash stands for, for a person reading it. */
export async function writeParamsFile(dir: string, params: unknown): Promise<void> {
  const file = path.join(dir, 'params.json');
  try {
    await readFile(file);
  } catch {
    await writeFile(file, `${JSON.stringify(params, null, 2)}\n`).catch(() => undefined);
  }
}
