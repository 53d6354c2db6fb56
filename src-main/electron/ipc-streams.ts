import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { z } from 'zod';
import type {
  SocketIoStreamDef,
  SseStreamDef,
  StreamDef,
  WsStreamDef,
} from '../../src-shared/contract/stream.js';
import {
  StreamSendArg,
  StreamSubscribeArg,
  StreamUnsubscribeArg,
  eventSchemaOf,
  streamChannels,
  type StreamMessage,
} from '../../src-shared/contract/stream-ipc.js';
import type { ApiModule, StreamHandler } from '../core/api-module.js';
import type { Logger } from '../core/services/logger.js';
import { IpcInputError, parseWith as parse } from './ipc-input.js';

/** How ipc.ts registers a checked handler (sender check, errors as data). */
export type Guard = (
  channel: string,
  run: (event: IpcMainInvokeEvent, arg: unknown) => Promise<unknown>,
) => void;

/** One open subscription of one page. */
interface Session {
  readonly stream: string;
  /** Settles once the stream is open (SSE: its current state sent); rejects when refused. */
  readonly ready: Promise<void>;
  /** Drops it without telling the page (it asked, or it went away). */
  close(): void;
  send(event: string | undefined, message: unknown): Promise<void>;
}

type Post = (msg: StreamMessage) => void;
type Opener = (params: unknown, post: Post, end: (reason: string | null) => void) => Session;

const NoParams = z.strictObject({});

type LooseSse = {
  subscribe(params: unknown, listener: (event: unknown) => void): () => void;
  current(params: unknown): Promise<unknown>;
  ends(event: unknown): boolean;
  eventName(event: unknown): string;
};
type LooseWsSession = { message(msg: unknown): void | Promise<void>; close(): void };
type LooseIoSession = {
  readonly on: Readonly<Record<string, (data: unknown) => void | Promise<void>>>;
  disconnect?(): void;
};

/**
 * Every declared stream of every module over IPC, served by the same core stream handlers the
 * HTTP side uses: params parsed with the stream's schema, each event checked against its schema
 * before it leaves, the page's messages checked before the handler sees them. Subscriptions
 * belong to one page load: dropped on navigation and when the page's webContents goes away.
 */
export function registerStreamIpc(
  guard: Guard,
  modules: readonly ApiModule[],
  logger: Logger,
): { readonly channels: readonly string[]; dispose(): void } {
  const byContents = new Map<number, Map<string, Session>>();
  const channels: string[] = [];

  const sessionsOf = (contents: WebContents): Map<string, Session> => {
    let sessions = byContents.get(contents.id);
    if (!sessions) {
      const created = new Map<string, Session>();
      byContents.set(contents.id, created);
      const id = contents.id;
      contents.once('destroyed', () => {
        closeAll(created);
        byContents.delete(id);
      });
      // A new page load starts its state afresh: what the old one opened goes with it.
      contents.on('did-navigate', () => closeAll(created));
      sessions = created;
    }
    return sessions;
  };

  for (const m of modules) {
    for (const [name, def] of Object.entries(m.streams ?? {})) {
      const handler = m.streamHandlers?.[name];
      if (handler?.kind !== def.kind) throw new Error(`stream ${name} has no ${def.kind} handler`);
      const opener = openerFor(name, def, handler, logger);
      const ch = streamChannels(name);
      channels.push(ch.subscribe, ch.unsubscribe, ch.send);

      guard(ch.subscribe, async (event, arg) => {
        const { subscription, params } = parse(StreamSubscribeArg, arg);
        const schema = def.kind === 'socket.io' ? NoParams : (def.params ?? NoParams);
        const parsed = parse(schema, params);
        const contents = event.sender;
        const sessions = sessionsOf(contents);
        if (sessions.has(subscription))
          throw new IpcInputError('conflict', `subscription ${subscription} is already open`);
        const post: Post = (msg) => {
          if (contents.isDestroyed()) return closeAll(sessions);
          try {
            contents.send(ch.event, msg);
          } catch (err) {
            logger.warn({ err, stream: name }, 'could not forward a stream event');
          }
        };
        // Later than the events already posted, and never before `session` is set.
        const end = (reason: string | null): void =>
          queueMicrotask(() => {
            if (sessions.get(subscription) !== session) return;
            sessions.delete(subscription);
            session.close();
            post({ subscription, kind: 'end', reason });
          });
        const session = opener(parsed, (msg) => post({ ...msg, subscription }), end);
        sessions.set(subscription, session);
        try {
          await session.ready;
        } catch (err) {
          if (sessions.get(subscription) === session) sessions.delete(subscription);
          session.close();
          throw err;
        }
        return null;
      });

      guard(ch.unsubscribe, async (event, arg) => {
        const { subscription } = parse(StreamUnsubscribeArg, arg);
        const sessions = byContents.get(event.sender.id);
        const session = sessions?.get(subscription);
        if (session?.stream === name) {
          sessions?.delete(subscription);
          session.close();
        }
        return null;
      });

      guard(ch.send, async (event, arg) => {
        const { subscription, event: ioEvent, message } = parse(StreamSendArg, arg);
        const session = byContents.get(event.sender.id)?.get(subscription);
        if (session?.stream !== name)
          throw new IpcInputError('not_found', `no open subscription ${subscription} to ${name}`);
        await session.send(ioEvent, message);
        return null;
      });
    }
  }

  function closeAll(sessions: Map<string, Session>): void {
    const open = [...sessions.values()];
    sessions.clear();
    for (const s of open) s.close();
  }

  return {
    channels,
    dispose() {
      for (const sessions of byContents.values()) closeAll(sessions);
      byContents.clear();
    },
  };
}

