/**
 * FFT / IFFT for wasm, which has no complex support at all, plus the complex plumbing an FFT
 * pipeline needs (Complex, Real, Imag, ComplexAbs). complex64 tensors live on the wasm heap as
 * interleaved (re, im) float32 pairs — 8 bytes per element, which is what the backend allocates
 * for that dtype. They cannot be read back directly (the backend's readSync knows no complex64):
 * take real()/imag()/abs() first, as rfft and stft do.
 *
 * Transforms run on the innermost axis in float64: radix-2 for powers of two, Bluestein's chirp-z
 * (three power-of-two transforms) for other lengths, so every length is O(n log n).
 */
import { type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { alloc, asWasm, f32 } from './wasm-backend.js';

interface Plan {
  readonly n: number;
  /** cos/sin of −2πk/n for k < n/2 (power-of-two plans). */
  readonly cos: Float64Array;
  readonly sin: Float64Array;
  readonly rev: Uint32Array;
}

const plans = new Map<number, Plan>();

function pow2Plan(n: number): Plan {
  let plan = plans.get(n);
  if (plan) return plan;
  const cos = new Float64Array(n >> 1);
  const sin = new Float64Array(n >> 1);
  for (let k = 0; k < n >> 1; k++) {
    cos[k] = Math.cos((-2 * Math.PI * k) / n);
    sin[k] = Math.sin((-2 * Math.PI * k) / n);
  }
  const rev = new Uint32Array(n);
  const bits = Math.round(Math.log2(n));
  for (let i = 0; i < n; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r >>> 0;
  }
  plan = { n, cos, sin, rev };
  plans.set(n, plan);
  return plan;
}

/** In-place forward DFT (sign −) of length n = 2^k on (re, im). */
function fftPow2(re: Float64Array, im: Float64Array, plan: Plan): void {
  const { n, cos, sin, rev } = plan;
  for (let i = 0; i < n; i++) {
    const j = rev[i] as number;
    if (j > i) {
      const tr = re[i] as number;
      re[i] = re[j] as number;
      re[j] = tr;
      const ti = im[i] as number;
      im[i] = im[j] as number;
      im[j] = ti;
    }
  }
  for (let size = 2; size <= n; size <<= 1) {
    const half = size >> 1;
    const step = n / size;
    for (let start = 0; start < n; start += size) {
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step] as number;
        const wi = sin[k * step] as number;
        const a = start + k;
        const b = a + half;
        const br = re[b] as number;
        const bi = im[b] as number;
        const tr = br * wr - bi * wi;
        const ti = br * wi + bi * wr;
        const ar = re[a] as number;
        const ai = im[a] as number;
        re[a] = ar + tr;
        im[a] = ai + ti;
        re[b] = ar - tr;
        im[b] = ai - ti;
      }
    }
  }
}

interface Bluestein {
  readonly m: number;
  readonly chirpRe: Float64Array;
  readonly chirpIm: Float64Array;
  /** FFT of the conjugate chirp, zero-padded to m. */
  readonly kernelRe: Float64Array;
  readonly kernelIm: Float64Array;
}

const bluesteins = new Map<number, Bluestein>();

function bluesteinPlan(n: number): Bluestein {
  let b = bluesteins.get(n);
  if (b) return b;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const chirpRe = new Float64Array(n);
  const chirpIm = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // exp(−iπk²/n), with k² reduced mod 2n to keep the angle small and exact.
    const angle = (-Math.PI * ((k * k) % (2 * n))) / n;
    chirpRe[k] = Math.cos(angle);
    chirpIm[k] = Math.sin(angle);
  }
  const kernelRe = new Float64Array(m);
  const kernelIm = new Float64Array(m);
  kernelRe[0] = chirpRe[0] as number;
  kernelIm[0] = -(chirpIm[0] as number);
  for (let k = 1; k < n; k++) {
    kernelRe[k] = kernelRe[m - k] = chirpRe[k] as number;
    kernelIm[k] = kernelIm[m - k] = -(chirpIm[k] as number);
  }
  fftPow2(kernelRe, kernelIm, pow2Plan(m));
  b = { m, chirpRe, chirpIm, kernelRe, kernelIm };
  bluesteins.set(n, b);
  return b;
}

