/**
 * Conv2DBackpropFilter through our own SIMD GEMM (simd/kernels.wat): the same phase frame as the
 * XNNPACK path, but nothing is copied into an im2col matrix and nothing is packed — the GEMM
 * reads each im2colᵀ row straight from the frame through a row pointer, and dy from its frame
 * layout, accumulating dW in eight SIMD registers per 4×8 block.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { fillPhaseFrame, phaseFrameShape } from './conv2d-backprop-filter.js';
import type { ConvGeometry } from './conv-geometry.js';
import type { SimdKernels } from './simd.js';
import { type WasmBackend, alloc, f32, free, offsetOf } from './wasm-backend.js';

/** Output widths up to which stride-1 filter gradients use shifted planes. */
const SHIFT_MAX_OUT_W = 12;

export function backpropFilterSimd(
  backend: WasmBackend,
  kernels: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  // Shifted planes cost kW copies of x; they pay where output rows are short (a GEMM segment per
  // row is then mostly overhead) or x has few channels (measured: outW 7 and 1-channel 28×28
  // gain ~25 %; outW 14 breaks even; 32×32×16 loses ~30 %).
  if (g.strideH === 1 && g.strideW === 1 && (g.outW <= SHIFT_MAX_OUT_W || g.inC < 4)) {
    return backpropFilterShifted(backend, kernels, x, dy, g);
  }
  const f = phaseFrameShape(g);
  const { kH, kW, inC, outC, strideH: sH, strideW: sW } = g;
  const rows = kH * kW * inC;
  const mPad = Math.ceil(rows / 4) * 4;
  const nPad = Math.ceil(outC / 8) * 8;

  // Output positions only: one segment per (image, output row); B is dy itself when its channel
  // count needs no padding.
  const positions = g.batch * g.outH * g.outW;
  const nseg = g.batch * g.outH;
  const frame = alloc(backend, [inC * sH * sW * f.planeStride]);
  const padded = nPad !== outC ? alloc(backend, [positions, nPad]) : null;
  const c = alloc(backend, [mPad, nPad]);
  const rowPtr = alloc(backend, [mPad], 'int32');
  const segs = alloc(backend, [nseg * 3], 'int32');
  // Stride 1 (4k channels): the frame is x's channels as zero-margined planes, by SIMD transposes.
  const planeGeo = sH === 1 && sW === 1 && inC % 4 === 0 ? alloc(backend, [10], 'int32') : null;
  const out = alloc(backend, [kH, kW, inC, outC]);
  // Views after the last allocation (an allocation may grow and move the heap).
  if (planeGeo) {
    f32(backend, frame).fill(0);
    new Int32Array(f32(backend, planeGeo).buffer, offsetOf(backend, planeGeo), 10).set([
      g.batch,
      g.inH,
      g.inW,
      inC,
      f.hq,
      f.wq,
      g.padTop,
      g.padLeft,
      0,
      g.inW,
    ]);
    kernels.to_planes(
      offsetOf(backend, x),
      offsetOf(backend, frame),
      f.planeStride,
      offsetOf(backend, planeGeo),
    );
    free(backend, planeGeo);
  } else fillPhaseFrame(f32(backend, x), g, f, f32(backend, frame), inC);
  if (padded) padColumns(f32(backend, dy), f32(backend, padded), outC, nPad);
  if (nseg === 0) f32(backend, c).fill(0); // the GEMM overwrites C only where it sums

  const heap = f32(backend, c).buffer;
  const seg = new Int32Array(heap, offsetOf(backend, segs), nseg * 3);
  for (let n = 0, s = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++, s += 3) {
      seg[s] = n * f.perImage + oh * f.wq;
      seg[s + 1] = (n * g.outH + oh) * g.outW;
      seg[s + 2] = g.outW;
    }
  }
  const base = offsetOf(backend, frame);
  const ptrs = new Int32Array(heap, offsetOf(backend, rowPtr), mPad);
  for (let kh = 0; kh < kH; kh++) {
    const th = kh * g.dilH;
    for (let kw = 0; kw < kW; kw++) {
      const tw = kw * g.dilW;
      const phase = (th % sH) * sW + (tw % sW);
      const off = Math.floor(th / sH) * f.wq + Math.floor(tw / sW);
      for (let ci = 0; ci < inC; ci++) {
        const start = (ci * sH * sW + phase) * f.planeStride + off;
        ptrs[(kh * kW + kw) * inC + ci] = base + 4 * start;
      }
    }
  }
  // Padding rows reread row 0; their results are dropped.
  for (let r = rows; r < mPad; r++) ptrs[r] = ptrs[0] as number;

  kernels.gemm_rows_seg(
    offsetOf(backend, rowPtr),
    mPad,
    offsetOf(backend, padded ?? dy),
    nPad,
    offsetOf(backend, c),
    offsetOf(backend, segs),
    nseg,
    0,
  );

  const cv = f32(backend, c);
  const ov = f32(backend, out);
  if (nPad === outC) ov.set(cv.subarray(0, rows * outC));
  else for (let r = 0; r < rows; r++) ov.set(cv.subarray(r * nPad, r * nPad + outC), r * outC);
  free(backend, frame, c, rowPtr, segs);
  if (padded) free(backend, padded);
  return out;
}

