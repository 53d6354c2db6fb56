import { AppError } from '../../errors.js';
import { extractFeatures } from '../features/cache.js';
import type { ModelVersion } from './model-version.js';

/** One item to predict on. */
export type PredictInput =
  /** An image or audio file, turned into features exactly as training did. */
  | { readonly file: string }
  /** One sample's features in the engine's layout (HWC, [frames, mels, 1], or a vector), not yet normalised. */
  | { readonly features: Float32Array }
  /** A table row by column name (regression models). */
  | { readonly row: Readonly<Record<string, number>> };

/** Values per sample of the model's input (every dimension after the batch must be fixed). */
export function sampleSize(version: Pick<ModelVersion, 'id' | 'input'>): number {
  const rest = version.input.dims.slice(1);
  if (rest.some((d) => typeof d !== 'number')) {
    throw new AppError(
      'unprocessable',
      `model ${version.id} has a dynamic input dimension other than the batch`,
    );
  }
  return (rest as number[]).reduce((a, b) => a * b, 1);
}

async function rawFeatures(version: ModelVersion, input: PredictInput): Promise<Float32Array> {
  if ('features' in input) return input.features;
  const f = version.features;
  if ('row' in input) {
    if (f?.kind !== 'table')
      throw new AppError('bad_request', `model ${version.id} does not take table rows`);
    return Float32Array.from(f.columns, (c) => {
      const v = input.row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new AppError('bad_request', `the row has no numeric value for column "${c}"`);
      }
      return v;
    });
  }
  if (!f || f.kind === 'table') {
    throw new AppError('bad_request', `model ${version.id} does not take files: pass features`);
  }
  try {
    return await extractFeatures(input.file, f);
  } catch (err) {
    throw new AppError(
      'unprocessable',
      `cannot read ${input.file.split(/[\\/]/).pop()}: ${(err as Error).message}`,
    );
  }
}

/**
 * One sample as the model takes it: features (as training computed them), normalised with the
 * training statistics ((x − mean) / std: scalars, or one per channel/column on the last axis),
 * then laid out for the model (channels-last features transposed for an NCHW input).
 */
export async function prepareSample(
  version: ModelVersion,
  input: PredictInput,
): Promise<Float32Array> {
  const size = sampleSize(version);
  const x = Float32Array.from(await rawFeatures(version, input));
  if (x.length !== size) {
    throw new AppError(
      'bad_request',
      `a sample for model ${version.id} has ${size} values, got ${x.length}`,
    );
  }
  const { mean, std } = version.normalization;
  const means = typeof mean === 'number' ? [mean] : mean;
  const stds = typeof std === 'number' ? [std] : std;
  if (means.some((m) => m !== 0) || stds.some((s) => s !== 1)) {
    for (let i = 0; i < x.length; i++) {
      x[i] =
        ((x[i] as number) - (means[i % means.length] as number)) /
        (stds[i % stds.length] as number);
    }
  }
  if (version.input.layout !== 'NCHW') return x;
  const [, c, h, w] = version.input.dims as [unknown, number, number, number];
  const out = new Float32Array(size);
  for (let y = 0; y < h; y++)
    for (let xx = 0; xx < w; xx++)
      for (let ch = 0; ch < c; ch++)
        out[(ch * h + y) * w + xx] = x[(y * w + xx) * c + ch] as number;
  return out;
}
