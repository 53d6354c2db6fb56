import { randomBytes } from 'node:crypto';
import type { Job, JobKind, JobOutcome, JobStatus } from '../../../src-shared/contract/jobs.js';
import { AppError } from '../errors.js';
import type { JobPatch } from '../store/index.js';
import type { ServiceContext } from '../services/context.js';
import type { JobEvents } from '../services/job-events.js';
import type { JobKindDecl, TaskEnd } from './job-kind.js';
import { createJobControl, type JobControl } from './job-control.js';
import { TaskThread } from './task-host.js';

export type { JobControl } from './job-control.js';

export type EndStatus = Extract<JobStatus, 'completed' | 'failed' | 'cancelled' | 'interrupted'>;

export interface OpenJobOptions {
  readonly projectId: string;
  readonly subjectId?: string | null;
  readonly total?: number;
  readonly message?: string;
  /** What cancelling this job does; the driver then ends it with `finish`. */
  readonly cancel: () => void;
}

export interface JobRunnerOptions {
  /** Test hook, never set by the app: every task waits this long after it starts. */
  readonly taskHoldMs?: number;
}

interface Queued {
  readonly id: string;
  /** Starts the task; null when its row is gone. Settles once its end is recorded. */
  launch(input: unknown): Promise<void> | null;
}

interface Live {
  readonly kind: JobKind;
  cancel(): void;
  readonly finished: Promise<Job>;
}

