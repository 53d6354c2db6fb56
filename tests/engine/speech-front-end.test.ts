// The one-graph speech front end (pretrained/clip-embedding-graph.ts) on the real openWakeWord
// models: its folded STFT frames, its parity with the original models fed step by step on
// content unlike the API test's tones, and its refusal of models it was not written for.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepClampsBlocked } from '../../src-main/core/engine/pretrained/blocked-clamps.js';
import {
  clipEmbeddingModel,
  foldedFrames,
} from '../../src-main/core/engine/pretrained/clip-embedding-graph.js';
import { loadVerifiedModel } from '../../src-main/core/engine/pretrained/resolve.js';
import {
  EMBEDDING_MODEL,
  MEL_MODEL,
  SPEECH,
  SpeechEmbedder,
} from '../../src-main/core/engine/pretrained/speech-embedding.js';

let embedder: SpeechEmbedder;

beforeAll(async () => {
  embedder = await SpeechEmbedder.open();
});
afterAll(async () => {
  await embedder?.release();
});

/** A deterministic pseudo-random sequence, so a failure reproduces. */
function noise(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648 - 0.5;
  });
}

describe('the speech front end as one graph', () => {
  it('folds each 512-sample frame about its middle, 480 samples of zeros before the clip', () => {
    const steps = 3;
    const x = noise(steps * SPEECH.stepSamples + 100, 7);
    const { sums, diffs } = foldedFrames(x, steps);
    expect(sums.length).toBe(steps * 8 * 256);
    // Sample i of the clip at int16 scale, i < 0 the zero context.
    const at = (i: number): number => (i < 0 ? 0 : Math.fround(x[i]! * 32767));
    for (const [frame, n] of [
      [0, 1],
      [0, 256],
      [2, 100],
      [8, 1],
      [23, 256],
      [23, 17],
    ] as const) {
      const start = frame * 160 - SPEECH.contextSamples;
      const o = frame * 256 + n - 1;
      expect(sums[o]).toBe(Math.fround(at(start + n) + at(start + 512 - n)));
      expect(diffs[o]).toBe(Math.fround(at(start + n) - at(start + 512 - n)));
    }
    // The first frame lies in the context but for its last 32 samples: only n ≤ 32 reach them.
    expect(sums.subarray(32, 256).every((v) => v === 0)).toBe(true);
  });

  it('gives the original models’ embeddings on noise and a chirp, within 1e-5 of their scale', async () => {
    const n = 3 * SPEECH.sampleRate + 700;
    const chirp = noise(n, 3).map((v, i) => {
      const t = i / SPEECH.sampleRate;
      return 0.02 * v + 0.4 * Math.sin(2 * Math.PI * (200 + 900 * t) * t) * Math.min(1, t);
    });
    for (const x of [noise(n, 11), chirp]) {
      const got = await embedder.embed(x);
      const want = await embedder.embedWindows(x);
      expect(got.length).toBe(Math.floor(n / SPEECH.stepSamples) * SPEECH.embedding);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < want.length; i++) {
        worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        scale = Math.max(scale, Math.abs(want[i]!));
      }
      expect(scale).toBeGreaterThan(1);
      expect(worst).toBeLessThan(1e-5 * scale);
    }
    expect((await embedder.embed(new Float32Array(SPEECH.stepSamples - 1))).length).toBe(0);
  });

  it('refuses models without the layout it rewrites, and builds a graph onnxruntime loads', async () => {
    const mel = (await loadVerifiedModel(MEL_MODEL)).files.get('model') as Buffer;
    const emb = (await loadVerifiedModel(EMBEDDING_MODEL)).files.get('model') as Buffer;
    expect(() => clipEmbeddingModel(emb, emb)).toThrow(/expected layout/);
    expect(() => clipEmbeddingModel(mel, mel)).toThrow(/expected layout/);
    const session = await ort.InferenceSession.create(clipEmbeddingModel(mel, emb));
    try {
      expect([...session.inputNames].sort()).toEqual(['diffs', 'sums']);
    } finally {
      await session.release();
    }
  });

  it('keeps the clamps in the blocked layout with the same output, to the bit', async () => {
    const mel = (await loadVerifiedModel(MEL_MODEL)).files.get('model') as Buffer;
    const emb = (await loadVerifiedModel(EMBEDDING_MODEL)).files.get('model') as Buffer;
    const dir = await mkdtemp(path.join(tmpdir(), 'assay-speech-graph-test-'));
    const so = { intraOpNumThreads: 1, logSeverityLevel: 3 as const };
    try {
      const file = path.join(dir, 'optimized.onnx');
      const plain = await ort.InferenceSession.create(clipEmbeddingModel(mel, emb), {
        ...so,
        graphOptimizationLevel: 'all',
        optimizedModelFilePath: file,
      });
      const edited = keepClampsBlocked(await readFile(file));
      // onnxruntime's blocked layout is an x86 one: elsewhere there is nothing to edit.
      if (process.arch === 'x64') expect(edited.removed).toBeGreaterThan(10);
      const blocked = await ort.InferenceSession.create(edited.bytes, {
        ...so,
        graphOptimizationLevel: 'disabled',
      });
      const { sums, diffs } = foldedFrames(noise(2 * SPEECH.sampleRate, 5), 25);
      const feed = {
        sums: new ort.Tensor('float32', sums, [25, 1, 8, 256]),
        diffs: new ort.Tensor('float32', diffs, [25, 1, 8, 256]),
      };
      const want = Object.values(await plain.run(feed))[0]?.data as Float32Array;
      const got = Object.values(await blocked.run(feed))[0]?.data as Float32Array;
      expect(got.length).toBe(25 * 96);
      expect(Array.from(got)).toEqual(Array.from(want));
      await plain.release();
      await blocked.release();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
