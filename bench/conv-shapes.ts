/**
 * The small-cnn's convolutions one at a time on wasm (forward, dX, dW per layer at batch 64), ms
 * as the median of --repeats runs (wasm kernels run synchronously: no read-back): a quick check of one kernel change without a training run.
 *
 *   node --import tsx bench/conv-shapes.ts [--repeats 40]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { parseArgs } from 'node:util';
import { selectBackend } from '../src-main/core/engine/backends/index.js';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '40' } } });
const repeats = Number(values.repeats);
tf.env().set('PROD', true);
await selectBackend('wasm', 'cpu');

const layers: [string, [number, number, number, number], number][] = [
  ['conv1', [64, 28, 28, 1], 16],
  ['conv2', [64, 14, 14, 16], 32],
  ['conv3', [64, 7, 7, 32], 64],
];
function median(f: () => tf.Tensor): number {
  const t: number[] = [];
  for (let i = -3; i < repeats; i++) {
    const t0 = performance.now();
    const r = f();
    if (i >= 0) t.push(performance.now() - t0);
    r.dispose();
  }
  return t.sort((a, b) => a - b)[t.length >> 1] as number;
}
for (const [name, xs, cout] of layers) {
  const x = tf.randomNormal(xs) as tf.Tensor4D;
  const w = tf.randomNormal([3, 3, xs[3], cout]) as tf.Tensor4D;
  const dy = tf.randomNormal([xs[0], xs[1], xs[2], cout]) as tf.Tensor4D;
  const fwd = median(() => tf.conv2d(x, w, 1, 'same'));
  const dx = median(() => tf.conv2dTranspose(dy, w, xs, 1, 'same'));
  const dw = median(
    () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
        strides: 1,
        pad: 'same',
        filterShape: [3, 3, xs[3], cout],
        dataFormat: 'NHWC',
      } as never) as tf.Tensor,
  );
  console.log(
    `${name}: forward ${fwd.toFixed(2)} ms, dX ${dx.toFixed(2)} ms, dW ${dw.toFixed(2)} ms`,
  );
}
