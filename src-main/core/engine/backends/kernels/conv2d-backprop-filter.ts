/**
 * Conv2DBackpropFilter for wasm, which has none: dW = im2colᵀ(x) · dy, one XNNPACK GEMM.
 *
 * dW[kh,kw,ci,co] = Σ_{n,oh,ow} x[n, oh·sH + kh·dH − top, ow·sW + kw·dW − left, ci] · dy[n,oh,ow,co].
 *
 * The im2col matrix is built from a padded, channel-major "frame" of x split into stride phases,
 * so that every row of im2colᵀ (one per kh,kw,ci) is ONE contiguous slice of the frame: rows are
 * memcpys, not element loops. Frame positions that are not output positions (the right/bottom
 * margins) get a zero dy row and drop out of the sum. The GEMM runs over chunks of whole images
 * (split-K) so the matrices stay cache-sized and memory stays bounded; partial sums are added.
 *
 * Measured against the batch-as-channels composition (x as [Cin,H,W,N] convolved with dy as a
 * [OH,OW,N,Cout] filter): see bench/conv-layer.mjs; this path is faster at every shape we train.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { type ConvAttrsLike, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { backpropFilterSimd } from './conv2d-backprop-filter-simd.js';
import { scratch } from './scratch.js';
import { simdKernels } from './simd.js';
import { kernelTuning } from './tuning.js';
import { type WasmBackend, alloc, asWasm, f32, free, matmul } from './wasm-backend.js';

export interface PhaseFrame {
  /** Phase rows/cols per image, and floats per image. */
  readonly hq: number;
  readonly wq: number;
  readonly perImage: number;
  /** Floats between consecutive (channel, phase) planes. */
  readonly planeStride: number;
}

export function phaseFrameShape(g: ConvGeometry): PhaseFrame {
  const effKH = (g.kH - 1) * g.dilH + 1;
  const effKW = (g.kW - 1) * g.dilW + 1;
  const hp = Math.max(g.inH + g.padTop + g.padBottom, (g.outH - 1) * g.strideH + effKH);
  const wp = Math.max(g.inW + g.padLeft + g.padRight, (g.outW - 1) * g.strideW + effKW);
  const hq = Math.ceil(hp / g.strideH);
  const wq = Math.ceil(wp / g.strideW);
  const perImage = hq * wq;
  // One image of zero slack per plane: row slices start up to one image past their position.
  return { hq, wq, perImage, planeStride: (g.batch + 1) * perImage };
}

/**
 * Writes x (NHWC) into `frame` as planes [c][py][px] of [n][i][j], where padded row
 * hp = h + top = i·sH + py (columns likewise); everything else is zero.
 */
export function fillPhaseFrame(
  x: Float32Array,
  g: ConvGeometry,
  f: PhaseFrame,
  frame: Float32Array,
  channels: number,
): void {
  const { strideH: sH, strideW: sW } = g;
  frame.fill(0, 0, channels * sH * sW * f.planeStride);
  const phaseStride = f.planeStride;
  const chanStride = sH * sW * phaseStride;
  let src = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let h = 0; h < g.inH; h++) {
      const hp = h + g.padTop;
      const py = hp % sH;
      const rowBase = n * f.perImage + ((hp - py) / sH) * f.wq + py * sW * phaseStride;
      for (let w = 0; w < g.inW; w++) {
        const wp = w + g.padLeft;
        const px = wp % sW;
        let dst = rowBase + px * phaseStride + (wp - px) / sW;
        for (let c = 0; c < channels; c++) {
          frame[dst] = x[src++] as number;
          dst += chanStride;
        }
      }
    }
  }
}

function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: ConvAttrsLike & { filterShape: number[] };
  backend: unknown;
}): TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs;
  const g = convGeometry(x.shape, args.attrs.filterShape, args.attrs, false);
  const simd = simdKernels(backend);
  return simd ? backpropFilterSimd(backend, simd, x, dy, g) : backpropFilterGemm(backend, x, dy, g);
}

