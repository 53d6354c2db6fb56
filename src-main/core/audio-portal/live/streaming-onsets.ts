import { FRAME, HOP, fft, type OnsetOptions } from '../onsets.js';

/** What the detector reports as frames arrive: an event confirmed at its onset, and its end. */
export type OnsetSignal =
  | { readonly kind: 'onset'; readonly sample: number }
  | { readonly kind: 'offset'; readonly sample: number };

/** Seconds of frames the noise floor and the usual flux are judged over. */
const HISTORY_SECONDS = 4;
/** Before this many frames there is no floor to rise above (about 90 ms at 22.05 kHz). */
const WARM_FRAMES = 8;

type State = 'idle' | 'rising' | 'active' | 'rejected';

function percentile(values: Float64Array, count: number, p: number): number {
  const sorted = values.slice(0, count).sort();
  return sorted[Math.min(count - 1, Math.floor(p * count))]!;
}

/**
 * `detectOnsets` (onsets.ts) as frames arrive: the same frames, energy and spectral flux, the
 * same rules (rise over a low-percentile noise floor and an absolute floor, a sharp spectral
 * change near the start, minimum gap, minimum duration), with the floor and the usual flux taken
 * over the last few seconds instead of the whole clip. An event is reported as soon as it has
 * lasted `minDuration`, at the onset the clip detector would give it, so a verdict can follow
 * within a few frames.
 */
export class StreamingOnsets {
  private readonly minGap: number;
  private readonly minDuration: number;
  private readonly riseDb: number;
  private readonly absFloor: number;
  private readonly window = Float64Array.from(
    { length: FRAME },
    (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / FRAME),
  );
  private readonly capacity: number;
  private readonly energies: Float64Array;
  private readonly fluxes: Float64Array;
  /** Frames that went into the noise floor (those outside events). */
  private background = 0;
  /** Frames analysed so far; frame f starts at sample f·HOP. */
  private frames = 0;
  private pending = new Float32Array(0);
  /** Absolute sample index of `pending[0]`. */
  private pendingStart = 0;
  private prevMag: Float64Array | null = null;
  private state: State = 'idle';
  private runStart = 0;
  private runEnd = 0;
  private floor = -120;
  private fluxNeed = 1;
  private readonly re = new Float64Array(FRAME);
  private readonly im = new Float64Array(FRAME);

  constructor(
    private readonly sampleRate: number,
    options: OnsetOptions = {},
  ) {
    this.minGap = options.minGap ?? 0.08;
    this.minDuration = options.minDuration ?? 0.04;
    this.riseDb = options.riseDb ?? 10;
    this.absFloor = options.floorDb ?? -60;
    this.capacity = Math.ceil((HISTORY_SECONDS * sampleRate) / HOP);
    this.energies = new Float64Array(this.capacity);
    this.fluxes = new Float64Array(this.capacity);
  }

  /** Feeds samples (at the detector's rate); returns what the completed frames revealed. */
  push(samples: Float32Array): OnsetSignal[] {
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const signals: OnsetSignal[] = [];
    for (;;) {
      const at = this.frames * HOP - this.pendingStart;
      if (at + FRAME > joined.length) break;
      this.frame(joined.subarray(at, at + FRAME), signals);
    }
    const keep = this.frames * HOP - this.pendingStart;
    this.pending = joined.slice(keep);
    this.pendingStart += keep;
    return signals;
  }

  private seconds(frame: number): number {
    return (frame * HOP + FRAME / 2) / this.sampleRate;
  }

  private fluxAt(frame: number): number {
    return this.fluxes[frame % this.capacity]!;
  }

  private frame(x: Float32Array, signals: OnsetSignal[]): void {
    const { re, im, window } = this;
    let sum = 0;
    for (let i = 0; i < FRAME; i++) {
      const v = x[i]!;
      sum += v * v;
      re[i] = v * window[i]!;
      im[i] = 0;
    }
    fft(re, im);
    const mag = new Float64Array(FRAME / 2);
    let flux = 0;
    for (let k = 0; k < FRAME / 2; k++) {
      mag[k] = Math.hypot(re[k]!, im[k]!);
      if (this.prevMag) flux += Math.max(0, mag[k]! - this.prevMag[k]!);
    }
    this.prevMag = mag;
    const f = this.frames++;
    const energy = 10 * Math.log10(sum / FRAME + 1e-12);
    this.fluxes[f % this.capacity] = flux;
    // Sorting a few hundred numbers every frame costs more than the frame itself: every 8th does.
    if (f % 8 === 0 || f < WARM_FRAMES * 2) {
      const count = Math.min(this.background, this.capacity);
      if (count > 0) this.floor = percentile(this.energies, count, 0.2);
      this.fluxNeed = Math.max(
        percentile(this.fluxes, Math.min(this.frames, this.capacity), 0.5) * 3,
        1,
      );
    }
    if (this.frames >= WARM_FRAMES) {
      this.step(f, energy >= Math.max(this.floor + this.riseDb, this.absFloor), signals);
    }
    // The floor is the ground's level, so an event's own frames stay out of it (a long tone would
    // otherwise lift the floor to itself and end early); a "run" that lasts for seconds is the
    // ground getting louder, and the floor follows it.
    const long = this.seconds(f) - this.seconds(this.runStart) > HISTORY_SECONDS / 2;
    if (this.state === 'idle' || long) {
      this.energies[this.background++ % this.capacity] = energy;
    }
  }

  private step(f: number, loud: boolean, signals: OnsetSignal[]): void {
    if (this.state === 'idle') {
      if (!loud) return;
      this.state = 'rising';
      this.runStart = f;
      this.runEnd = f;
    } else if (loud) {
      this.runEnd = f;
    } else if (this.seconds(f) - this.seconds(this.runEnd) > this.minGap) {
      if (this.state === 'active') {
        signals.push({ kind: 'offset', sample: this.runEnd * HOP + FRAME });
      }
      this.state = 'idle';
      return;
    }
    if (this.state !== 'rising') return;
    const duration =
      this.seconds(this.runEnd) - this.seconds(this.runStart) + HOP / this.sampleRate;
    if (duration < this.minDuration || f < this.runStart + 1) return;
    const lookBack = Math.ceil((0.05 * this.sampleRate) / HOP);
    const oldest = Math.max(1, this.runStart - lookBack, this.frames - this.capacity);
    let best = this.runStart;
    for (let i = oldest; i <= this.runStart + 1; i++) {
      if (this.fluxAt(i) > this.fluxAt(best)) best = i;
    }
    if (this.fluxAt(best) < this.fluxNeed) {
      this.state = 'rejected';
      return;
    }
    this.state = 'active';
    signals.push({ kind: 'onset', sample: best * HOP });
  }
}
