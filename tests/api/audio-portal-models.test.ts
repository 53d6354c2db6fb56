// The audio portal's three voting families as a lab script drives them: generated metal-detector
// recordings uploaded per class, a real (tiny) training through the API on its own thread, then
// clips classified by upload and by quick-classify, the test-split analytics, and every bad input
// refused in the family's envelope with nothing stored.
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AudioModelPerformance,
  AudioQuickClassifyResponse,
  AudioTrainingStatus,
  AudioUploadResponse,
} from '../../src-shared/contract/audio-models.js';
import type { AudioTrainingUpdate } from '../../src-main/core/audio-portal/classifier.js';
import {
  clipWav,
  generateClip,
  type DetectorClass,
} from '../../src-main/core/audio-portal/generate.js';
import { createApp } from '../../src-main/api/app.js';
import { resamplePoly } from '../../src-main/core/audio-portal/models/resample-poly.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation } from '../../src-main/core/workstation.js';
import { listen, openTestApp, waitForJob, type TestApp } from './helpers/test-app.js';

let t: TestApp;
const CLIPS_PER_CLASS = 6;
const CLASSES: DetectorClass[] = ['gold', 'iron', 'other'];
const FAST = { epochs: 6, batch_size: 16, learning_rate: 0.005 };

async function expectRefused(
  res: request.Response,
  status: number,
  message: RegExp,
): Promise<void> {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(Object.keys(res.body).sort()).toEqual(['error', 'success']);
  expect(res.body.success).toBe(false);
  expect(res.body.error).toMatch(message);
}
const datasetUpload = (bytes: Buffer, name: string, label: string) =>
  request(t.app)
    .post('/api/dataset/upload')
    .field('class_label', label)
    .attach('file', bytes, name);
const classify = (bytes: Buffer, name: string) =>
  request(t.app).post('/api/upload').attach('file', bytes, name);
const quick = (body: unknown) =>
  request(t.app)
    .post('/api/quick-classify')
    .set('Content-Type', 'application/json')
    .send(body as object);
const clear = (label: DetectorClass, seed: number) =>
  generateClip({ seed, label, events: 2, depth: 0.1, noise: 0.2, mineralisation: 0.1, emi: false });
const tmpLeft = () => readdirSync(path.join(t.workspaceDir, 'tmp'));

beforeAll(async () => {
  t = await openTestApp();
});
afterAll(async () => {
  // After a restart `t.ws` is the new workstation; `t.close` closes the first and the folder.
  await t.ws.close();
  await t.close();
});

