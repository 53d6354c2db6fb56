// The audio portal's live stream over Socket.IO (api-reference/audio-portal.md), with the official
// socket.io-client against the real server: a generated recording streamed in real-time-sized
// chunks gets one verdict per event, in order; every refusal is a stream_error with the stream and
// the server still up. The trained models are stood in for by tests/fixtures/band-energy-classifier.
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassificationResult } from '../../src-shared/contract/index.js';
import { STREAM_SETTINGS_FILE } from '../../src-main/core/audio-portal/live/audio-live.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { serveWorkstation, type ServingApi } from '../../src-main/server.js';
import { fixtureModels } from '../fixtures/band-energy-classifier.js';
import { detectorRecording } from '../fixtures/detector-recording.js';
import { manualTrainingEvents } from '../fixtures/training-updates.js';
import { tempDir } from '../core/services-helpers.js';
import { connect, nextEvent, streamRecording, until } from './helpers/socket-stream.js';

let root: string;
let ws: Workstation;
let api: ServingApi;
const models = fixtureModels();
const training = manualTrainingEvents();
const sockets: Socket[] = [];

beforeAll(async () => {
  root = await tempDir('assay-audio-stream-');
  ws = await createWorkstation(
    { workspaceDir: root, version: '0', logger: silentLogger },
    { runImportWorker, inspectZip, audioModels: models, audioTraining: training },
  );
  api = await serveWorkstation(ws, { port: 0, logger: silentLogger });
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await api.close();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

const client = async (): Promise<Socket> => {
  const s = await connect(api.url);
  sockets.push(s);
  return s;
};

const errorOf = async (s: Socket, event: string, data?: unknown): Promise<string> => {
  const next = nextEvent<{ success: boolean; error: string }>(s, 'stream_error');
  if (data === undefined) s.emit(event);
  else s.emit(event, data);
  const body = await next;
  expect(body.success).toBe(false);
  return body.error;
};

describe('the live stream', () => {
  it('answers a streamed recording with one verdict per event, in order, at 44.1 kHz', async () => {
    const s = await client();
    const started = nextEvent(s, 'stream_started');
    s.emit('start_stream');
    expect(await started).toEqual({ message: 'Audio streaming started' });
    const rec = detectorRecording(['gold', 'iron', 'other', 'gold'], { rate: 44_100 });
    const results = await streamRecording(s, rec, 2048);
    expect(results.map((r) => r.predicted_label)).toEqual(rec.events.map((e) => e.label));
    for (const [i, r] of results.entries()) {
      expect(ClassificationResult.parse(r)).toEqual(r);
      expect(Math.abs(r.event.onset - rec.events[i]!.onset)).toBeLessThan(0.05);
      expect(r.source).toBe('client');
      expect(r.confidence).toBe(r.all_probabilities[r.predicted_label]);
      expect(r.model_votes).toEqual({ TRADITIONAL: r.predicted_label });
      expect(Date.parse(r.timestamp)).not.toBeNaN();
    }
    const stopped = nextEvent(s, 'stream_stopped');
    s.emit('stop_stream');
    expect(await stopped).toEqual({ message: 'Audio streaming stopped' });
  });

  it('refuses bad data with stream_error and keeps the stream and the server up', async () => {
    const s = await client();
    expect(await errorOf(s, 'audio_data', { audio: [0, 0.1], sampleRate: 22050 })).toMatch(
      /audio_data before start_stream/,
    );
    s.emit('start_stream');
    await nextEvent(s, 'stream_started');
    // JSON has no NaN: Socket.IO sends it as null, which is no sample either.
    expect(await errorOf(s, 'audio_data', { audio: [0, NaN, 0.2], sampleRate: 22050 })).toMatch(
      /audio\.1: audio samples must be finite numbers/,
    );
    expect(await errorOf(s, 'audio_data', { audio: [0], sampleRate: 0 })).toMatch(
      /sampleRate must be at least 4000/,
    );
    expect(await errorOf(s, 'audio_data', { audio: [0], sampleRate: 1e9 })).toMatch(
      /sampleRate must be at most 384000/,
    );
    expect(await errorOf(s, 'audio_data', { audio: [0], sampleRate: 44_100.5 })).toMatch(
      /whole number/,
    );
    expect(
      await errorOf(s, 'audio_data', { audio: new Array(400_000).fill(0), sampleRate: 48_000 }),
    ).toMatch(/at most 384000 samples/);
    expect(await errorOf(s, 'audio_data', { audio: 'loud', sampleRate: 48_000 })).toMatch(/audio/);
    expect(await errorOf(s, 'audio_data')).toMatch(/audio_data/);
    expect(await errorOf(s, 'start_stream', { thresholds: { gold: 7 } })).toMatch(/thresholds/);
    // Still streaming, still judging.
    expect(s.connected).toBe(true);
    const results = await streamRecording(s, detectorRecording(['iron'], { seed: 3 }), 1024);
    expect(results.map((r) => r.predicted_label)).toEqual(['iron']);
    const health = await fetch(`${api.url}/health`);
    expect(health.status).toBe(200);
  });

  it('is declared in /openapi.json: its events, its error event, its HTTP operations', async () => {
    const doc = (await (await fetch(`${api.url}/openapi.json`)).json()) as {
      paths: Record<string, unknown>;
      'x-socket-io': {
        namespace: string;
        errorEvent: string;
        clientEvents: object;
        serverEvents: object;
      }[];
    };
    const live = doc['x-socket-io'].find((d) => d.namespace === '/');
    expect(live?.errorEvent).toBe('stream_error');
    expect(Object.keys(live?.clientEvents ?? {})).toEqual([
      'start_stream',
      'audio_data',
      'stop_stream',
    ]);
    expect(Object.keys(live?.serverEvents ?? {})).toEqual([
      'stream_started',
      'stream_stopped',
      'classification_result',
      'training_update',
      'stream_error',
    ]);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/stream/settings',
        '/api/stream/recorder',
        '/api/stream/recorder/start',
        '/api/stream/recorder/stop',
      ]),
    );
  });

  it('cuts off only the client whose event is over the transport limit (10 MB)', async () => {
    const [big, other] = [await client(), await client()];
    const gone = new Promise((r) => big.once('disconnect', r));
    big.emit('audio_data', { audio: 'x'.repeat(11e6), sampleRate: 48_000 });
    await gone;
    other.emit('start_stream');
    expect(await nextEvent(other, 'stream_started')).toEqual({
      message: 'Audio streaming started',
    });
    expect((await fetch(`${api.url}/health`)).status).toBe(200);
  });

  it('takes duplicate and early stops harmlessly, and a second start as a fresh stream', async () => {
    const s = await client();
    const errors: unknown[] = [];
    s.on('stream_error', (e) => errors.push(e));
    for (const _ of [1, 2]) {
      const stopped = nextEvent(s, 'stream_stopped');
      s.emit('stop_stream');
      expect(await stopped).toEqual({ message: 'Audio streaming stopped' });
    }
    for (const _ of [1, 2]) {
      const started = nextEvent(s, 'stream_started');
      s.emit('start_stream');
      await started;
    }
    for (const _ of [1, 2]) {
      const stopped = nextEvent(s, 'stream_stopped');
      s.emit('stop_stream');
      await stopped;
    }
    // After the stop, audio is refused again: the session really ended.
    expect(await errorOf(s, 'audio_data', { audio: [0], sampleRate: 16000 })).toMatch(
      /before start_stream/,
    );
    expect(errors).toHaveLength(1);
  });

  it('says so on start_stream while no model is trained', async () => {
    const s = await client();
    models.setTrained(false);
    try {
      expect(await errorOf(s, 'start_stream')).toMatch(/No model is trained yet/);
    } finally {
      models.setTrained(true);
    }
    s.emit('start_stream');
    expect(await nextEvent(s, 'stream_started')).toEqual({ message: 'Audio streaming started' });
  });

  it('keeps each client its own session, and cleans up on disconnect', async () => {
    const before = ws.audioLive.streams.listeners;
    const [a, b] = [await client(), await client()];
    await until(
      () => ws.audioLive.streams.listeners,
      (n) => n === before + 2,
    );
    for (const s of [a, b]) s.emit('start_stream');
    await Promise.all([nextEvent(a, 'stream_started'), nextEvent(b, 'stream_started')]);
    const [ra, rb] = await Promise.all([
      streamRecording(a, detectorRecording(['gold', 'other'], { seed: 5, rate: 48_000 }), 2048),
      streamRecording(b, detectorRecording(['iron', 'iron'], { seed: 6, rate: 16_000 }), 1024),
    ]);
    expect(ra.map((r) => r.predicted_label)).toEqual(['gold', 'other']);
    expect(rb.map((r) => r.predicted_label)).toEqual(['iron', 'iron']);
    a.disconnect();
    b.disconnect();
    await until(
      () => ws.audioLive.streams.listeners,
      (n) => n === before,
    );
  });

  it('broadcasts training_update to every client', async () => {
    const [a, b] = [await client(), await client()];
    const update = { progress: 40, status: 'training', metrics: { CNN: { accuracy: 0.8 } } };
    const got = Promise.all([nextEvent(a, 'training_update'), nextEvent(b, 'training_update')]);
    training.emit(update);
    expect(await got).toEqual([update, update]);
  });
});

