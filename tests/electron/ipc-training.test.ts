// Run events over IPC: the main-process side of `client.subscribeRun` in Electron, over a real
// workstation whose trainer is a driven fake (the events' content is the run manager's business).
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { streamChannels, type StreamMessage } from '../../src-shared/contract/stream-ipc.js';
import type { RunEvent } from '../../src-shared/contract/training.js';
import type { TrainerEvent } from '../../src-main/core/engine/trainer/training-runner.js';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import {
  createWorkstation,
  type Workstation,
} from '../../src-main/core/services/create-workstation.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { inspectZip } from '../../src-main/core/workspace/import/zip-inspect.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { classFolders, jobFinished, tempDir, writeTree } from '../core/services-helpers.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;

const sent: { channel: string; payload: unknown }[] = [];
const contents = {
  id: 7,
  send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
  on: () => contents,
  once: () => contents,
  isDestroyed: () => false,
};
const handlers = new Map<string, Handler>();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
} as unknown as IpcMainLike;
const fromApp = { senderFrame: { url: 'assay://app/index.html' }, sender: contents };

async function invoke(channel: string, arg: unknown): Promise<IpcResult<unknown>> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler(fromApp, arg);
}

/** The run events stream's channels, derived from its name in the streams table. */
const RUN_STREAM = streamChannels('runEvents');
const messages = (subscription: string): StreamMessage[] =>
  sent
    .filter((s) => s.channel === RUN_STREAM.event)
    .map((s) => s.payload as StreamMessage)
    .filter((m) => m.subscription === subscription);
const runEvents = (subscription = 'view-1'): RunEvent[] =>
  messages(subscription).flatMap((m) => (m.kind === 'event' ? [m.data as RunEvent] : []));

let root: string;
let ws: Workstation;
let dispose: () => void;
let emit: (e: TrainerEvent) => void = () => undefined;

beforeAll(async () => {
  root = await tempDir('assay-ipc-train-');
  ws = await createWorkstation(
    { workspaceDir: path.join(root, 'ws'), version: 't', logger: silentLogger },
    {
      runImportWorker,
      inspectZip,
      startTraining: (_job, onEvent) => {
        emit = onEvent;
        let exit!: () => void;
        const done = new Promise<void>((resolve) => (exit = resolve));
        return {
          done,
          stop: () => {
            onEvent({ type: 'stopped' });
            exit();
          },
          kill: async () => exit(),
        };
      },
    },
  );
  dispose = registerIpc(fakeIpcMain, ws, silentLogger);
});

afterAll(async () => {
  dispose?.();
  await ws?.close();
  await rm(root, { recursive: true, force: true });
});

describe('run events over IPC', () => {
  it('sends the current status first, then the run events, until unsubscribed or settled', async () => {
    const project = await ws.ops.createProject({ name: 'p', task: 'classification' });
    const src = path.join(root, 'src');
    await writeTree(src, await classFolders(['a', 'b'], 2));
    const job = await ws.ops.importLocal({ project_id: project.id, path: src });
    await jobFinished(ws, job.job_id);
    await ws.ops.createSplit({
      project_id: project.id,
      name: 's',
      ratios: { train: 0.5, val: 0.5, test: 0 },
      seed: 1,
      stratify: true,
    });
    const exp = await ws.ops.createExperiment({
      project_id: project.id,
      name: 'e',
      split_index: 0,
      config: {},
    });
    const { run_id } = await ws.ops.startRun({ project_id: project.id, exp_id: exp.id });

    const params = { project_id: project.id, run_id };
    const sub = { subscription: 'view-1', params };
    expect(await invoke(RUN_STREAM.subscribe, sub)).toEqual({ ok: true, value: null });
    expect(runEvents()).toEqual([
      { type: 'status', run: expect.objectContaining({ run_id, status: 'running' }) },
    ]);
    expect(messages('view-1')[0]).toMatchObject({ kind: 'event', name: 'status' });
    emit({ type: 'log', level: 'info', message: 'hello' });
    expect(runEvents().at(-1)).toEqual({ type: 'log', run_id, level: 'info', message: 'hello' });
    expect(await invoke(RUN_STREAM.subscribe, sub)).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    // A second view of the same run starts from the run's state too, on its own subscription.
    const second = { subscription: 'view-2', params };
    expect(await invoke(RUN_STREAM.subscribe, second)).toEqual({ ok: true, value: null });
    expect(runEvents('view-2')).toEqual([
      { type: 'status', run: expect.objectContaining({ run_id, status: 'running' }) },
    ]);

    const unsub = { subscription: 'view-1' };
    expect(await invoke(RUN_STREAM.unsubscribe, unsub)).toEqual({ ok: true, value: null });
    const count = runEvents().length;
    emit({ type: 'log', level: 'info', message: 'unheard' });
    expect(runEvents()).toHaveLength(count);
    expect(runEvents('view-2').at(-1)).toMatchObject({ type: 'log', message: 'unheard' });

    // The status that settles the run is the last event, then the stream ends by itself.
    await ws.ops.stopRun({ project_id: project.id, run_id });
    for (let i = 0; messages('view-2').at(-1)?.kind !== 'end' && i < 500; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(messages('view-2').at(-1)).toEqual({
      subscription: 'view-2',
      kind: 'end',
      reason: null,
    });
    expect(runEvents('view-2').at(-1)).toMatchObject({
      type: 'status',
      run: { status: 'stopped' },
    });
  });

  it('refuses unknown runs and malformed ids with a code', async () => {
    const project = await ws.ops.createProject({ name: 'q', task: 'classification' });
    const missing = await invoke(RUN_STREAM.subscribe, {
      subscription: 'm1',
      params: { project_id: project.id, run_id: 'run-00000000' },
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await invoke(RUN_STREAM.subscribe, {
      subscription: 'm2',
      params: { project_id: project.id, run_id: '../x' },
    });
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const badId = await invoke(RUN_STREAM.subscribe, {
      subscription: '../x',
      params: { project_id: project.id, run_id: 'run-00000000' },
    });
    expect(badId).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    // A refused subscription is not left open: the same id can be used again.
    expect(
      await invoke(RUN_STREAM.subscribe, {
        subscription: 'm1',
        params: { project_id: project.id, run_id: 'run-00000000' },
      }),
    ).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });
});