/**
 * Stride 1: planes (kw, ci) of x shifted by kw columns and cut to the output width (shift_planes),
 * so that the im2colᵀ row (kh, kw, ci) over one image's output positions is ONE contiguous run
 * (the plane from row kh·dilH on): one GEMM segment per image instead of one per output row,
 * which short rows (7 or 14 pixels) make costly.
 */
export function backpropFilterShifted(
  backend: WasmBackend,
  kernels: SimdKernels,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { batch, kH, kW, inC, outC, outH, outW } = g;
  const rows = kH * kW * inC;
  const mPad = Math.ceil(rows / 4) * 4;
  const nPad = Math.ceil(outC / 8) * 8;
  const hp = outH + (kH - 1) * g.dilH;
  const plane = batch * hp * outW;
  const positions = batch * outH * outW;
  const planes = alloc(backend, [kW * inC * plane]);
  const padded = nPad !== outC ? alloc(backend, [positions, nPad]) : null;
  const c = alloc(backend, [mPad, nPad]);
  const rowPtr = alloc(backend, [mPad], 'int32');
  const segs = alloc(backend, [batch * 3], 'int32');
  const geo = alloc(backend, [10], 'int32');
  const out = alloc(backend, [kH, kW, inC, outC]);
  // Views after the last allocation (an allocation may grow and move the heap).
  const heap = f32(backend, c).buffer;
  new Int32Array(heap, offsetOf(backend, geo), 10).set([
    batch,
    g.inH,
    g.inW,
    inC,
    hp,
    outW,
    kW,
    g.dilW,
    g.padTop,
    g.padLeft,
  ]);
  if (inC % 4 === 0) {
    // Plane (kw, ci) is x's channel ci, shifted kw·dilW columns and cut to the output width.
    f32(backend, planes).fill(0);
    const gv = new Int32Array(heap, offsetOf(backend, geo), 10);
    for (let kw = 0; kw < kW; kw++) {
      const left = g.padLeft - kw * g.dilW;
      const w0 = Math.max(0, -left);
      const w1 = Math.min(g.inW, outW - left);
      if (w1 <= w0) continue;
      gv.set([batch, g.inH, g.inW, inC, hp, outW, g.padTop, left, w0, w1]);
      kernels.to_planes(
        offsetOf(backend, x),
        offsetOf(backend, planes) + 4 * kw * inC * plane,
        plane,
        offsetOf(backend, geo),
      );
    }
  } else {
    kernels.shift_planes(
      offsetOf(backend, x),
      offsetOf(backend, planes),
      plane,
      offsetOf(backend, geo),
    );
  }
  if (padded) padColumns(f32(backend, dy), f32(backend, padded), outC, nPad);
  const seg = new Int32Array(heap, offsetOf(backend, segs), batch * 3);
  for (let n = 0; n < batch; n++) {
    seg[3 * n] = n * hp * outW;
    seg[3 * n + 1] = n * outH * outW;
    seg[3 * n + 2] = outH * outW;
  }
  const base = offsetOf(backend, planes);
  const ptrs = new Int32Array(heap, offsetOf(backend, rowPtr), mPad);
  for (let kh = 0; kh < kH; kh++) {
    for (let kw = 0; kw < kW; kw++) {
      for (let ci = 0; ci < inC; ci++) {
        ptrs[(kh * kW + kw) * inC + ci] = base + 4 * ((kw * inC + ci) * plane + kh * g.dilH * outW);
      }
    }
  }
  for (let r = rows; r < mPad; r++) ptrs[r] = ptrs[0] as number;
  if (batch > 0) {
    kernels.gemm_rows_seg(
      offsetOf(backend, rowPtr),
      mPad,
      offsetOf(backend, padded ?? dy),
      nPad,
      offsetOf(backend, c),
      offsetOf(backend, segs),
      batch,
      0,
    );
  } else f32(backend, c).fill(0);
  const cv = f32(backend, c);
  const ov = f32(backend, out);
  if (nPad === outC) ov.set(cv.subarray(0, rows * outC));
  else for (let r = 0; r < rows; r++) ov.set(cv.subarray(r * nPad, r * nPad + outC), r * outC);
  free(backend, planes, c, rowPtr, segs, geo);
  if (padded) free(backend, padded);
  return out;
}

/** [rows, c] → [rows, nPad] with zero columns on the right. */
function padColumns(src: Float32Array, out: Float32Array, c: number, nPad: number): void {
  out.fill(0);
  for (let i = 0, r = 0; i < src.length; i += c, r += nPad) out.set(src.subarray(i, i + c), r);
}