export function backpropFilterGemm(
  backend: WasmBackend,
  x: TensorInfo,
  dy: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const f = phaseFrameShape(g);
  const { kH, kW, inC, outC, strideH: sH, strideW: sW } = g;
  const rows = kH * kW * inC;
  const frame = scratch('bpf-frame', inC * sH * sW * f.planeStride);
  fillPhaseFrame(f32(backend, x), g, f, frame, inC);

  // Row r = (kh, kw, ci) of im2colᵀ starts at rowStart[r] in the frame (image 0).
  const rowStart = new Int32Array(rows);
  for (let kh = 0; kh < kH; kh++) {
    const th = kh * g.dilH;
    for (let kw = 0; kw < kW; kw++) {
      const tw = kw * g.dilW;
      const phase = (th % sH) * sW + (tw % sW);
      const off = Math.floor(th / sH) * f.wq + Math.floor(tw / sW);
      for (let ci = 0; ci < inC; ci++) {
        rowStart[(kh * kW + kw) * inC + ci] = (ci * sH * sW + phase) * f.planeStride + off;
      }
    }
  }

  // Frame rows carry the margins (positions that are no output) into the GEMM; where those are
  // a large share (small images), copy only the output positions, row segment by row segment.
  const positions = g.outH * g.outW;
  const compact = f.perImage / positions - 1 > kernelTuning.compactAboveWaste;
  const perImage = compact ? positions : f.perImage;
  const imagesPerChunk = Math.max(
    1,
    Math.min(g.batch, Math.floor(kernelTuning.filterChunkFloats / (rows * perImage))),
  );
  let result: TensorInfo | null = null;
  for (let n0 = 0; n0 < g.batch; n0 += imagesPerChunk) {
    const nb = Math.min(imagesPerChunk, g.batch - n0);
    const len = nb * perImage;
    const a = alloc(backend, [1, rows, len]);
    const b = alloc(backend, [1, len, outC]);
    // Views only after both allocations: an allocation may grow (and move) the heap.
    const aView = f32(backend, a);
    if (compact) {
      copyOutputPositions(frame, rowStart, aView, g, f, n0, nb);
      const dyView = f32(backend, dy);
      f32(backend, b).set(dyView.subarray(n0 * positions * outC, (n0 + nb) * positions * outC));
    } else {
      const base = n0 * f.perImage;
      for (let r = 0; r < rows; r++) {
        const s = (rowStart[r] as number) + base;
        aView.set(frame.subarray(s, s + len), r * len);
      }
      fillDyFrame(f32(backend, dy), f32(backend, b), g, f, n0, nb);
    }
    const part = matmul(backend, a, b);
    free(backend, a, b);
    if (result === null) {
      result = part;
    } else {
      const acc = f32(backend, result);
      const add = f32(backend, part);
      for (let i = 0; i < acc.length; i++) acc[i] = (acc[i] as number) + (add[i] as number);
      free(backend, part);
    }
  }
  if (result === null) throw new Error('Conv2DBackpropFilter: empty batch');
  return { dataId: result.dataId, shape: [kH, kW, inC, outC], dtype: 'float32' };
}

/** im2colᵀ rows over output positions only: one contiguous frame segment per (row, image, oh). */
function copyOutputPositions(
  frame: Float32Array,
  rowStart: Int32Array,
  out: Float32Array,
  g: ConvGeometry,
  f: PhaseFrame,
  n0: number,
  nb: number,
): void {
  const ow = g.outW;
  let dst = 0;
  for (let r = 0; r < rowStart.length; r++) {
    const start = rowStart[r] as number;
    for (let n = n0; n < n0 + nb; n++) {
      for (let oh = 0; oh < g.outH; oh++) {
        const src = start + n * f.perImage + oh * f.wq;
        for (let j = 0; j < ow; j++) out[dst++] = frame[src + j] as number;
      }
    }
  }
}

/** dy rows for images n0..n0+nb laid out at frame positions; margins are zero. */
function fillDyFrame(
  dy: Float32Array,
  out: Float32Array,
  g: ConvGeometry,
  f: PhaseFrame,
  n0: number,
  nb: number,
): void {
  const c = g.outC;
  const rowLen = g.outW * c;
  if (f.wq === g.outW && f.hq === g.outH) {
    out.set(dy.subarray(n0 * f.perImage * c, (n0 + nb) * f.perImage * c));
    return;
  }
  out.fill(0);
  for (let n = 0; n < nb; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      const src = ((n0 + n) * g.outH + oh) * rowLen;
      out.set(dy.subarray(src, src + rowLen), (n * f.perImage + oh * f.wq) * c);
    }
  }
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
