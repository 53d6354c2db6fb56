import { mulberry32 } from '../splits/prng.js';
import { encodeWav16 } from './wav.js';

/** The reference's rate; every generated clip is mono at it. */
export const GENERATED_RATE = 22050;

export type DetectorClass = 'gold' | 'iron' | 'other';
/** What made an event: the class's target, or one of the `other` class's ground sounds. */
export type EventSource = 'gold' | 'iron' | 'hot_rock' | 'click_burst';

export interface GroundTruthEvent {
  readonly source: EventSource;
  /** Seconds from the clip's start. */
  readonly onset: number;
  readonly offset: number;
}

export interface ClipOptions {
  readonly seed: number;
  /** The events' class; `none` gives background alone (ground noise, hum, stray clicks). */
  readonly label: DetectorClass | 'none';
  readonly seconds?: number;
  /** Number of events; default 1–3 by seed. */
  readonly events?: number;
  /** Coil sweep speed, 0.5 (slow: long tones) … 2 (fast: short ones); default by seed. */
  readonly sweepSpeed?: number;
  /** Target depth: 0 (surface, loud) … 1 (deep, faint); default by seed. */
  readonly depth?: number;
  /** Mineralisation hum level, 0 … 1; default by seed. */
  readonly mineralisation?: number;
  /** Background noise level, 0 … 1; default by seed. 0 with everything else 0 is digital silence. */
  readonly noise?: number;
  /** Mains interference (50 or 60 Hz and harmonics); default by seed. */
  readonly emi?: boolean;
}

export interface GeneratedClip {
  readonly label: DetectorClass | 'none';
  readonly sampleRate: number;
  readonly samples: Float32Array;
  readonly events: readonly GroundTruthEvent[];
}

const TAU = 2 * Math.PI;

/** Attack and release of the coil passing over a target: a quick rise, a hold, a fall. */
function envelope(t: number, length: number, attack: number): number {
  if (t < 0 || t > length) return 0;
  const release = Math.min(length / 3, attack * 2);
  if (t < attack) return Math.sin(((t / attack) * Math.PI) / 2) ** 2;
  if (t > length - release) return Math.sin((((length - t) / release) * Math.PI) / 2) ** 2;
  return 1;
}

type Voice = (out: Float32Array, start: number, length: number, level: number) => void;

/** A smooth mid-to-high tone with a slight glide as the coil centres on the target. */
const goldVoice =
  (rnd: () => number): Voice =>
  (out, start, length, level) => {
    const f0 = 700 + rnd() * 800;
    const glide = (rnd() - 0.5) * 0.1;
    let phase = 0;
    for (let i = 0; i < length && start + i < out.length; i++) {
      const t = i / GENERATED_RATE;
      phase += (TAU * f0 * (1 + glide * (i / length))) / GENERATED_RATE;
      const s = Math.sin(phase) + 0.15 * Math.sin(2 * phase);
      out[start + i]! += level * envelope(t, length / GENERATED_RATE, 0.02) * s;
    }
  };

/** A low, broken grunt: a buzzy tone chopped by the signal dropping in and out. */
const ironVoice =
  (rnd: () => number): Voice =>
  (out, start, length, level) => {
    const f0 = 140 + rnd() * 160;
    const chop = 18 + rnd() * 12;
    let phase = 0;
    for (let i = 0; i < length && start + i < out.length; i++) {
      const t = i / GENERATED_RATE;
      phase += (TAU * f0 * (1 + 0.08 * Math.sin(TAU * 7 * t))) / GENERATED_RATE;
      // Sawtooth-like: rich in harmonics, hence "grunt" rather than tone.
      const saw = ((phase / Math.PI) % 2) - 1;
      const gate = 0.35 + 0.65 * (Math.sin(TAU * chop * t) > -0.3 ? 1 : 0);
      out[start + i]! += level * envelope(t, length / GENERATED_RATE, 0.02) * gate * saw * 0.8;
    }
  };

/** Hot rock: a short, dull blip. */
const hotRockVoice =
  (rnd: () => number): Voice =>
  (out, start, length, level) => {
    const f0 = 320 + rnd() * 200;
    for (let i = 0; i < length && start + i < out.length; i++) {
      const t = i / GENERATED_RATE;
      const s = Math.sin(TAU * f0 * t) * envelope(t, length / GENERATED_RATE, 0.012);
      out[start + i]! += level * s;
    }
  };

/** A burst of clicks: the coil knocking on stones or a cable crackling. */
const clickBurstVoice =
  (rnd: () => number): Voice =>
  (out, start, length, level) => {
    for (let at = 0; at < length; at += Math.round(GENERATED_RATE * (0.004 + rnd() * 0.004))) {
      clickAt(out, start + at, level * (0.6 + rnd() * 0.4), rnd);
    }
  };

