import { describe, expect, it } from 'vitest';
import {
  SampleChunker,
  audioDataMessage,
  chunkSizeFor,
} from '../../src-renderer/lib/audio/chunker.js';
import {
  SILENCE_DB,
  chunkLevel,
  fallingLevel,
  isClipping,
  meterFraction,
} from '../../src-renderer/lib/audio/level-meter.js';
import {
  binOf,
  fftInPlace,
  frameDb,
  heatColor,
  spectrogram,
} from '../../src-renderer/lib/audio/spectrogram.js';
import { encodeWavMono16, joinBlocks } from '../../src-renderer/lib/audio/wav-encode.js';

const sine = (n: number, hz: number, rate: number, amp = 1): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => amp * Math.sin((2 * Math.PI * hz * i) / rate));

function naiveDft(x: readonly number[]): { re: number[]; im: number[] } {
  const n = x.length;
  const re: number[] = [];
  const im: number[] = [];
  for (let k = 0; k < n; k++) {
    let r = 0;
    let i = 0;
    for (let t = 0; t < n; t++) {
      r += x[t]! * Math.cos((-2 * Math.PI * k * t) / n);
      i += x[t]! * Math.sin((-2 * Math.PI * k * t) / n);
    }
    re.push(r);
    im.push(i);
  }
  return { re, im };
}

describe('spectrogram FFT', () => {
  it('equals the textbook DFT on a random frame', () => {
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const x = Array.from({ length: 64 }, rnd);
    const re = Float64Array.from(x);
    const im = new Float64Array(64);
    fftInPlace(re, im);
    const want = naiveDft(x);
    for (let k = 0; k < 64; k++) {
      expect(re[k]).toBeCloseTo(want.re[k]!, 9);
      expect(im[k]).toBeCloseTo(want.im[k]!, 9);
    }
  });

  it('refuses a size that is not a power of two', () => {
    expect(() => fftInPlace(new Float64Array(48), new Float64Array(48))).toThrow(/power of two/);
  });

  it('puts a full-scale tone in its bin at about 0 dB, and little elsewhere', () => {
    const rate = 16_000;
    const size = 512;
    const hz = (40 * rate) / size; // exactly bin 40
    const db = frameDb(sine(size, hz, rate), size);
    const peak = db.indexOf(Math.max(...db));
    expect(peak).toBe(binOf(hz, size, rate));
    expect(db[peak]).toBeGreaterThan(-1);
    expect(db[peak]).toBeLessThan(0.5);
    expect(db[100]).toBeLessThan(-60);
  });

  it('reads non-finite samples as silence and pads a short frame', () => {
    const frame = [Number.NaN, Number.POSITIVE_INFINITY, 0];
    const db = frameDb(frame, 256);
    expect(db).toHaveLength(128);
    expect(Math.max(...db)).toBe(-100);
  });

  it('makes one column per hop, thinned to the canvas width for long clips', () => {
    const x = sine(16_000, 1000, 16_000);
    const cols = spectrogram(x, 512, 256);
    expect(cols).toHaveLength(Math.floor((16_000 - 512) / 256) + 1);
    expect(cols[0]).toHaveLength(256);
    const thin = spectrogram(x, 512, 256, 20);
    expect(thin.length).toBeLessThanOrEqual(20);
    expect(spectrogram([], 512, 256)).toEqual([]);
  });

  it('colours louder cells brighter', () => {
    const sum = (c: readonly number[]): number => c.reduce((a, b) => a + b, 0);
    expect(sum(heatColor(-20))).toBeGreaterThan(sum(heatColor(-80)));
    expect(heatColor(-500)).toEqual(heatColor(-90));
  });
});

