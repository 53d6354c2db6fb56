// Deterministic inputs for the kernel tests: the same xorshift values wherever a test needs them.
import * as tf from '@tensorflow/tfjs-core';

/** Deterministic values in [−0.5, 0.5) · scale. */
export function values(n: number, seed: number, scale = 1): Float32Array {
  const v = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    v[i] = ((s >>> 0) / 2 ** 32 - 0.5) * scale;
  }
  return v;
}

/** A tensor of `shape` filled with `values`. */
export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );
}
