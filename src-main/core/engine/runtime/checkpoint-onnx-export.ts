import * as tf from '@tensorflow/tfjs-core';
import { type CheckpointFiles, loadCheckpointModel } from '../export/checkpoint-model.js';
import { exportOnnx } from '../export/onnx/export-onnx.js';
import { resolveOnnxOptions } from '../export/onnx/options.js';
import {
  type CheckedOnnx,
  checkParity,
  type ExportWithReference,
  PARITY_SAMPLES,
} from './checkpoint-onnx.js';

/*
 * The TensorFlow.js half of a checked export, in a module of its own so that the threads which
 * only check parity and serve sessions (the main one among them) never load TensorFlow.js.
 */

/** Deterministic values in [-1, 1): the same probe for every export of a checkpoint. */
function probe(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s / 2 ** 32) * 2 - 1;
  });
}

/** Exports a checkpoint to ONNX for inference (dynamic batch, simplified) and runs the probe in tfjs. */
export async function exportWithReference(files: CheckpointFiles): Promise<ExportWithReference> {
  const { meta } = files;
  const options = resolveOnnxOptions(
    { dynamic_axes: { input: { '0': 'batch' }, output: { '0': 'batch' } }, simplify: true },
    meta.input_shape,
  );
  const model = await loadCheckpointModel(files);
  const shape = [PARITY_SAMPLES, ...meta.input_shape];
  const x = probe(
    shape.reduce((a, b) => a * b, 1),
    7,
  );
  try {
    const result = exportOnnx(model, options, {
      targetNormalization: meta.target_normalization,
      metadata: { task: meta.task, classes: JSON.stringify(meta.classes) },
    });
    let want = tf.tidy(
      () => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync() as Float32Array,
    );
    // The graph folds the target scale into its output; the layers model predicts standard units.
    const t = meta.target_normalization;
    if (t) want = want.map((v) => v * t.std + t.mean);
    return { ...result, meta, probe: x, want };
  } finally {
    model.dispose();
  }
}

/** Both halves in this thread (tests, tools); the workstation runs the tfjs half in a worker. */
export async function exportCheckedOnnx(files: CheckpointFiles): Promise<CheckedOnnx> {
  return checkParity(await exportWithReference(files));
}
