/**
 * Generated datasets for the engine tests: coloured-pattern images, noisy tones, synthetic tables.
 * Content hashes name cache files, so every item's key is the sha256 of its bytes.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { Prng } from '../../src-main/core/engine/data/prng.js';
import type { TrainItem } from '../../src-main/core/engine/trainer/training-runner.js';

export const tempDir = (prefix: string): Promise<string> =>
  mkdtemp(path.join(tmpdir(), `assay-${prefix}-`));

export const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

/** 16-bit PCM mono WAV of samples in [-1, 1]. */
export function wavOf(samples: Float32Array, sampleRate: number): Buffer {
  const buf = Buffer.alloc(44 + samples.length * 2);
  buf.write('RIFF', 0, 'latin1');
  buf.writeUInt32LE(36 + samples.length * 2, 4);
  buf.write('WAVEfmt ', 8, 'latin1');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'latin1');
  buf.writeUInt32LE(samples.length * 2, 40);
  samples.forEach((v, i) => {
    buf.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), 44 + i * 2);
  });
  return buf;
}

export function tone(opts: {
  freq: number;
  seconds: number;
  sampleRate: number;
  amplitude?: number;
  noise?: number;
  prng?: Prng;
}): Float32Array {
  const n = Math.round(opts.seconds * opts.sampleRate);
  const out = new Float32Array(n);
  const phase = opts.prng ? opts.prng.uniform(0, 2 * Math.PI) : 0;
  for (let i = 0; i < n; i++) {
    const noise = opts.noise && opts.prng ? opts.noise * opts.prng.normal() : 0;
    out[i] =
      (opts.amplitude ?? 0.5) * Math.sin((2 * Math.PI * opts.freq * i) / opts.sampleRate + phase) +
      noise;
  }
  return out;
}

async function save(dir: string, name: string, data: Buffer, label: number): Promise<TrainItem> {
  const file = path.join(dir, name);
  await writeFile(file, data);
  return { key: sha256(data), path: file, label };
}

/**
 * Three classes of 16×16 pictures with random placement, colour jitter and noise:
 * 0 = horizontal stripes, 1 = vertical stripes, 2 = a filled square on a dark ground.
 */
export async function patternImages(
  dir: string,
  perClass: number,
  seed: number,
): Promise<TrainItem[]> {
  const prng = Prng.fromSeed(seed);
  const size = 16;
  const items: TrainItem[] = [];
  for (let label = 0; label < 3; label++) {
    for (let n = 0; n < perClass; n++) {
      const px = Buffer.alloc(size * size * 3);
      const offset = prng.int(4);
      const hue = [prng.uniform(0.5, 1), prng.uniform(0.5, 1), prng.uniform(0.5, 1)];
      const sq = { x: prng.int(8), y: prng.int(8), s: 5 + prng.int(4) };
      for (let y = 0; y < size; y++) {
        for (let x = 0; x < size; x++) {
          const on =
            label === 0
              ? (y + offset) % 4 < 2
              : label === 1
                ? (x + offset) % 4 < 2
                : x >= sq.x && x < sq.x + sq.s && y >= sq.y && y < sq.y + sq.s;
          for (let c = 0; c < 3; c++) {
            const v = (on ? (hue[c] as number) : 0.1) + 0.08 * prng.normal();
            px[(y * size + x) * 3 + c] = Math.round(255 * Math.max(0, Math.min(1, v)));
          }
        }
      }
      const png = await sharp(px, { raw: { width: size, height: size, channels: 3 } })
        .png()
        .toBuffer();
      items.push(await save(dir, `c${label}-${n}.png`, png, label));
    }
  }
  return items;
}

/** Three classes of noisy tones (400, 1000, 2500 Hz), `seconds` long at `sampleRate`, random level. */
export async function toneClips(
  dir: string,
  perClass: number,
  seed: number,
  opts: { seconds: number; sampleRate: number } = { seconds: 0.5, sampleRate: 8000 },
): Promise<TrainItem[]> {
  const prng = Prng.fromSeed(seed);
  const freqs = [400, 1000, 2500];
  const items: TrainItem[] = [];
  for (let label = 0; label < freqs.length; label++) {
    for (let n = 0; n < perClass; n++) {
      const samples = tone({
        freq: (freqs[label] as number) * prng.uniform(0.95, 1.05),
        seconds: opts.seconds,
        sampleRate: opts.sampleRate,
        amplitude: prng.uniform(0.1, 0.6),
        noise: 0.05,
        prng,
      });
      items.push(await save(dir, `t${label}-${n}.wav`, wavOf(samples, opts.sampleRate), label));
    }
  }
  return items;
}

/** y = 3·a − 2·b + 0.5·c + 10 + noise, a..c standard normal, d pure noise; header a,b,c,d,y. */
export async function linearTable(
  dir: string,
  rows: number,
  seed: number,
  name = 'data.csv',
): Promise<string> {
  const prng = Prng.fromSeed(seed);
  const lines = ['a,b,c,d,y'];
  for (let i = 0; i < rows; i++) {
    const [a, b, c, d] = [prng.normal(), prng.normal(), prng.normal(), prng.normal()];
    const y = 3 * a - 2 * b + 0.5 * c + 10 + 0.1 * prng.normal();
    lines.push([a, b, c, d, y].map((v) => v.toFixed(5)).join(','));
  }
  const file = path.join(dir, name);
  await writeFile(file, `${lines.join('\n')}\n`);
  return file;
}
