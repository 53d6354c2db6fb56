/**
 * DepthwiseConv2dNativeBackpropInput / -Filter for wasm, which has neither.
 *
 * Input gradient: at stride 1 it is the backend's own (XNNPACK) depthwise convolution of dy with
 * the spatially flipped filter (one filter per dy channel), the channel multiplier's groups then
 * summed; at other strides a direct scatter loop (depthwise work is small: kH·kW MACs per output).
 *
 * Filter gradient: per tap and dy channel, one dot product between a contiguous slice of x's
 * channel-major, stride-phase frame (see conv2d-backprop-filter) and dy's channel-major frame.
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { fillPhaseFrame, phaseFrameShape } from './conv2d-backprop-filter.js';
import { flippedPads } from './conv2d-backprop-input.js';
import { type ConvAttrsLike, type ConvGeometry, convGeometry } from './conv-geometry.js';
import { scratch } from './scratch.js';
import { type SimdKernels, simdKernels } from './simd.js';
import { type WasmBackend, alloc, asWasm, f32, free, offsetOf, run } from './wasm-backend.js';

/** The 14 int32 the SIMD depthwise kernels read (n h w c oh ow kh kw sh sw dh dw top left). */
function simdGeometry(backend: WasmBackend, g: ConvGeometry): TensorInfo {
  const geo = alloc(backend, [14], 'int32');
  new Int32Array(f32(backend, geo).buffer, offsetOf(backend, geo), 14).set([
    g.batch,
    g.inH,
    g.inW,
    g.inC,
    g.outH,
    g.outW,
    g.kH,
    g.kW,
    g.strideH,
    g.strideW,
    g.dilH,
    g.dilW,
    g.padTop,
    g.padLeft,
  ]);
  return geo;
}

/** Runs one SIMD depthwise kernel into a zeroed output of `shape`. */
function simdDepthwise(
  backend: WasmBackend,
  g: ConvGeometry,
  shape: number[],
  call: (out: number, geo: number) => void,
): TensorInfo {
  const out = alloc(backend, shape);
  const geo = simdGeometry(backend, g);
  f32(backend, out).fill(0);
  call(offsetOf(backend, out), offsetOf(backend, geo));
  free(backend, geo);
  return out;
}

const simdFits = (simd: SimdKernels | null, g: ConvGeometry): simd is SimdKernels =>
  simd !== null && g.outC === g.inC && g.inC % 4 === 0;

function depthwiseBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  attrs: ConvAttrsLike & { inputShape: number[] };
  backend: unknown;
}): TensorInfo {
  const backend = asWasm(args.backend);
  const { dy, filter } = args.inputs;
  const g = convGeometry(args.attrs.inputShape, filter.shape, args.attrs, true);
  const pads = g.strideH === 1 && g.strideW === 1 ? flippedPads(g) : null;
  if (!pads) {
    const simd = simdKernels(backend);
    if (simdFits(simd, g)) {
      return simdDepthwise(backend, g, [g.batch, g.inH, g.inW, g.inC], (out, geo) =>
        simd.depthwise_input_grad(offsetOf(backend, filter), offsetOf(backend, dy), out, geo),
      );
    }
    return depthwiseInputScatter(backend, dy, filter, g);
  }

  const { kH, kW, inC, outC } = g;
  const mult = outC / inC;
  const flipped = alloc(backend, [kH, kW, outC, 1]);
  {
    const w = f32(backend, filter);
    const wf = f32(backend, flipped);
    for (let kh = 0; kh < kH; kh++) {
      for (let kw = 0; kw < kW; kw++) {
        const src = ((kH - 1 - kh) * kW + (kW - 1 - kw)) * outC;
        wf.set(w.subarray(src, src + outC), (kh * kW + kw) * outC);
      }
    }
  }
  const pad: [[number, number], [number, number], [number, number], [number, number]] = [
    [0, 0],
    [pads.top, pads.bottom],
    [pads.left, pads.right],
    [0, 0],
  ];
  const z = run(backend, 'DepthwiseConv2dNative', { x: dy, filter: flipped }, {
    strides: [1, 1],
    dilations: [g.dilH, g.dilW],
    pad,
    dataFormat: 'NHWC',
  } as never);
  free(backend, flipped);
  if (mult === 1) return z;
  const dx = alloc(backend, [g.batch, g.inH, g.inW, inC]);
  const zv = f32(backend, z);
  const dv = f32(backend, dx);
  for (let i = 0, j = 0; i < dv.length; i++) {
    let s = 0;
    for (let m = 0; m < mult; m++) s += zv[j++] as number;
    dv[i] = s;
  }
  free(backend, z);
  return dx;
}

