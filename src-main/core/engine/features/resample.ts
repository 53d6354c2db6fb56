/** Zero crossings of the sinc kept on each side: −80 dB-ish stop band with the Blackman window. */
const ZERO_CROSSINGS = 16;

/**
 * Band-limited resampling by windowed sinc (Blackman window). Downsampling lowers the cut-off to
 * the new Nyquist frequency, so tones above it are removed instead of aliasing back down, which
 * plain linear interpolation would do. Output length = round(length · to / from).
 */
export function resample(x: Float32Array, from: number, to: number): Float32Array {
  if (from === to) return x.slice();
  const ratio = to / from;
  const outLength = Math.round(x.length * ratio);
  const cutoff = Math.min(1, ratio) * 0.95; // a little below Nyquist: the transition band fits
  const half = Math.ceil(ZERO_CROSSINGS / cutoff);
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const t = i / ratio;
    const centre = Math.floor(t);
    let sum = 0;
    for (let j = centre - half + 1; j <= centre + half; j++) {
      if (j < 0 || j >= x.length) continue;
      const d = t - j;
      const u = d / half;
      if (u <= -1 || u >= 1) continue;
      const window = 0.42 + 0.5 * Math.cos(Math.PI * u) + 0.08 * Math.cos(2 * Math.PI * u);
      const arg = Math.PI * cutoff * d;
      const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
      sum += (x[j] as number) * cutoff * sinc * window;
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
