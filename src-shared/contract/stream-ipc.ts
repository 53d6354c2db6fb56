import { z } from 'zod';
import type { IpcResult } from './common.js';
import type { SocketIoStreamDef, SseStreamDef, StreamDef, WsStreamDef } from './stream.js';

/**
 * Every declared stream over IPC, from its name in the table: the page subscribes with the
 * stream's params on `subscribe`, main sends each event (and the end) on `event`, the page drops
 * it on `unsubscribe`, and a `ws` or Socket.IO stream takes the page's messages on `send`. A new
 * family's stream reaches the desktop renderer with no channel written by hand.
 */
export function streamChannels(name: string): {
  readonly subscribe: string;
  readonly unsubscribe: string;
  readonly event: string;
  readonly send: string;
} {
  const base = `assay:stream:${name}`;
  return {
    subscribe: `${base}:subscribe`,
    unsubscribe: `${base}:unsubscribe`,
    event: `${base}:event`,
    send: `${base}:send`,
  };
}

/** Chosen by the page, unique among its own subscriptions; tags every message main sends. */
export const SubscriptionId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

export const StreamSubscribeArg = z.strictObject({
  subscription: SubscriptionId,
  params: z.record(z.string(), z.unknown()).default({}),
});
export const StreamUnsubscribeArg = z.strictObject({ subscription: SubscriptionId });
/** `event` names the Socket.IO client event; a `ws` message has none. */
export const StreamSendArg = z.strictObject({
  subscription: SubscriptionId,
  event: z.string().min(1).max(200).optional(),
  message: z.unknown(),
});

/**
 * Main → page on a stream's event channel. `name` is the SSE event name, the Socket.IO event, or
 * `message` for a WebSocket. `end` comes once, when the stream ends on its own (the last SSE
 * event, the handler closing the socket); `reason` is null for a normal end.
 */
export type StreamMessage =
  | {
      readonly subscription: string;
      readonly kind: 'event';
      readonly name: string;
      readonly data: unknown;
    }
  | { readonly subscription: string; readonly kind: 'end'; readonly reason: string | null };

type Shape<D> = D extends { readonly params: infer P }
  ? P extends z.ZodType
    ? z.input<P>
    : never
  : Record<string, never>;

/** What a stream is subscribed with: its path params (none for a Socket.IO namespace). */
export type StreamParamsOf<D extends StreamDef> = D extends SocketIoStreamDef
  ? Record<string, never>
  : Shape<D>;

type SocketIoEvents<E extends Readonly<Record<string, z.ZodType>>, Dir extends 'in' | 'out'> = {
  [K in keyof E & string]: {
    readonly event: K;
    readonly data: Dir extends 'out' ? z.output<E[K]> : z.input<E[K]>;
  };
}[keyof E & string];

/** One event as the page receives it. */
export type StreamEventOf<D extends StreamDef> = D extends SseStreamDef
  ? z.output<D['event']>
  : D extends WsStreamDef
    ? z.output<D['send']>
    : D extends SocketIoStreamDef
      ? SocketIoEvents<D['serverEvents'], 'out'>
      : never;

/** What the page may send on a bidirectional stream (nothing on SSE). */
export type StreamSendOf<D extends StreamDef> = D extends WsStreamDef
  ? z.input<D['receive']> | (D['binary'] extends true ? Uint8Array : never)
  : D extends SocketIoStreamDef
    ? SocketIoEvents<D['clientEvents'], 'in'>
    : never;

export type BidiStreamNames<T extends Readonly<Record<string, StreamDef>>> = {
  [K in keyof T & string]: T[K] extends SseStreamDef ? never : K;
}[keyof T & string];

/** How a stream ended on its own: `reason` null for a normal end. */
export type StreamEndListener = (reason: string | null) => void;

/** An open bidirectional stream: send to it, close it. */
export interface StreamSession<Send> {
  send(message: Send): Promise<IpcResult<null>>;
  close(): void;
}

/**
 * The preload's stream API over a table of streams (the workstation's `streams`, or another
 * module's). `subscribe` returns the unsubscribe function; `open` also gives a `send` for `ws`
 * and Socket.IO streams. A subscription the main process refuses (bad params, unknown id) ends
 * at once with the error's message as its reason.
 */
export interface StreamBridge<T extends Readonly<Record<string, StreamDef>>> {
  subscribe<N extends keyof T & string>(
    name: N,
    params: StreamParamsOf<T[N]>,
    onEvent: (event: StreamEventOf<T[N]>) => void,
    onEnd?: StreamEndListener,
  ): () => void;
  open<N extends BidiStreamNames<T>>(
    name: N,
    params: StreamParamsOf<T[N]>,
    onEvent: (event: StreamEventOf<T[N]>) => void,
    onEnd?: StreamEndListener,
  ): StreamSession<StreamSendOf<T[N]>>;
}

/** The schema one event of a stream is checked against on both sides (by its `name`). */
export function eventSchemaOf(def: StreamDef, name: string): z.ZodType | undefined {
  if (def.kind === 'sse') return def.event;
  if (def.kind === 'ws') return def.send;
  return def.serverEvents[name];
}
