// The audio portal's dataset channels over IPC on a real workstation: the same service and the
// same messages as the HTTP routes (what the desktop app's Dataset screen will call).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { ipcChannel } from '../../src-shared/contract/operation.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;

let root: string;
let ws: Workstation;
let dispose: () => void;
const handlers = new Map<string, Handler>();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
} as unknown as IpcMainLike;
const fromApp = { senderFrame: { url: 'assay://app/index.html' }, sender: { id: 1 } };

function invoke(channel: string, arg?: unknown): Promise<IpcResult<unknown>> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(fromApp, arg);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-ipc-audio-'));
  ws = await openWorkstation({
    workspaceDir: path.join(root, 'ws'),
    version: '0.0.0-test',
    logger: silentLogger,
  });
  dispose = registerIpc(fakeIpcMain, ws, silentLogger, { chooseSavePath: async () => null });
});

afterAll(async () => {
  dispose();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

describe('audio portal dataset over IPC', () => {
  it('uploads bytes or a file by path, counts events, serves waveforms', async () => {
    expect(await invoke(ipcChannel('audioDatasetInfo'))).toEqual({
      ok: true,
      value: { total_files: 0, total_events: 0, classes: {} },
    });
    expect(await ws.ops.listProjects({})).toEqual([]);
    const gold = generateClip({ seed: 4, label: 'gold', events: 2 });
    const up = await invoke(ipcChannel('audioDatasetUpload'), {
      file: { filename: 'g.wav', bytes: new Uint8Array(clipWav(gold)) },
      class_label: 'gold',
    });
    expect(up).toMatchObject({ ok: true, value: { filename: 'gold/g.wav', class_label: 'gold' } });
    const onDisk = path.join(root, 'i.wav');
    await writeFile(onDisk, clipWav(generateClip({ seed: 5, label: 'iron', events: 1 })));
    const byPath = await invoke(ipcChannel('audioDatasetUpload'), {
      file: { path: onDisk },
      class_label: 'iron',
    });
    expect(byPath).toMatchObject({ ok: true, value: { filename: 'iron/i.wav' } });
    expect(await invoke(ipcChannel('audioDatasetInfo'))).toEqual({
      ok: true,
      value: {
        total_files: 2,
        total_events: 3,
        classes: { gold: { files: 1, events: 2 }, iron: { files: 1, events: 1 } },
      },
    });
    const unknown = await invoke(ipcChannel('audioDatasetUpload'), {
      file: { filename: 'g2.wav', bytes: new Uint8Array(clipWav(gold)) },
      class_label: 'silver',
    });
    expect(unknown).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        message: expect.stringMatching(/Unknown class_label "silver"/),
      },
    });
    const wave = await invoke(ipcChannel('audioWaveform'), { filename: 'gold/g.wav' });
    expect(wave).toMatchObject({ ok: true, value: { filename: 'gold/g.wav', sample_rate: 22050 } });
    const outside = await invoke(ipcChannel('audioWaveform'), { filename: '../ws/assay.db' });
    expect(outside).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe('audio portal classification over IPC', () => {
  it('takes the recording alone (no text fields), and says no model is trained yet', async () => {
    const clip = new Uint8Array(clipWav(generateClip({ seed: 6, label: 'gold', events: 1 })));
    // What the Classify screen sends from the desktop app: the file field and nothing else.
    const before = await invoke(ipcChannel('audioUpload'), {
      file: { filename: 'recording.wav', bytes: clip },
    });
    expect(before).toMatchObject({
      ok: false,
      error: { code: 'conflict', message: expect.stringMatching(/No trained models yet/) },
    });
    const missing = await invoke(ipcChannel('audioUpload'), {});
    expect(missing).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const status = await invoke(ipcChannel('audioTrainingStatus'), {});
    expect(status).toMatchObject({ ok: true, value: { status: 'idle', metrics: {} } });
  });
});