const newJobId = (taken: (id: string) => boolean): string => {
  for (;;) {
    const id = `job-${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
};

/**
 * The one job system: every kind is declared (job-kind.ts), every job is a row of `jobs`, every
 * change goes out through JobEvents (SSE and IPC subscribe there). Task kinds run here, in order,
 * on the task thread (task-host.ts); driven kinds (imports, training runs, regression training)
 * run on their own threads and report through a JobControl. Crash recovery happens once, in
 * `recover()`, at start-up.
 */
export class JobRunner {
  private readonly decls = new Map<JobKind, JobKindDecl>();
  private readonly live = new Map<string, Live>();
  /** Task jobs of every kind wait here, in order, for the one task thread. */
  private readonly queue: Queued[] = [];
  private running = 0;
  private readonly thread: TaskThread;
  private readonly idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly events: JobEvents,
    opts: JobRunnerOptions = {},
  ) {
    this.thread = new TaskThread(opts.taskHoldMs);
  }

  declare<I, R>(decl: JobKindDecl<I, R>): void {
    if (this.decls.has(decl.kind)) throw new Error(`job kind ${decl.kind} is declared twice`);
    this.decls.set(decl.kind, decl as JobKindDecl);
  }

  declared(): readonly JobKindDecl[] {
    return [...this.decls.values()];
  }

  private decl(kind: JobKind): JobKindDecl {
    const d = this.decls.get(kind);
    if (!d) throw new Error(`job kind ${kind} is not declared`);
    return d;
  }

  private now = (): string => this.ctx.now().toISOString();

  private write(id: string, patch: JobPatch): Job | undefined {
    const job = this.ctx.store.jobs.update(id, patch, this.now());
    if (job) this.events.emit(job);
    return job;
  }

  private insert(kind: JobKind, projectId: string, o: Partial<Job>, spec?: unknown): Job {
    const { store } = this.ctx;
    const at = this.now();
    const job: Job = {
      id: newJobId((id) => store.jobs.get(id) !== undefined),
      kind,
      project_id: projectId,
      status: 'pending',
      done: 0,
      total: 0,
      message: 'waiting to start',
      result: null,
      error: null,
      eta_seconds: null,
      resumable: this.decl(kind).resumable,
      subject_id: null,
      created_at: at,
      updated_at: at,
      started_at: null,
      finished_at: null,
      ...o,
    };
    store.jobs.insert(job, spec);
    return job;
  }

  /** A job of a driven kind: the row is created pending; the driver runs it and ends it. */
  open(kind: JobKind, o: OpenJobOptions): JobControl {
    if (this.decl(kind).execution.thread !== 'driven') throw new Error(`${kind} is a task kind`);
    const job = this.insert(kind, o.projectId, {
      subject_id: o.subjectId ?? null,
      total: o.total ?? 0,
      message: o.message ?? 'waiting to start',
    });
    return this.control(job, o.cancel);
  }

  /** `cancel` null: the job is already registered (task kinds register when queued). */
  private control(job: Job, cancel: (() => void) | null): JobControl {
    const c = createJobControl(this.ctx, this.events, job, () => {
      this.live.delete(job.id);
      this.notifyIdle();
    });
    if (cancel) this.live.set(job.id, { kind: job.kind, cancel, finished: c.finished });
    return c;
  }

  /** Queues a job of a task kind; it runs in its own worker thread when its turn comes. */
  submit<I>(kind: JobKind, o: { projectId: string; subjectId: string; input: I }): Job {
    if (this.closed) throw new AppError('conflict', 'Assay is shutting down; no job can start');
    const d = this.decl(kind);
    if (d.execution.thread !== 'task') throw new Error(`${kind} is a driven kind`);
    const job = this.insert(kind, o.projectId, { subject_id: o.subjectId }, o.input);
    this.enqueue(job);
    return job;
  }

  private enqueue(job: Job): void {
    const q = this.queue;
    let resolve!: (j: Job) => void;
    const finished = new Promise<Job>((r) => (resolve = r));
    let started = false;
    const entry: Queued = {
      id: job.id,
      launch: (input) => {
        const running = this.write(job.id, {
          status: 'running',
          started_at: this.now(),
          message: 'running',
        });
        if (!running) return null; // its project went while it waited
        started = true;
        this.decl(job.kind).started?.(running);
        const c = this.control(running, null);
        const module = this.moduleOf(job.kind);
        return this.thread
          .run(job.id, module, input, (p) => c.progress(p))
          .then(async (out) => {
            if (!out.ok && !out.expected && !out.cancelled)
              this.ctx.logger.warn({ jobId: job.id, error: out.error }, `${job.kind} job failed`);
            const end: TaskEnd<unknown> = out.ok
              ? { ok: true, value: out.value }
              : {
                  ok: false,
                  error: out.cancelled
                    ? 'cancelled'
                    : out.expected
                      ? out.error
                      : 'the job could not be completed',
                  cancelled: out.cancelled,
                };
            resolve(await this.endTask(c.current(), end, c));
          });
      },
    };
    q.push(entry);
    this.live.set(job.id, {
      kind: job.kind,
      finished,
      cancel: () => {
        if (started) return this.thread.cancel(job.id);
        const i = q.indexOf(entry);
        if (i < 0) return;
        q.splice(i, 1);
        void this.endTask(job, { ok: false, error: 'cancelled', cancelled: true }).then(resolve);
      },
    });
    // After the current tick, so the caller has returned the pending job first.
    setImmediate(() => this.pump());
  }

  private moduleOf(kind: JobKind): string {
    const e = this.decl(kind).execution;
    if (e.thread !== 'task') throw new Error(`${kind} is a driven kind`);
    return e.module;
  }

  private async endTask(job: Job, end: TaskEnd<unknown>, c?: JobControl): Promise<Job> {
    const d = this.decl(job.kind);
    if (!end.ok) await d.cleanup?.(job).catch(() => undefined);
    let result: JobOutcome | null = null;
    try {
      result = d.finished?.(job, end, this.ctx.store.jobs.spec(job.id)) ?? null;
    } catch (err) {
      this.ctx.logger.error({ err, jobId: job.id }, 'could not record the end of a task');
    }
    const status: EndStatus = end.ok ? 'completed' : end.cancelled ? 'cancelled' : 'failed';
    const message = end.ok ? 'completed' : end.cancelled ? 'cancelled by the user' : end.error;
    const tail = { message, error: end.ok ? null : end.error, result };
    return (c ?? this.control(job, null)).finish(status, tail);
  }

  private pump(): void {
    while (this.running === 0 && this.queue.length > 0 && !this.closed) {
      const next = this.queue.shift() as Queued;
      const done = next.launch(this.ctx.store.jobs.spec(next.id));
      if (!done) {
        this.live.delete(next.id);
        continue;
      }
      this.running++;
      void done.finally(() => {
        this.running--;
        this.pump();
      });
    }
    this.notifyIdle();
  }

  /**
   * Runs a task module on the task thread as a step of a driven job (no job row of its own);
   * resolves with its value, rejects with AppError (expected failures) or Error.
   */
  async execute<R>(module: string, input: unknown): Promise<R> {
    const id = `step-${randomBytes(6).toString('hex')}`;
    const out = await this.thread.run(id, module, input, () => undefined);
    if (out.ok) return out.value as R;
    throw out.expected ? new AppError('unprocessable', out.error) : new Error(out.error);
  }

  /** Gets the task thread ready for these task modules (see TaskThread.warm). */
  warmTasks(modules: readonly string[]): void {
    if (!this.closed) this.thread.warm(modules);
  }

  /** Cancels a job of any kind; returns its row once final (as it is, if it had ended). */
  async cancel(jobId: string): Promise<Job | undefined> {
    const entry = this.live.get(jobId);
    if (!entry) return this.ctx.store.jobs.get(jobId);
    entry.cancel();
    return entry.finished;
  }

  activeCount(kinds?: readonly JobKind[]): number {
    return [...this.live.values()].filter((l) => !kinds || kinds.includes(l.kind)).length;
  }

  /** Resolves once no job of these kinds is queued or running. */
  async idle(kinds: readonly JobKind[]): Promise<void> {
    while (this.activeCount(kinds) > 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
  }

  private notifyIdle(): void {
    for (const w of this.idleWaiters.splice(0)) w();
  }

  /**
   * Start-up, once: every job a previous process left pending or running is cleaned up by its
   * kind, then marked `interrupted` or, where the kind resumes, queued again from its spec.
   * Returns how many were interrupted and how many resumed.
   */
  async recover(): Promise<{ interrupted: number; resumed: number }> {
    const left = this.ctx.store.jobs.unfinished();
    const counts = { interrupted: 0, resumed: 0 };
    for (const d of this.decls.values()) await d.recover?.(left.filter((j) => j.kind === d.kind));
    for (const job of left) {
      const d = this.decls.get(job.kind);
      await d?.cleanup?.(job).catch(() => undefined);
      if (
        d?.crash.after === 'resume' &&
        d.execution.thread === 'task' &&
        this.ctx.store.jobs.spec(job.id) !== undefined
      ) {
        const again = this.write(job.id, {
          status: 'pending',
          done: 0,
          eta_seconds: null,
          started_at: null,
          message: d.crash.message,
        });
        if (again) this.enqueue(again);
        counts.resumed++;
      } else {
        this.write(job.id, {
          status: 'interrupted',
          eta_seconds: null,
          finished_at: this.now(),
          message: d?.crash.message ?? 'interrupted: the app stopped during this job',
          error: d?.crash.message ?? 'interrupted: the app stopped during this job',
        });
        counts.interrupted++;
      }
    }
    return counts;
  }

  /**
   * No new task starts; running tasks finish. Queued ones stay `pending` in the store, and the
   * next start runs them (kinds that resume) or marks them interrupted.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const entry of this.queue.splice(0)) this.live.delete(entry.id);
    const kinds = [...this.decls.values()]
      .filter((d) => d.execution.thread === 'task')
      .map((d) => d.kind);
    await this.idle(kinds);
    await this.thread.close();
  }
}
