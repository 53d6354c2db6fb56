// A family's declared streams reach the desktop renderer over IPC with nothing written for them:
// the Notes family's WebSocket and Socket.IO streams (tests/fixtures/notes-family.ts), served by
// the same core handlers as over HTTP, through the real main-side handlers (registerIpc) and the
// real preload stream bridge, joined by a stand-in for Electron's IPC that copies every message
// the way structured clone does. The workstation's job stream rides the same scheme.
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../src-shared/contract/common.js';
import type { Job } from '../../src-shared/contract/jobs.js';
import { streamChannels } from '../../src-shared/contract/stream-ipc.js';
import { streams } from '../../src-shared/contract/streams.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { createStreamBridge, type IpcRendererLike } from '../../src-preload/stream-bridge.js';
import { notesStreams } from '../fixtures/notes-family.js';
import { notesModule } from '../fixtures/notes-service.js';
import { classFolders, tempDir, writeTree } from '../core/services-helpers.js';

type Handler = (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>;
type Listener = (event: unknown, payload: unknown) => void;

/** One page: its webContents as main sees it, and its ipcRenderer, wired to the same handlers. */
function page(handlers: Map<string, Handler>, id: number) {
  const toPage = new Map<string, Set<Listener>>();
  const lifecycle = new Map<string, (() => void)[]>();
  let destroyed = false;
  /** Every message main sent to this page, before the preload looked at it. */
  const sent: unknown[] = [];
  const contents = {
    id,
    isDestroyed: () => destroyed,
    send: (channel: string, payload: unknown) => {
      const copy = structuredClone(payload);
      sent.push(copy);
      for (const l of toPage.get(channel) ?? []) l({}, copy);
    },
    on: (event: string, l: () => void) => {
      lifecycle.set(event, [...(lifecycle.get(event) ?? []), l]);
      return contents;
    },
    once: (event: string, l: () => void) => contents.on(event, l),
  };
  const renderer = {
    invoke: async (channel: string, arg: unknown) => {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`no handler for ${channel}`);
      const event = { senderFrame: { url: 'assay://app/index.html' }, sender: contents };
      return structuredClone(await handler(event, structuredClone(arg)));
    },
    on: (channel: string, l: Listener) => {
      if (!toPage.has(channel)) toPage.set(channel, new Set());
      toPage.get(channel)?.add(l);
      return renderer;
    },
  };
  const fire = (event: string): void => {
    for (const l of lifecycle.get(event) ?? []) l();
  };
  const destroy = (): void => {
    destroyed = true;
    fire('destroyed');
  };
  const navigate = (): void => fire('did-navigate');
  return { renderer: renderer as unknown as IpcRendererLike, destroy, navigate, sent };
}

/** Resolves once `test` holds of what has arrived (events are pushed by the main side). */
async function until<T>(read: () => T, test: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = read();
    if (test(value)) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
}

let root: string;
let ws: Workstation;
let dispose: () => void;
const handlers = new Map<string, Handler>();
const notes = notesModule();

