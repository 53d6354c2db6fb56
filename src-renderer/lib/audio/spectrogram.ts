/**
 * A small radix-2 FFT and the spectrogram columns drawn on the Classify and Realtime canvases.
 * Pure and allocation-light: the live view computes a column per incoming chunk.
 */

/** Hann window of `n` points (cached per size: the live view asks for the same one each frame). */
const hannCache = new Map<number, Float32Array>();
export function hann(n: number): Float32Array {
  let w = hannCache.get(n);
  if (w === undefined) {
    w = new Float32Array(n);
    for (let i = 0; i < n; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    hannCache.set(n, w);
  }
  return w;
}

export const isPowerOfTwo = (n: number): boolean => n >= 2 && (n & (n - 1)) === 0;

/** In-place iterative Cooley–Tukey FFT of `re` + i·`im` (length a power of two). */
export function fftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  if (!isPowerOfTwo(n) || im.length !== n) throw new Error(`FFT size ${n} is not a power of two`);
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j]!, re[i]!];
      [im[i], im[j]] = [im[j]!, im[i]!];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let start = 0; start < n; start += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = start + k;
        const b = a + len / 2;
        const tr = re[b]! * cr - im[b]! * ci;
        const ti = re[b]! * ci + im[b]! * cr;
        re[b] = re[a]! - tr;
        im[b] = im[a]! - ti;
        re[a] = re[a]! + tr;
        im[a] = im[a]! + ti;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}

/**
 * Magnitude spectrum in dB (bins 0 … n/2 − 1) of one Hann-windowed frame. A frame shorter than
 * `size` is zero-padded; non-finite samples count as silence so one bad value never blanks a view.
 */
export function frameDb(frame: ArrayLike<number>, size: number, floorDb = -100): Float32Array {
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const w = hann(size);
  const len = Math.min(size, frame.length);
  for (let i = 0; i < len; i++) {
    const v = frame[i]!;
    re[i] = Number.isFinite(v) ? v * w[i]! : 0;
  }
  fftInPlace(re, im);
  const out = new Float32Array(size / 2);
  // Normalised so a full-scale sine reads about 0 dB whatever the size.
  const norm = 4 / size;
  for (let k = 0; k < size / 2; k++) {
    const mag = Math.hypot(re[k]!, im[k]!) * norm;
    out[k] = Math.max(floorDb, 20 * Math.log10(mag + 1e-12));
  }
  return out;
}

/** Columns of dB spectra, one per `hop` samples (the whole clip view on Classify). */
export function spectrogram(
  samples: ArrayLike<number>,
  size: number,
  hop: number,
  maxColumns = 600,
): Float32Array[] {
  if (samples.length === 0) return [];
  const frames = Math.max(1, Math.floor(Math.max(0, samples.length - size) / hop) + 1);
  // A long clip is sampled down to the canvas's width instead of computing unseen columns.
  const stride = Math.max(1, Math.ceil(frames / maxColumns));
  const cols: Float32Array[] = [];
  const frame = new Float32Array(size);
  for (let f = 0; f < frames; f += stride) {
    const start = f * hop;
    frame.fill(0);
    for (let i = 0; i < size && start + i < samples.length; i++) frame[i] = samples[start + i]!;
    cols.push(frameDb(frame, size));
  }
  return cols;
}

/** The bin of a frequency in a spectrum of `size` points at `sampleRate`. */
export const binOf = (hz: number, size: number, sampleRate: number): number =>
  Math.round((hz * size) / sampleRate);

/** A dB value as an RGB triple on a dark-to-bright ramp, `lo`…`hi` dB mapped to 0…1. */
export function heatColor(db: number, lo = -90, hi = -10): readonly [number, number, number] {
  const t = Math.max(0, Math.min(1, (db - lo) / (hi - lo)));
  // Dark blue → purple → orange → pale yellow: legible on a white page.
  const r = Math.round(255 * Math.min(1, 1.6 * t));
  const g = Math.round(255 * Math.max(0, 1.4 * t - 0.4));
  const b = Math.round(255 * (t < 0.5 ? 0.35 + t : Math.max(0, 1.7 - 2 * t)));
  return [r, g, Math.max(0, Math.min(255, b))];
}
