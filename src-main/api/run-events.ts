import { Router, type Response } from 'express';
import {
  RunParams,
  type Run,
  type RunEvent,
  type RunStatus,
} from '../../src-shared/contract/training.js';
import type { Workstation } from '../core/workstation.js';
import { flattenParams, parseWith } from './operation-router.js';

/** A run in one of these states gets no more events until it is resumed (a new stream then). */
const SETTLED: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'stopped', 'interrupted']);

export const isSettledRun = (run: Run): boolean => SETTLED.has(run.status);

export interface RunEventsOptions {
  /** Comment lines keep proxies and idle timers from closing a quiet stream. */
  readonly heartbeatMs?: number;
}

/** `event: <type>` (status, progress, epoch, log), `data: <the RunEvent as JSON>`. */
function writeEvent(res: Response, event: RunEvent): void {
  res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
}

/**
 * `GET /api/training/:project_id/runs/:run_id/stream`: a `status` event with the run as it is
 * now, then every event of the run, closed after the status that settles it (completed, failed,
 * stopped, interrupted). Unknown runs are refused with the JSON envelope before the stream starts.
 */
export function runEventsRouter(ws: Workstation, opts: RunEventsOptions = {}): Router {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const router = Router();
  router.get('/api/training/:project_id/runs/:run_id/stream', async (req, res) => {
    const { project_id, run_id } = parseWith(RunParams, flattenParams(req.params), 'path');

    // Subscribe before reading the current state so no update falls between the two.
    let started = false;
    let closed = false;
    let missedEnd: RunEvent | null = null;
    let heartbeat: NodeJS.Timeout | undefined = undefined;
    const finish = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      res.end();
    };
    const unsubscribe = ws.onRun(run_id, (event) => {
      if (closed) return;
      const ends = event.type === 'status' && isSettledRun(event.run);
      if (!started) {
        // The run read below is at least this new; only its end must not be lost.
        if (ends) missedEnd = event;
        return;
      }
      writeEvent(res, event);
      if (ends) finish();
    });
    let current: Run;
    try {
      current = await ws.ops.getRun({ project_id, run_id });
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

    writeEvent(res, { type: 'status', run: current });
    if (isSettledRun(current) || missedEnd) {
      if (missedEnd && !isSettledRun(current)) writeEvent(res, missedEnd);
      finish();
      return;
    }
    heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
  });
  return router;
}
