import { Router, type Response } from 'express';
import { JobIdParams, type Job, type JobStatus } from '../../src-shared/contract/jobs.js';
import type { Workstation } from '../core/workstation.js';
import { flattenParams, parseWith } from './operation-router.js';

const TERMINAL: ReadonlySet<JobStatus> = new Set(['completed', 'failed', 'cancelled']);

export const isTerminal = (job: Job): boolean => TERMINAL.has(job.status);

export interface JobEventsOptions {
  /** Comment lines keep proxies and idle timers from closing a quiet stream. */
  readonly heartbeatMs?: number;
}

function writeEvent(res: Response, job: Job): void {
  const event = isTerminal(job) ? 'done' : 'progress';
  res.write(`event: ${event}\ndata: ${JSON.stringify(job)}\n\n`);
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

    // Subscribe before reading the current state so no update falls between the two.
    let started = false;
    let closed = false;
    let missedTerminal: Job | null = null;
    const finish = (): void => {
      if (closed) return;
      closed = true;
      unsubscribe();
      clearInterval(heartbeat);
      res.end();
    };
    const unsubscribe = ws.onJob(job_id, (job) => {
      if (closed) return;
      if (!started) {
        // The row read below is at least this new; only a terminal event must not be lost.
        if (isTerminal(job)) missedTerminal = job;
        return;
      }
      writeEvent(res, job);
      if (isTerminal(job)) finish();
    });
    let heartbeat: NodeJS.Timeout | undefined = undefined;
    let current: Job;
    try {
      current = await ws.ops.getJob({ job_id });
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

    writeEvent(res, current);
    const terminal = isTerminal(current) ? current : missedTerminal;
    if (terminal) {
      if (terminal !== current) writeEvent(res, terminal);
      finish();
      return;
    }
    heartbeat = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
  });
  return router;
}