function openerFor(name: string, def: StreamDef, handler: StreamHandler, logger: Logger): Opener {
  // Events the core sends that its own contract does not declare are a bug: logged, not sent.
  const checked = (eventName: string, data: unknown): { ok: boolean; data: unknown } => {
    const parsed = eventSchemaOf(def, eventName)?.safeParse(data);
    if (parsed?.success) return { ok: true, data: parsed.data };
    logger.error({ stream: name, event: eventName }, 'stream event does not match its contract');
    return { ok: false, data: undefined };
  };
  const emit = (post: Post, eventName: string, data: unknown): void => {
    const c = checked(eventName, data);
    if (c.ok) post({ subscription: '', kind: 'event', name: eventName, data: c.data });
  };
  if (def.kind === 'sse') return sseOpener(name, def, handler as unknown as LooseSse, emit);
  if (def.kind === 'ws') return wsOpener(name, def, handler, emit);
  return socketIoOpener(name, def, handler, emit);
}

type Emit = (post: Post, eventName: string, data: unknown) => void;

/** As the SSE route: the state now, then every event, ended after the last. */
function sseOpener(name: string, _def: SseStreamDef, h: LooseSse, emit: Emit): Opener {
  return (params, post, end) => {
    let started = false;
    let closed = false;
    const missedEnd: unknown[] = []; // an end that came before the state was read
    const send = (e: unknown): void => emit(post, h.eventName(e), e);
    // Subscribed before reading the state so no event falls between the two.
    const unsubscribe = h.subscribe(params, (e) => {
      if (closed) return;
      if (!started) {
        if (h.ends(e)) missedEnd.push(e);
        return;
      }
      send(e);
      if (h.ends(e)) end(null);
    });
    const ready = (async () => {
      const current = await h.current(params);
      if (closed) return;
      started = true;
      send(current);
      if (h.ends(current)) return end(null);
      if (missedEnd.length > 0) {
        send(missedEnd[0]);
        end(null);
      }
    })();
    return {
      stream: name,
      ready,
      close: () => {
        if (closed) return;
        closed = true;
        unsubscribe();
      },
      send: () => Promise.reject(new IpcInputError('bad_request', `${name} takes no messages`)),
    };
  };
}

/** As the upgrade router: the handler opens with the params, messages checked with `receive`. */
function wsOpener(name: string, def: WsStreamDef, handler: StreamHandler, emit: Emit): Opener {
  const open = (handler as unknown as { open: (p: unknown, c: unknown) => Promise<LooseWsSession> })
    .open;
  return (params, post, end) => {
    let closed = false;
    let session: LooseWsSession | null = null;
    const ready = open(params, {
      send: (message: unknown) => {
        if (!closed) emit(post, 'message', message);
      },
      // A normal close (1000) ends with no reason; any other carries the handler's reason.
      close: (code?: number, reason?: string) =>
        end(code === undefined || code === 1000 ? null : reason || `closed (${code})`),
    }).then((s) => {
      session = s;
      if (closed) s.close();
    });
    return {
      stream: name,
      ready,
      close: () => {
        if (closed) return;
        closed = true;
        session?.close();
      },
      send: async (_event, message) => {
        await ready;
        if (closed || !session) throw new IpcInputError('conflict', `${name} is closed`);
        let msg: unknown;
        if (message instanceof Uint8Array) {
          if (!def.binary)
            throw new IpcInputError('bad_request', 'binary messages are not taken here');
          msg = message;
        } else {
          msg = parse(def.receive, message);
        }
        await session.message(msg);
      },
    };
  };
}

/** As the Socket.IO server: one connection per subscription, client events checked by name. */
function socketIoOpener(
  name: string,
  def: SocketIoStreamDef,
  handler: StreamHandler,
  emit: Emit,
): Opener {
  const connect = (handler as unknown as { connect: (s: unknown) => LooseIoSession }).connect;
  let next = 0;
  return (_params, post, end) => {
    let closed = false;
    const session = connect({
      id: `ipc-${++next}`,
      emit: (event: string, data: unknown) => {
        if (!closed) emit(post, event, data);
      },
      disconnect: () => end(null),
    });
    return {
      stream: name,
      ready: Promise.resolve(),
      close: () => {
        if (closed) return;
        closed = true;
        session.disconnect?.();
      },
      send: async (event, message) => {
        if (closed) throw new IpcInputError('conflict', `${name} is closed`);
        const schema = event === undefined ? undefined : def.clientEvents[event];
        if (event === undefined || !schema)
          throw new IpcInputError('bad_request', `${name} takes no event ${event ?? '(none)'}`);
        const data = parse(schema, message);
        const on = session.on[event];
        if (on) await on(data);
      },
    };
  };
}
