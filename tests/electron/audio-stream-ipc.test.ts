// The audio portal's live stream over IPC (the desktop renderer's path): the real main-side
// handlers (registerIpc) and the real preload stream bridge, over a stand-in for Electron's IPC
// that copies every message as structured clone does. Same events as Socket.IO, checked against
// the same contract; the recorder's verdicts reach IPC listeners too.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { streams } from '../../src-shared/contract/streams.js';
import { resultOf } from '../../src-main/core/audio-portal/live/live-streams.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { createStreamBridge, type IpcRendererLike } from '../../src-preload/stream-bridge.js';
import { fixtureModels } from '../fixtures/band-energy-classifier.js';
import { detectorRecording } from '../fixtures/detector-recording.js';
import { tempDir } from '../core/services-helpers.js';
import { until } from '../api/helpers/socket-stream.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;
type Listener = (event: unknown, payload: unknown) => void;

let root: string;
let ws: Workstation;
let dispose: () => void;
const handlers = new Map<string, Handler>();

/** One page's ipcRenderer, wired to main's handlers; `destroy` closes the page. */
function page(id: number): { renderer: IpcRendererLike; destroy(): void } {
  const toPage = new Map<string, Set<Listener>>();
  const onDestroyed: (() => void)[] = [];
  let destroyed = false;
  const contents = {
    id,
    isDestroyed: () => destroyed,
    send: (channel: string, payload: unknown) => {
      for (const l of toPage.get(channel) ?? []) l({}, structuredClone(payload));
    },
    on: () => contents,
    once: (event: string, l: () => void) => {
      if (event === 'destroyed') onDestroyed.push(l);
      return contents;
    },
  };
  const renderer = {
    invoke: async (channel: string, arg: unknown) => {
      const event = { senderFrame: { url: 'assay://app/index.html' }, sender: contents };
      return structuredClone(await handlers.get(channel)!(event, structuredClone(arg)));
    },
    on: (channel: string, l: Listener) => {
      if (!toPage.has(channel)) toPage.set(channel, new Set());
      toPage.get(channel)?.add(l);
      return renderer;
    },
  };
  return {
    renderer: renderer as unknown as IpcRendererLike,
    destroy: () => {
      destroyed = true;
      for (const l of onDestroyed) l();
    },
  };
}

beforeAll(async () => {
  root = await tempDir('assay-audio-ipc-');
  ws = await createWorkstation(
    { workspaceDir: root, version: '0', logger: silentLogger },
    { runImportWorker, inspectZip, audioModels: fixtureModels() },
  );
  const ipcMain = {
    handle: (channel: string, h: Handler) => handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMainLike;
  dispose = registerIpc(ipcMain, ws, silentLogger);
});
afterAll(async () => {
  dispose();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

describe('the live stream over IPC', () => {
  it('takes the same events and answers with verdicts, refusals as data', async () => {
    const { renderer, destroy } = page(1);
    const bridge = createStreamBridge(renderer, streams);
    const got: { event: string; data: unknown }[] = [];
    const live = bridge.open('audioStream', {}, (e) => got.push(e));
    const before = await live.send({
      event: 'audio_data',
      data: { audio: [0], sampleRate: 16000 },
    });
    expect(before).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await live.send({ event: 'start_stream', data: undefined })).toEqual({
      ok: true,
      value: null,
    });
    const rec = detectorRecording(['iron', 'gold'], { seed: 9, rate: 48_000 });
    for (let at = 0; at < rec.samples.length; at += 4096) {
      const audio = Array.from(rec.samples.subarray(at, at + 4096));
      expect(
        (await live.send({ event: 'audio_data', data: { audio, sampleRate: 48_000 } })).ok,
      ).toBe(true);
    }
    const bad = await live.send({ event: 'audio_data', data: { audio: [0], sampleRate: 0 } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const verdicts = got.filter((e) => e.event === 'classification_result');
    expect(verdicts.map((e) => (e.data as { predicted_label: string }).predicted_label)).toEqual([
      'iron',
      'gold',
    ]);
    expect(got[0]).toEqual({
      event: 'stream_started',
      data: { message: 'Audio streaming started' },
    });

    // Broadcasts (the recorder's verdicts, training updates) reach IPC listeners as well.
    const n = got.length;
    const recorderVerdict = resultOf(
      {
        verdict: {
          predicted_label: 'gold',
          confidence: 0.9,
          all_probabilities: { gold: 0.9, iron: 0.05, other: 0.05 },
          model_votes: { CNN: 'gold' },
          families: {},
        },
        onset: 1,
        latencyMs: 80,
      },
      'recorder',
      new Date(),
    );
    ws.audioLive.streams.broadcast('classification_result', recorderVerdict);
    expect(got.slice(n)).toEqual([{ event: 'classification_result', data: recorderVerdict }]);
    const listeners = ws.audioLive.streams.listeners;
    destroy();
    await until(
      () => ws.audioLive.streams.listeners,
      (l) => l === listeners - 1,
    );
    expect(ws.audioLive.streams.listeners).toBe(listeners - 1);
  });
});
