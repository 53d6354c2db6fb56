import { Router } from 'express';
import type { ApiModule, SseHandler } from '../core/api-module.js';
import type { RouteLocals } from './errors.js';
import { serveEventStream } from './event-stream.js';
import { parseWith } from './operation-input.js';
import { expressPath, flattenParams } from './route-match.js';

export interface SseOptions {
  /** Comment lines keep proxies and idle timers from closing a quiet stream. */
  readonly heartbeatMs?: number;
}

type Loose = {
  subscribe(params: unknown, listener: (event: unknown) => void): () => void;
  current(params: unknown): Promise<unknown>;
  ends(event: unknown): boolean;
  eventName(event: unknown): string;
};

/**
 * Every declared SSE stream as a GET route: params checked with the contract (refused in the
 * family's envelope before the stream starts), then `event: <name>` / `data: <JSON>` frames.
 */
export function sseRoutes(modules: readonly ApiModule[], opts: SseOptions = {}): Router {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const router = Router();
  for (const m of modules) {
    for (const [name, def] of Object.entries(m.streams ?? {})) {
      if (def.kind !== 'sse') continue;
      const handler = m.streamHandlers?.[name] as SseHandler | undefined;
      if (handler?.kind !== 'sse') throw new Error(`stream ${name} has no SSE handler`);
      const h = handler as unknown as Loose;
      router.get(expressPath(def.path), async (req, res) => {
        (res.locals as RouteLocals).family = def.family;
        const params = parseWith(def.params, flattenParams(req.params), 'path');
        await serveEventStream(req, res, {
          subscribe: (listener) => h.subscribe(params, listener),
          current: () => h.current(params),
          ends: (e) => h.ends(e),
          frame: (e) => `event: ${h.eventName(e)}\ndata: ${JSON.stringify(e)}\n\n`,
          heartbeatMs,
        });
      });
    }
  }
  return router;
}
