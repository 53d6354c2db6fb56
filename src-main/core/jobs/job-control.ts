import type { Job } from '../../../src-shared/contract/jobs.js';
import type { ServiceContext } from '../services/context.js';
import type { JobEvents } from '../services/job-events.js';
import type { JobPatch } from '../store/index.js';
import type { TaskProgress } from './job-kind.js';
import type { EndStatus } from './job-runner.js';

/** Progress rows are rewritten at most this often (events go out on every report). */
const PERSIST_MS = 250;

/** A driven job's handle: its driver reports progress and the end through it. */
export interface JobControl {
  readonly id: string;
  current(): Job;
  /** Moves the job to `running` (once), with its start time. */
  start(message?: string): void;
  /** `eta_seconds` omitted: estimated from the pace since the start. */
  progress(p: TaskProgress & { readonly eta_seconds?: number | null }): void;
  finish(
    status: EndStatus,
    end?: { message?: string; error?: string | null; result?: Job['result'] },
  ): Job;
  /** Settles with the final row once `finish` has run. */
  readonly finished: Promise<Job>;
}

/**
 * The handle of one job: it keeps the row and the events in step (progress persisted at most
 * every PERSIST_MS, sent every time; an ETA from the pace when the driver gives none) and ends
 * the job exactly once.
 */
export function createJobControl(
  ctx: Pick<ServiceContext, 'store' | 'logger' | 'now'>,
  events: JobEvents,
  job: Job,
  onEnd: () => void,
): JobControl {
  const now = (): string => ctx.now().toISOString();
  const write = (patch: JobPatch): Job | undefined => {
    const j = ctx.store.jobs.update(job.id, patch, now());
    if (j) events.emit(j);
    return j;
  };
  let last = job;
  let lastPersist = 0;
  let startedMs: number | null = null;
  let resolve!: (j: Job) => void;
  const finished = new Promise<Job>((r) => (resolve = r));
  let ended = false;
  const keep = (j: Job | undefined): void => {
    if (j) last = j;
  };
  const c: JobControl = {
    id: job.id,
    finished,
    current: () => ctx.store.jobs.get(job.id) ?? last,
    start: (message) => {
      if (ended || startedMs !== null) return;
      startedMs = Date.now();
      keep(
        write({
          status: 'running',
          started_at: now(),
          ...(message !== undefined ? { message } : {}),
        }),
      );
    },
    progress: (p) => {
      if (ended) return;
      if (startedMs === null) c.start();
      const elapsed = (Date.now() - (startedMs ?? Date.now())) / 1000;
      const eta =
        p.eta_seconds !== undefined
          ? p.eta_seconds
          : p.done > 0 && p.total >= p.done
            ? Math.round((elapsed * (p.total - p.done)) / p.done)
            : null;
      const next: Job = {
        ...last,
        done: p.done,
        total: p.total,
        eta_seconds: eta,
        ...(p.message !== undefined ? { message: p.message } : {}),
        updated_at: now(),
      };
      last = next;
      if (Date.now() - lastPersist >= PERSIST_MS || p.done === p.total) {
        lastPersist = Date.now();
        keep(ctx.store.jobs.update(job.id, next, next.updated_at));
      }
      events.emit(next);
    },
    finish: (status, end = {}) => {
      if (ended) return last;
      ended = true;
      // A driver may write progress rows itself (an import, in its item transactions): the
      // newer of the row and what this handle last reported is what ends.
      try {
        const stored = ctx.store.jobs.get(job.id);
        if (stored && stored.updated_at > last.updated_at) last = stored;
      } catch {
        // closing store: keep what we know
      }
      const at = now();
      const patch: JobPatch = {
        status,
        done: last.done,
        total: last.total,
        eta_seconds: status === 'completed' ? 0 : null,
        finished_at: at,
        ...(end.message !== undefined ? { message: end.message } : {}),
        ...(end.error !== undefined ? { error: end.error } : {}),
        ...(end.result !== undefined ? { result: end.result } : {}),
      };
      let final: Job = { ...last, ...patch, updated_at: at };
      try {
        final = ctx.store.jobs.update(job.id, patch, at) ?? final;
      } catch (err) {
        // The store may be closing under us; subscribers and waiters still get the end.
        ctx.logger.error({ err, jobId: job.id }, 'could not record the end of a job');
      }
      last = final;
      events.emit(final);
      resolve(final);
      onEnd();
      return final;
    },
  };
  return c;
}
