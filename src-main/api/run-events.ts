import { Router } from 'express';
import {
  RunParams,
  type Run,
  type RunEvent,
  type RunStatus,
} from '../../src-shared/contract/training.js';
import type { Workstation } from '../core/workstation.js';
import { serveEventStream } from './event-stream.js';
import { flattenParams, parseWith } from './operation-router.js';

/** A run in one of these states gets no more events until it is resumed (a new stream then). */
const SETTLED: ReadonlySet<RunStatus> = new Set(['completed', 'failed', 'stopped', 'interrupted']);

export const isSettledRun = (run: Run): boolean => SETTLED.has(run.status);

export interface RunEventsOptions {
  /** Comment lines keep proxies and idle timers from closing a quiet stream. */
  readonly heartbeatMs?: number;
}

/** `event: <type>` (status, progress, epoch, log), `data: <the RunEvent as JSON>`. */
const frame = (event: RunEvent): string =>
  `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;

/** The status event that settles the run ends its stream. */
const ends = (event: RunEvent): boolean => event.type === 'status' && isSettledRun(event.run);

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

    await serveEventStream(req, res, {
      subscribe: (listener) => ws.onRun(run_id, listener),
      current: async (): Promise<RunEvent> => ({
        type: 'status',
        run: await ws.ops.getRun({ project_id, run_id }),
      }),
      ends,
      frame,
      heartbeatMs,
    });
  });
  return router;
}
