import { resample } from '../../engine/features/resample.js';

/** Zero crossings each side: the models look at 80 Hz … 8 kHz, so a short kernel serves. */
const ZERO_CROSSINGS = 8;
/** Above this many phases a rate pair is left to the engine's tabulated resampler. */
const MAX_PHASES = 4096;

interface Poly {
  readonly up: number;
  readonly down: number;
  readonly half: number;
  /** Per output phase, the 2·half taps for input samples centre−half+1 … centre+half. */
  readonly taps: Float32Array;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const polys = new Map<string, Poly | null>();

function polyFor(from: number, to: number): Poly | null {
  const key = `${from}/${to}`;
  if (polys.has(key)) return polys.get(key)!;
  const g = gcd(from, to);
  const up = to / g;
  const down = from / g;
  if (!Number.isInteger(up) || up > MAX_PHASES) {
    polys.set(key, null);
    return null;
  }
  const cutoff = Math.min(1, to / from) * 0.95;
  const half = Math.ceil(ZERO_CROSSINGS / cutoff);
  const taps = new Float32Array(up * 2 * half);
  for (let p = 0; p < up; p++) {
    const frac = p / up;
    for (let j = 0; j < 2 * half; j++) {
      const d = frac - (j - half + 1);
      const u = Math.abs(d) / half;
      if (u >= 1) continue;
      const window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
      const arg = Math.PI * cutoff * d;
      taps[p * 2 * half + j] = cutoff * (arg === 0 ? 1 : Math.sin(arg) / arg) * window;
    }
  }
  const poly = { up, down, half, taps };
  polys.set(key, poly);
  return poly;
}

/**
 * Windowed-sinc (Blackman) resampling for integer rates, polyphase: the kernel is tabulated once
 * per output phase, so each output sample is one short dot product. A shorter kernel than the
 * engine's (8 zero crossings, not 16): plenty for log-mel bands, at a third of the cost, which is
 * most of what classifying an upload costs. Rates with too many phases use the engine's resampler.
 */
export function resamplePoly(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x;
  const poly = Number.isInteger(from) && Number.isInteger(to) ? polyFor(from, to) : null;
  if (!poly) return resample(x, from, to);
  const { up, down, half, taps } = poly;
  const out = new Float32Array(Math.round((x.length * to) / from));
  const width = 2 * half;
  for (let i = 0; i < out.length; i++) {
    const pos = i * down;
    const centre = Math.floor(pos / up);
    const base = (pos - centre * up) * width;
    const first = centre - half + 1;
    let sum = 0;
    if (first >= 0 && first + width <= x.length) {
      for (let j = 0; j < width; j++) sum += x[first + j]! * taps[base + j]!;
    } else {
      for (let j = 0; j < width; j++) {
        const k = first + j;
        if (k >= 0 && k < x.length) sum += x[k]! * taps[base + j]!;
      }
    }
    out[i] = sum;
  }
  return out;
}
