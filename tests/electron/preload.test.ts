// The preload bridge, loaded from its source with Electron's renderer modules stood in for: what
// it exposes, which channel each call uses, and how job subscriptions are shared and released.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { WorkstationError, type WorkstationClient } from '../../src-shared/contract/client.js';
import {
  IPC_JOB_SUBSCRIBE,
  IPC_JOB_UNSUBSCRIBE,
  IPC_MENU_COMMAND,
  IPC_UPLOAD_FILES,
  createBridgeClient,
  type AssayBridge,
} from '../../src-shared/contract/ipc.js';
import type { Job } from '../../src-shared/contract/jobs.js';
import { IPC_JOB_EVENT, ipcChannel, operationNames } from '../../src-shared/contract/operations.js';

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

  it('subscribes once per job, fans events out, and unsubscribes with the last listener', () => {
    const a: Job[] = [];
    const b: Job[] = [];
    const stopA = client.subscribeJob('job-0000000a', (j) => a.push(j));
    const stopB = client.subscribeJob('job-0000000a', (j) => b.push(j));
    const subscribes = electron.invoked.filter((i) => i.channel === IPC_JOB_SUBSCRIBE);
    expect(subscribes).toEqual([{ channel: IPC_JOB_SUBSCRIBE, arg: { job_id: 'job-0000000a' } }]);

    electron.emit(IPC_JOB_EVENT, job('job-0000000a', 'running'));
    electron.emit(IPC_JOB_EVENT, job('job-0000000b', 'running')); // another job: not ours
    expect(a.map((j) => j.status)).toEqual(['running']);
    expect(b.map((j) => j.status)).toEqual(['running']);

    stopA();
    stopA(); // twice is harmless
    expect(electron.invoked.some((i) => i.channel === IPC_JOB_UNSUBSCRIBE)).toBe(false);
    electron.emit(IPC_JOB_EVENT, job('job-0000000a', 'completed'));
    expect(a).toHaveLength(1);
    expect(b.map((j) => j.status)).toEqual(['running', 'completed']);
    stopB();
    expect(electron.invoked.at(-1)).toEqual({
      channel: IPC_JOB_UNSUBSCRIBE,
      arg: { job_id: 'job-0000000a' },
    });
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
