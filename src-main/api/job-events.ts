import { Router } from 'express';
import { JobIdParams, type Job, type JobStatus } from '../../src-shared/contract/jobs.js';
import type { Workstation } from '../core/workstation.js';
import { serveEventStream } from './event-stream.js';
import { flattenParams, parseWith } from './operation-router.js';

const TERMINAL: ReadonlySet<JobStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'interrupted',
]);

export const isTerminal = (job: Job): boolean => TERMINAL.has(job.status);

export interface JobEventsOptions {
  /** Comment lines keep proxies and idle timers from closing a quiet stream. */
  readonly heartbeatMs?: number;
}

/** `event: progress` until the terminal `event: done`, `data: <the job as JSON>`. */
function frame(job: Job): string {
  return `event: ${isTerminal(job) ? 'done' : 'progress'}\ndata: ${JSON.stringify(job)}\n\n`;
}

/**
 * `GET /api/jobs/:job_id/events`: the job as it is now, then every update, closed after the
 * terminal one. Unknown ids are refused with the JSON envelope before the stream starts.
 */
export function jobEventsRouter(ws: Workstation, opts: JobEventsOptions = {}): Router {
  const heartbeatMs = opts.heartbeatMs ?? 15_000;
  const router = Router();
  router.get('/api/jobs/:job_id/events', async (req, res) => {
    const { job_id } = parseWith(JobIdParams, flattenParams(req.params), 'path');

    await serveEventStream(req, res, {
      subscribe: (listener) => ws.onJob(job_id, listener),
      current: () => ws.ops.getJob({ job_id }),
      ends: isTerminal,
      frame,
      heartbeatMs,
    });
  });
  return router;
}
