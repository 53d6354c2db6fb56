import type { RunProgress, RunStatus } from '../../../src-shared/contract/training.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { EndStatus, JobControl, JobRunner } from '../jobs/job-runner.js';
import { INTERRUPTED_AT_START } from './training-view.js';

/** A run's end as its job's status: a user's stop is a cancel; the rest map one to one. */
const JOB_END: Record<Exclude<RunStatus, 'pending' | 'running'>, EndStatus> = {
  completed: 'completed',
  failed: 'failed',
  stopped: 'cancelled',
  interrupted: 'interrupted',
};

/**
 * The `training` job kind: one job per start or resume of a run, executed by the dedicated
 * trainer thread (RunManager drives it). Cancel stops the run gracefully (its last checkpoint
 * stays); after a crash the job and its run read `interrupted` and the run can be resumed.
 */
export function trainingJobKind(runs: { recoverInterrupted(): unknown }): JobKindDecl {
  return {
    kind: 'training',
    execution: { thread: 'driven', by: 'the trainer thread (training-runner.ts)' },
    resumable: true,
    progressUnit: 'epochs',
    cancel: 'graceful',
    crash: { after: 'interrupted', message: INTERRUPTED_AT_START },
    // Runs of workspaces older than the jobs table have no job: the runs table is swept too.
    recover: () => {
      runs.recoverInterrupted();
    },
  };
}

/** The jobs of the runs a RunManager queues and trains: epochs done of total, ETA, the end. */
export class RunJobs {
  private runner: JobRunner | null = null;
  private readonly controls = new Map<string, { control: JobControl; done: number }>();

  attach(runner: JobRunner): void {
    this.runner = runner;
  }

  /** A run entered the queue: its job is created pending (`done` epochs already, on resume). */
  queued(o: {
    projectId: string;
    runId: string;
    epochs: number;
    done: number;
    resume: boolean;
    cancel: () => void;
  }): void {
    if (!this.runner) return;
    const control = this.runner.open('training', {
      projectId: o.projectId,
      subjectId: o.runId,
      total: o.epochs,
      message: o.resume ? 'resume queued' : 'queued',
      cancel: o.cancel,
    });
    if (o.done > 0) control.progress({ done: o.done, total: o.epochs, eta_seconds: null });
    this.controls.set(o.runId, { control, done: o.done });
  }

  started(runId: string): void {
    this.controls.get(runId)?.control.start('training');
  }

  progress(runId: string, p: RunProgress): void {
    const j = this.controls.get(runId);
    j?.control.progress({
      done: j.done,
      total: p.epochs,
      eta_seconds: p.eta_seconds,
      message: p.phase,
    });
  }

  epoch(runId: string, epoch: number): void {
    const j = this.controls.get(runId);
    if (j) j.done = epoch;
  }

  /** The run ended (or went before it started: `cancelled`). */
  ended(runId: string, status: RunStatus | 'gone', message: string | null | undefined): void {
    const j = this.controls.get(runId);
    if (!j || status === 'pending' || status === 'running') return;
    this.controls.delete(runId);
    if (status === 'gone') {
      j.control.finish('cancelled', { message: 'the run went before it started' });
      return;
    }
    const total = j.control.current().total;
    j.control.progress({ done: j.done, total, eta_seconds: status === 'completed' ? 0 : null });
    j.control.finish(JOB_END[status], {
      message: message ?? status,
      error: status === 'failed' ? (message ?? 'the run failed') : null,
      result: { run_id: runId, epochs_done: j.done },
    });
  }
}
