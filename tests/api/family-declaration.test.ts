// "Adding an API family is a declaration": the Notes family (one contract file,
// tests/fixtures/notes-family.ts) plus the core service below is served over HTTP (typed client
// included), over IPC, in /openapi.json, and on its WebSocket and Socket.IO streams, with its
// own envelope for unknown ids, unknown routes, wrong methods and bad input.
import { rm } from 'node:fs/promises';
import { io as connectSocketIo } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { IpcResult } from '../../src-shared/contract/common.js';
import { WorkstationError } from '../../src-shared/contract/client.js';
import { ipcChannel } from '../../src-shared/contract/operation.js';
import { silentLogger } from '../../src-main/core/services/logger.js';
import { openWorkstation, type Workstation } from '../../src-main/core/workstation.js';
import { registerIpc, type IpcMainLike } from '../../src-main/electron/ipc.js';
import { serveWorkstation, type ServingApi } from '../../src-main/server.js';
import { createOperationClient } from '../../src-renderer/client/operation-client.js';
import { notesOperations } from '../fixtures/notes-family.js';
import { notesModule } from '../fixtures/notes-service.js';
import { tempDir } from '../core/services-helpers.js';

let root: string;
let ws: Workstation;
let api: ServingApi;
const module = notesModule();

beforeAll(async () => {
  root = await tempDir('assay-notes-family-');
  ws = await openWorkstation({ workspaceDir: root, version: '0', logger: silentLogger });
  api = await serveWorkstation(ws, { port: 0, logger: silentLogger, modules: [module] });
});
afterAll(async () => {
  await api.close();
  await ws.close();
  await rm(root, { recursive: true, force: true });
});

const raw = async (method: string, path: string, body?: string, type?: string) => {
  const res = await fetch(`${api.url}${path}`, {
    method,
    ...(body === undefined ? {} : { body }),
    headers: type ? { 'Content-Type': type } : {},
  });
  return {
    status: res.status,
    allow: res.headers.get('allow'),
    body: (await res.json()) as unknown,
  };
};

