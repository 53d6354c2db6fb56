// speech-embedding-head through the HTTP API on the real trainer: spoken words synthesised by
// Debian's espeak-ng (run as its own program) in several voices, speeds and pitches; openWakeWord's
// mel + speech-embedding models give the features, fed step by step as streaming feeds them.
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImportStarted } from '../../src-shared/contract/datasets.js';
import { Evaluation } from '../../src-shared/contract/evaluation.js';
import { Experiment, Run, RunStarted } from '../../src-shared/contract/training.js';
import {
  embeddingSteps,
  SPEECH,
  SpeechEmbedder,
} from '../../src-main/core/engine/pretrained/speech-embedding.js';
import {
  createProject,
  okData,
  openTestApp,
  waitForJob,
  type TestApp,
} from './helpers/test-app.js';
import { sleep } from './training-helpers.js';
import { hasCommand, oracle } from '../helpers/oracle.js';

const WORDS = ['yes', 'stop'] as const;
const espeak = oracle('espeak-ng', 'apt-get install espeak-ng', () =>
  hasCommand('espeak-ng', ['--version']) ? 'espeak-ng' : null,
);
const VOICES = ['en-us', 'en-gb', 'en-gb-scotland', 'en-gb-x-rp', 'en-gb-x-gbcwmd'];
let t: TestApp;

/** espeak-ng's WAV of one word: voice, words per minute and pitch vary per index. */
async function speak(word: string, i: number, file: string): Promise<void> {
  const voice = VOICES[i % VOICES.length] as string;
  const wpm = 130 + ((i * 17) % 60);
  const pitch = 30 + ((i * 23) % 40);
  await promisify(execFile)(espeak.get(), [
    '-v',
    voice,
    '-s',
    String(wpm),
    '-p',
    String(pitch),
    '-w',
    file,
    word,
  ]);
}

beforeAll(async () => {
  t = await openTestApp();
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('speech embeddings', () => {
  it('are one 96-value embedding per 80 ms step, the same whether a clip is cut short or not', async () => {
    const embedder = await SpeechEmbedder.open();
    try {
      const n = SPEECH.sampleRate;
      // Quiet, then loud: a floor shared across steps would change the quiet steps' numbers.
      const x = Float32Array.from(
        { length: n },
        (_, i) => (i < n / 2 ? 0.001 : 0.3) * Math.sin((2 * Math.PI * 440 * i) / n),
      );
      const all = await embedder.embed(x);
      expect(all.length).toBe(embeddingSteps(n) * 96);
      expect(embeddingSteps(n)).toBe(12);
      // Streaming: the first k steps see only their own samples.
      const head = await embedder.embed(x.subarray(0, 6 * SPEECH.stepSamples));
      expect(Array.from(head)).toEqual(Array.from(all.subarray(0, 6 * 96)));
      expect(all.every(Number.isFinite)).toBe(true);
      // The one-graph front end gives what the original models give fed step by step. Not to the
      // bit: its STFT sums in another order (folded, as MatMuls), a few ulps in the mel frames,
      // which the log and 20 layers carry to about 3e-6 of the embeddings' scale (onnxruntime's
      // own optimisation levels move the original models' output by 6e-7 of it).
      const windows = await embedder.embedWindows(x);
      let worst = 0;
      let scale = 0;
      for (let i = 0; i < all.length; i++) {
        worst = Math.max(worst, Math.abs(all[i]! - windows[i]!));
        scale = Math.max(scale, Math.abs(windows[i]!));
      }
      expect(scale).toBeGreaterThan(1);
      expect(worst).toBeLessThan(1e-5 * scale);
    } finally {
      await embedder.release();
    }
  });

  it.skipIf(espeak.skip)(
    'train a speech-embedding-head that tells spoken words apart',
    async () => {
      const root = path.join(t.root, 'words');
      for (const w of WORDS) {
        await mkdir(path.join(root, w), { recursive: true });
        for (let i = 0; i < 15; i++) await speak(w, i, path.join(root, w, `${w}-${i}.wav`));
      }
      const pid = (await createProject(t.app, 'Words', 'audio-classification')).id;
      const started = okData(
        await request(t.app).post(`/api/datasets/${pid}/import/local`).send({ path: root }),
        ImportStarted,
      );
      expect((await waitForJob(t.app, started.job_id)).status).toBe('completed');
      await request(t.app)
        .post(`/api/splits/${pid}`)
        .send({ name: 's', ratios: { train: 0.6, val: 0.2, test: 0.2 }, seed: 5 })
        .expect(200);
      const exp = okData(
        await request(t.app)
          .post(`/api/training/${pid}/experiments`)
          .send({ name: 'speech', config: { architecture: 'speech-embedding-head' } }),
        Experiment,
      );
      expect(exp.config).toMatchObject({
        architecture: 'speech-embedding-head',
        input: { sample_rate: 16000, clip_seconds: 1 },
      });
      const runId = okData(
        await request(t.app).post(`/api/training/${pid}/experiments/${exp.id}/run`),
        RunStarted,
      ).run_id;
      let run: Run;
      for (;;) {
        run = okData(await request(t.app).get(`/api/training/${pid}/runs/${runId}`), Run);
        if (['completed', 'failed', 'stopped', 'interrupted'].includes(run.status)) break;
        await sleep(100);
      }
      expect(run.status, run.message ?? '').toBe('completed');
      const created = okData(
        await request(t.app).post(`/api/evaluation/${pid}`).send({
          experiment_id: exp.id,
          run_id: runId,
          checkpoint: 'best',
          split_index: 0,
          split_subset: 'test',
        }),
        Evaluation,
      );
      let ev: Evaluation;
      for (;;) {
        ev = okData(
          await request(t.app).get(`/api/evaluation/${pid}/${created.eval_id}`),
          Evaluation,
        );
        if (ev.status === 'completed' || ev.status === 'failed') break;
        await sleep(100);
      }
      expect(ev.status, ev.message ?? '').toBe('completed');
      const metrics = ev.metrics as { accuracy: number; count: number };
      expect(metrics.count).toBe(6);
      expect(metrics.accuracy).toBe(1);
    },
    300_000,
  );
});
