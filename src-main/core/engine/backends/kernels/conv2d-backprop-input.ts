/**
 * Conv2DBackpropInput for wasm. The backend's own kernel is a scalar loop, ~10× slower than its
 * forward convolution. Ours:
 * - stride 1: dx is the forward convolution (XNNPACK) of dy with the spatially flipped,
 *   in/out-swapped filter, padded by (effective kernel − 1 − forward padding) per side;
 * - otherwise (strides, or paddings larger than the kernel): dx = col2im(dy · Wᵀ), one XNNPACK
 *   GEMM followed by a scatter-add, over chunks of whole images.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrsLike, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { kernelTuning } from './tuning.js';
import { type WasmBackend, alloc, asWasm, conv2d, f32, free, matmul } from './wasm-backend.js';

function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: ConvAttrsLike & { inputShape: number[] };
  backend: unknown;
}): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs;
  const g = convGeometry(args.attrs.inputShape, filter.shape, args.attrs, false);
  return g.strideH === 1 && g.strideW === 1 && flippedPads(g) !== null
    ? backpropInputFlipped(backend, dy, filter, g)
    : backpropInputCol2Im(backend, dy, filter, g);
}

/** Paddings of the flipped-filter convolution; null where one would be negative. */
export function flippedPads(g: ConvGeometry) {
  const pads = {
    top: (g.kH - 1) * g.dilH - g.padTop,
    left: (g.kW - 1) * g.dilW - g.padLeft,
    bottom: g.inH - g.outH + g.padTop,
    right: g.inW - g.outW + g.padLeft,
  };
  return Object.values(pads).every((p) => p >= 0) ? pads : null;
}

export function backpropInputFlipped(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const pads = flippedPads(g);
  if (!pads) throw new Error('flipped-filter path needs non-negative paddings');
  const { kH, kW, inC, outC } = g;
  const flipped = alloc(backend, [kH, kW, outC, inC]);
  const w = f32(backend, filter);
  const wf = f32(backend, flipped);
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      const src = ((kH - 1 - kh) * kW + (kW - 1 - kw)) * inC * outC;
      const dst = (kh * kW + kw) * outC * inC;
      for (let ci = 0; ci < inC; ci++) {
        for (let co = 0; co < outC; co++) {
          wf[dst + co * inC + ci] = w[src + ci * outC + co] as number;
        }
      }
    }
  }
  const out = conv2d(backend, dy, flipped, [1, 1], [g.dilH, g.dilW], pads);
  free(backend, flipped);
  return out;
}

export function backpropInputCol2Im(
  backend: WasmBackend,
  dy: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { kH, kW, inC, outC } = g;
  const rows = kH * kW * inC;
  // Wᵀ: [outC, kH·kW·inC], so dy rows times it give im2col rows.
  const wt = alloc(backend, [1, outC, rows]);
  {
    const w = f32(backend, filter);
    const t = f32(backend, wt);
    for (let r = 0; r < rows; r++) {
      for (let co = 0; co < outC; co++) t[co * rows + r] = w[r * outC + co] as number;
    }
  }
  const dx = alloc(backend, [g.batch, g.inH, g.inW, inC]);
  f32(backend, dx).fill(0);
  const positions = g.outH * g.outW;
  const imagesPerChunk = Math.max(
    1,
    Math.min(g.batch, Math.floor(kernelTuning.col2imChunkFloats / (positions * rows))),
  );
  for (let n0 = 0; n0 < g.batch; n0 += imagesPerChunk) {
    const nb = Math.min(imagesPerChunk, g.batch - n0);
    const dyChunk = alloc(backend, [1, nb * positions, outC]);
    f32(backend, dyChunk).set(
      f32(backend, dy).subarray(n0 * positions * outC, (n0 + nb) * positions * outC),
    );
    const cols = matmul(backend, dyChunk, wt);
    free(backend, dyChunk);
    scatterAdd(f32(backend, cols), f32(backend, dx), g, n0, nb);
    free(backend, cols);
  }
  free(backend, wt);
  return dx;
}

function scatterAdd(cols: Float32Array, dx: Float32Array, g: ConvGeometry, n0: number, nb: number) {
  const { kH, kW, inC, inH, inW } = g;
  const rows = kH * kW * inC;
  let p = 0;
  for (let n = n0; n < n0 + nb; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, p++) {
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * g.strideH + kh * g.dilH - g.padTop;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * g.strideW + kw * g.dilW - g.padLeft;
            if (iw < 0 || iw >= inW) continue;
            const dst = ((n * inH + ih) * inW + iw) * inC;
            const src = p * rows + (kh * kW + kw) * inC;
            for (let ci = 0; ci < inC; ci++) {
              dx[dst + ci] = (dx[dst + ci] as number) + (cols[src + ci] as number);
            }
          }
        }
      }
    }
  }
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
