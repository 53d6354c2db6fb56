/** Zero crossings of the sinc kept on each side: −80 dB-ish stop band with the Blackman window. */
const ZERO_CROSSINGS = 16;
/** Kernel table entries per input sample; taps are linearly interpolated between them. */
const TABLE_STEPS = 256;

export interface Kernel {
  readonly half: number;
  readonly table: Float32Array;
}

const kernels = new Map<string, Kernel>();

/**
 * The windowed sinc for a rate pair, tabulated over [0, half] input samples (it is even); shared
 * with the live stream's chunk-by-chunk resampler so both filter alike.
 */
export function kernelFor(from: number, to: number): Kernel {
  const key = `${from}/${to}`;
  let k = kernels.get(key);
  if (!k) {
    const cutoff = Math.min(1, to / from) * 0.95; // a little below Nyquist: the transition band fits
    const half = Math.ceil(ZERO_CROSSINGS / cutoff);
    const table = new Float32Array(half * TABLE_STEPS + 2);
    for (let i = 0; i < table.length; i++) {
      const d = i / TABLE_STEPS;
      const u = d / half;
      if (u >= 1) continue;
      const window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
      const arg = Math.PI * cutoff * d;
      table[i] = cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg) * window;
    }
    k = { half, table };
    kernels.set(key, k);
  }
  return k;
}

/**
 * Band-limited resampling by windowed sinc (Blackman window, tabulated). Downsampling lowers the
 * cut-off to the new Nyquist frequency, so tones above it are removed instead of aliasing back
 * down, which plain linear interpolation would do. Output length = round(length · to / from).
 */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x.slice();
  const ratio = to / from;
  const outLength = Math.round(x.length * ratio);
  const { half, table } = kernelFor(from, to);
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const t = i / ratio;
    const centre = Math.floor(t);
    const lo = Math.max(0, centre - half + 1);
    const hi = Math.min(x.length - 1, centre + half);
    let sum = 0;
    for (let j = lo; j <= hi; j++) {
      const pos = Math.abs(t - j) * TABLE_STEPS;
      const p = Math.floor(pos);
      const f = pos - p;
      const w = (table[p] as number) * (1 - f) + (table[p + 1] as number) * f;
      sum += (x[j] as number) * w;
    }
    out[i] = sum;
  }
  return out;
}

/** First `length` samples, zero-padded at the end when the clip is shorter. */
export function padOrCrop(x: Float32Array, length: number): Float32Array {
  if (x.length === length) return x;
  const out = new Float32Array(length);
  out.set(x.subarray(0, Math.min(length, x.length)));
  return out;
}
