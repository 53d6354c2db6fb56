import { SoundTouch, Stretch } from '@soundtouchjs/core';

/**
 * The signal transforms behind /api/dataset/augment, each a pure function of the samples and its
 * parameters (the randomness is drawn by the caller, so a seed repeats an augmentation exactly).
 * Pitch and tempo go through SoundTouch's WSOLA stages; noise, shift and gain are simple enough
 * to be exact here, which is what lets the tests measure them (SNR, dB) against what was asked.
 */

/** SoundTouch works on interleaved stereo; a mono clip is fed as two equal channels. */
const CHUNK = 4096;

function runPipe(
  pipe: {
    inputBuffer: { putSamples(s: Float32Array, p?: number, n?: number): void } | null;
    outputBuffer: {
      readonly frameCount: number;
      extract(o: Float32Array, p?: number, n?: number): void;
      receive(n?: number): void;
    } | null;
    process(): void;
  },
  samples: Float32Array,
  outLength: number,
): Float32Array {
  const input = pipe.inputBuffer;
  const output = pipe.outputBuffer;
  if (!input || !output) throw new Error('SoundTouch pipe has no buffers');
  const out = new Float32Array(outLength);
  let written = 0;
  const drain = (): void => {
    while (output.frameCount > 0 && written < outLength) {
      const n = Math.min(output.frameCount, CHUNK, outLength - written);
      const frames = new Float32Array(n * 2);
      output.extract(frames, 0, n);
      output.receive(n);
      for (let i = 0; i < n; i++) out[written + i] = frames[i * 2]!;
      written += n;
    }
  };
  const stereo = new Float32Array(CHUNK * 2);
  // The pipes hold back a window's worth of samples; silence after the clip flushes them.
  const padded = samples.length + 16 * CHUNK;
  for (let at = 0; at < padded && written < outLength; at += CHUNK) {
    const n = Math.min(CHUNK, padded - at);
    stereo.fill(0);
    for (let i = 0; i < n; i++) {
      const v = samples[at + i] ?? 0;
      stereo[i * 2] = v;
      stereo[i * 2 + 1] = v;
    }
    input.putSamples(stereo, 0, n);
    pipe.process();
    drain();
  }
  return out;
}

/** Tempo × `rate` (1.2: 20 % faster, shorter), pitch kept. */
export function timeStretch(samples: Float32Array, sampleRate: number, rate: number): Float32Array {
  const stretch = new Stretch({ sampleRate, createBuffers: true });
  stretch.tempo = rate;
  return runPipe(stretch, samples, Math.max(1, Math.round(samples.length / rate)));
}

/** Pitch moved by `semitones`, duration kept. */
export function pitchShift(
  samples: Float32Array,
  sampleRate: number,
  semitones: number,
): Float32Array {
  const st = new SoundTouch({ sampleRate });
  st.pitchSemitones = semitones;
  return runPipe(st, samples, samples.length);
}

export const rms = (samples: Float32Array): number => {
  let sum = 0;
  for (const v of samples) sum += v * v;
  return samples.length === 0 ? 0 : Math.sqrt(sum / samples.length);
};

/**
 * Gaussian noise at `snrDb` below the clip's own RMS (relative to the signal, as the detector
 * app's prior art does), so a faint deep target gets proportionally faint noise.
 */
export function addNoise(samples: Float32Array, snrDb: number, rnd: () => number): Float32Array {
  const sigma = rms(samples) / 10 ** (snrDb / 20);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i += 2) {
    // Box–Muller: two independent normals per pair of uniforms.
    const u = Math.max(rnd(), 1e-12);
    const r = Math.sqrt(-2 * Math.log(u)) * sigma;
    const a = 2 * Math.PI * rnd();
    out[i] = samples[i]! + r * Math.cos(a);
    if (i + 1 < samples.length) out[i + 1] = samples[i + 1]! + r * Math.sin(a);
  }
  return out;
}

/** Moved later (positive) or earlier by `seconds`; what falls off one end is silence at the other. */
export function timeShift(
  samples: Float32Array,
  sampleRate: number,
  seconds: number,
): Float32Array {
  const by = Math.round(seconds * sampleRate);
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) {
    const from = i - by;
    if (from >= 0 && from < samples.length) out[i] = samples[from]!;
  }
  return out;
}

export function gain(samples: Float32Array, db: number): Float32Array {
  const k = 10 ** (db / 20);
  return samples.map((v) => v * k);
}
