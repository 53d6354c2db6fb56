import type * as Ort from 'onnxruntime-node';
import { AppError } from '../../errors.js';
import type { ModelVersion } from './model-version.js';
import { loadOrt } from './ort.js';
import { sampleSize } from './preprocess.js';

/**
 * Runs prepared samples (normalised, in the model's layout) through a session in batches of
 * `batchSize`; a model whose batch dimension is fixed runs batches of exactly that size, the last
 * one padded with zeros. Returns each sample's output, in order.
 */
export async function runBatches(
  session: Ort.InferenceSession,
  version: Pick<ModelVersion, 'id' | 'input' | 'output'>,
  samples: readonly Float32Array[],
  batchSize = 32,
  onBatch?: (done: number, total: number) => void,
): Promise<Float32Array[]> {
  const size = sampleSize(version);
  const fixed = version.input.dims[0];
  const batch = typeof fixed === 'number' && fixed > 0 ? fixed : Math.max(1, Math.floor(batchSize));
  const rest = version.input.dims.slice(1) as number[];
  const ort = await loadOrt();
  const out: Float32Array[] = [];
  for (let start = 0; start < samples.length; start += batch) {
    const chunk = samples.slice(start, start + batch);
    const n = typeof fixed === 'number' ? batch : chunk.length;
    const data = new Float32Array(n * size);
    chunk.forEach((s, i) => data.set(s, i * size));
    const result = await session.run({
      [version.input.name]: new ort.Tensor('float32', data, [n, ...rest]),
    });
    const y = result[version.output.name];
    if (!y || y.type !== 'float32') {
      throw new AppError(
        'unprocessable',
        `model ${version.id} gave no float32 output "${version.output.name}"`,
      );
    }
    const values = y.data as Float32Array;
    const per = values.length / n;
    for (let i = 0; i < chunk.length; i++) out.push(values.slice(i * per, (i + 1) * per));
    y.dispose();
    onBatch?.(out.length, samples.length);
  }
  return out;
}
