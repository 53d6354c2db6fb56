// The IPC adapter over a real workstation (real SQLite, real import worker, real files). Only
// Electron's ipcMain and WebContents are stood in for: the binary is not needed to test routing,
// validation, sender checks and job forwarding.
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { importResultOf } from '../../src-shared/contract/jobs.js';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { IPC_UPLOAD_FILES } from '../../src-shared/contract/ipc.js';
import type { Job } from '../../src-shared/contract/jobs.js';
import { ipcChannel, operationNames } from '../../src-shared/contract/operations.js';
import { streamChannels, type StreamMessage } from '../../src-shared/contract/stream-ipc.js';
import type { Project } from '../../src-shared/contract/projects.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;

/** The job events stream's channels, derived from its name in the streams table. */
const JOB_STREAM = streamChannels('jobEvents');
/** One subscription per job in these tests, named after it. */
const subscribeJob = (jobId: string) => ({ subscription: jobId, params: { job_id: jobId } });

class FakeContents {
  readonly id = 1;
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  private readonly listeners = new Map<string, (() => void)[]>();
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  on(event: string, listener: () => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: () => void): this {
    return this.on(event, listener);
  }
  emit(event: string): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  jobEvents(jobId: string): Job[] {
    return this.sent
      .filter((s) => s.channel === JOB_STREAM.event)
      .map((s) => s.payload as StreamMessage)
      .flatMap((m) => (m.kind === 'event' && (m.data as Job).id === jobId ? [m.data as Job] : []));
  }
}

let root: string;
let ws: Workstation;
let dispose: () => void;
const handlers = new Map<string, Handler>();
const contents = new FakeContents();
const fakeIpcMain = {
  handle: (channel: string, handler: Handler) => handlers.set(channel, handler),
  removeHandler: (channel: string) => handlers.delete(channel),
} as unknown as IpcMainLike;

const fromApp = { senderFrame: { url: 'assay://app/index.html' }, sender: contents };

async function invoke<T>(
  channel: string,
  arg: unknown,
  event: unknown = fromApp,
): Promise<IpcResult<T>> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return (await handler(event, arg)) as IpcResult<T>;
}

async function ok<T>(channel: string, arg: unknown): Promise<T> {
  const result = await invoke<T>(channel, arg);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function png(file: string, color: { r: number; g: number; b: number }): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 16, height: 12, channels: 3, background: color } })
    .png()
    .toFile(file);
}

/** Waits for the job's `completed`/`failed` event to arrive over the forwarded channel. */
async function finished(jobId: string): Promise<Job> {
  for (;;) {
    const last = contents.jobEvents(jobId).at(-1);
    if (last && ['completed', 'failed', 'cancelled'].includes(last.status)) return last;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'assay-ipc-'));
  ws = await openWorkstation({
    workspaceDir: path.join(root, 'ws'),
    version: '0.0.0-test',
    logger: silentLogger,
  });
  dispose = registerIpc(fakeIpcMain, ws, silentLogger);
});

afterAll(async () => {
  dispose?.();
  await ws?.close();
  await rm(root, { recursive: true, force: true });
});

