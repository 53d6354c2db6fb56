import { mkdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { writeFileAtomic } from '../../workspace/atomic-write.js';
import { AppError } from '../../errors.js';
import { Prng } from '../data/prng.js';
import { exportOnnx } from '../export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../export/onnx/options.js';
import {
  FINE_TUNE_INPUT,
  MOBILENET_INPUT,
  MOBILENET_V2,
  type MobileNetBackbone,
  TAP_NAMES,
  loadMobileNetBackbone,
} from './mobilenet-v2.js';
import { loadVerifiedModel } from './resolve.js';

/** Largest |tfjs − onnxruntime| accepted on any output value of the parity sample. */
export const PARITY_TOLERANCE = 1e-4;

/** Bump when the converted graph changes (outputs, pooling): older conversions are then ignored. */
const CONVERSION_VERSION = 4;

/** ONNX output names: `output` (pooled features, [N, 576]), the taps, `block_12_add` (NHWC). */
export const BACKBONE_OUTPUTS = ['output', ...TAP_NAMES, FINE_TUNE_INPUT] as const;

export interface ConvertedBackbone {
  /** The ONNX file in the model cache. */
  readonly file: string;
  /** Hash of the source files (the manifest's sha256s): the cache key. */
  readonly sourceHash: string;
  /** Largest difference per output on the parity sample when it was converted. */
  readonly parity: Readonly<Record<string, number>>;
}

/** A deterministic parity sample: pixels ÷ 255 as a real image has, not a constant. */
export function paritySample(n: number, seed = 7): Float32Array {
  const { width, height, channels } = MOBILENET_INPUT;
  const prng = Prng.fromSeed(seed);
  return Float32Array.from({ length: n * width * height * channels }, () => prng.next());
}

/** NHWC → NCHW for the exported graph's input. */
export function toNchw(x: Float32Array, n: number): Float32Array {
  const { width: w, height: h, channels: c } = MOBILENET_INPUT;
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let xx = 0; xx < w; xx++)
        for (let ch = 0; ch < c; ch++)
          out[((b * c + ch) * h + y) * w + xx] = x[((b * h + y) * w + xx) * c + ch] as number;
  return out;
}

/** Max |a − b| of every backbone output, tfjs against an onnxruntime session, on `n` samples. */
export async function backboneParity(
  backbone: MobileNetBackbone,
  session: ort.InferenceSession,
  n = 2,
): Promise<Record<string, number>> {
  const x = paritySample(n);
  const { width, height, channels } = MOBILENET_INPUT;
  const outs = tf.tidy(() => {
    const y = backbone.model.predict(tf.tensor4d(x, [n, height, width, channels]));
    return (Array.isArray(y) ? y : [y]).map((t) => t.dataSync() as Float32Array);
  });
  const feeds = { input: new ort.Tensor('float32', toNchw(x, n), [n, channels, height, width]) };
  const got = await session.run(feeds);
  const diff: Record<string, number> = {};
  BACKBONE_OUTPUTS.forEach((name, i) => {
    const a = outs[i] as Float32Array;
    const b = got[name]?.data as Float32Array | undefined;
    if (!b || b.length !== a.length) {
      throw new Error(`the converted backbone's ${name} has the wrong size`);
    }
    let m = 0;
    for (let k = 0; k < a.length; k++)
      m = Math.max(m, Math.abs((a[k] as number) - (b[k] as number)));
    diff[name] = m;
  });
  return diff;
}

/**
 * MobileNetV2's backbone as ONNX, converted once by Assay's own exporter and kept in the model
 * cache as `mobilenet-v2-<source hash>-c<conversion version>.onnx` with a `.json` record of its parity check. A file
 * there is used as is; otherwise the source is hash-checked, converted, compared with tfjs on
 * the current backend (every output within {@link PARITY_TOLERANCE}), and written atomically, so a
 * crash mid-way leaves no file and the next use converts again.
 */
export async function ensureBackboneOnnx(
  modelCacheDir: string,
  nativeModelsDir?: string,
): Promise<ConvertedBackbone> {
  const verified = await loadVerifiedModel(MOBILENET_V2, nativeModelsDir);
  const base = path.join(
    modelCacheDir,
    `${MOBILENET_V2}-${verified.hash.slice(0, 16)}-c${CONVERSION_VERSION}`,
  );
  const file = `${base}.onnx`;
  try {
    const record = JSON.parse(await readFile(`${base}.json`, 'utf8')) as ConvertedBackbone;
    await readFile(file).then((b) => b.byteLength > 0 || Promise.reject(new Error('empty')));
    return { file, sourceHash: verified.hash, parity: record.parity };
  } catch {
    // Not converted yet (or a record without its file): convert now.
  }
  const backbone = await loadMobileNetBackbone(verified);
  try {
    const { width, height, channels } = MOBILENET_INPUT;
    const options = resolveOnnxOptions(
      { dynamic_axes: { input: { '0': 'batch' } }, simplify: true },
      [height, width, channels],
    );
    const exported = exportOnnx(backbone.model, options, {
      graphName: 'mobilenet_v2_backbone',
      metadata: { source: MOBILENET_V2, source_sha256: verified.hash },
    });
    const session = await ort.InferenceSession.create(exported.bytes);
    let parity: Record<string, number>;
    try {
      parity = await backboneParity(backbone, session);
    } finally {
      await session.release();
    }
    const worst = Object.entries(parity).find(([, d]) => !(d <= PARITY_TOLERANCE));
    if (worst) {
      throw new AppError(
        'unprocessable',
        `MobileNetV2's ONNX conversion differs from TensorFlow.js by ${worst[1]} on ${worst[0]} (tolerance ${PARITY_TOLERANCE})`,
      );
    }
    await mkdir(modelCacheDir, { recursive: true });
    await writeFileAtomic(file, exported.bytes);
    const record: ConvertedBackbone = {
      file: path.basename(file),
      sourceHash: verified.hash,
      parity,
    };
    await writeFileAtomic(`${base}.json`, `${JSON.stringify(record, null, 2)}\n`);
    return { file, sourceHash: verified.hash, parity };
  } finally {
    backbone.dispose();
  }
}
