import type { Request, Response } from 'express';

/**
 * One server-sent-event stream of something that ends (an import job, a training run): the state
 * as it is now, then every event, closed after the one that ends it. Subscribes before reading
 * the current state so no event falls between the two; events that arrive before the stream
 * starts are dropped (the state read is at least as new) except one that ends it. An unknown id
 * makes `current` throw before any header is written, so the caller's JSON error envelope goes out.
 */
export async function serveEventStream<E>(
  req: Request,
  res: Response,
  o: {
    readonly subscribe: (listener: (event: E) => void) => () => void;
    /** The first event: the state now. */
    readonly current: () => Promise<E>;
    readonly ends: (event: E) => boolean;
    /** The SSE frame of one event (`event:` and `data:` lines, blank line after). */
    readonly frame: (event: E) => string;
    /** Comment lines keep proxies and idle timers from closing a quiet stream. */
    readonly heartbeatMs: number;
  },
): Promise<void> {
  let started = false;
  let closed = false;
  let missedEnd: E | null = null;
  let heartbeat: NodeJS.Timeout | undefined = undefined;
  const finish = (): void => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(heartbeat);
    res.end();
  };
  const unsubscribe = o.subscribe((event) => {
    if (closed) return;
    if (!started) {
      if (o.ends(event)) missedEnd = event;
      return;
    }
    res.write(o.frame(event));
    if (o.ends(event)) finish();
  });
  let current: E;
  try {
    current = await o.current();
  } catch (err) {
    unsubscribe();
    throw err;
  }

  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  started = true;
  req.on('close', finish);

  res.write(o.frame(current));
  if (o.ends(current) || missedEnd !== null) {
    if (missedEnd !== null && !o.ends(current)) res.write(o.frame(missedEnd));
    finish();
    return;
  }
  heartbeat = setInterval(() => res.write(': heartbeat\n\n'), o.heartbeatMs);
  heartbeat.unref();
}
