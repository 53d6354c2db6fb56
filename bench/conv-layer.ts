/**
 * Assay's side of the conv-layer microbenchmark (issue 3): one 3×3 'same' convolution, batch 64,
 * 32×32×16 → 32 by default, on the wasm backend: forward, input gradient (dX) and filter gradient
 * (dW), with tfjs-backend-wasm's own kernels ("stock": XNNPACK's forward convolution, its
 * Conv2DBackpropInput, and for dW — which it lacks — the batch-as-channels composition from its
 * conv2d and transposes) and with ours (`forward` is ours: our GEMM since it beat XNNPACK).
 * Prints one JSON object (ms, min and median of --repeats runs, stock and ours interleaved).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import {
  registerWasmKernels,
  selectBackend,
  unregisterWasmKernels,
} from '../src-main/core/engine/backends/index.js';

const { values } = parseArgs({
  options: {
    batch: { type: 'string', default: '64' },
    size: { type: 'string', default: '32' },
    cin: { type: 'string', default: '16' },
    cout: { type: 'string', default: '32' },
    stride: { type: 'string', default: '1' },
    repeats: { type: 'string', default: '15' },
  },
});
const [n, size, cin, cout, stride, repeats] = [
  values.batch,
  values.size,
  values.cin,
  values.cout,
  values.stride,
  values.repeats,
].map(Number) as [number, number, number, number, number, number];

tf.env().set('PROD', true);
await selectBackend('wasm', 'cpu');
const x = tf.randomNormal([n, size, size, cin]) as tf.Tensor4D;
const w = tf.randomNormal([3, 3, cin, cout]) as tf.Tensor4D;
const dy = tf.randomNormal(tf.conv2d(x, w, stride, 'same').shape) as tf.Tensor4D;

const forward = (): tf.Tensor => tf.conv2d(x, w, stride, 'same');
const dX = (): tf.Tensor => tf.conv2dTranspose(dy, w, [n, size, size, cin], stride, 'same');
const dWours = (): tf.Tensor =>
  tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: stride,
    pad: 'same',
    filterShape: [3, 3, cin, cout],
    dataFormat: 'NHWC',
  } as never) as tf.Tensor;
/** The usual shim: x as [Cin,H,W,N] convolved with dy as a [OH,OW,N,Cout] filter (stride 1). */
const dWstock = (): tf.Tensor =>
  tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, w.shape, stride, 1, 'same');
    const { top, bottom, left, right } = info.padInfo;
    const xt = tf.transpose(x, [3, 1, 2, 0]);
    const dyt = tf.transpose(dy, [1, 2, 0, 3]);
    const r = tf.conv2d(xt as tf.Tensor4D, dyt as tf.Tensor4D, 1, [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ]);
    return tf.transpose(r, [1, 2, 0, 3]);
  });

function once(f: () => tf.Tensor): number {
  const t0 = performance.now();
  const r = f();
  r.dataSync();
  const ms = performance.now() - t0;
  r.dispose();
  return ms;
}

const samples: Record<string, number[]> = {
  forward: [],
  forward_stock: [],
  dx_stock: [],
  dx_ours: [],
  dw_stock: [],
  dw_ours: [],
};
const stockDw = stride === 1;
for (let i = -2; i < repeats; i++) {
  const keep = (k: string, ms: number) => i >= 0 && samples[k]?.push(ms);
  keep('forward', once(forward));
  unregisterWasmKernels();
  keep('forward_stock', once(forward));
  keep('dx_stock', once(dX));
  if (stockDw) keep('dw_stock', once(dWstock));
  registerWasmKernels();
  keep('dx_ours', once(dX));
  keep('dw_ours', once(dWours));
}
const stat = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length ? { min_ms: s[0], median_ms: s[s.length >> 1] } : null;
};
const out = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stat(v)]));
const total = (keys: string[]) =>
  keys.every((k) => out[k]) ? keys.reduce((a, k) => a + (out[k]?.median_ms ?? 0), 0) : null;
console.log(
  JSON.stringify({
    engine: 'assay',
    backend: 'wasm',
    threads: 1,
    shape: { batch: n, size, cin, cout, kernel: 3, stride, padding: 'same' },
    ...out,
    forward_backward_stock_median_ms: total(['forward_stock', 'dx_stock', 'dw_stock']),
    forward_backward_ours_median_ms: total(['forward', 'dx_ours', 'dw_ours']),
  }),
);
