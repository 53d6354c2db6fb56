import type { RunProgress, RunStatus } from '../../../src-shared/contract/training.js';
import type { TrainerEvent, TrainingHandle, TrainJob } from '../engine/trainer/training-runner.js';
import { AppError } from '../errors.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { RunJobs } from './training-jobs.js';
import type { RunPatch } from '../store/index.js';
import { nowIso, type ServiceContext } from './context.js';
import { recordEpoch } from './training-checkpoints.js';
import { buildTrainJob } from './training-data.js';
import type { RunEvents } from './training-events.js';
import {
  INTERRUPTED_AT_START,
  INTERRUPTED_BY_CLOSE,
  NEVER_STARTED_BY_CLOSE,
  STOPPED_BY_CLOSE,
  STOPPED_BY_USER,
  emptyProgress,
  toRun,
  type LiveRunState,
} from './training-view.js';

export { INTERRUPTED_AT_START } from './training-view.js';

export type StartTraining = ((
  job: TrainJob,
  onEvent: (e: TrainerEvent) => void,
) => TrainingHandle) & {
  /** Gets a trainer ready ahead of the next run (training-runner.ts: a warm spare thread). */
  readonly prewarm?: () => void;
  /** Ends what `prewarm` started. */
  readonly release?: () => Promise<void>;
};

export interface RunManagerOptions {
  /** How often live progress is copied into the run's row (it is in memory all the time). */
  readonly progressPersistMs?: number;
  /** A graceful stop that takes longer than this ends with kill(); the last checkpoint stays. */
  readonly stopTimeoutMs?: number;
  /** On close, a run that cannot stop within this is killed and marked interrupted. */
  readonly closeTimeoutMs?: number;
}

export interface QueueEntry {
  readonly runId: string;
  readonly projectId: string;
  readonly experimentId: string;
  /** Continue from the run's last checkpoint. */
  readonly resume: boolean;
}

interface ActiveRun extends QueueEntry {
  handle: TrainingHandle | null;
  progress: RunProgress | null;
  lastPersist: number;
  /** The terminal state is recorded; later trainer events are ignored. */
  settled: boolean;
  stopReason: 'user' | 'close' | null;
  readonly finished: Promise<void>;
  markFinished(): void;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * One training at a time on this machine: further runs wait in a FIFO queue (status `pending`
 * with a `queue_position`). The trainer works in a worker thread; this side owns SQLite: each
 * durable epoch becomes a `run_epochs` row plus the run's best/last checkpoint info, progress is
 * kept in memory (and copied into the row every few seconds), and every change goes out as a
 * RunEvent.
 */
export class RunManager implements LiveRunState {
  private readonly queue: QueueEntry[] = [];
  private active: ActiveRun | null = null;
  private closed = false;
  private readonly progressPersistMs: number;
  private readonly stopTimeoutMs: number;
  private readonly closeTimeoutMs: number;
  private readonly prewarmTimer: NodeJS.Timeout;
  /** Each queued or live run is a job of kind `training`. */
  private readonly jobs = new RunJobs();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly events: RunEvents,
    private readonly startTraining: StartTraining,
    opts: RunManagerOptions = {},
  ) {
    this.progressPersistMs = opts.progressPersistMs ?? 3000;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? 60_000;
    this.closeTimeoutMs = opts.closeTimeoutMs ?? 15_000;
    // The first run need not wait for the trainer to load: it loads while nothing trains.
    this.prewarmTimer = setTimeout(() => this.prewarmIfIdle(), 0);
    this.prewarmTimer.unref();
  }

  /** A trainer for the next run, while none trains (it would take a core from the run). */
  private prewarmIfIdle(): void {
    if (this.closed || this.active) return;
    try {
      this.startTraining.prewarm?.();
    } catch (err) {
      this.ctx.logger.warn({ err }, 'could not start a trainer ahead of the next run');
    }
  }

  /** Marks every run a previous process left pending/running as interrupted; returns their ids. */
  recoverInterrupted(): string[] {
    return this.ctx.store.runs
      .markUnfinished('interrupted', INTERRUPTED_AT_START, nowIso(this.ctx))
      .map((r) => r.id);
  }

  /** Runs become jobs of kind `training` once the runner is attached (create-workstation). */
  attachJobs(jobs: JobRunner): void {
    this.jobs.attach(jobs);
  }

  progress(runId: string): RunProgress | null {
    return this.active?.runId === runId ? this.active.progress : null;
  }

  queuePosition(runId: string): number | null {
    const i = this.queue.findIndex((q) => q.runId === runId);
    return i < 0 ? null : i + 1;
  }