/** Forward DFT of any length, in place. */
export function dft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (n <= 1) return;
  if ((n & (n - 1)) === 0) {
    fftPow2(re, im, pow2Plan(n));
    return;
  }
  const { m, chirpRe, chirpIm, kernelRe, kernelIm } = bluesteinPlan(n);
  const ar = new Float64Array(m);
  const ai = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    const cr = chirpRe[k] as number;
    const ci = chirpIm[k] as number;
    ar[k] = (re[k] as number) * cr - (im[k] as number) * ci;
    ai[k] = (re[k] as number) * ci + (im[k] as number) * cr;
  }
  const plan = pow2Plan(m);
  fftPow2(ar, ai, plan);
  for (let k = 0; k < m; k++) {
    const xr = ar[k] as number;
    const xi = ai[k] as number;
    const kr = kernelRe[k] as number;
    const ki = kernelIm[k] as number;
    // Multiply, and conjugate so the next forward FFT acts as an inverse.
    ar[k] = xr * kr - xi * ki;
    ai[k] = -(xr * ki + xi * kr);
  }
  fftPow2(ar, ai, plan);
  for (let k = 0; k < n; k++) {
    const xr = (ar[k] as number) / m;
    const xi = -(ai[k] as number) / m;
    const cr = chirpRe[k] as number;
    const ci = chirpIm[k] as number;
    re[k] = xr * cr - xi * ci;
    im[k] = xr * ci + xi * cr;
  }
}

function transform(inverse: boolean) {
  return (args: { inputs: { input: TensorInfo }; backend: unknown }): TensorInfo => {
    const backend = asWasm(args.backend);
    const { input } = args.inputs;
    const n = input.shape[input.shape.length - 1] ?? 1;
    const out = alloc(backend, [...input.shape], 'complex64');
    const src = f32(backend, input);
    const dst = f32(backend, out);
    const re = new Float64Array(n);
    const im = new Float64Array(n);
    const rows = n === 0 ? 0 : src.length / (2 * n);
    for (let r = 0; r < rows; r++) {
      const base = 2 * r * n;
      // An inverse DFT is the conjugate of the forward DFT of the conjugate, over n.
      const sign = inverse ? -1 : 1;
      for (let k = 0; k < n; k++) {
        re[k] = src[base + 2 * k] as number;
        im[k] = sign * (src[base + 2 * k + 1] as number);
      }
      dft(re, im);
      const scale = inverse ? 1 / n : 1;
      for (let k = 0; k < n; k++) {
        dst[base + 2 * k] = (re[k] as number) * scale;
        dst[base + 2 * k + 1] = sign * (im[k] as number) * scale;
      }
    }
    return out;
  };
}

function complex(args: { inputs: { real: TensorInfo; imag: TensorInfo }; backend: unknown }) {
  const backend = asWasm(args.backend);
  const { real, imag } = args.inputs;
  const out = alloc(backend, [...real.shape], 'complex64');
  const re = f32(backend, real);
  const im = f32(backend, imag);
  const dst = f32(backend, out);
  for (let i = 0; i < re.length; i++) {
    dst[2 * i] = re[i] as number;
    dst[2 * i + 1] = im[i] as number;
  }
  return out;
}

function part(which: 0 | 1 | 'abs') {
  return (args: { inputs: { input?: TensorInfo; x?: TensorInfo }; backend: unknown }) => {
    const backend = asWasm(args.backend);
    const input = args.inputs.input ?? args.inputs.x;
    if (!input) throw new Error('missing complex input');
    const out = alloc(backend, [...input.shape], 'float32');
    const src = f32(backend, input);
    const dst = f32(backend, out);
    for (let i = 0; i < dst.length; i++) {
      if (which === 'abs') dst[i] = Math.hypot(src[2 * i] as number, src[2 * i + 1] as number);
      else dst[i] = src[2 * i + which] as number;
    }
    return out;
  };
}

const config = (kernelName: string, f: unknown): KernelConfig => ({
  kernelName,
  backendName: 'wasm',
  kernelFunc: f as KernelFunc,
});

export const complexKernelConfigs: readonly KernelConfig[] = [
  config('Complex', complex),
  config('Real', part(0)),
  config('Imag', part(1)),
  config('ComplexAbs', part('abs')),
  config('FFT', transform(false)),
  config('IFFT', transform(true)),
];
