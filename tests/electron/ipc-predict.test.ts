// Try it over IPC, on a real workstation and a run trained by the real trainer: the file's bytes
// cross as a Uint8Array and get the very answer the HTTP predict operation gives; errors are data.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { createBridgeClient, type AssayBridge } from '../../src-shared/contract/ipc.js';
import { WorkstationError } from '../../src-shared/contract/client.js';
import { IPC_PREDICT, RunPrediction } from '../../src-shared/contract/predict.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { okData, openTestApp, type TestApp } from '../api/helpers/test-app.js';
import { trainRun, type TrainedRun } from '../api/predict-helpers.js';
import { tinyConfig, writeImageDataset } from '../api/training-helpers.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;
const handlers = new Map<string, Handler>();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
} as unknown as IpcMainLike;
const fromApp = { senderFrame: { url: 'assay://app/index.html' }, sender: { id: 1 } };
const invoke = (channel: string, arg?: unknown): Promise<IpcResult<unknown>> =>
  handlers.get(channel)!(fromApp, arg);

let t: TestApp;
let dispose: () => void;
let run: TrainedRun;
let png: Buffer;

beforeAll(async () => {
  t = await openTestApp();
  dispose = registerIpc(fakeIpcMain, t.ws, silentLogger);
  const dir = path.join(t.root, 'images');
  await writeImageDataset(dir, 6, ['left', 'right']);
  const files: Record<string, Uint8Array> = {};
  for (const cls of ['left', 'right'])
    for (const f of await readdir(path.join(dir, cls)))
      files[`${cls}/${f}`] = await readFile(path.join(dir, cls, f));
  png = Buffer.from(files['left/left-1.png']!);
  run = await trainRun(t, 'classification', files, tinyConfig({ epochs: 1 }));
});
afterAll(async () => {
  dispose?.();
  await t?.close();
});

describe('predict over IPC', () => {
  it('bytes in, the same prediction as over HTTP; the client over the bridge unwraps it', async () => {
    const target = { project_id: run.pid, run_id: run.runId, checkpoint: 'best' };
    const res = await invoke(IPC_PREDICT, {
      ...target,
      file: { filename: 'probe.png', bytes: new Uint8Array(png) },
    });
    expect(res.ok).toBe(true);
    const viaIpc = RunPrediction.parse((res as { value: unknown }).value);
    const viaHttp = okData(
      await request(t.app)
        .post(`/api/training/${run.pid}/runs/${run.runId}/predict`)
        .attach('file', png, 'probe.png'),
      RunPrediction,
    );
    expect(viaIpc.output).toEqual(viaHttp.output);
    expect(viaIpc.top).toEqual(viaHttp.top);
    expect(viaIpc.probabilities.map((p) => p.label).sort()).toEqual(['left', 'right']);

    // The renderer's WorkstationClient over a bridge whose predict is this IPC channel.
    const bridge = {
      predict: async (projectId, runId, item, checkpoint) =>
        invoke(IPC_PREDICT, {
          project_id: projectId,
          run_id: runId,
          checkpoint,
          ...('row' in item
            ? { row: item.row }
            : {
                file: {
                  filename: item.filename,
                  bytes: new Uint8Array(await item.file.arrayBuffer()),
                },
              }),
        }) as Promise<IpcResult<RunPrediction>>,
    } as Partial<AssayBridge> as AssayBridge;
    const client = createBridgeClient(bridge);
    const p = await client.predict(run.pid, run.runId, {
      file: new Blob([png]),
      filename: 'p.png',
    });
    expect(p.output).toEqual(viaHttp.output);
    await expect(client.predict(run.pid, run.runId, { row: [1, 2] })).rejects.toMatchObject({
      code: 'unsupported_media_type',
    });
    await expect(
      client.predict(run.pid, 'run-00000000', { file: new Blob([png]), filename: 'p.png' }),
    ).rejects.toBeInstanceOf(WorkstationError);
  });

  it('refuses bad arguments and wrong media as data, never a throw', async () => {
    const target = { project_id: run.pid, run_id: run.runId };
    expect(await invoke(IPC_PREDICT, target)).toMatchObject({
      ok: false,
      error: { code: 'validation_error' },
    });
    expect(
      await invoke(IPC_PREDICT, {
        ...target,
        row: [1],
        file: { filename: 'a', bytes: new Uint8Array(1) },
      }),
    ).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    expect(
      await invoke(IPC_PREDICT, {
        ...target,
        file: {
          filename: 'notes.png',
          bytes: new TextEncoder().encode('plain text, not an image'),
        },
      }),
    ).toMatchObject({ ok: false, error: { code: 'unsupported_media_type' } });
    expect(
      await invoke(IPC_PREDICT, {
        ...target,
        file: { filename: 'empty.png', bytes: new Uint8Array() },
      }),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(
      await invoke(IPC_PREDICT, { project_id: run.pid, run_id: 'run-00000000', row: [1] }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(
      (await readdir(path.join(t.workspaceDir, 'tmp'))).filter((n) => !n.startsWith('.')),
    ).toEqual([]);
  });
});
