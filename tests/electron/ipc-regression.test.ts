// The Regression screen's IPC channels over a real workstation (real SQLite, import worker and
// trainer): the same service and the same messages as the HTTP routes. Also the desktop app's
// export download (a save dialog, stood in for here, and the ZIP copied where it points).
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { IPC_SAVE_EXPORT } from '../../src-shared/contract/ipc.js';
import { ipcChannel } from '../../src-shared/contract/operation.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;

let root: string;
let ws: Workstation;
let dispose: () => void;
/** What the stand-in save dialog answers next (null: the user cancels), and what it was asked. */
let nextSavePath: string | null = null;
const asked: string[] = [];
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

/** A learnable CSV: y = 3a − 2b + 1 over a grid. */
function csv(): Uint8Array {
  const lines = ['a,b,y'];
  for (let i = 0; i < 200; i++) {
    const a = (i % 20) / 20;
    const b = Math.floor(i / 20) / 10;
    lines.push(`${a},${b},${3 * a - 2 * b + 1}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-ipc-regression-'));
  ws = await openWorkstation({ workspaceDir: root, version: '0.0.0-test', logger: silentLogger });
  dispose = registerIpc(fakeIpcMain, ws, silentLogger, {
    chooseSavePath: async (_sender, defaultName) => {
      asked.push(defaultName);
      return nextSavePath;
    },
  });
});

afterAll(async () => {
  dispose();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

/** The family's operations are ordinary contract channels, one per operation. */
const IPC_REGRESSION = {
  upload: ipcChannel('regressionUpload'),
  train: ipcChannel('regressionTrain'),
  predict: ipcChannel('regressionPredict'),
  reset: ipcChannel('regressionReset'),
  state: ipcChannel('regressionState'),
  output: ipcChannel('regressionOutput'),
} as const;

describe('regression over IPC', () => {
  it('uploads bytes, trains, predicts, resets; errors carry the documented messages', async () => {
    expect(await invoke(IPC_REGRESSION.predict, { inputs: [1, 2] })).toMatchObject({
      ok: false,
      error: {
        message: 'No trained model found. Please train the model first via /train endpoint.',
      },
    });
    // Before any write the state is empty, and reading it made no project.
    expect(await invoke(IPC_REGRESSION.state)).toEqual({
      ok: true,
      value: { project_id: null, dataset: null, model: null, training: null },
    });
    expect(await ws.ops.listProjects({})).toEqual([]);
    const up = await invoke(IPC_REGRESSION.upload, {
      file: { filename: 'grid.csv', bytes: csv() },
      target_column: null,
    });
    expect(up).toMatchObject({
      ok: true,
      value: { status: 'success', num_points: 200, num_features: 2, train_size: 140 },
    });
    const bad = await invoke(IPC_REGRESSION.upload, {
      file: { filename: 'x', bytes: 'not bytes' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const missing = await invoke(IPC_REGRESSION.upload, {});
    expect(missing).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^Failed to save pickle file: file/) },
    });
    // A file given by path is copied: the service deletes its staged copy, never the original.
    const onDisk = path.join(root, 'grid-on-disk.csv');
    await writeFile(onDisk, csv());
    const byPath = await invoke(IPC_REGRESSION.upload, { file: { path: onDisk } });
    expect(byPath).toMatchObject({ ok: true, value: { filename: 'grid-on-disk.csv' } });
    expect(existsSync(onDisk)).toBe(true);
    const refusedTrain = await invoke(IPC_REGRESSION.train, { learning_rate: 0.01 });
    expect(refusedTrain).toMatchObject({
      ok: false,
      error: {
        code: 'validation_error',
        message: expect.stringMatching(/^Training failed: epochs/),
      },
    });

    const trained = await invoke(IPC_REGRESSION.train, { epochs: 2, hidden_layers: [8] });
    expect(trained).toMatchObject({ ok: true, value: { message: 'Model trained for 2 epochs' } });
    const predicted = await invoke(IPC_REGRESSION.predict, { inputs: [0.5, 0.5] });
    expect(predicted).toMatchObject({ ok: true, value: { status: 'success' } });
    const state = await invoke(IPC_REGRESSION.state);
    expect(state).toMatchObject({ ok: true, value: { dataset: { filename: 'grid-on-disk.csv' } } });
    // A file output comes back as its bytes.
    const curve = await invoke(IPC_REGRESSION.output, { name: 'learning_curve.png' });
    expect(curve).toMatchObject({
      ok: true,
      value: { filename: 'learning_curve.png', content_type: 'image/png' },
    });
    const png = (curve as { value: { bytes: Uint8Array } }).value.bytes;
    expect([...png.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(await invoke(IPC_REGRESSION.output, { name: 'secrets.txt' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });

    // The trained run exported to ONNX, then saved as the desktop app saves it.
    const pid = (await ws.ops.listProjects({})).find((p) => p.task === 'regression')!.id;
    const run = (await ws.ops.listRuns({ project_id: pid }))[0]!;
    let exp = await ws.ops.createExport({
      project_id: pid,
      experiment_id: run.experiment_id,
      run_id: run.run_id,
      checkpoint: 'best',
      format: 'onnx',
    });
    while (exp.status === 'pending' || exp.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      exp = await ws.ops.getExport({ project_id: pid, export_id: exp.export_id });
    }
    expect(exp.status, exp.message ?? '').toBe('completed');
    const zip = ws.resolveExport(pid, exp.export_id);
    const outDir = await mkdtemp(path.join(root, 'saved-'));
    const ids = { project_id: pid, export_id: exp.export_id };

    nextSavePath = null;
    expect(await invoke(IPC_SAVE_EXPORT, ids)).toEqual({
      ok: true,
      value: { saved: false, path: null },
    });
    expect(await readdir(outDir)).toEqual([]);
    nextSavePath = path.join(outDir, 'model.zip');
    expect(await invoke(IPC_SAVE_EXPORT, ids)).toEqual({
      ok: true,
      value: { saved: true, path: nextSavePath },
    });
    expect(asked).toEqual([zip.filename, zip.filename]);
    expect(Buffer.compare(await readFile(nextSavePath), await readFile(zip.path))).toBe(0);
    expect(await readdir(outDir)).toEqual(['model.zip']); // no temporary file left beside it
    // A folder that does not exist: the copy fails with an error, nothing half-written anywhere.
    nextSavePath = path.join(outDir, 'missing', 'model.zip');
    expect(await invoke(IPC_SAVE_EXPORT, ids)).toMatchObject({
      ok: false,
      error: {
        code: 'unprocessable',
        message: expect.stringMatching(/could not save to .*ENOENT/),
      },
    });
    expect(existsSync(path.join(outDir, 'missing'))).toBe(false);
    const unknown = await invoke(IPC_SAVE_EXPORT, { project_id: pid, export_id: 'xpt-00000000' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await invoke(IPC_SAVE_EXPORT, { project_id: pid })).toMatchObject({
      ok: false,
      error: { code: 'validation_error' },
    });

    expect(await invoke(IPC_REGRESSION.reset)).toMatchObject({
      ok: true,
      value: { removed: { uploads: ['grid-on-disk.csv'] } },
    });
  });

  it('refuses calls from other pages', async () => {
    const handler = handlers.get(IPC_REGRESSION.state) as Handler;
    const res = await handler({ senderFrame: { url: 'https://evil.example/' } }, undefined);
    expect(res).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
