// The main-process recorder (node-record-lpcm16) with a stand-in recorder program on PATH: a tiny
// `sox` script that writes a generated recording as 16-bit PCM to stdout, as sox does from a
// microphone. Its verdicts reach every Socket.IO client; a missing program is a clear 422.
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClassificationResult, RecorderStatus } from '../../src-shared/contract/index.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { serveWorkstation, type ServingApi } from '../../src-main/server.js';
import { fixtureModels } from '../fixtures/band-energy-classifier.js';
import { detectorRecording, pcm16 } from '../fixtures/detector-recording.js';
import { tempDir } from '../core/services-helpers.js';
import { connect, until } from './helpers/socket-stream.js';

let root: string;
let bin: string;
let ws: Workstation;
let api: ServingApi;
let searchPath: string;
const models = fixtureModels();
const originalPath = process.env.PATH;
const rec = detectorRecording(['gold', 'iron', 'other'], { seed: 11, rate: 16_000 });

beforeAll(async () => {
  root = await tempDir('assay-audio-recorder-');
  bin = path.join(root, 'bin');
  await mkdir(bin);
  await writeFile(path.join(root, 'mic.raw'), pcm16(rec.samples));
  // The stand-in notes how it was called, plays the "microphone", then waits to be stopped.
  await writeFile(
    path.join(bin, 'sox'),
    `#!/bin/sh\necho "$@" > "${root}/args.txt"\ncat "${root}/mic.raw"\nexec sleep 60\n`,
  );
  await chmod(path.join(bin, 'sox'), 0o755);
  // node-record-lpcm16 starts the program by name, from this process's PATH.
  process.env.PATH = `${bin}${path.delimiter}${originalPath ?? ''}`;
  searchPath = process.env.PATH;
  ws = await createWorkstation(
    { workspaceDir: path.join(root, 'ws'), version: '0', logger: silentLogger },
    { runImportWorker, inspectZip, audioModels: models, recorderSearchPath: () => searchPath },
  );
  api = await serveWorkstation(ws, { port: 0, logger: silentLogger });
});
afterAll(async () => {
  process.env.PATH = originalPath;
  await api.close();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

const post = async (url: string, body?: unknown) => {
  const res = await fetch(`${api.url}${url}`, {
    method: 'POST',
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return { status: res.status, body: (await res.json()) as RecorderStatus & { error?: string } };
};

describe('the main-process recorder', () => {
  it("feeds the live engine; its verdicts go to every client, in the recording's order", async () => {
    const clients: Socket[] = [await connect(api.url), await connect(api.url)];
    const heard: ClassificationResult[][] = [[], []];
    clients.forEach((c, i) => c.on('classification_result', (r) => heard[i]!.push(r)));
    try {
      const started = await post('/api/stream/recorder/start', { program: 'sox' });
      expect(started).toMatchObject({
        status: 200,
        body: { running: true, program: 'sox', sample_rate: 16000, last_error: null },
      });
      expect(await post('/api/stream/recorder/start')).toMatchObject({
        status: 409,
        body: { success: false, error: expect.stringMatching(/already running/) },
      });
      const all = await until(
        () => heard,
        (h) => h.every((x) => x.length >= rec.events.length),
      );
      for (const got of all) {
        expect(got.map((r) => r.predicted_label)).toEqual(['gold', 'iron', 'other']);
        expect(got.every((r) => r.source === 'recorder')).toBe(true);
      }
      const args = await readFile(path.join(root, 'args.txt'), 'utf8');
      expect(args).toMatch(/--rate 16000 --channels 1 --encoding signed-integer --bits 16/);
      expect(args).toMatch(/--type raw/);
      const status = (await (
        await fetch(`${api.url}/api/stream/recorder`)
      ).json()) as RecorderStatus;
      expect(status).toMatchObject({ running: true, verdicts: 3 });
      expect(status.seconds).toBeCloseTo(rec.samples.length / 16000, 2);
      expect((await post('/api/stream/recorder/stop')).body).toMatchObject({ running: false });
      // A second stop is harmless.
      expect(await post('/api/stream/recorder/stop')).toMatchObject({
        status: 200,
        body: { running: false, last_error: null },
      });
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  it('says clearly when the recorder program is not installed', async () => {
    const empty = path.join(root, 'empty');
    await mkdir(empty);
    searchPath = empty;
    try {
      const res = await post('/api/stream/recorder/start', { program: 'arecord' });
      expect(res.status).toBe(422);
      expect(res.body).toEqual({
        success: false,
        error: expect.stringMatching(/"arecord" was not found on PATH: install the ALSA utilities/),
      });
    } finally {
      searchPath = process.env.PATH ?? '';
    }
    const status = (await (await fetch(`${api.url}/api/stream/recorder`)).json()) as RecorderStatus;
    expect(status.running).toBe(false);
  });

  it('refuses to start while no model is trained, and bad settings', async () => {
    models.setTrained(false);
    try {
      expect(await post('/api/stream/recorder/start')).toMatchObject({
        status: 409,
        body: { success: false, error: expect.stringMatching(/No model is trained yet/) },
      });
    } finally {
      models.setTrained(true);
    }
    expect(await post('/api/stream/recorder/start', { program: 'parec' })).toMatchObject({
      status: 400,
      body: { success: false },
    });
    expect(await post('/api/stream/recorder/start', { sample_rate: 1e9 })).toMatchObject({
      status: 400,
    });
  });
});
