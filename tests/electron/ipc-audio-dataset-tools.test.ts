// Augment, balance and export over IPC on a real workstation: the Dataset screen's channels, with
// the same service and messages as the HTTP routes; the export arrives as the ZIP's bytes.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { AudioDatasetExportMetadata } from '../../src-shared/contract/index.js';
import { ipcChannel } from '../../src-shared/contract/operation.js';
import { clipWav, generateClip } from '../../src-main/core/audio-portal/generate.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { unzip } from '../api/helpers/audio-measure.js';

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

function invoke(name: string, arg?: unknown): Promise<IpcResult<unknown>> {
  const handler = handlers.get(ipcChannel(name));
  if (!handler) throw new Error(`no handler for ${name}`);
  return handler(fromApp, arg);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-ipc-audio-tools-'));
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

describe('audio dataset tools over IPC', () => {
  it('augments, balances and exports', async () => {
    for (const [seed, label] of [
      [1, 'gold'],
      [2, 'gold'],
      [3, 'iron'],
    ] as const) {
      const bytes = new Uint8Array(clipWav(generateClip({ seed, label, seconds: 1, events: 1 })));
      const up = await invoke('audioDatasetUpload', {
        file: { filename: `${label}${seed}.wav`, bytes },
        class_label: label,
      });
      expect(up.ok).toBe(true);
    }
    const bad = await invoke('audioDatasetAugment', { techniques: { reverb: true } });
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringMatching(/reverb/) } });

    const aug = await invoke('audioDatasetAugment', {
      techniques: { gain: true },
      target_classes: ['iron'],
    });
    expect(aug).toMatchObject({
      ok: true,
      value: { success: true, details: { classes: { iron: { sources: 1, created: 1 } } } },
    });
    const bal = await invoke('audioDatasetBalance', { method: 'undersample' });
    expect(bal).toMatchObject({
      ok: true,
      value: {
        original_distribution: { gold: 2, iron: 2 },
        new_distribution: { gold: 2, iron: 2 },
      },
    });

    const out = await invoke('audioDatasetExport', {});
    if (!out.ok) throw new Error(out.error.message);
    const file = out.value as { filename: string; content_type: string; bytes: Uint8Array };
    expect(file.content_type).toBe('application/zip');
    expect(file.filename).toMatch(/\.zip$/);
    const entries = await unzip(Buffer.from(file.bytes));
    const meta = AudioDatasetExportMetadata.parse(
      JSON.parse(entries.get('metadata.json')!.toString()),
    );
    expect(meta.classes).toEqual({ gold: 2, iron: 2 });
    const copy = meta.files.find((f) => f.augmentation !== null)!;
    expect(copy.augmentation!.source).toBe('iron/iron3.wav');
    expect(entries.has(copy.path)).toBe(true);
  });
});
