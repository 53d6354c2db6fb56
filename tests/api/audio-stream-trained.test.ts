// The audio portal end to end as a lab script drives it: generated metal-detector clips uploaded
// per class over HTTP, the three families trained through the API (a connected Socket.IO client
// hears `training_update` meanwhile), then a recording of gold, iron and other events streamed
// with the official socket.io-client gets the trained vote's verdicts, in order, with every
// family's vote.
import { rm } from 'node:fs/promises';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClassificationResult } from '../../src-shared/contract/index.js';
import {
  clipWav,
  generateClip,
  type DetectorClass,
} from '../../src-main/core/audio-portal/generate.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { serveWorkstation, type ServingApi } from '../../src-main/server.js';
import { tempDir } from '../core/services-helpers.js';
import { detectorRecording } from '../fixtures/detector-recording.js';
import { connect, nextEvent, streamRecording } from './helpers/socket-stream.js';

const CLASSES: DetectorClass[] = ['gold', 'iron', 'other'];
const CLIPS_PER_CLASS = 8;
const FAST = { epochs: 8, batch_size: 16, learning_rate: 0.005 };

let root: string;
let ws: Workstation;
let api: ServingApi;
const sockets: Socket[] = [];

beforeAll(async () => {
  root = await tempDir('assay-audio-trained-');
  ws = await createWorkstation(
    { workspaceDir: root, version: '0', logger: silentLogger },
    { runImportWorker, inspectZip },
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

async function upload(label: DetectorClass, seed: number): Promise<void> {
  const form = new FormData();
  form.append('class_label', label);
  const clip = generateClip({ seed, label, seconds: 2, events: 2 });
  form.append('file', new Blob([clipWav(clip)]), `${label}-${seed}.wav`);
  const res = await fetch(`${api.url}/api/dataset/upload`, { method: 'POST', body: form });
  expect(res.status, await res.clone().text()).toBe(200);
}

async function status(): Promise<{ status: string; progress: number }> {
  return (await (await fetch(`${api.url}/api/training/status`)).json()) as {
    status: string;
    progress: number;
  };
}

describe('the live stream with the trained voting families', () => {
  it('trains over the API, broadcasts training_update, then judges a streamed recording in order', async () => {
    const s = await client();
    // Before any training the stream says why it cannot start.
    const refused = nextEvent<{ error: string }>(s, 'stream_error');
    s.emit('start_stream');
    expect((await refused).error).toMatch(/train/i);

    for (const [i, label] of CLASSES.entries()) {
      for (let k = 0; k < CLIPS_PER_CLASS; k++) await upload(label, 500 + 100 * i + k);
    }
    const updates: { progress: number; status: string }[] = [];
    s.on('training_update', (u: { progress: number; status: string }) => void updates.push(u));
    const started = await fetch(`${api.url}/api/training/start`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(FAST),
    });
    expect(started.status, await started.clone().text()).toBe(200);
    let st = await status();
    for (let i = 0; i < 3000 && !['completed', 'failed', 'cancelled'].includes(st.status); i++) {
      await new Promise((r) => setTimeout(r, 100));
      st = await status();
    }
    expect(st.status).toBe('completed');
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.at(-1)?.status).toBe('completed');

    const begun = nextEvent(s, 'stream_started');
    s.emit('start_stream');
    expect(await begun).toEqual({ message: 'Audio streaming started' });
    const rec = detectorRecording(['gold', 'iron', 'other', 'gold', 'iron'], {
      rate: 44_100,
      seed: 7,
    });
    const results = await streamRecording(s, rec, 2048);
    expect(results.map((r) => r.predicted_label)).toEqual(rec.events.map((e) => e.label));
    for (const r of results) {
      expect(ClassificationResult.parse(r)).toEqual(r);
      expect(Object.keys(r.model_votes ?? {}).sort()).toEqual([
        'CNN',
        'TRADITIONAL',
        'TRANSFORMER',
      ]);
    }
    // The three family models in use count in the one health body.
    const health = (await (await fetch(`${api.url}/health`)).json()) as { models_loaded: number };
    expect(health.models_loaded).toBeGreaterThanOrEqual(3);
    const stopped = nextEvent(s, 'stream_stopped');
    s.emit('stop_stream');
    expect(await stopped).toEqual({ message: 'Audio streaming stopped' });
  });
});
