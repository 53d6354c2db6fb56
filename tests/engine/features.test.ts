import { readdir, rm, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audioInputOf, melGeometry } from '../../src-main/core/engine/config.js';
import { extractAudioFeatures, logMelFor } from '../../src-main/core/engine/features/audio.js';
import { featureKey, loadFeatures } from '../../src-main/core/engine/features/cache.js';
import { extractImageFeatures } from '../../src-main/core/engine/features/image.js';
import { hzToMel, melFilterbank } from '../../src-main/core/engine/features/mel.js';
import { resample } from '../../src-main/core/engine/features/resample.js';
import {
  fitStandardizer,
  parseCsv,
  readTables,
  splitRows,
  takeRows,
} from '../../src-main/core/engine/features/table.js';
import { linearTable, sha256, tempDir, tone, wavOf } from './trainer-fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await tempDir('features');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const rms = (x: Float32Array, from = 0, to = x.length): number => {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / (to - from));
};

describe('image features', () => {
  it('decodes, drops alpha, stretches (fit fill) to HWC float32 in [0,1]', async () => {
    // 20×10: left half red, right half blue, with an alpha channel.
    const w = 20;
    const h = 10;
    const px = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const o = (y * w + x) * 4;
        px[o] = x < 10 ? 255 : 0;
        px[o + 2] = x < 10 ? 0 : 255;
        px[o + 3] = 128;
      }
    const file = path.join(dir, 'rb.png');
    await writeFile(
      file,
      await sharp(px, { raw: { width: w, height: h, channels: 4 } })
        .png()
        .toBuffer(),
    );
    const f = await extractImageFeatures(file, { width: 4, height: 2, channels: 3 });
    expect(f.length).toBe(4 * 2 * 3);
    // Pixel (x=0, y=1) is red, (x=3, y=0) blue: the whole width survived, none was cropped.
    expect(Array.from(f.slice((1 * 4 + 0) * 3, (1 * 4 + 0) * 3 + 3))).toEqual([1, 0, 0]);
    expect(Array.from(f.slice(3 * 3, 3 * 3 + 3))).toEqual([0, 0, 1]);
    const grey = await extractImageFeatures(file, { width: 4, height: 2, channels: 1 });
    expect(grey.length).toBe(8);
    expect(grey[0]).toBeGreaterThan(0.1);
    expect(grey[0]).toBeLessThan(0.5);
  });
});