  get activeRunId(): string | null {
    return this.active?.runId ?? null;
  }

  /** Queues a run whose row is already `pending`, and starts it at once when nothing trains. */
  enqueue(entry: QueueEntry): void {
    if (this.closed) throw new AppError('conflict', 'Assay is shutting down; no run can start');
    this.queue.push(entry);
    const rec = this.ctx.store.runs.get(entry.projectId, entry.runId);
    this.jobs.queued({
      projectId: entry.projectId,
      runId: entry.runId,
      epochs: rec?.config.epochs ?? 0,
      done: entry.resume ? (rec?.last?.epoch ?? 0) : 0,
      resume: entry.resume,
      cancel: () => void this.stop(entry.runId),
    });
    this.emitStatus(entry.projectId, entry.runId);
    this.pump();
  }

  /**
   * Stops a queued run (at once) or the running one (gracefully: the trainer finishes its batch,
   * writes the last checkpoint and reports `stopped`; past the timeout it is killed).
   */
  async stop(runId: string, reason: 'user' | 'close' = 'user'): Promise<void> {
    const i = this.queue.findIndex((q) => q.runId === runId);
    if (i >= 0) {
      const [entry] = this.queue.splice(i, 1);
      if (entry) {
        this.settleRow(entry.projectId, entry.runId, {
          status: reason === 'close' ? 'interrupted' : 'stopped',
          message: reason === 'close' ? NEVER_STARTED_BY_CLOSE : 'stopped before it started',
        });
      }
      this.emitQueuePositions();
      return;
    }
    const a = this.active;
    if (a?.runId !== runId) return;
    a.stopReason ??= reason;
    a.handle?.stop();
    const timeout = reason === 'close' ? this.closeTimeoutMs : this.stopTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const inTime = await Promise.race([
      a.finished.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeout);
      }),
    ]);
    clearTimeout(timer);
    if (inTime) return;
    this.ctx.logger.warn({ runId, timeout }, 'the trainer did not stop in time; killing it');
    this.settle(a, {
      status: reason === 'close' ? 'interrupted' : 'stopped',
      message:
        reason === 'close'
          ? INTERRUPTED_BY_CLOSE
          : 'stopped by the user (the trainer did not stop in time and was ended); resume continues from the last checkpoint',
    });
    await a.handle?.kill().catch(() => undefined);
    await a.finished;
  }

  /** Stops (queued: drops) every run matching `pred`, e.g. before its experiment or project goes. */
  async stopWhere(pred: (entry: QueueEntry) => boolean): Promise<void> {
    const queued = this.queue.filter(pred).map((q) => q.runId);
    for (const id of queued) await this.stop(id);
    if (this.active && pred(this.active)) await this.stop(this.active.runId);
  }

  /** Refuses new runs, marks queued ones interrupted, stops the live one (gracefully if it can). */
  async close(): Promise<void> {
    if (this.closed) return this.active?.finished;
    this.closed = true;
    clearTimeout(this.prewarmTimer);
    for (const entry of this.queue.splice(0)) {
      this.settleRow(entry.projectId, entry.runId, {
        status: 'interrupted',
        message: NEVER_STARTED_BY_CLOSE,
      });
    }
    if (this.active) await this.stop(this.active.runId, 'close');
    await this.startTraining.release?.().catch(() => undefined);
  }

  private pump(): void {
    while (!this.active && !this.closed) {
      const next = this.queue.shift();
      if (!next) return;
      this.emitQueuePositions();
      this.launch(next);
    }
  }

  private launch(entry: QueueEntry): void {
    const { store } = this.ctx;
    const rec = store.runs.get(entry.projectId, entry.runId);
    if (rec?.status !== 'pending') {
      // Deleted or stopped while it waited: its job ends with it.
      this.jobs.ended(entry.runId, 'gone', null);
      return;
    }
    let built: ReturnType<typeof buildTrainJob>;
    try {
      built = buildTrainJob(this.ctx, rec, entry.resume);
      store.runs.update(entry.runId, { classes: built.job.classes });
    } catch (err) {
      this.settleRow(entry.projectId, entry.runId, {
        status: 'failed',
        message: `the run could not start: ${errorText(err)}`,
      });
      return;
    }
    const { job, notes } = built;

    let markFinished = (): void => undefined;
    const finished = new Promise<void>((resolve) => {
      markFinished = resolve;
    });
    const active: ActiveRun = {
      ...entry,
      handle: null,
      progress: { ...(rec.progress ?? emptyProgress(rec.config.epochs)), phase: 'preparing' },
      lastPersist: 0,
      settled: false,
      stopReason: null,
      finished,
      markFinished,
    };
    this.active = active;
    this.jobs.started(entry.runId);
    store.runs.update(entry.runId, {
      status: 'running',
      startedAt: rec.startedAt ?? nowIso(this.ctx),
      finishedAt: null,
      message: null,
      progress: active.progress,
    });
    this.emitStatus(entry.projectId, entry.runId);
    for (const note of notes) this.emitLog(active, 'warn', note);

    try {
      active.handle = this.startTraining(job, (e) => this.onTrainerEvent(active, e));
    } catch (err) {
      this.settle(active, {
        status: 'failed',
        message: `the trainer could not start: ${errorText(err)}`,
      });
      this.onWorkerDone(active, null);
      return;
    }
    active.handle.done.then(
      () => this.onWorkerDone(active, null),
      (err: unknown) => this.onWorkerDone(active, err),
    );
  }

  private onTrainerEvent(a: ActiveRun, e: TrainerEvent): void {
    if (a.settled && e.type !== 'log') return;
    const { store } = this.ctx;
    switch (e.type) {
      case 'started':
        store.runs.update(a.runId, { backend: e.backend, device: e.device });
        if (e.resumedFromEpoch > 0) {
          this.emitLog(a, 'info', `resumed from the checkpoint after epoch ${e.resumedFromEpoch}`);
        }
        this.emitStatus(a.projectId, a.runId);
        return;
      case 'progress': {
        a.progress = e.progress;
        this.jobs.progress(a.runId, e.progress);
        this.events.emit({ type: 'progress', run_id: a.runId, progress: e.progress });
        const now = Date.now();
        if (now - a.lastPersist >= this.progressPersistMs) {
          a.lastPersist = now;
          store.runs.update(a.runId, { progress: e.progress });
        }
        return;
      }
      case 'epoch':
        this.jobs.epoch(a.runId, e.metrics.epoch);
        if (recordEpoch(this.ctx, a.projectId, a.runId, e.metrics, e.isBest)) {
          this.events.emit({ type: 'epoch', run_id: a.runId, metrics: e.metrics });
        }
        return;
      case 'log':
        this.emitLog(a, e.level, e.message);
        return;
      case 'completed':
        this.settle(a, { status: 'completed', message: e.message, done: true });
        return;
      case 'stopped':
        this.settle(a, {
          status: 'stopped',
          message: a.stopReason === 'close' ? STOPPED_BY_CLOSE : STOPPED_BY_USER,
        });
        return;
      case 'failed':
        this.settle(a, { status: 'failed', message: e.message });
        return;
    }
  }

  private onWorkerDone(a: ActiveRun, err: unknown): void {
    if (!a.settled) {
      this.settle(a, {
        status: a.stopReason === 'close' ? 'interrupted' : 'failed',
        message:
          err === null
            ? 'the training worker ended without reporting an outcome'
            : `the training worker failed: ${errorText(err)}`,
      });
    }
    if (this.active === a) this.active = null;
    a.markFinished();
    this.pump();
    this.prewarmIfIdle();
  }

  private settle(
    a: ActiveRun,
    end: { status: RunStatus; message: string; done?: boolean | undefined },
  ): void {
    if (a.settled) return;
    a.settled = true;
    if (a.progress) {
      a.progress = end.done
        ? { ...a.progress, phase: 'done', eta_seconds: 0 }
        : { ...a.progress, eta_seconds: null };
    }
    this.settleRow(a.projectId, a.runId, {
      status: end.status,
      message: end.message,
      ...(a.progress ? { progress: a.progress } : {}),
    });
  }

  private settleRow(projectId: string, runId: string, patch: RunPatch): void {
    this.ctx.store.runs.update(runId, { ...patch, finishedAt: nowIso(this.ctx) });
    // A run the app stopped on its way out reads stopped (resumable); its job, interrupted.
    const status = this.closed && patch.status === 'stopped' ? 'interrupted' : patch.status;
    if (status) this.jobs.ended(runId, status, patch.message);
    this.emitStatus(projectId, runId);
  }

  private emitLog(a: QueueEntry, level: 'info' | 'warn' | 'error', message: string): void {
    this.events.emit({ type: 'log', run_id: a.runId, level, message });
  }

  private emitStatus(projectId: string, runId: string): void {
    if (this.events.listenerCount(runId) === 0) return;
    const rec = this.ctx.store.runs.get(projectId, runId);
    if (rec) this.events.emit({ type: 'status', run: toRun(this.ctx.store, rec, this) });
  }

  private emitQueuePositions(): void {
    for (const q of this.queue) this.emitStatus(q.projectId, q.runId);
  }
}