describe('IPC handlers', () => {
  it('registers one channel per contract operation, plus streams and uploads', () => {
    for (const name of operationNames) expect(handlers.has(ipcChannel(name))).toBe(true);
    expect(handlers.has(JOB_STREAM.subscribe)).toBe(true);
    expect(handlers.has(JOB_STREAM.unsubscribe)).toBe(true);
    expect(handlers.has(IPC_UPLOAD_FILES)).toBe(true);
  });

  it('round-trips a project through the same core services as the API', async () => {
    const created = await ok<Project>(ipcChannel('createProject'), { name: 'Bearings' });
    expect(created.id).toMatch(/^proj-[0-9a-f]{8}$/);
    expect(created.task).toBe('classification');
    const listed = await ok<Project[]>(ipcChannel('listProjects'), {});
    expect(listed.map((p) => p.id)).toContain(created.id);
    const got = await ok<Project>(ipcChannel('getProject'), { id: created.id });
    expect(got.name).toBe('Bearings');
  });

  it('answers bad input with contract errors, never a rejection', async () => {
    const empty = await invoke(ipcChannel('createProject'), { name: '' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const traversal = await invoke(ipcChannel('getProject'), { id: '..%2F..%2Fetc' });
    expect(traversal).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const unknown = await invoke(ipcChannel('getProject'), { id: 'proj-00000000' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('refuses calls from frames that are not the app', async () => {
    for (const url of ['https://example.com/', 'file:///tmp/x.html', 'assay://evil/']) {
      const result = await invoke(
        ipcChannel('listProjects'),
        {},
        { senderFrame: { url }, sender: contents },
      );
      expect(result).toEqual({
        ok: false,
        error: { code: 'forbidden', message: 'IPC is only for the Assay window' },
      });
    }
    const gone = await invoke(
      ipcChannel('listProjects'),
      {},
      { senderFrame: null, sender: contents },
    );
    expect(gone).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const stream = await invoke(JOB_STREAM.subscribe, subscribeJob('job-00000000'), {
      senderFrame: { url: 'https://example.com/' },
      sender: contents,
    });
    expect(stream).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('imports a dropped folder and forwards job events to the subscribed page', async () => {
    const project = await ok<Project>(ipcChannel('createProject'), { name: 'Drop' });
    const folder = path.join(root, 'drop');
    await png(path.join(folder, 'ok', 'a.png'), { r: 0, g: 200, b: 0 });
    await png(path.join(folder, 'ok', 'b.png'), { r: 0, g: 180, b: 10 });
    await png(path.join(folder, 'dent', 'c.png'), { r: 200, g: 0, b: 0 });
    await writeFile(path.join(folder, 'dent', 'not-audio.wav'), 'plain text, not a WAV file');

    const started = await ok<{ job_id: string }>(ipcChannel('importLocal'), {
      project_id: project.id,
      path: folder,
    });
    expect(await ok(JOB_STREAM.subscribe, subscribeJob(started.job_id))).toBeNull();
    const job = await finished(started.job_id);
    expect(job).toMatchObject({ status: 'completed', result: { imported: 3, failed: 1 } });
    expect(importResultOf(job)?.errors[0]?.file).toBe('dent/not-audio.wav');

    const info = await ok<{ classes: string[]; total_items: number }>(ipcChannel('getDataset'), {
      project_id: project.id,
    });
    expect(info.total_items).toBe(3);
    expect(info.classes.sort()).toEqual(['dent', 'ok']);

    // A page reload drops the page's subscriptions; unsubscribing twice is harmless.
    // The stream ended by itself after the last event; unsubscribing after that is harmless.
    const last = contents.sent.filter((s) => s.channel === JOB_STREAM.event).at(-1);
    expect(last?.payload).toEqual({ subscription: started.job_id, kind: 'end', reason: null });
    const unsubscribe = { subscription: started.job_id };
    expect(await ok(JOB_STREAM.unsubscribe, unsubscribe)).toBeNull();
    expect(await ok(JOB_STREAM.unsubscribe, unsubscribe)).toBeNull();
  });

  it('refuses to subscribe to a job that does not exist', async () => {
    const result = await invoke(JOB_STREAM.subscribe, subscribeJob('job-00000000'));
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const bad = await invoke(JOB_STREAM.subscribe, subscribeJob('../x'));
    expect(bad).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    // The arguments of the old hand-written channel are not a subscription.
    const old = await invoke(JOB_STREAM.subscribe, { job_id: 'job-00000000' });
    expect(old).toMatchObject({ ok: false, error: { code: 'validation_error' } });
  });

  it('stages uploaded bytes and on-disk files and imports them as one job', async () => {
    const project = await ok<Project>(ipcChannel('createProject'), { name: 'Upload' });
    const onDisk = path.join(root, 'picked', 'one.png');
    await png(onDisk, { r: 10, g: 10, b: 250 });
    const bytes = await sharp({
      create: { width: 8, height: 8, channels: 3, background: { r: 250, g: 250, b: 0 } },
    })
      .png()
      .toBuffer();
    const started = await ok<{ job_id: string }>(IPC_UPLOAD_FILES, {
      project_id: project.id,
      files: [
        { relativePath: 'blue/one.png', path: onDisk },
        { relativePath: 'yellow/two.png', bytes: new Uint8Array(bytes) },
      ],
    });
    await ok(JOB_STREAM.subscribe, subscribeJob(started.job_id));
    const job = await finished(started.job_id);
    expect(job).toMatchObject({ status: 'completed', result: { imported: 2, failed: 0 } });
    const page = await ok<{ items: { filename: string; class: string | null }[] }>(
      ipcChannel('listImages'),
      { project_id: project.id },
    );
    expect(page.items.map((i) => [i.filename, i.class])).toEqual([
      ['blue/one.png', 'blue'],
      ['yellow/two.png', 'yellow'],
    ]);
  });

  it('refuses unsafe upload names and unknown projects, leaving nothing in tmp', async () => {
    const project = await ok<Project>(ipcChannel('createProject'), { name: 'Unsafe' });
    const before = await readdir(ws.tmpDir);
    const unsafe = await invoke(IPC_UPLOAD_FILES, {
      project_id: project.id,
      files: [
        { relativePath: 'fine.png', bytes: new Uint8Array([1, 2, 3]) },
        { relativePath: '../../escape.png', bytes: new Uint8Array([1, 2, 3]) },
      ],
    });
    expect(unsafe).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    const unknown = await invoke(IPC_UPLOAD_FILES, {
      project_id: 'proj-00000000',
      files: [{ relativePath: 'a.png', bytes: new Uint8Array([1]) }],
    });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const both = await invoke(IPC_UPLOAD_FILES, {
      project_id: project.id,
      files: [{ relativePath: 'a.png' }],
    });
    expect(both).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    expect(await readdir(ws.tmpDir)).toEqual(before);
  });

  it('stops forwarding when the window goes away', async () => {
    const project = await ok<Project>(ipcChannel('createProject'), { name: 'Closed' });
    const folder = path.join(root, 'closed');
    await png(path.join(folder, 'x', 'a.png'), { r: 1, g: 2, b: 3 });
    const started = await ok<{ job_id: string }>(ipcChannel('importLocal'), {
      project_id: project.id,
      path: folder,
    });
    await ok(JOB_STREAM.subscribe, subscribeJob(started.job_id));
    const seen = contents.jobEvents(started.job_id).length;
    contents.emit('destroyed');
    // Wait for the job to finish through the API-facing core, not through the dropped channel.
    for (;;) {
      const job = await ws.ops.getJob({ job_id: started.job_id });
      if (job.status === 'completed' || job.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    // The job ran on after the window went away, and none of that reached the dead page.
    expect(contents.jobEvents(started.job_id).length).toBe(seen);
    expect(contents.jobEvents(started.job_id).map((j) => j.status)).not.toContain('completed');
  });
});
