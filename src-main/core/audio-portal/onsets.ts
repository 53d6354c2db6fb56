/** One acoustic event: seconds from the clip's start. */
export interface AcousticEvent {
  readonly onset: number;
  readonly offset: number;
}

export interface OnsetOptions {
  /** Frames closer than this (seconds) are one event: a broken iron grunt stays one. */
  readonly minGap?: number;
  /** Events shorter than this (seconds) are dropped: a single click is not a target. */
  readonly minDuration?: number;
  /** How far above the clip's noise floor (dB) a frame's energy must rise to count. */
  readonly riseDb?: number;
  /** Frames quieter than this (dBFS) never count, however quiet the floor: silence has no events. */
  readonly floorDb?: number;
}

/** Analysis frame and hop in samples (shared with the streaming detector). */
export const FRAME = 512;
export const HOP = 256;

/** cos/sin of −2πk/n for k < n/2, per length: computed once, not per butterfly. */
const twiddles = new Map<number, { cos: Float64Array; sin: Float64Array }>();
function twiddlesFor(n: number): { cos: Float64Array; sin: Float64Array } {
  let t = twiddles.get(n);
  if (!t) {
    const cos = new Float64Array(n / 2);
    const sin = new Float64Array(n / 2);
    for (let k = 0; k < n / 2; k++) {
      cos[k] = Math.cos((-2 * Math.PI * k) / n);
      sin[k] = Math.sin((-2 * Math.PI * k) / n);
    }
    t = { cos, sin };
    twiddles.set(n, t);
  }
  return t;
}

/** In-place radix-2 FFT of a power-of-two length (re, im). */
export function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  const tw = twiddlesFor(n);
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
    const stride = n / len;
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const wr = tw.cos[k * stride]!;
        const wi = tw.sin[k * stride]!;
        const a = i + k;
        const b = a + len / 2;
        const xr = re[b]! * wr - im[b]! * wi;
        const xi = re[b]! * wi + im[b]! * wr;
        re[b] = re[a]! - xr;
        im[b] = im[a]! - xi;
        re[a] = re[a]! + xr;
        im[a] = im[a]! + xi;
      }
    }
  }
}

/** Per frame: energy (dBFS) and spectral flux (sum of positive log-magnitude rises). */
export function frameFeatures(samples: Float32Array): { energyDb: number[]; flux: number[] } {
  const energyDb: number[] = [];
  const flux: number[] = [];
  const window = Float64Array.from(
    { length: FRAME },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME),
  );
  let prev: Float64Array | null = null;
  for (let start = 0; start + FRAME <= samples.length; start += HOP) {
    const re = new Float64Array(FRAME);
    const im = new Float64Array(FRAME);
    let sum = 0;
    for (let i = 0; i < FRAME; i++) {
      const v = samples[start + i]!;
      sum += v * v;
      re[i] = v * window[i]!;
    }
    energyDb.push(10 * Math.log10(sum / FRAME + 1e-12));
    fft(re, im);
    const mag = new Float64Array(FRAME / 2);
    let f = 0;
    for (let k = 0; k < FRAME / 2; k++) {
      mag[k] = Math.hypot(re[k]!, im[k]!);
      if (prev) f += Math.max(0, mag[k]! - prev[k]!);
    }
    flux.push(f);
    prev = mag;
  }
  return { energyDb, flux };
}

function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/**
 * Onsets by energy and spectral flux. A frame is loud when its energy is `riseDb` above the
 * clip's noise floor (a low percentile of the frames: hum and ground noise are always there, so
 * they set it) and above an absolute floor. Loud runs closer than `minGap` merge; runs shorter
 * than `minDuration` go. A run counts only if the spectrum changed sharply somewhere near its
 * start (flux well above the clip's usual), which a slowly swelling mineral hum never does; the
 * onset is placed at that change, the sharpest flux rise just before or at the energy crossing.
 */
export function detectOnsets(
  samples: Float32Array,
  sampleRate: number,
  options: OnsetOptions = {},
): AcousticEvent[] {
  const minGap = options.minGap ?? 0.08;
  const minDuration = options.minDuration ?? 0.04;
  const riseDb = options.riseDb ?? 10;
  const absFloor = options.floorDb ?? -60;
  const { energyDb, flux } = frameFeatures(samples);
  if (energyDb.length === 0) return [];
  const floor = percentile(energyDb, 0.2);
  const threshold = Math.max(floor + riseDb, absFloor);
  const fluxMedian = percentile(flux, 0.5);
  const fluxNeed = Math.max(fluxMedian * 3, 1);
  const seconds = (frame: number): number => (frame * HOP + FRAME / 2) / sampleRate;

  const runs: { start: number; end: number }[] = [];
  for (let i = 0; i < energyDb.length; i++) {
    if (energyDb[i]! < threshold) continue;
    const last = runs[runs.length - 1];
    if (last && seconds(i) - seconds(last.end) <= minGap) last.end = i;
    else runs.push({ start: i, end: i });
  }
  const events: AcousticEvent[] = [];
  const lookBack = Math.ceil((0.05 * sampleRate) / HOP);
  for (const run of runs) {
    if (seconds(run.end) - seconds(run.start) + HOP / sampleRate < minDuration) continue;
    let best = run.start;
    for (let i = Math.max(1, run.start - lookBack); i <= run.start + 1 && i < flux.length; i++) {
      if (flux[i]! > flux[best]!) best = i;
    }
    if (flux[best]! < fluxNeed) continue;
    // Frame `best` is the first that holds the change; its centre sits FRAME/2 past the change at
    // most, so the onset is taken at the frame's start.
    events.push({
      onset: Math.max(0, (best * HOP) / sampleRate),
      offset: Math.min(samples.length / sampleRate, seconds(run.end) + FRAME / 2 / sampleRate),
    });
  }
  return events;
}