describe('audio portal models', () => {
  it('before any training: clear answers and nothing created', async () => {
    const status = AudioTrainingStatus.parse(
      (await request(t.app).get('/api/training/status')).body,
    );
    expect(status).toMatchObject({ status: 'idle', progress: 0, job_id: null });
    const wav = clipWav(clear('gold', 1));
    await expectRefused(
      await classify(wav, 'a.wav'),
      409,
      /No trained models yet: train them first/,
    );
    await expectRefused(await quick({ audio: [0, 0.1, 0] }), 409, /No trained models yet/);
    await expectRefused(
      await request(t.app).get('/api/analytics/model-performance'),
      404,
      /No trained models yet/,
    );
    await expectRefused(
      await request(t.app).post('/api/training/start').send(FAST),
      400,
      /at least 5 \(gold has 0, iron has 0, other has 0\)/,
    );
    expect((await request(t.app).get('/api/projects')).body.data).toEqual([]);
    expect(tmpLeft()).toEqual([]);
  });

  it('names the class that has too few clips', async () => {
    for (const [i, label] of CLASSES.entries()) {
      const n = label === 'iron' ? 2 : CLIPS_PER_CLASS;
      for (let k = 0; k < n; k++) {
        const res = await datasetUpload(
          clipWav(generateClip({ seed: 1000 + 100 * i + k, label })),
          `${label}-${k}.wav`,
          label,
        );
        expect(res.status, JSON.stringify(res.body)).toBe(200);
      }
    }
    await expectRefused(
      await request(t.app).post('/api/training/start').send(FAST),
      400,
      /iron has 2\)/,
    );
    for (let k = 2; k < CLIPS_PER_CLASS; k++) {
      const res = await datasetUpload(
        clipWav(generateClip({ seed: 1100 + k, label: 'iron' })),
        `iron-${k}.wav`,
        'iron',
      );
      expect(res.status).toBe(200);
    }
  });

  it('refuses a bad config', async () => {
    const start = (body: object) => request(t.app).post('/api/training/start').send(body);
    await expectRefused(await start({ epochs: 0 }), 400, /epochs/);
    await expectRefused(await start({ families: ['CNN', 'FOREST'] }), 400, /families/);
    await expectRefused(await start({ families: [] }), 400, /families/);
    await expectRefused(await start({ learning_rate: -1 }), 400, /learning_rate/);
    await expectRefused(await start({ epoch: 3 }), 400, /epoch/);
  });

  it('trains the three families as a job, one at a time, with live updates', async () => {
    const updates: AudioTrainingUpdate[] = [];
    const off = t.ws.audioTraining.onUpdate((u) => updates.push(u));
    let changed = 0;
    const offChange = t.ws.audioModels.onChange(() => changed++);
    const res = await request(t.app).post('/api/training/start').send(FAST);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      success: true,
      status: 'training',
      config: { ...FAST, families: ['CNN', 'TRANSFORMER', 'TRADITIONAL'] },
    });
    await expectRefused(
      await request(t.app).post('/api/training/start').send(FAST),
      409,
      /already running/,
    );
    const job = await waitForJob(t.app, res.body.job_id);
    off();
    offChange();
    expect(job, JSON.stringify(job)).toMatchObject({ kind: 'audio-training', status: 'completed' });
    const status = AudioTrainingStatus.parse(
      (await request(t.app).get('/api/training/status')).body,
    );
    expect(status).toMatchObject({
      status: 'completed',
      progress: 1,
      job_id: job.id,
      error: null,
      message: 'completed',
    });
    for (const f of ['CNN', 'TRANSFORMER']) {
      expect(status.metrics[f]).toMatchObject({
        status: 'done',
        epoch: FAST.epochs,
        epochs: FAST.epochs,
      });
      expect(status.metrics[f]?.loss).toBeGreaterThan(0);
    }
    expect(status.metrics.TRADITIONAL?.status).toBe('done');
    expect(changed).toBe(1);
    const progress = updates.map((u) => u.progress);
    expect(progress.length).toBeGreaterThan(FAST.epochs);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    expect(updates.at(-1)?.status).toBe('completed');
    // The split used is a platform split of the project covering every clip.
    const project = (await request(t.app).get('/api/projects')).body.data[0];
    const splits = (await request(t.app).get(`/api/splits/${project.id}`)).body.data.splits;
    expect(splits).toHaveLength(1);
    expect(splits[0].stats.none).toBe(0);
    // tfjs ran on the training and model threads only.
    expect((globalThis as { _tfengine?: unknown })._tfengine).toBeUndefined();
  });

  it('reports per-family and vote scores on the test split', async () => {
    const res = await request(t.app).get('/api/analytics/model-performance');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const p = AudioModelPerformance.parse(res.body);
    expect(p.evaluated_on).toBe('test');
    expect(p.classes).toEqual(CLASSES);
    expect(Object.keys(p.families).sort()).toEqual(['CNN', 'TRADITIONAL', 'TRANSFORMER']);
    for (const s of [...Object.values(p.families), p.vote]) {
      expect(s.confusion_matrix).toHaveLength(3);
      expect(s.confusion_matrix.flat().reduce((a, b) => a + b, 0)).toBe(p.clips);
      expect(Object.keys(s.per_class).sort()).toEqual(['gold', 'iron', 'other']);
      expect(s.accuracy).toBeGreaterThanOrEqual(0);
      expect(s.accuracy).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(p.agreement).sort()).toEqual([
      'CNN/TRADITIONAL',
      'CNN/TRANSFORMER',
      'TRANSFORMER/TRADITIONAL',
    ]);
    expect(Object.values(p.weights).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it('classifies a clear gold and a clear iron clip by upload, with the documented body', async () => {
    for (const [label, seed] of [
      ['gold', 9001],
      ['iron', 9002],
    ] as const) {
      const clip = clear(label, seed);
      const res = await classify(clipWav(clip), `${label}-probe.wav`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const body = AudioUploadResponse.parse(res.body);
      expect(Object.keys(res.body).sort()).toEqual([
        'all_probabilities',
        'confidence',
        'duration',
        'events',
        'filename',
        'model_votes',
        'predicted_label',
        'processing_time',
        'sample_rate',
        'success',
        'timestamp',
        'waveform',
      ]);
      expect(body.predicted_label, JSON.stringify(body.all_probabilities)).toBe(label);
      expect(Object.keys(body.model_votes).sort()).toEqual(['CNN', 'TRADITIONAL', 'TRANSFORMER']);
      expect(Object.keys(body.all_probabilities).sort()).toEqual(['gold', 'iron', 'other']);
      const sum = Object.values(body.all_probabilities).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 2);
      expect(body.confidence).toBe(Math.max(...Object.values(body.all_probabilities)));
      expect(body).toMatchObject({
        filename: `${label}-probe.wav`,
        sample_rate: 22050,
        duration: 3,
      });
      expect(body.waveform).toHaveLength(1000);
      expect(body.events).toHaveLength(2);
    }
    // The same clip as FLAC, OGG and MP3 (sox), judged by its bytes whatever its name.
    const wav = path.join(t.root, 'gold.wav');
    writeFileSync(wav, clipWav(clear('gold', 9001)));
    for (const ext of ['flac', 'ogg', 'mp3']) {
      const out = path.join(t.root, `gold.${ext}`);
      execFileSync('sox', [wav, out]);
      const res = await classify(readFileSync(out), `recording-${ext}.bin`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.predicted_label).toBe('gold');
    }
    // Nothing of an upload is stored: the dataset still holds the training clips only.
    const info = (await request(t.app).get('/api/dataset/info')).body;
    expect(info.total_files).toBe(3 * CLIPS_PER_CLASS);
    expect(tmpLeft()).toEqual([]);
  });

  it('classifies a chunk by quick-classify at any rate', async () => {
    const clip = clear('gold', 9003);
    const res = await quick({ audio: Array.from(clip.samples), sample_rate: 22050 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = AudioQuickClassifyResponse.parse(res.body);
    expect(Object.keys(res.body).sort()).toEqual([
      'all_probabilities',
      'confidence',
      'predicted_label',
      'success',
    ]);
    expect(body.predicted_label).toBe('gold');
    // Another rate is resampled; a chunk far shorter than a window is padded.
    const at16k = Array.from(resamplePoly(clip.samples, 22050, 16000));
    const other = AudioQuickClassifyResponse.parse(
      (await quick({ audio: at16k, sample_rate: 16000 })).body,
    );
    expect(other.predicted_label).toBe('gold');
    expect((await quick({ audio: [0.1, -0.1, 0.2], sample_rate: 8000 })).status).toBe(200);
    // The default rate is the reference's 22050.
    const dflt = AudioQuickClassifyResponse.parse(
      (await quick({ audio: Array.from(clip.samples) })).body,
    );
    expect(dflt.all_probabilities).toEqual(body.all_probabilities);
  });

  it('refuses bad chunks in the family envelope', async () => {
    await expectRefused(await quick({ audio: [] }), 400, /at least one sample/);
    await expectRefused(await quick({ audio: [0.1], sample_rate: 0 }), 400, /sample_rate/);
    await expectRefused(await quick({ audio: [0.1], sample_rate: 1e9 }), 400, /sample_rate/);
    await expectRefused(await quick({ audio: [0.1, null] }), 400, /audio/);
    await expectRefused(await quick({ sample_rate: 16000 }), 400, /audio/);
    const raw = (text: string) =>
      request(t.app).post('/api/quick-classify').set('Content-Type', 'application/json').send(text);
    await expectRefused(await raw('{"audio":[0.1,NaN]}'), 400, /JSON/i);
    await expectRefused(await raw('{"audio":[0.1,1e999]}'), 400, /audio/);
    await expectRefused(
      await quick({ audio: new Array(16000 * 31).fill(0), sample_rate: 16000 }),
      400,
      /at most 30 s/,
    );
  });

  it('refuses bad uploads with nothing stored', async () => {
    const text = Buffer.from('these are field notes, not a recording\n'.repeat(40));
    await expectRefused(await classify(text, 'notes.mp3'), 400, /not a WAV, MP3, FLAC or OGG/);
    await expectRefused(await classify(Buffer.alloc(0), 'empty.wav'), 400, /empty/);
    const wav = clipWav(clear('gold', 9004));
    const lying = Buffer.from(wav.subarray(0, 4000));
    await expectRefused(await classify(lying, 'short.wav'), 400, /broken WAV/);
    const m4a = Buffer.concat([
      Buffer.from([0, 0, 0, 0x20]),
      Buffer.from('ftypM4A \0\0\0\0M4A mp42isom\0\0\0\0', 'latin1'),
      Buffer.alloc(2000),
    ]);
    await expectRefused(
      await classify(m4a, 'field.m4a'),
      415,
      /AAC.*Formats that work: WAV, MP3, FLAC and OGG/,
    );
    await expectRefused(await request(t.app).post('/api/upload').field('x', '1'), 400, /file/);
    expect(tmpLeft()).toEqual([]);
  });

  it('refuses a 2 GB upload before reading it', async () => {
    const server = await listen(t.app);
    try {
      const reply = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({
          port: server.port,
          host: '127.0.0.1',
          method: 'POST',
          path: '/api/upload',
          headers: {
            'Content-Type': 'multipart/form-data; boundary=x',
            'Content-Length': String(2 * 1024 ** 3 + 1),
          },
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write('--x\r\n');
      });
      expect(reply.status).toBe(413);
      expect(JSON.parse(reply.body)).toMatchObject({ success: false });
    } finally {
      await server.close();
    }
    expect(tmpLeft()).toEqual([]);
  });
  it('a cancelled training keeps the models of the last one', async () => {
    const before = (await request(t.app).get('/api/analytics/model-performance')).body;
    const res = await request(t.app)
      .post('/api/training/start')
      .send({ ...FAST, epochs: 200 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Cancelled once it is training its first family.
    for (;;) {
      const s = AudioTrainingStatus.parse((await request(t.app).get('/api/training/status')).body);
      if ((s.metrics.CNN?.epoch ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancel = await request(t.app).post(`/api/jobs/${res.body.job_id}/cancel`);
    expect(cancel.status, JSON.stringify(cancel.body)).toBe(200);
    const job = await waitForJob(t.app, res.body.job_id);
    expect(job.status).toBe('cancelled');
    const status = AudioTrainingStatus.parse(
      (await request(t.app).get('/api/training/status')).body,
    );
    expect(status).toMatchObject({ status: 'cancelled', error: 'Training cancelled' });
    expect((await request(t.app).get('/api/analytics/model-performance')).body).toEqual(before);
    const again = await classify(clipWav(clear('iron', 9005)), 'iron.wav');
    expect(again.body.predicted_label).toBe('iron');
    // Its unfinished model folder is gone: only the completed training's remains.
    const project = (await request(t.app).get('/api/projects')).body.data[0];
    const models = path.join(t.workspaceDir, 'projects', project.id, 'audio-portal', 'models');
    expect(readdirSync(models).filter((n) => n.startsWith('run-'))).toHaveLength(1);
    // The second training took the split the first created: it still covers every clip.
    expect((await request(t.app).get(`/api/splits/${project.id}`)).body.data.splits).toHaveLength(
      1,
    );
  });
  it('after a restart: the last training is reported and its models load from the project', async () => {
    const performance = (await request(t.app).get('/api/analytics/model-performance')).body;
    await t.ws.close();
    const ws = await openWorkstation({
      workspaceDir: t.workspaceDir,
      version: '0.0.0-test',
      logger: silentLogger,
    });
    t = { ...t, ws, app: createApp(ws, { port: 0, logger: silentLogger, heartbeatMs: 50 }) };
    const status = AudioTrainingStatus.parse(
      (await request(t.app).get('/api/training/status')).body,
    );
    expect(status).toMatchObject({ status: 'cancelled', job_id: expect.any(String) });
    expect((await request(t.app).get('/api/analytics/model-performance')).body).toEqual(
      performance,
    );
    const res = await classify(clipWav(clear('gold', 9006)), 'gold.wav');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.predicted_label).toBe('gold');
  });
  it('a training stopped by the app is interrupted, and its unfinished models removed', async () => {
    const res = await request(t.app)
      .post('/api/training/start')
      .send({ ...FAST, epochs: 200 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (;;) {
      const s = AudioTrainingStatus.parse((await request(t.app).get('/api/training/status')).body);
      if ((s.metrics.CNN?.epoch ?? 0) >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await t.ws.close();
    const ws = await openWorkstation({
      workspaceDir: t.workspaceDir,
      version: '0.0.0-test',
      logger: silentLogger,
    });
    t = { ...t, ws, app: createApp(ws, { port: 0, logger: silentLogger, heartbeatMs: 50 }) };
    const status = AudioTrainingStatus.parse(
      (await request(t.app).get('/api/training/status')).body,
    );
    expect(status).toMatchObject({ status: 'interrupted', job_id: res.body.job_id });
    const project = (await request(t.app).get('/api/projects')).body.data[0];
    const models = path.join(t.workspaceDir, 'projects', project.id, 'audio-portal', 'models');
    expect(readdirSync(models).filter((n) => n.startsWith('run-'))).toHaveLength(1);
    expect((await classify(clipWav(clear('iron', 9007)), 'iron.wav')).body.predicted_label).toBe(
      'iron',
    );
  });
});
