import { describe, expect, it } from 'vitest';
import { resolveExperimentConfig } from '../../src-main/core/engine/config.js';
import { LOG_EPSILON } from '../../src-main/core/engine/features/mel.js';
import { audioAugment, imageAugment } from '../../src-main/core/engine/data/augment.js';
import {
  batchCount,
  epochOrder,
  fitScalar,
  makeBatch,
} from '../../src-main/core/engine/data/batches.js';
import { Prng } from '../../src-main/core/engine/data/prng.js';

const NONE = resolveExperimentConfig('regression', {}).augmentation;

describe('PRNG', () => {
  it('is deterministic per seed and resumes exactly from a saved state', () => {
    const a = Prng.fromSeed(5);
    const b = Prng.fromSeed(5);
    const c = Prng.fromSeed(6);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.next())).not.toEqual(xs);
    const state = JSON.parse(JSON.stringify(a.state())) as [number, number, number, number];
    const later = Array.from({ length: 50 }, () => a.normal());
    const resumed = Prng.fromState(state);
    expect(Array.from({ length: 50 }, () => resumed.normal())).toEqual(later);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('shuffles to a permutation, differently each epoch', () => {
    const p = Prng.fromSeed(1);
    const e1 = epochOrder(20, p);
    const e2 = epochOrder(20, p);
    expect([...e1].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(e2).not.toEqual(e1);
    expect(batchCount(20, 8)).toBe(3);
  });
});

describe('batches', () => {
  it('gathers, copies (the cache stays untouched) and normalises', () => {
    const ds = {
      x: Float32Array.from([0, 1, 10, 11, 20, 21]),
      y: Float32Array.from([0, 1, 2]),
      n: 3,
      sampleSize: 2,
    };
    const b = makeBatch(ds, [2, 0], {
      augment: (s) => s.fill(s[0] as number),
      prng: Prng.fromSeed(1),
      normalization: { mean: 10, std: 2 },
    });
    expect(Array.from(b.x)).toEqual([5, 5, -5, -5]);
    expect(Array.from(b.y)).toEqual([2, 0]);
    expect(Array.from(ds.x)).toEqual([0, 1, 10, 11, 20, 21]);
    const s = fitScalar(Float32Array.from([1, 3]));
    expect(s).toEqual({ mean: 2, std: 1 });
    expect(fitScalar(Float32Array.from([4, 4])).std).toBe(1);
  });
});

describe('image augmentation', () => {
  const shape = [2, 3, 1] as const;
  const img = () => Float32Array.from([0, 0.5, 1, 0.1, 0.2, 0.3]);

  it('is off when nothing is enabled', () => {
    expect(imageAugment(NONE, shape)).toBeNull();
  });

  it('a horizontal flip mirrors rows; the same seed flips the same samples', () => {
    const aug = imageAugment({ ...NONE, flip_horizontal: true }, shape);
    const p = Prng.fromSeed(3);
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const s = img();
      aug?.(s, p);
      seen.add(
        Array.from(s)
          .map((v) => v.toFixed(3))
          .join(','),
      );
    }
    expect(seen).toEqual(
      new Set(['0.000,0.500,1.000,0.100,0.200,0.300', '1.000,0.500,0.000,0.300,0.200,0.100']),
    );
  });

  it('rotation and crop stay in range, brightness shifts and clamps', () => {
    const aug = imageAugment(
      { ...NONE, rotation_degrees: 20, crop_fraction: 0.3, brightness: 0.5 },
      [8, 8, 3],
    );
    const p = Prng.fromSeed(4);
    let changed = 0;
    for (let i = 0; i < 10; i++) {
      const s = Float32Array.from({ length: 192 }, (_, k) => (k % 7) / 7);
      const before = Array.from(s);
      aug?.(s, p);
      for (const v of s) expect(v >= 0 && v <= 1).toBe(true);
      if (Array.from(s).some((v, k) => Math.abs(v - (before[k] as number)) > 1e-6)) changed++;
    }
    expect(changed).toBe(10);
  });
});

describe('audio augmentation', () => {
  const frames = 10;
  const mels = 4;
  const spec = () => Float32Array.from({ length: frames * mels }, (_, i) => Math.floor(i / mels));

  it('time shift moves frames and fills the gap with silence', () => {
    const aug = audioAugment(
      { ...NONE, time_shift_fraction: 0.3 },
      frames,
      mels,
      new Float32Array(mels),
    );
    const p = Prng.fromSeed(2);
    const floor = Math.log(LOG_EPSILON);
    let shifted = 0;
    for (let i = 0; i < 10; i++) {
      const s = spec();
      aug?.(s, p);
      const firstFrame = s[0] as number;
      if (firstFrame === floor || firstFrame !== 0) shifted++;
      // Each frame holds one constant value: either silence or some original frame index.
      for (let t = 0; t < frames; t++) {
        const row = Array.from(s.subarray(t * mels, (t + 1) * mels));
        expect(new Set(row).size).toBe(1);
      }
    }
    expect(shifted).toBeGreaterThan(0);
  });

  it('gain adds one constant per sample; noise raises quiet cells more than loud ones', () => {
    const gain = audioAugment({ ...NONE, gain_db: 6 }, frames, mels, new Float32Array(mels));
    const s = spec();
    gain?.(s, Prng.fromSeed(8));
    const d = (s[0] as number) - 0;
    expect(Math.abs(d)).toBeLessThanOrEqual((6 * Math.LN10) / 10 + 1e-6);
    for (let i = 0; i < s.length; i++)
      expect((s[i] as number) - Math.floor(i / mels)).toBeCloseTo(d, 5);

    const noise = audioAugment(
      { ...NONE, noise_level: 1 },
      frames,
      mels,
      Float32Array.from([1e4, 1e4, 1e4, 1e4]),
    );
    const q = Float32Array.from({ length: frames * mels }, (_, i) =>
      i % 2 === 0 ? Math.log(1e-6) : Math.log(1e6),
    );
    noise?.(q, Prng.fromSeed(9));
    expect(q[0] as number).toBeGreaterThan(0);
    expect(Math.abs((q[1] as number) - Math.log(1e6))).toBeLessThan(0.1);
  });
});