function depthwiseInputScatter(
  backend: WasmBackend,
  dyInfo: TensorInfo,
  filter: TensorInfo,
  g: ConvGeometry,
): TensorInfo {
  const { kH, kW, inC, outC, inH, inW } = g;
  const mult = outC / inC;
  const dx = alloc(backend, [g.batch, inH, inW, inC]);
  const out = f32(backend, dx);
  const dy = f32(backend, dyInfo);
  const w = f32(backend, filter);
  out.fill(0);
  let src = 0;
  for (let n = 0; n < g.batch; n++) {
    for (let oh = 0; oh < g.outH; oh++) {
      for (let ow = 0; ow < g.outW; ow++, src += outC) {
        for (let kh = 0; kh < kH; kh++) {
          const ih = oh * g.strideH + kh * g.dilH - g.padTop;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < kW; kw++) {
            const iw = ow * g.strideW + kw * g.dilW - g.padLeft;
            if (iw < 0 || iw >= inW) continue;
            const dst = ((n * inH + ih) * inW + iw) * inC;
            const wOff = (kh * kW + kw) * outC;
            if (mult === 1) {
              for (let c = 0; c < inC; c++) {
                out[dst + c] =
                  (out[dst + c] as number) + (dy[src + c] as number) * (w[wOff + c] as number);
              }
            } else {
              for (let c = 0, k = 0; c < inC; c++) {
                let s = 0;
                for (let m = 0; m < mult; m++, k++) {
                  s += (dy[src + k] as number) * (w[wOff + k] as number);
                }
                out[dst + c] = (out[dst + c] as number) + s;
              }
            }
          }
        }
      }
    }
  }
  return dx;
}

function depthwiseBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  attrs: ConvAttrsLike & { filterShape: number[] };
  backend: unknown;
}): TensorInfo {
  const backend = asWasm(args.backend);
  const { x, dy } = args.inputs;
  const g = convGeometry(x.shape, args.attrs.filterShape, args.attrs, true);
  const simd = simdKernels(backend);
  if (simdFits(simd, g)) {
    return simdDepthwise(backend, g, [g.kH, g.kW, g.inC, 1], (out, geo) =>
      simd.depthwise_filter_grad(offsetOf(backend, x), offsetOf(backend, dy), out, geo),
    );
  }
  const { kH, kW, inC, outC, strideH: sH, strideW: sW } = g;
  const mult = outC / inC;
  const f = phaseFrameShape(g);
  const frame = scratch('dwf-frame', inC * sH * sW * f.planeStride);
  fillPhaseFrame(f32(backend, x), g, f, frame, inC);

  // dy, channel-major over the frame's positions (zero in the margins).
  const len = g.batch * f.perImage;
  const dyc = scratch('dwf-dy', outC * len);
  dyc.fill(0, 0, outC * len);
  {
    const d = f32(backend, dy);
    let src = 0;
    for (let n = 0; n < g.batch; n++) {
      for (let oh = 0; oh < g.outH; oh++) {
        const q0 = n * f.perImage + oh * f.wq;
        for (let ow = 0; ow < g.outW; ow++) {
          let dst = q0 + ow;
          for (let c = 0; c < outC; c++, dst += len) dyc[dst] = d[src++] as number;
        }
      }
    }
  }

  const dw = alloc(backend, [kH, kW, inC, mult]);
  const out = f32(backend, dw);
  for (let kh = 0; kh < kH; kh++) {
    const th = kh * g.dilH;
    for (let kw = 0; kw < kW; kw++) {
      const tw = kw * g.dilW;
      const phase = (th % sH) * sW + (tw % sW);
      const off = Math.floor(th / sH) * f.wq + Math.floor(tw / sW);
      for (let c = 0; c < inC; c++) {
        const xs = (c * sH * sW + phase) * f.planeStride + off;
        for (let m = 0; m < mult; m++) {
          const k = c * mult + m;
          out[(kh * kW + kw) * outC + k] = dot(frame, xs, dyc, k * len, len);
        }
      }
    }
  }
  return dw;
}

/** Σ a[ia+i]·b[ib+i], four partial sums so the loads pipeline. */
function dot(a: Float32Array, ia: number, b: Float32Array, ib: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let i = 0;
  for (; i + 3 < n; i += 4) {
    s0 += (a[ia + i] as number) * (b[ib + i] as number);
    s1 += (a[ia + i + 1] as number) * (b[ib + i + 1] as number);
    s2 += (a[ia + i + 2] as number) * (b[ib + i + 2] as number);
    s3 += (a[ia + i + 3] as number) * (b[ib + i + 3] as number);
  }
  for (; i < n; i++) s0 += (a[ia + i] as number) * (b[ib + i] as number);
  return s0 + s1 + s2 + s3;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropInput as unknown as KernelFunc,
};

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: depthwiseBackpropFilter as unknown as KernelFunc,
};
