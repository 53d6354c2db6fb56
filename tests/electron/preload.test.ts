// The preload bridge, loaded from its source with Electron's renderer modules stood in for: what
// it exposes, which channel each call uses, and how job subscriptions are shared and released.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkstationError, type WorkstationClient } from '../../src-shared/contract/client.js';
import {
  IPC_MENU_COMMAND,
  IPC_UPLOAD_FILES,
  createBridgeClient,
  type AssayBridge,
} from '../../src-shared/contract/ipc.js';
import type { Job } from '../../src-shared/contract/jobs.js';
import { ipcChannel, operationNames } from '../../src-shared/contract/operations.js';
import { streamChannels } from '../../src-shared/contract/stream-ipc.js';

type Listener = (event: unknown, payload: unknown) => void;

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>();
  const invoked: { channel: string; arg: unknown }[] = [];
  const listeners = new Map<string, Set<Listener>>();
  const replies = new Map<string, unknown>();
  return {
    exposed,
    invoked,
    listeners,
    replies,
    emit(channel: string, payload: unknown) {
      for (const l of listeners.get(channel) ?? []) l({}, payload);
    },
    module: {
      contextBridge: {
        exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
      },
      ipcRenderer: {
        invoke: async (channel: string, arg: unknown) => {
          invoked.push({ channel, arg });
          return replies.get(channel) ?? { ok: true, value: null };
        },
        on: (channel: string, l: Listener) => {
          if (!listeners.has(channel)) listeners.set(channel, new Set());
          listeners.get(channel)?.add(l);
        },
        off: (channel: string, l: Listener) => listeners.get(channel)?.delete(l),
      },
      webUtils: {
        getPathForFile: (file: { name: string }) =>
          file.name.startsWith('disk-') ? `/home/lab/${file.name}` : '',
      },
    },
  };
});

vi.mock('electron', () => electron.module);

let bridge: AssayBridge;
let client: WorkstationClient;

beforeAll(async () => {
  await import('../../src-preload/preload.js');
  bridge = electron.exposed.get('assayBridge') as AssayBridge;
  client = electron.exposed.get('assay') as WorkstationClient;
});

const job = (id: string, status: Job['status']): Job => ({
  id,
  kind: 'import',
  project_id: 'proj-0123abcd',
  status,
  done: 0,
  total: 0,
  message: '',
  result: null,
  error: null,
  eta_seconds: null,
  resumable: false,
  subject_id: null,
  created_at: '2026-01-01T00:00:00.000Z',
  updated_at: '2026-01-01T00:00:00.000Z',
  started_at: null,
  finished_at: null,
});