beforeAll(async () => {
  root = await tempDir('assay-notes-ipc-');
  ws = await openWorkstation({ workspaceDir: root, version: '0', logger: silentLogger });
  const ipcMain = {
    handle: (channel: string, h: Handler) => handlers.set(channel, h),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as IpcMainLike;
  dispose = registerIpc(ipcMain, ws, silentLogger, undefined, [notes]);
  await notes.handlers.addNote?.({ text: 'first' } as never);
});
afterAll(async () => {
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

describe("a family's streams over IPC", () => {
  it('registers channels derived from each declared stream name', () => {
    for (const name of [...Object.keys(notesStreams), ...Object.keys(streams)]) {
      const ch = streamChannels(name);
      for (const channel of [ch.subscribe, ch.unsubscribe, ch.send])
        expect(handlers.has(channel)).toBe(true);
    }
  });

  it('carries its WebSocket both ways, checked against the declaration', async () => {
    const { renderer, sent } = page(handlers, 1);
    const bridge = createStreamBridge(renderer, notesStreams);
    const heard: unknown[] = [];
    const ends: (string | null)[] = [];
    const echo = bridge.open(
      'noteEcho',
      { note_id: 'n1' },
      (m) => heard.push(m),
      (r) => ends.push(r),
    );
    expect(await echo.send({ say: 'hello' })).toEqual({ ok: true, value: null });
    expect(
      await until(
        () => heard,
        (h) => h.length === 1,
      ),
    ).toEqual([{ note_id: 'n1', echo: 'hello' }]);
    // The page's messages are checked before the handler sees them; errors are data.
    const refused = await echo.send({ shout: 1 } as never);
    expect(refused).toMatchObject({ ok: false, error: { code: 'validation_error' } });
    const binary = await echo.send(new Uint8Array([1]) as never);
    expect(binary).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    // What the service sends off its own contract never reaches the page.
    await echo.send({ say: 'garbled' });
    await echo.send({ say: 'again' });
    expect(
      await until(
        () => heard,
        (h) => h.length === 2,
      ),
    ).toEqual([
      { note_id: 'n1', echo: 'hello' },
      { note_id: 'n1', echo: 'again' },
    ]);
    // Main checked it before sending: it did not even cross the IPC boundary.
    expect(JSON.stringify(sent)).not.toContain('42');
    expect(notes.live.ws).toBe(1);
    // The service closing the socket ends the subscription; the page hears it once.
    await echo.send({ say: 'bye' });
    expect(
      await until(
        () => ends,
        (e) => e.length > 0,
      ),
    ).toEqual([null]);
    expect(notes.live.ws).toBe(0);
    expect(await echo.send({ say: 'late' })).toMatchObject({
      ok: false,
      error: { code: 'not_found' },
    });
  });

  it('refuses bad params and unknown ids with the reason, opening nothing', async () => {
    const { renderer } = page(handlers, 2);
    const bridge = createStreamBridge(renderer, notesStreams);
    const reason = (noteId: string) =>
      new Promise((resolve) =>
        bridge.subscribe('noteEcho', { note_id: noteId }, () => {}, resolve),
      );
    expect(await reason('n9')).toBe('note n9 not found');
    expect(await reason('bad')).toMatch(/note ids look like n1/);
    expect(notes.live.ws).toBe(0);
  });

  it('carries its Socket.IO events, and closes every session when the page goes away', async () => {
    const { renderer, destroy } = page(handlers, 3);
    const bridge = createStreamBridge(renderer, notesStreams);
    const got: unknown[] = [];
    const room = bridge.open('noteRoom', {}, (e) => got.push(e));
    bridge.open('noteEcho', { note_id: 'n1' }, () => {});
    expect(await room.send({ event: 'shout', data: { text: 'hi' } })).toEqual({
      ok: true,
      value: null,
    });
    expect(
      await until(
        () => got,
        (g) => g.length === 1,
      ),
    ).toEqual([{ event: 'heard', data: { text: 'hi' } }]);
    expect(await room.send({ event: 'shout', data: { text: '' } })).toMatchObject({
      ok: false,
      error: { code: 'validation_error' },
    });
    expect(await room.send({ event: 'whisper', data: {} } as never)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });
    await until(
      () => notes.live,
      (l) => l.ws === 1 && l.io === 1,
    );
    destroy();
    expect(notes.live).toEqual({ ws: 0, io: 0 });
  });

  it("drops the page load's sessions when it navigates; the new page opens its own", async () => {
    const { renderer, navigate } = page(handlers, 5);
    const bridge = createStreamBridge(renderer, notesStreams);
    bridge.open('noteRoom', {}, () => {});
    await until(
      () => notes.live.io,
      (n) => n === 1,
    );
    navigate();
    expect(notes.live.io).toBe(0);
    const again = createStreamBridge(renderer, notesStreams);
    const got: unknown[] = [];
    const room = again.open('noteRoom', {}, (e) => got.push(e));
    await room.send({ event: 'shout', data: { text: 'back' } });
    expect(
      await until(
        () => got,
        (g) => g.length === 1,
      ),
    ).toEqual([{ event: 'heard', data: { text: 'back' } }]);
    room.close();
    await until(
      () => notes.live.io,
      (n) => n === 0,
    );
  });

  it('delivers the job stream on the same scheme, ending after the last event', async () => {
    const { renderer } = page(handlers, 4);
    const bridge = createStreamBridge(renderer, streams);
    const project = await ws.ops.createProject({ name: 'p', task: 'classification' });
    const src = `${root}/src`;
    await writeTree(src, await classFolders(['a', 'b'], 2));
    const { job_id } = await ws.ops.importLocal({ project_id: project.id, path: src });
    const jobs: Job[] = [];
    const ended = new Promise((resolve) =>
      bridge.subscribe('jobEvents', { job_id }, (j) => jobs.push(j), resolve),
    );
    expect(await ended).toBeNull();
    expect(jobs.at(-1)).toMatchObject({ id: job_id, status: 'completed' });
  });

  it('removes every stream channel on dispose', () => {
    dispose();
    expect(handlers.size).toBe(0);
  });
});
