import { AppError } from '../../errors.js';
import type { ModelRegistry, ModelVersion } from './model-version.js';
import { loadOrt } from './ort.js';
import { type PredictInput, prepareSample } from './preprocess.js';
import { runBatches } from './run-batches.js';
import type { SessionCache } from './session-cache.js';
import { type DetectOptions, type Detection, detections, letterbox } from './yolo.js';

export interface ClassScore {
  readonly index: number;
  readonly label: string | null;
  readonly confidence: number;
}

export interface Prediction {
  /** The model's raw output for this item (probabilities, values, …). */
  readonly output: readonly number[];
  /** Classifiers: the top class and its probability; null otherwise. */
  readonly top: ClassScore | null;
  /** Classifiers: the k best classes, best first. */
  readonly top_k: readonly ClassScore[];
  /** Regressors with one output: the value (already de-normalised in the model). */
  readonly value: number | null;
}

export interface PredictOptions {
  /** Items per onnxruntime run (a model with a fixed batch size uses that). Default 32. */
  readonly batchSize?: number;
  readonly topK?: number;
}

export interface PredictService {
  /** One prediction per input, in order. AppError 4xx for unknown versions and bad inputs. */
  predict(
    versionId: string,
    inputs: readonly PredictInput[],
    opts?: PredictOptions,
  ): Promise<Prediction[]>;
  /** Detectors (YOLO-format): letterboxed images → boxes in each image's pixels, after NMS. */
  detect(versionId: string, files: readonly string[], opts?: DetectOptions): Promise<Detection[][]>;
  /** Runs prepared samples (already normalised, in the model's layout) in batches. */
  runSamples(
    version: ModelVersion,
    samples: readonly Float32Array[],
    batchSize?: number,
  ): Promise<Float32Array[]>;
}

/**
 * The one prediction path every workflow shares: registry lookup, the same preprocessing as
 * training, cached onnxruntime sessions, batched runs, and results read by the model's kind.
 */
export function createPredictService(deps: {
  readonly registry: ModelRegistry;
  readonly sessions: SessionCache;
}): PredictService {
  const runSamples = (
    version: ModelVersion,
    samples: readonly Float32Array[],
    batchSize = 32,
  ): Promise<Float32Array[]> =>
    deps.sessions.use(version, (session) => runBatches(session, version, samples, batchSize));

  return {
    runSamples,
    async detect(versionId, files, opts = {}) {
      const version = await deps.registry.get(versionId);
      if (version.kind !== 'detector') {
        throw new AppError('bad_request', `model ${version.id} is not a detector`);
      }
      const [, c, h, w] = version.input.dims;
      if (
        c !== 3 ||
        typeof h !== 'number' ||
        typeof w !== 'number' ||
        version.input.layout !== 'NCHW'
      ) {
        throw new AppError(
          'unprocessable',
          `detector ${version.id} does not take [1, 3, h, w] images`,
        );
      }
      const ort = await loadOrt();
      return deps.sessions.use(version, async (session) => {
        const out: Detection[][] = [];
        for (const file of files) {
          const lb = await letterbox(file, w, h);
          const result = await session.run({
            [version.input.name]: new ort.Tensor('float32', lb.data, [1, 3, h, w]),
          });
          const y = result[version.output.name];
          if (!y || y.type !== 'float32') {
            throw new AppError('unprocessable', `detector ${version.id} gave no float32 output`);
          }
          out.push(detections(y.data as Float32Array, y.dims, version.classes, lb, opts));
          y.dispose();
        }
        return out;
      });
    },
    async predict(versionId, inputs, opts = {}) {
      const version = await deps.registry.get(versionId);
      const samples: Float32Array[] = [];
      // Sequential: feature extraction (sharp, audio decoding) already uses the thread pool.
      for (const input of inputs) samples.push(await prepareSample(version, input));
      const outputs = await runSamples(version, samples, opts.batchSize);
      return outputs.map((o) => readPrediction(version, o, opts.topK ?? 5));
    },
  };
}

function readPrediction(version: ModelVersion, output: Float32Array, topK: number): Prediction {
  const values = Array.from(output);
  if (version.kind === 'classifier') {
    const ranked = values
      .map((confidence, index) => ({ index, label: version.classes[index] ?? null, confidence }))
      .sort((a, b) => b.confidence - a.confidence || a.index - b.index);
    return {
      output: values,
      top: ranked[0] ?? null,
      top_k: ranked.slice(0, Math.max(1, topK)),
      value: null,
    };
  }
  const value = version.kind === 'regressor' && values.length === 1 ? (values[0] as number) : null;
  return { output: values, top: null, top_k: [], value };
}