describe('a family declared in one contract file', () => {
  it('is served over HTTP through the typed client, in its own envelope', async () => {
    const client = createOperationClient(notesOperations, { baseUrl: api.url });
    const note = await client.addNote({ text: 'check the bearings' });
    expect(note).toEqual({ id: 'n1', text: 'check the bearings', attachment_bytes: 0 });
    expect(await client.listNotes({})).toEqual([note]);
    const attached = await client.attachToNote({ note_id: 'n1', file: new Blob(['12345']) });
    expect(attached.attachment_bytes).toBe(5);
    await expect(client.getNote({ note_id: 'n9' })).rejects.toMatchObject({
      code: 'not_found',
      message: 'note n9 not found',
    });
    await expect(client.getNote({ note_id: 'bad' })).rejects.toBeInstanceOf(WorkstationError);

    expect(await raw('POST', '/notes', '{"text":"x"}', 'application/json')).toMatchObject({
      status: 200,
      body: { ok: true, result: { id: 'n2' } },
    });
    expect(await raw('GET', '/notes/n9')).toEqual({
      status: 404,
      allow: null,
      body: { ok: false, problem: { kind: 'not_found', text: 'note n9 not found' } },
    });
    expect(await raw('GET', '/notes/n1/nothing/here')).toMatchObject({
      status: 404,
      body: { ok: false, problem: { kind: 'not_found' } },
    });
    expect(await raw('DELETE', '/notes/n1')).toMatchObject({
      status: 405,
      allow: 'GET',
      body: { ok: false, problem: { kind: 'method_not_allowed' } },
    });
    expect(await raw('POST', '/notes', '{"text":"x"}')).toMatchObject({
      status: 415,
      body: { ok: false, problem: { kind: 'unsupported_media_type' } },
    });
    expect(await raw('POST', '/notes', '{"text":', 'application/json')).toMatchObject({
      status: 400,
      body: { ok: false, problem: { kind: 'invalid_json' } },
    });
    expect(await raw('POST', '/notes/n1/attachment', 'x', 'text/plain')).toMatchObject({
      status: 415,
      body: { ok: false, problem: { kind: 'unsupported_media_type' } },
    });
    // The workstation's own families are untouched beside it.
    expect(await raw('GET', '/api/projects')).toEqual({
      status: 200,
      allow: null,
      body: { status: 'ok', data: [] },
    });
  });

  it('is in /openapi.json with its tag, envelopes and streams', async () => {
    const doc = (await raw('GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { tags: string[]; responses: Record<string, unknown> }>>;
      tags: { name: string }[];
      'x-socket-io': { namespace: string; clientEvents: Record<string, unknown> }[];
    };
    // Beside the workstation's own (the audio portal's stream on `/`).
    const notesRoom = doc['x-socket-io'].find((d) => d.namespace === '/notes');
    expect(notesRoom).toMatchObject({ namespace: '/notes', errorEvent: 'notes_error' });
    expect(Object.keys(notesRoom?.clientEvents ?? {})).toEqual(['shout']);
    expect(doc.tags.map((t) => t.name)).toContain('Notes');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/notes',
        '/notes/{note_id}',
        '/notes/{note_id}/attachment',
        '/notes/live/{note_id}',
      ]),
    );
    const get = doc.paths['/notes/{note_id}']?.get;
    expect(get?.tags).toEqual(['Notes']);
    expect(JSON.stringify(get?.responses.default)).toContain('problem');
    expect(JSON.stringify(doc.paths['/notes/{note_id}/attachment']?.post)).toContain(
      'multipart/form-data',
    );
  });

  it('is served over IPC on one channel per operation, errors as data', async () => {
    const handlers = new Map<
      string,
      (event: unknown, arg: unknown) => Promise<IpcResult<unknown>>
    >();
    const ipcMain = {
      handle: (channel: string, h: never) => handlers.set(channel, h),
      removeHandler: (channel: string) => handlers.delete(channel),
    } as unknown as IpcMainLike;
    const dispose = registerIpc(ipcMain, ws, silentLogger, undefined, [module]);
    const invoke = (name: string, arg: unknown) =>
      handlers.get(ipcChannel(name))!({ senderFrame: { url: 'assay://app/index.html' } }, arg);
    try {
      expect(await invoke('getNote', { note_id: 'n1' })).toMatchObject({
        ok: true,
        value: { id: 'n1' },
      });
      expect(await invoke('getNote', { note_id: 'n9' })).toEqual({
        ok: false,
        error: { code: 'not_found', message: 'note n9 not found' },
      });
      expect(await invoke('addNote', { text: '' })).toMatchObject({
        ok: false,
        error: { code: 'validation_error' },
      });
      const bytes = new TextEncoder().encode('abc');
      expect(
        await invoke('attachToNote', { note_id: 'n2', file: { bytes, filename: 'a.txt' } }),
      ).toMatchObject({
        ok: true,
        value: { id: 'n2', attachment_bytes: 3 },
      });
    } finally {
      dispose();
    }
    expect(handlers.size).toBe(0);
  });

  it('serves its WebSocket through the one upgrade router', async () => {
    const url = api.url.replace('http', 'ws');
    const sock = new WebSocket(`${url}/notes/live/n1`);
    const messages: unknown[] = [];
    sock.on('message', (data) => messages.push(JSON.parse(String(data))));
    await new Promise((r) => sock.once('open', r));
    sock.send(JSON.stringify({ say: 'hello' }));
    sock.send(JSON.stringify({ shout: 1 }));
    sock.send('not json');
    while (messages.length < 3) await new Promise((r) => setTimeout(r, 10));
    expect(messages[0]).toEqual({ note_id: 'n1', echo: 'hello' });
    expect(messages[1]).toMatchObject({ ok: false, problem: { kind: 'validation_error' } });
    expect(messages[2]).toMatchObject({ ok: false, problem: { kind: 'invalid_json' } });
    sock.close();

    const refused = async (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: unknown }>((resolve) => {
        const s = new WebSocket(`${url}${path}`, { headers });
        s.on('unexpected-response', (_req, res) => {
          let text = '';
          res.on('data', (c: Buffer) => (text += String(c)));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
        });
        s.on('error', () => undefined);
      });
    expect(await refused('/notes/elsewhere/n1')).toMatchObject({
      status: 404,
      body: { ok: false },
    });
    expect(await refused('/notes/live/bad')).toMatchObject({
      status: 400,
      body: { problem: { kind: 'validation_error' } },
    });
    expect(await refused('/notes/live/n1', { Origin: 'http://localhost:1' })).toMatchObject({
      status: 403,
      body: { problem: { kind: 'forbidden' } },
    });
  });

  it('serves its Socket.IO events on the same HTTP server', async () => {
    const client = connectSocketIo(`${api.url}/notes`, {
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      await new Promise<void>((resolve, reject) => {
        client.once('connect', () => resolve());
        client.once('connect_error', reject);
      });
      const heard = new Promise((r) => client.once('heard', r));
      client.emit('shout', { text: 'hi' });
      expect(await heard).toEqual({ text: 'hi' });
      const refused = new Promise((r) => client.once('notes_error', r));
      client.emit('shout', { text: '' });
      expect(await refused).toMatchObject({ ok: false, problem: { kind: 'validation_error' } });
    } finally {
      client.close();
    }
    // Over HTTP long-polling too, beside the Express app.
    const polling = connectSocketIo(`${api.url}/notes`, {
      transports: ['polling'],
      reconnection: false,
    });
    await new Promise<void>((resolve, reject) => {
      polling.once('connect', () => resolve());
      polling.once('connect_error', reject);
    });
    polling.close();
  });
});
