import type { z } from 'zod';
import type { FamilyDef } from './family.js';

/**
 * Realtime transports, declared like operations: the server routes them by these declarations
 * (SSE as ordinary GET routes, `ws` through one upgrade router, Socket.IO on one server attached
 * to the same HTTP server) and the OpenAPI document lists them.
 */

/** Server-sent events: `event: <name>` + `data: <JSON of one event>`, closed after the last. */
export interface SseStreamDef {
  readonly kind: 'sse';
  readonly family: FamilyDef;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tag?: string;
  readonly params: z.ZodObject;
  readonly event: z.ZodType;
}

/** A WebSocket at a path (`WS /api/test/ws/{model_id}`): JSON messages both ways. */
export interface WsStreamDef {
  readonly kind: 'ws';
  readonly family: FamilyDef;
  readonly path: string;
  readonly summary: string;
  readonly tag?: string;
  readonly params?: z.ZodObject;
  /** Client → server text messages (JSON). Binary frames are passed as bytes when `binary`. */
  readonly receive: z.ZodType;
  readonly binary?: boolean;
  /** Server → client messages. */
  readonly send: z.ZodType;
}

/** Socket.IO events of one namespace: what clients emit and what the server emits. */
export interface SocketIoStreamDef {
  readonly kind: 'socket.io';
  readonly family: FamilyDef;
  readonly namespace: string;
  readonly summary: string;
  readonly clientEvents: Readonly<Record<string, z.ZodType>>;
  readonly serverEvents: Readonly<Record<string, z.ZodType>>;
  /** The server event a refused client event is answered with (the family's error body). */
  readonly errorEvent: string;
}

export type StreamDef = SseStreamDef | WsStreamDef | SocketIoStreamDef;