describe('confidence thresholds', () => {
  it("are stored in the workspace and can be raised for one stream in start_stream's settings", async () => {
    const put = await fetch(`${api.url}/api/stream/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thresholds: { iron: 0.95 } }),
    });
    expect(put.status).toBe(200);
    const settings = (await put.json()) as { thresholds: Record<string, number> };
    expect(settings.thresholds).toEqual({ gold: 0.5, iron: 0.95, other: 0.5 });
    const stored = JSON.parse(await readFile(path.join(root, STREAM_SETTINGS_FILE), 'utf8'));
    expect(stored.thresholds.iron).toBe(0.95);
    expect(await (await fetch(`${api.url}/api/stream/settings`)).json()).toEqual(settings);

    const rec = detectorRecording(['gold', 'iron', 'other'], { seed: 8 });
    const s = await client();
    s.emit('start_stream');
    await nextEvent(s, 'stream_started');
    // The fixture's confidence is 0.9: under the stored iron threshold, iron is never said.
    const stored95 = await streamRecording(s, rec, 1024, 2);
    expect(stored95.map((r) => r.predicted_label)).toEqual(['gold', 'other']);
    s.emit('start_stream', { thresholds: { iron: 0.5, gold: 0.99 } });
    await nextEvent(s, 'stream_started');
    const own = await streamRecording(s, rec, 1024, 2);
    expect(own.map((r) => r.predicted_label)).toEqual(['iron', 'other']);

    const bad = await fetch(`${api.url}/api/stream/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thresholds: { gold: 2 } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      success: false,
      error: expect.stringMatching(/gold/),
    });
    const back = await fetch(`${api.url}/api/stream/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ thresholds: { iron: 0.5 } }),
    });
    expect(((await back.json()) as typeof settings).thresholds.iron).toBe(0.5);
  });
});