describe('level meter', () => {
  it('reads a full-scale sine at −3 dBFS RMS and 0 dBFS peak', () => {
    const level = chunkLevel(sine(4800, 1000, 48_000));
    expect(level.rmsDb).toBeCloseTo(-3.01, 1);
    expect(level.peakDb).toBeCloseTo(0, 1);
    expect(isClipping(level)).toBe(true);
  });

  it('reads silence, empty chunks and NaN-only chunks as the floor', () => {
    expect(chunkLevel(new Float32Array(128)).rmsDb).toBe(SILENCE_DB);
    expect(chunkLevel([]).peakDb).toBe(SILENCE_DB);
    expect(chunkLevel([Number.NaN, Number.NaN]).rmsDb).toBe(SILENCE_DB);
    // NaN among real samples is skipped, not poisoning the mean.
    expect(chunkLevel([Number.NaN, 0.5, -0.5]).rmsDb).toBeCloseTo(-6.02, 1);
  });

  it('maps dB onto the bar and lets the needle fall slowly', () => {
    expect(meterFraction(0)).toBe(1);
    expect(meterFraction(-30)).toBeCloseTo(0.5);
    expect(meterFraction(-90)).toBe(0);
    expect(meterFraction(Number.NaN)).toBe(0);
    expect(fallingLevel(-40, -10, 0.1)).toBe(-10);
    expect(fallingLevel(-10, -80, 0.5)).toBeCloseTo(-22);
    expect(fallingLevel(-10, -80, 100)).toBe(-80);
  });
});

describe('chunker', () => {
  it('turns 128-frame blocks into exact chunks, in order, none lost', () => {
    const chunks: Float32Array[] = [];
    const c = new SampleChunker(300, (x) => chunks.push(x));
    const all = Float32Array.from({ length: 128 * 10 }, (_, i) => i);
    for (let i = 0; i < 10; i++) c.push(all.subarray(i * 128, (i + 1) * 128));
    expect(chunks.map((x) => x.length)).toEqual([300, 300, 300, 300]);
    expect(c.pending).toBe(1280 - 1200);
    c.flush();
    expect(chunks[4]).toHaveLength(80);
    expect(Array.from(joinBlocks(chunks))).toEqual(Array.from(all));
    c.flush();
    expect(chunks).toHaveLength(5);
  });

  it('hands on chunks the caller may keep (no shared buffer)', () => {
    const chunks: Float32Array[] = [];
    const c = new SampleChunker(4, (x) => chunks.push(x));
    c.push([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(Array.from(chunks[0]!)).toEqual([1, 2, 3, 4]);
    expect(Array.from(chunks[1]!)).toEqual([5, 6, 7, 8]);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    expect(() => new SampleChunker(0, () => undefined)).toThrow();
    expect(() => new SampleChunker(2.5, () => undefined)).toThrow();
  });

  it('sizes chunks by time and writes the documented audio_data message', () => {
    expect(chunkSizeFor(48_000, 100)).toBe(4800);
    expect(chunkSizeFor(8000, 1)).toBe(128);
    const msg = audioDataMessage(Float32Array.from([0.25, Number.NaN, -1, Infinity]), 44_100);
    expect(msg).toEqual({ audio: [0.25, 0, -1, 0], sampleRate: 44_100 });
    expect(JSON.parse(JSON.stringify(msg))).toEqual(msg);
  });
});

describe('recording as WAV', () => {
  it('writes a mono 16-bit PCM file whose samples read back', () => {
    const samples = [0, 0.5, -0.5, 1, -1, 2, Number.NaN];
    const wav = encodeWavMono16(samples, 22_050);
    const v = new DataView(wav.buffer);
    const text = (o: number): string => String.fromCharCode(...wav.subarray(o, o + 4));
    expect([text(0), text(8), text(12), text(36)]).toEqual(['RIFF', 'WAVE', 'fmt ', 'data']);
    expect(v.getUint32(4, true)).toBe(wav.length - 8);
    expect(v.getUint16(22, true)).toBe(1);
    expect(v.getUint32(24, true)).toBe(22_050);
    expect(v.getUint32(40, true)).toBe(samples.length * 2);
    const back = Array.from({ length: samples.length }, (_, i) => v.getInt16(44 + i * 2, true));
    expect(back).toEqual([0, 16384, -16383, 32767, -32767, 32767, 0]);
  });
});