const VOICES: Readonly<Record<EventSource, (rnd: () => number) => Voice>> = {
  gold: goldVoice,
  iron: ironVoice,
  hot_rock: hotRockVoice,
  click_burst: clickBurstVoice,
};

function clickAt(out: Float32Array, at: number, level: number, rnd: () => number): void {
  const n = Math.round(GENERATED_RATE * 0.003);
  for (let i = 0; i < n && at + i < out.length; i++) {
    if (at + i >= 0) out[at + i]! += level * (rnd() * 2 - 1) * Math.exp(-i / (n / 4));
  }
}

/** Ground noise (brownish: integrated white noise), mineralisation hum, mains hum, stray clicks. */
function background(out: Float32Array, rnd: () => number, o: Required<ClipOptions>): void {
  const noise = 0.02 * o.noise;
  const mineral = 0.05 * o.mineralisation;
  const humHz = rnd() < 0.5 ? 50 : 60;
  const mineralHz = 35 + rnd() * 40;
  const swell = 0.2 + rnd() * 0.5;
  let brown = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / GENERATED_RATE;
    brown = 0.98 * brown + (rnd() * 2 - 1) * 0.2;
    let v = noise * (0.6 * (rnd() * 2 - 1) + brown);
    // Mineralised ground: a low hum that swells and fades slowly as the coil moves.
    v += mineral * (0.6 + 0.4 * Math.sin(TAU * swell * t)) * Math.sin(TAU * mineralHz * t);
    if (o.emi) {
      v += 0.008 * (Math.sin(TAU * humHz * t) + 0.5 * Math.sin(TAU * 3 * humHz * t));
    }
    out[i]! += v;
  }
  // A few isolated clicks: too short to be an event, present in every class.
  if (o.noise > 0) {
    const clicks = Math.floor(rnd() * 3);
    for (let c = 0; c < clicks; c++) {
      clickAt(out, Math.floor(rnd() * out.length), 0.05 + rnd() * 0.1, rnd);
    }
  }
}

function resolved(o: ClipOptions, rnd: () => number): Required<ClipOptions> {
  return {
    seed: o.seed,
    label: o.label,
    seconds: o.seconds ?? 3,
    events: o.events ?? 1 + Math.floor(rnd() * 3),
    sweepSpeed: o.sweepSpeed ?? 0.6 + rnd() * 1.2,
    depth: o.depth ?? rnd() * 0.8,
    mineralisation: o.mineralisation ?? rnd(),
    noise: o.noise ?? 0.2 + rnd() * 0.8,
    emi: o.emi ?? rnd() < 0.4,
  };
}

/**
 * One metal-detector-like recording, the same for the same options and seed, with the onset and
 * offset of every event it holds. Events are spread over the clip with at least 0.35 s of quiet
 * between them, so an onset detector has a fair chance to tell them apart.
 */
export function generateClip(options: ClipOptions): GeneratedClip {
  const rnd = mulberry32(options.seed);
  const o = resolved(options, rnd);
  const out = new Float32Array(Math.round(o.seconds * GENERATED_RATE));
  background(out, rnd, o);
  const events: GroundTruthEvent[] = [];
  if (o.label !== 'none' && o.events > 0) {
    const slot = o.seconds / o.events;
    for (let k = 0; k < o.events; k++) {
      const source: EventSource =
        o.label === 'other' ? (rnd() < 0.5 ? 'hot_rock' : 'click_burst') : o.label;
      const base = source === 'hot_rock' || source === 'click_burst' ? 0.12 : 0.45;
      const length = Math.min(slot - 0.4, (base / o.sweepSpeed) * (0.8 + rnd() * 0.4));
      const onset = k * slot + 0.15 + rnd() * Math.max(0, slot - length - 0.35);
      // Clicks come from the coil knocking stones at the surface: depth does not soften them.
      const depth = source === 'click_burst' ? 0 : o.depth;
      const level = 0.6 * (1 - 0.75 * depth) * (0.85 + rnd() * 0.15);
      const play = VOICES[source](rnd);
      const start = Math.round(onset * GENERATED_RATE);
      const n = Math.round(length * GENERATED_RATE);
      play(out, start, n, level);
      events.push({ source, onset: start / GENERATED_RATE, offset: (start + n) / GENERATED_RATE });
    }
  }
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-1, Math.min(1, out[i]!));
  return { label: o.label, sampleRate: GENERATED_RATE, samples: out, events };
}

/** The clip as a 16-bit PCM mono WAV file. */
export const clipWav = (clip: GeneratedClip): Buffer => encodeWav16(clip.samples, clip.sampleRate);