describe('preload bridge', () => {
  it('exposes the bridge and a ready client, nothing else', () => {
    expect([...electron.exposed.keys()].sort()).toEqual(['assay', 'assayBridge']);
    expect(Object.keys(bridge.ops).sort()).toEqual([...operationNames].sort());
    expect(client.kind).toBe('electron');
  });

  it('maps each operation to its own channel with the merged input', async () => {
    electron.replies.set(ipcChannel('getProject'), { ok: true, value: { id: 'proj-0123abcd' } });
    const result = await bridge.ops.getProject({ id: 'proj-0123abcd' });
    expect(result).toEqual({ ok: true, value: { id: 'proj-0123abcd' } });
    expect(electron.invoked.at(-1)).toEqual({
      channel: 'assay:getProject',
      arg: { id: 'proj-0123abcd' },
    });
  });

  it('gives the client real WorkstationErrors with their code when built in the page', async () => {
    electron.replies.set(ipcChannel('getProject'), {
      ok: false,
      error: { code: 'not_found', message: 'project proj-0123abcd not found' },
    });
    const pageClient = createBridgeClient(bridge);
    const err = await pageClient.getProject({ id: 'proj-0123abcd' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkstationError);
    expect(err).toMatchObject({ code: 'not_found', message: 'project proj-0123abcd not found' });
    await expect(client.getProject({ id: 'proj-0123abcd' })).rejects.toThrow(/not found/);
  });

  it('subscribes to the job stream per listener, routes events by subscription, and unsubscribes', async () => {
    const JOBS = streamChannels('jobEvents');
    const a: Job[] = [];
    const b: Job[] = [];
    const ended: (string | null)[] = [];
    const stopA = client.subscribeJob('job-0000000a', (j) => a.push(j));
    const stopB = bridge.streams.subscribe(
      'jobEvents',
      { job_id: 'job-0000000a' },
      (j) => b.push(j),
      (reason) => ended.push(reason),
    );
    const subscribes = electron.invoked.filter((i) => i.channel === JOBS.subscribe);
    expect(subscribes.map((i) => i.arg)).toEqual([
      { subscription: expect.any(String), params: { job_id: 'job-0000000a' } },
      { subscription: expect.any(String), params: { job_id: 'job-0000000a' } },
    ]);
    const [subA, subB] = subscribes.map((i) => (i.arg as { subscription: string }).subscription);
    expect(subA).not.toBe(subB);

    const event = (subscription: string | undefined, data: unknown) =>
      electron.emit(JOBS.event, { subscription, kind: 'event', name: 'progress', data });
    event(subA, job('job-0000000a', 'running'));
    event(subB, job('job-0000000a', 'running'));
    event('s999', job('job-0000000a', 'running')); // another subscription: not ours
    event(subA, { id: 'job-0000000a', status: 'nonsense' }); // not a Job: dropped
    expect(a.map((j) => j.status)).toEqual(['running']);
    expect(b.map((j) => j.status)).toEqual(['running']);

    stopA();
    stopA(); // twice is harmless
    const unsubscribes = electron.invoked.filter((i) => i.channel === JOBS.unsubscribe);
    expect(unsubscribes.map((i) => i.arg)).toEqual([{ subscription: subA }]);
    event(subA, job('job-0000000a', 'completed'));
    event(subB, job('job-0000000a', 'completed'));
    expect(a).toHaveLength(1);
    expect(b.map((j) => j.status)).toEqual(['running', 'completed']);
    // The stream ends by itself: the listener hears it and nothing is left to unsubscribe.
    electron.emit(JOBS.event, { subscription: subB, kind: 'end', reason: null });
    expect(ended).toEqual([null]);
    stopB();
    expect(electron.invoked.filter((i) => i.channel === JOBS.unsubscribe)).toHaveLength(1);
  });

  it('ends a subscription the main process refuses, with its reason', async () => {
    const RUNS = streamChannels('runEvents');
    electron.replies.set(RUNS.subscribe, {
      ok: false,
      error: { code: 'not_found', message: 'run run-00000000 not found' },
    });
    const ended = await new Promise((resolve) =>
      bridge.streams.subscribe(
        'runEvents',
        { project_id: 'proj-0123abcd', run_id: 'run-00000000' },
        () => undefined,
        resolve,
      ),
    );
    expect(ended).toBe('run run-00000000 not found');
    electron.replies.delete(RUNS.subscribe);
  });

  it('sends files on disk as paths and other blobs as bytes', async () => {
    electron.replies.set(IPC_UPLOAD_FILES, {
      ok: true,
      value: { job_id: 'job-00000001', status: 'pending' },
    });
    const onDisk = new File([new Uint8Array([1])], 'disk-a.png');
    const inMemory = new Blob([new Uint8Array([7, 8, 9])]);
    const progress: number[][] = [];
    const started = await client.uploadFiles(
      'proj-0123abcd',
      [
        { file: onDisk, relativePath: 'x/disk-a.png' },
        { file: inMemory, relativePath: 'x/b.png' },
      ],
      (sent, total) => progress.push([sent, total]),
    );
    expect(started).toEqual({ job_id: 'job-00000001', status: 'pending' });
    expect(progress).toEqual([[4, 4]]);
    expect(electron.invoked.at(-1)).toEqual({
      channel: IPC_UPLOAD_FILES,
      arg: {
        project_id: 'proj-0123abcd',
        files: [
          { relativePath: 'x/disk-a.png', path: '/home/lab/disk-a.png' },
          { relativePath: 'x/b.png', bytes: new Uint8Array([7, 8, 9]) },
        ],
      },
    });
  });

  it('gives file paths for dropped files, null for files with none', () => {
    expect(client.pathForFile(new File([], 'disk-folder'))).toBe('/home/lab/disk-folder');
    expect(client.pathForFile(new File([], 'pasted.png'))).toBeNull();
  });

  it('builds assay-media URLs for items', () => {
    expect(client.mediaUrl('proj-0123abcd', 'cat/a b.png', 'file')).toBe(
      'assay-media://media/proj-0123abcd/file/cat%2Fa%20b.png',
    );
  });

  it('delivers menu commands until unsubscribed', () => {
    const seen: unknown[] = [];
    const stop = bridge.onMenuCommand((c) => seen.push(c));
    electron.emit(IPC_MENU_COMMAND, { command: 'new-project' });
    stop();
    electron.emit(IPC_MENU_COMMAND, { command: 'new-project' });
    expect(seen).toEqual([{ command: 'new-project' }]);
  });
});
