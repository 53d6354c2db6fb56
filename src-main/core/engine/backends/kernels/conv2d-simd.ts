/**
 * Conv2D (forward) through our own SIMD GEMM (simd/kernels.wat), which uses fused multiply-adds
 * where the runtime has relaxed SIMD; XNNPACK's convolution, as tfjs-backend-wasm ships it, does
 * not. Nothing is copied into an im2col matrix: each output pixel's patch is read in place, as
 * one run of kW·Cin floats per filter row, from the input (or a zero-padded copy of it when the
 * convolution pads). The HWIO filter is already the GEMM's [kH·kW·Cin, Cout] right-hand matrix.
 * The backend's own kernel stays in place for the layouts we do not take (and the stride-1 input
 * gradient, a convolution with the flipped filter, comes through here too).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrsLike, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { type SimdKernels, simdKernels } from './simd.js';
import { type WasmBackend, alloc, asWasm, f32, free, offsetOf } from './wasm-backend.js';

/**
 * Below this many floats per patch run the GEMM's per-run overhead dominates: those convolutions
 * (the first layer on a 1-channel image: runs of 3) take the direct conv_taps kernel instead.
 */
const TAPS_BELOW = 8;

export function makeConv2DConfig(original: KernelConfig): KernelConfig {
  const kernelFunc = (args: {
    inputs: { x: TensorInfo; filter: TensorInfo };
    attrs: ConvAttrsLike;
    backend: unknown;
  }): TensorInfo => {
    const backend = asWasm(args.backend);
    const { x, filter } = args.inputs;
    const kernels = x.dtype === 'float32' ? simdKernels(backend) : null;
    const format = args.attrs.dataFormat;
    const nhwc = format == null || format === 'NHWC' || format === 'channelsLast';
    if (kernels && nhwc && x.shape.length === 4 && filter.shape.length === 4) {
      const g = convGeometry(x.shape, filter.shape, args.attrs, false);
      if (g.outH > 0 && g.outW > 0) return conv2dSimd(backend, kernels, x, filter, g);
    }
    return original.kernelFunc(args as never) as TensorInfo;
  };
  return { ...original, kernelFunc: kernelFunc as unknown as KernelFunc };
}