describe('audio features', () => {
  it('mel filters are HTK triangles, evenly spaced on the mel scale', () => {
    const fb = melFilterbank(16000, 512, 40);
    expect(fb).toHaveLength(40);
    const peaks = fb.map((row) => row.indexOf(Math.max(...row)) * (16000 / 512));
    const mels = peaks.map(hzToMel);
    const steps = mels.slice(1).map((m, i) => m - (mels[i] as number));
    const mean = steps.reduce((a, b) => a + b, 0) / steps.length;
    for (const s of steps) expect(Math.abs(s - mean)).toBeLessThan(mean * 0.5 + 40);
    for (const row of fb) expect(Math.max(...row)).toBeGreaterThan(0.3);
  });

  it('resampling keeps a tone in band and removes one above the new Nyquist frequency', () => {
    const sr = 16000;
    const low = resample(tone({ freq: 1000, seconds: 0.5, sampleRate: sr }), sr, 8000);
    expect(low.length).toBe(4000);
    expect(rms(low, 200, 3800)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    const high = resample(tone({ freq: 6000, seconds: 0.5, sampleRate: sr }), sr, 8000);
    expect(rms(high, 200, 3800)).toBeLessThan(0.01); // would alias to 2 kHz at full level
    const up = resample(tone({ freq: 1000, seconds: 0.5, sampleRate: 8000 }), 8000, 22050);
    expect(up.length).toBe(11025);
    expect(rms(up, 500, 10500)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('log-mel of a WAV at another rate: right shape, energy in the tone’s band, padded tail silent', async () => {
    const file = path.join(dir, 'tone.wav');
    await writeFile(file, wavOf(tone({ freq: 1000, seconds: 0.6, sampleRate: 22050 }), 22050));
    const input = audioInputOf({ sample_rate: 16000, clip_seconds: 1, n_mels: 40 });
    const g = melGeometry(input);
    expect(g.frames).toBe(98);
    const f = await extractAudioFeatures(file, input);
    expect(f.length).toBe(98 * 40);
    const frame = Array.from(f.slice(10 * 40, 11 * 40));
    const band = frame.indexOf(Math.max(...frame));
    const centres = melFilterbank(16000, g.fftSize, 40).map(
      (row) => row.indexOf(Math.max(...row)) * (16000 / g.fftSize),
    );
    expect(Math.abs((centres[band] as number) - 1000)).toBeLessThan(150);
    // 0.6 s of sound, then zeros: the last frames sit at the log floor.
    expect(f[97 * 40 + band]).toBeLessThan(-13);
    expect(logMelFor(input).noisePowerPerBand.length).toBe(40);
  });
});

describe('feature cache', () => {
  it('computes each item once per feature key, reuses the file, keys differ by parameters', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer();
    const file = path.join(dir, 'grey.png');
    await writeFile(file, png);
    const cache = path.join(dir, 'cache');
    const spec = { kind: 'image', input: { width: 4, height: 4, channels: 3 } } as const;
    const items = [{ key: sha256(png), path: file }];
    let progress = 0;
    const a = await loadFeatures(items, spec, cache, { onProgress: (d) => (progress = d) });
    expect(progress).toBe(1);
    const cached = path.join(cache, featureKey(spec), `${items[0]?.key}.f32`);
    expect((await stat(cached)).size).toBe(4 * 4 * 3 * 4);
    // The source is gone: only the cache can answer now.
    await rm(file);
    const b = await loadFeatures(items, spec, cache);
    expect(Array.from(b)).toEqual(Array.from(a));
    const other = { kind: 'image', input: { width: 4, height: 4, channels: 1 } } as const;
    expect(featureKey(other)).not.toBe(featureKey(spec));
    await expect(loadFeatures(items, other, cache)).rejects.toThrow(/cannot read grey\.png/);
    expect((await readdir(cache)).sort()).toEqual([featureKey(spec), featureKey(other)].sort());
    // A torn cache file (wrong size) is recomputed, not trusted.
    await writeFile(cached, Buffer.alloc(7));
    await expect(loadFeatures(items, spec, cache)).rejects.toThrow(/cannot read/);
  });

  it('refuses item keys that are not content hashes (they name files)', async () => {
    const spec = { kind: 'image', input: { width: 4, height: 4, channels: 3 } } as const;
    await expect(
      loadFeatures([{ key: '../../x', path: '/nope' }], spec, path.join(dir, 'c2')),
    ).rejects.toThrow(/not a content hash/);
  });
});

describe('table features', () => {
  it('parses RFC 4180 CSV (quotes, embedded delimiters and newlines, CRLF, BOM)', () => {
    const rows = parseCsv('\ufeffa,b\r\n"1,5","x ""y""\nz"\r\n\r\n3,4', ',');
    expect(rows).toEqual([
      ['a', 'b'],
      ['1,5', 'x "y"\nz'],
      ['3', '4'],
    ]);
  });

  it('reads tables into a matrix with the target column, splits rows by seed, standardises on train', async () => {
    const t1 = await linearTable(dir, 30, 1, 'one.csv');
    const t2 = await linearTable(dir, 20, 2, 'two.csv');
    const t = await readTables([t1, t2], null);
    expect(t.rows).toBe(50);
    expect(t.featureNames).toEqual(['a', 'b', 'c', 'd']);
    expect(t.targetName).toBe('y');
    const byName = await readTables([t1], 'a');
    expect(byName.targetName).toBe('a');
    expect(byName.featureNames).toEqual(['b', 'c', 'd', 'y']);
    await expect(readTables([t1], 'nope')).rejects.toThrow(/"nope" is not a column/);

    const s = splitRows(50, { train: 0.6, val: 0.2, test: 0.2 }, 9);
    expect([s.train.length, s.val.length, s.test.length]).toEqual([30, 10, 10]);
    expect(splitRows(50, { train: 0.6, val: 0.2, test: 0.2 }, 9)).toEqual(s);
    expect(new Set([...s.train, ...s.val, ...s.test]).size).toBe(50);

    const st = fitStandardizer(t.x, 4, s.train);
    const x = takeRows(t.x, 4, s.train, st);
    for (let c = 0; c < 4; c++) {
      let m = 0;
      for (let r = 0; r < 30; r++) m += x[r * 4 + c] as number;
      expect(Math.abs(m / 30)).toBeLessThan(1e-5);
    }
  });

  it('names the cell that is not a number', async () => {
    const file = path.join(dir, 'bad.csv');
    await writeFile(file, 'a,b,y\n1,2,3\n4,five,6\n');
    await expect(readTables([file], null)).rejects.toThrow(
      /bad\.csv line 3, column "b": "five" is not a number/,
    );
  });
});
