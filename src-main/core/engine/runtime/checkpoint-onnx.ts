import { createHash } from 'node:crypto';
import { AppError } from '../../errors.js';
import type { CheckpointFiles } from '../export/checkpoint-files.js';
import type { OnnxExportResult } from '../export/onnx/export-onnx.js';
import type { ModelMeta } from '../trainer/checkpoint.js';
import { loadOrt } from './ort.js';

/** Samples the parity check runs through both engines: two, so a batch mix-up shows too. */
export const PARITY_SAMPLES = 2;
/**
 * Relative to the output's scale. Float32 reordering (folded batch norm, fused ops) stays around
 * 1e-6 here; a wrong graph (a transposed kernel, a lost bias) is off by far more than this.
 */
const PARITY_TOLERANCE = 1e-3;

export interface CheckedOnnx extends OnnxExportResult {
  /** Largest |tfjs − onnxruntime| over the parity samples, in output units. */
  readonly parityMaxDiff: number;
}

/** sha256 of a checkpoint's model and weights: a resumed or retrained run gets a new one. */
export function checkpointHash(files: Pick<CheckpointFiles, 'modelJson' | 'weights'>): string {
  return createHash('sha256')
    .update(JSON.stringify(files.modelJson))
    .update(files.weights)
    .digest('hex');
}

/** NHWC samples → NCHW, as the exported graph takes 3-D samples. */
function toNchw(x: Float32Array, n: number, [h, w, c]: readonly number[]): Float32Array {
  const [hh, ww, cc] = [h as number, w as number, c as number];
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < hh; y++)
      for (let xx = 0; xx < ww; xx++)
        for (let ch = 0; ch < cc; ch++)
          out[((b * cc + ch) * hh + y) * ww + xx] = x[((b * hh + y) * ww + xx) * cc + ch] as number;
  return out;
}

/** An export and what TensorFlow.js answered for the probe batch: the half that needs tfjs. */
export interface ExportWithReference extends OnnxExportResult {
  readonly meta: ModelMeta;
  /** The probe batch, NHWC (or [n, features]) as the layers model takes it. */
  readonly probe: Float32Array;
  /** TensorFlow.js's output for the probe, in target units. */
  readonly want: Float32Array;
}

/**
 * Proves an export right before anyone is served by it: the probe batch through onnxruntime must
 * give what TensorFlow.js gave, within float32 noise, or the export is refused (422).
 */
export async function checkParity(ref: ExportWithReference): Promise<CheckedOnnx> {
  const { meta, probe: x, want } = ref;
  const ort = await loadOrt();
  const session = await ort.InferenceSession.create(ref.bytes, { intraOpNumThreads: 1 });
  let got: Float32Array | undefined;
  try {
    const nchw = ref.layout === 'NCHW';
    const input = nchw ? toNchw(x, PARITY_SAMPLES, meta.input_shape) : x;
    const dims = [PARITY_SAMPLES, ...(nchw ? ref.inputDims.slice(1) : meta.input_shape)];
    const out = await session.run({ input: new ort.Tensor('float32', input, dims as number[]) });
    got = out.output?.data as Float32Array | undefined;
  } finally {
    await session.release();
  }
  let diff = got && got.length === want.length ? 0 : Infinity;
  let scale = 1;
  for (let i = 0; got && i < want.length && diff !== Infinity; i++) {
    diff = Math.max(diff, Math.abs((want[i] as number) - (got[i] as number)));
    scale = Math.max(scale, Math.abs(want[i] as number));
  }
  if (!(diff <= PARITY_TOLERANCE * scale)) {
    throw new AppError(
      'unprocessable',
      `the ONNX graph of this ${meta.architecture} checkpoint does not match TensorFlow.js ` +
        `(largest difference ${diff}); it is not served`,
    );
  }
  const { bytes, inputDims, outputDims, layout, nodes } = ref;
  return { bytes, inputDims, outputDims, layout, nodes, parityMaxDiff: diff };
}