export function conv2dSimd(
  backend: WasmBackend,
  kernels: SimdKernels,
  x: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { batch, inH, inW, inC, outH, outW, outC, kH, kW } = g;
  const { strideH: sH, strideW: sW, dilH, dilW } = g;
  // The input rows and columns the patches reach, from (−padTop, −padLeft).
  const needH = (outH - 1) * sH + (kH - 1) * dilH + 1;
  const needW = (outW - 1) * sW + (kW - 1) * dilW + 1;
  const direct = g.padTop === 0 && g.padLeft === 0 && needH <= inH && needW <= inW;
  const hs = direct ? inH : needH;
  const ws = direct ? inW : needW;
  const positions = batch * outH * outW;
  const mPad = Math.ceil(positions / 4) * 4;
  const k = kH * kW * inC;
  const rowwise = dilW === 1; // one run per filter row; else one per tap
  const taps = (rowwise ? kW * inC : inC) < TAPS_BELOW; // conv_taps: one "run" per tap and channel
  const nPad = Math.ceil(outC / (taps ? 16 : 8)) * (taps ? 16 : 8);
  const nseg = taps ? k : rowwise ? kH : kH * kW;

  const frame = direct ? null : alloc(backend, [batch, hs, ws, inC]);
  const b = nPad !== outC ? alloc(backend, [k, nPad]) : null;
  const out = alloc(backend, [batch, outH, outW, outC]);
  const c = mPad !== positions || b ? alloc(backend, [mPad, nPad]) : null;
  const rowPtr = alloc(backend, [mPad], 'int32');
  const segs = alloc(backend, [taps ? k : nseg * 3], 'int32');
  // Views after the last allocation (an allocation may grow and move the heap).
  if (frame) padInput(f32(backend, x), f32(backend, frame), g, hs, ws);
  if (b) padColumns(f32(backend, filter), f32(backend, b), outC, nPad);

  const heap = f32(backend, out).buffer;
  const src = offsetOf(backend, frame ?? x);
  const ptrs = new Int32Array(heap, offsetOf(backend, rowPtr), mPad);
  const rowStep = 4 * sW * inC;
  for (let n = 0, p = 0; n < batch; n++) {
    for (let oh = 0; oh < outH; oh++) {
      let ptr = src + 4 * (n * hs + oh * sH) * ws * inC;
      for (let ow = 0; ow < outW; ow++, p++, ptr += rowStep) ptrs[p] = ptr;
    }
  }
  for (let r = positions; r < mPad; r++) ptrs[r] = ptrs[0] as number;
  if (taps) {
    const at = new Int32Array(heap, offsetOf(backend, segs), k);
    for (let kh = 0, t = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        for (let ci = 0; ci < inC; ci++, t++) at[t] = 4 * ((kh * dilH * ws + kw * dilW) * inC + ci);
      }
    }
    kernels.conv_taps(
      offsetOf(backend, rowPtr),
      mPad,
      offsetOf(backend, b ?? filter),
      nPad,
      offsetOf(backend, c ?? out),
      offsetOf(backend, segs),
      k,
    );
  } else {
    const seg = new Int32Array(heap, offsetOf(backend, segs), nseg * 3);
    for (let kh = 0, s = 0; kh < kH; kh++) {
      for (let kw = 0; kw < (rowwise ? 1 : kW); kw++, s += 3) {
        seg[s] = (kh * dilH * ws + kw * dilW) * inC;
        seg[s + 1] = (kh * kW + kw) * inC;
        seg[s + 2] = rowwise ? kW * inC : inC;
      }
    }
    kernels.gemm_rows_seg(
      offsetOf(backend, rowPtr),
      mPad,
      offsetOf(backend, b ?? filter),
      nPad,
      offsetOf(backend, c ?? out),
      offsetOf(backend, segs),
      nseg,
      0,
    );
  }

  if (c) {
    const cv = f32(backend, c);
    const ov = f32(backend, out);
    if (nPad === outC) ov.set(cv.subarray(0, positions * outC));
    else {
      for (let r = 0; r < positions; r++) {
        ov.set(cv.subarray(r * nPad, r * nPad + outC), r * outC);
      }
    }
    free(backend, c);
  }
  if (frame) free(backend, frame);
  if (b) free(backend, b);
  free(backend, rowPtr, segs);
  return out;
}

/** x into a [batch, hs, ws, C] frame at (padTop, padLeft), cropped to it; only margins zeroed. */
function padInput(x: Float32Array, frame: Float32Array, g: ConvGeometry, hs: number, ws: number) {
  const { batch, inH, inW, inC, padTop, padLeft } = g;
  const rowFloats = ws * inC;
  const left = Math.min(padLeft, ws) * inC;
  const cols = Math.max(0, Math.min(inW, ws - padLeft)) * inC;
  const h0 = Math.min(padTop, hs);
  const h1 = Math.min(padTop + inH, hs);
  for (let n = 0; n < batch; n++) {
    const image = n * hs * rowFloats;
    frame.fill(0, image, image + h0 * rowFloats);
    for (let ph = h0; ph < h1; ph++) {
      const row = image + ph * rowFloats;
      const from = (n * inH + ph - padTop) * inW * inC;
      frame.fill(0, row, row + left);
      if (cols > 0) frame.set(x.subarray(from, from + cols), row + left);
      frame.fill(0, row + left + cols, row + rowFloats);
    }
    frame.fill(0, image + h1 * rowFloats, image + hs * rowFloats);
  }
}

/** [rows, c] → [rows, nPad] with zero columns on the right. */
function padColumns(src: Float32Array, out: Float32Array, c: number, nPad: number): void {
  out.fill(0);
  for (let i = 0, r = 0; i < src.length; i += c, r += nPad) out.set(src.subarray(i, i + c), r);
}
