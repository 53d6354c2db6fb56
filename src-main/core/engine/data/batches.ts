import type { Augment } from './augment.js';
import type { Prng } from './prng.js';

/** Samples packed back to back, with labels (class index) or targets (regression). */
export interface Dataset {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly n: number;
  /** Values per sample. */
  readonly sampleSize: number;
}

/** A scalar affine map applied after augmentation: (x − mean) / std. */
export interface Normalization {
  readonly mean: number;
  readonly std: number;
}

/** Sample order for one epoch: a fresh Fisher–Yates permutation from the run's PRNG. */
export function epochOrder(n: number, prng: Prng): number[] {
  return prng.shuffle(Array.from({ length: n }, (_, i) => i));
}

/** How many batches an epoch of n samples has (the last one may be short). */
export const batchCount = (n: number, batchSize: number): number => Math.ceil(n / batchSize);

export interface Batch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly size: number;
}

/** Samples up to this many values are copied value by value (see makeBatch). */
const SMALL_SAMPLE = 64;

/**
 * Gathers the samples `indices` into one batch, copying each, augmenting the copy (samples in
 * index order, so the PRNG stream does not depend on timing) and normalising it.
 */
export function makeBatch(
  ds: Dataset,
  indices: readonly number[],
  opts: { augment?: Augment | null; prng?: Prng; normalization?: Normalization | null } = {},
): Batch {
  const size = ds.sampleSize;
  const n = indices.length;
  const x = new Float32Array(n * size);
  const y = new Float32Array(n);
  const src = ds.x;
  const augment = opts.augment && opts.prng ? opts.augment : null;
  for (let b = 0; b < n; b++) {
    const idx = indices[b] as number;
    const from = idx * size;
    const to = b * size;
    if (size <= SMALL_SAMPLE) {
      // A table row: copying its few values beats making two views of it.
      for (let i = 0; i < size; i++) x[to + i] = src[from + i] as number;
    } else {
      x.set(src.subarray(from, from + size), to);
    }
    if (augment) augment(x.subarray(to, to + size), opts.prng as Prng);
    y[b] = ds.y[idx] as number;
  }
  const norm = opts.normalization;
  if (norm && (norm.mean !== 0 || norm.std !== 1)) {
    const inv = 1 / norm.std;
    for (let i = 0; i < x.length; i++) x[i] = ((x[i] as number) - norm.mean) * inv;
  }
  return { x, y, size: indices.length };
}

/** Mean and standard deviation of every value of a dataset (audio features are scaled with them). */
export function fitScalar(x: Float32Array): Normalization {
  let sum = 0;
  for (let i = 0; i < x.length; i++) sum += x[i] as number;
  const mean = sum / Math.max(1, x.length);
  let sq = 0;
  for (let i = 0; i < x.length; i++) sq += ((x[i] as number) - mean) ** 2;
  const std = Math.sqrt(sq / Math.max(1, x.length));
  return { mean, std: std > 1e-12 ? std : 1 };
}
