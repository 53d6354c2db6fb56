import FFT from 'fft.js';
import { melFilterbank } from '../../engine/features/mel.js';
import { detectOnsets, type AcousticEvent } from '../onsets.js';
import { resamplePoly } from './resample-poly.js';

/**
 * The front end every family shares, after the prior art on real detector audio: 16 kHz, 1 s
 * windows with a 0.5 s hop, 40 log-mel bands from 80 Hz, and a separate loudness value per frame
 * (the models must hear how loud a target is, and per-window normalisation would hide it).
 */
export const MODEL_RATE = 16_000;
export const WINDOW_SAMPLES = MODEL_RATE;
export const WINDOW_HOP = MODEL_RATE / 2;
export const N_MELS = 40;
const FRAME = 400;
const FRAME_HOP = 160;
const FFT_SIZE = 512;
const F_MIN = 80;
/** Mel frames in one window: 25 ms frames every 10 ms over 1 s. */
export const WINDOW_FRAMES = 1 + Math.floor((WINDOW_SAMPLES - FRAME) / FRAME_HOP);
/** Per frame: the mel bands, then the loudness. */
export const FRAME_FEATURES = N_MELS + 1;
/** Padding before and after an event when a clip is trimmed to it, seconds. */
const EVENT_PAD = 0.05;

export function toModelRate(mono: Float32Array, sampleRate: number): Float32Array {
  return sampleRate === MODEL_RATE ? mono : resamplePoly(mono, sampleRate, MODEL_RATE);
}

/**
 * The parts of a clip (at MODEL_RATE) the models judge: its acoustic events, each padded a little,
 * or the whole clip when it has none (ambient sound is a verdict too); with the events found.
 */
export function segmentsWithEvents(samples: Float32Array): {
  segments: Float32Array[];
  events: AcousticEvent[];
} {
  const events = detectOnsets(samples, MODEL_RATE);
  if (events.length === 0) return { segments: [samples], events };
  const segments = events.map((e) => {
    const from = Math.max(0, Math.floor((e.onset - EVENT_PAD) * MODEL_RATE));
    const to = Math.min(samples.length, Math.ceil((e.offset + EVENT_PAD) * MODEL_RATE));
    return samples.subarray(from, Math.max(to, from + 1));
  });
  return { segments, events };
}

export const segmentsOf = (samples: Float32Array): Float32Array[] =>
  segmentsWithEvents(samples).segments;

/** Lengths of an event's opening the live stream judges it on, seconds (see attackCrops). */
const ATTACK_SECONDS = [0.1, 0.15, 0.25, 0.4] as const;

/**
 * The openings of a training segment: the live stream gives its first verdict ~0.1 s after an
 * onset, on the event's attack alone, and a model that only ever saw whole events takes a tone's
 * first tenth of a second for a short blip ("other"). Training on the openings too teaches each
 * family what the start of every class sounds like; a segment shorter than a crop adds nothing.
 */
export function attackCrops(segment: Float32Array): Float32Array[] {
  const pad = Math.round(EVENT_PAD * MODEL_RATE);
  return ATTACK_SECONDS.map((s) => pad + Math.round(s * MODEL_RATE))
    .filter((n) => n < segment.length)
    .map((n) => segment.subarray(0, n));
}

let cached: { fft: FFT; window: Float32Array; filters: Float32Array[] } | null = null;
function frontEnd(): NonNullable<typeof cached> {
  cached ??= {
    fft: new FFT(FFT_SIZE),
    window: Float32Array.from(
      { length: FRAME },
      (_, n) => 0.5 - 0.5 * Math.cos((2 * Math.PI * n) / FRAME),
    ),
    filters: melFilterbank(MODEL_RATE, FFT_SIZE, N_MELS, F_MIN, MODEL_RATE / 2),
  };
  return cached;
}

/** Log-mel + loudness frames of a signal, time-major [frames][FRAME_FEATURES]. */
export function melFrames(signal: Float32Array): Float32Array {
  const { fft, window, filters } = frontEnd();
  const frames = signal.length < FRAME ? 0 : 1 + Math.floor((signal.length - FRAME) / FRAME_HOP);
  const out = new Float32Array(frames * FRAME_FEATURES);
  const frame = new Array<number>(FFT_SIZE).fill(0);
  const spectrum = fft.createComplexArray() as number[];
  const bins = FFT_SIZE / 2 + 1;
  const power = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const start = t * FRAME_HOP;
    let energy = 0;
    for (let n = 0; n < FRAME; n++) {
      const v = signal[start + n]!;
      energy += v * v;
      frame[n] = v * window[n]!;
    }
    fft.realTransform(spectrum, frame);
    for (let k = 0; k < bins; k++) {
      const re = spectrum[2 * k]!;
      const im = spectrum[2 * k + 1]!;
      power[k] = re * re + im * im;
    }
    const row = t * FRAME_FEATURES;
    for (let m = 0; m < N_MELS; m++) {
      const f = filters[m]!;
      let s = 0;
      for (let k = 0; k < bins; k++) if (f[k] !== 0) s += f[k]! * power[k]!;
      out[row + m] = Math.log(s + 1e-6);
    }
    // Loudness: the frame's mean power in dB, scaled near the bands' range.
    out[row + N_MELS] = (10 * Math.log10(energy / FRAME + 1e-10)) / 10;
  }
  return out;
}

/**
 * The 1 s windows (each WINDOW_FRAMES × FRAME_FEATURES) over a segment, every 0.5 s; a segment
 * shorter than a window is zero-padded around its centre (silence, not a repeat of the sound).
 */
export function windowFeatures(segment: Float32Array): Float32Array[] {
  let signal = segment;
  if (signal.length < WINDOW_SAMPLES) {
    signal = new Float32Array(WINDOW_SAMPLES);
    signal.set(segment, Math.floor((WINDOW_SAMPLES - segment.length) / 2));
  }
  const frames = melFrames(signal);
  const total = frames.length / FRAME_FEATURES;
  const size = WINDOW_FRAMES * FRAME_FEATURES;
  const hopFrames = WINDOW_HOP / FRAME_HOP;
  const out: Float32Array[] = [];
  for (let f = 0; f + WINDOW_FRAMES <= total; f += hopFrames) {
    out.push(frames.slice(f * FRAME_FEATURES, f * FRAME_FEATURES + size));
  }
  // The tail a hop would miss gets a window of its own, ending at the segment's end.
  if ((total - WINDOW_FRAMES) % hopFrames !== 0) {
    out.push(frames.slice((total - WINDOW_FRAMES) * FRAME_FEATURES));
  }
  return out;
}
