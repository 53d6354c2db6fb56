// The onset detector against the generator's ground truth: every class, every background, and
// clips that hold nothing (digital silence, ground noise and hum alone) giving no events.
import { describe, expect, it } from 'vitest';
import {
  clipWav,
  generateClip,
  GENERATED_RATE,
  type DetectorClass,
} from '../../src-main/core/audio-portal/generate.js';
import { detectOnsets } from '../../src-main/core/audio-portal/onsets.js';
import { wavHeaderProblem } from '../../src-main/core/audio-portal/wav.js';

const TOLERANCE_S = 0.03;

describe('onset detection on generated recordings', () => {
  for (const label of ['gold', 'iron', 'other'] as DetectorClass[]) {
    it(`finds each ${label} event once, its onset within ${TOLERANCE_S * 1000} ms`, () => {
      for (let seed = 1; seed <= 30; seed++) {
        const clip = generateClip({ seed: seed * 31 + label.length, label });
        const found = detectOnsets(clip.samples, clip.sampleRate);
        expect(found.length, `seed ${seed}`).toBe(clip.events.length);
        found.forEach((e, i) => {
          expect(Math.abs(e.onset - clip.events[i]!.onset), `seed ${seed} event ${i}`).toBeLessThan(
            TOLERANCE_S,
          );
        });
      }
    });
  }

  it('holds up at the extremes: fast sweeps, deep targets, loud ground', () => {
    const clip = generateClip({
      seed: 5,
      label: 'gold',
      events: 3,
      sweepSpeed: 2,
      depth: 0.8,
      noise: 1,
      mineralisation: 1,
      emi: true,
    });
    const found = detectOnsets(clip.samples, clip.sampleRate);
    expect(found).toHaveLength(3);
    found.forEach((e, i) => {
      expect(Math.abs(e.onset - clip.events[i]!.onset)).toBeLessThan(TOLERANCE_S);
    });
  });

  it('gives no events for silence, and none for ground noise, hum and stray clicks alone', () => {
    expect(detectOnsets(new Float32Array(GENERATED_RATE * 2), GENERATED_RATE)).toEqual([]);
    expect(detectOnsets(new Float32Array(100), GENERATED_RATE)).toEqual([]);
    for (let seed = 1; seed <= 30; seed++) {
      const clip = generateClip({
        seed,
        label: 'none',
        noise: 1,
        mineralisation: 1,
        emi: seed % 2 === 0,
      });
      expect(detectOnsets(clip.samples, clip.sampleRate), `seed ${seed}`).toEqual([]);
    }
  });

  it('a minimum duration drops short events, a minimum gap merges close ones', () => {
    const clip = generateClip({ seed: 9, label: 'iron', events: 2, sweepSpeed: 1 });
    expect(detectOnsets(clip.samples, clip.sampleRate)).toHaveLength(2);
    expect(detectOnsets(clip.samples, clip.sampleRate, { minDuration: 5 })).toEqual([]);
    const merged = detectOnsets(clip.samples, clip.sampleRate, { minGap: 3 });
    expect(merged).toHaveLength(1);
  });
});

describe('generated recordings', () => {
  it('are deterministic by seed, 22050 Hz mono 16-bit WAV with consistent headers', () => {
    const a = clipWav(generateClip({ seed: 3, label: 'gold' }));
    const b = clipWav(generateClip({ seed: 3, label: 'gold' }));
    const c = clipWav(generateClip({ seed: 4, label: 'gold' }));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    expect(a.readUInt32LE(24)).toBe(22050);
    expect(a.readUInt16LE(22)).toBe(1);
    expect(a.readUInt16LE(34)).toBe(16);
    expect(wavHeaderProblem(a, a.length)).toBeNull();
    expect(wavHeaderProblem(a.subarray(0, 1000), 1000)).toMatch(/header says/);
  });

  it('sound like their class: gold high and smooth, iron low', () => {
    const centroid = (label: DetectorClass): number => {
      const clip = generateClip({
        seed: 2,
        label,
        events: 1,
        noise: 0,
        mineralisation: 0,
        emi: false,
      });
      const e = clip.events[0]!;
      const s = clip.samples.subarray(
        Math.round(e.onset * GENERATED_RATE),
        Math.round(e.offset * GENERATED_RATE),
      );
      let crossings = 0;
      for (let i = 1; i < s.length; i++) if (s[i - 1]! < 0 !== s[i]! < 0) crossings++;
      return crossings / 2 / (s.length / GENERATED_RATE);
    };
    expect(centroid('gold')).toBeGreaterThan(600);
    expect(centroid('iron')).toBeLessThan(450);
  });
});
