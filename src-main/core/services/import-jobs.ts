import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Job } from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import type { ImportSource, ImportSpec, ImportWorkerMessage } from '../workspace/import-types.js';
import { ensureProjectDirs } from '../workspace/layout.js';
import { requireProject, type ServiceContext } from './context.js';
import type { DatasetJsonWriter } from './dataset-json.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { JobEvents } from './job-events.js';
import { ImportRun, type ImportHandle } from './import-run.js';

export type { ImportHandle } from './import-run.js';

export const INTERRUPTED_JOB_ERROR = 'interrupted: the app stopped during this job';

/**
 * The `import` job kind: its own worker thread decodes and stores files (import-runner.ts); this
 * side writes items and progress (ImportRun). Cancel lets the worker finish its in-flight files;
 * after a crash the job reads interrupted: the items it recorded stay (each batch and the job's
 * progress are one transaction), and the worker's folders under tmp/ are removed.
 */
export function importJobKind(ctx: ServiceContext): JobKindDecl {
  return {
    kind: 'import',
    execution: { thread: 'driven', by: 'the import worker (core/jobs/import-runner.ts)' },
    resumable: false,
    progressUnit: 'files',
    cancel: 'graceful',
    crash: { after: 'interrupted', message: INTERRUPTED_JOB_ERROR },
    // At start-up no import runs: every import work folder is a dead worker's.
    async recover() {
      const names = await readdir(ctx.layout.tmpDir).catch(() => [] as string[]);
      const dirs = names.filter((n) => n.startsWith('import-'));
      await Promise.all(
        dirs.map((n) => rm(path.join(ctx.layout.tmpDir, n), { recursive: true, force: true })),
      );
    },
  };
}

export type RunImportWorker = (
  spec: ImportSpec,
  onMessage: (m: ImportWorkerMessage) => void,
) => ImportHandle;

interface ActiveImport {
  readonly jobId: string;
  readonly projectId: string;
  cancel(): void;
  /** Settles once the job row holds its final state. */
  readonly finished: Promise<Job>;
}

export interface StartImportOptions {
  readonly targetColumn?: string | undefined;
  /** Files to remove once the job ends, whatever its outcome (staged uploads). */
  readonly cleanup?: readonly string[];
}

/**
 * Runs imports as jobs: one worker per import, at most one import per project. The worker decodes and
 * stores files; this side owns SQLite: it inserts items in batched transactions, skips content already in
 * the project, keeps the job row current and tells subscribers.
 */
export class ImportJobs {
  private readonly active = new Map<string, ActiveImport>();
  /** Projects under an exclusive operation (clear, delete): no import may start meanwhile. */
  private readonly busy = new Map<string, string>();

  constructor(
    private readonly ctx: ServiceContext,
    private readonly events: JobEvents,
    private readonly datasetJson: DatasetJsonWriter,
    private readonly runWorker: RunImportWorker,
    private readonly jobs: JobRunner,
  ) {}

  activeJobId(projectId: string): string | null {
    return this.active.get(projectId)?.jobId ?? null;
  }

  get activeCount(): number {
    return this.active.size;
  }

  assertIdle(projectId: string, action: string): void {
    const running = this.active.get(projectId);
    if (running) {
      throw new AppError(
        'conflict',
        `cannot ${action} while import ${running.jobId} is running for this project`,
      );
    }
    const other = this.busy.get(projectId);
    if (other)
      throw new AppError('conflict', `cannot ${action} while the project is busy (${other})`);
  }

  /** Runs `fn` with imports into the project held off (refused with 409) until it settles. */
  async exclusive<T>(projectId: string, action: string, fn: () => Promise<T>): Promise<T> {
    this.assertIdle(projectId, action);
    this.busy.set(projectId, action);
    try {
      return await fn();
    } finally {
      this.busy.delete(projectId);
    }
  }

  /** Creates the job row (pending), starts the worker, returns at once. */
  async start(
    projectId: string,
    sources: readonly ImportSource[],
    options: StartImportOptions = {},
  ): Promise<Job> {
    const { layout, limits } = this.ctx;
    requireProject(this.ctx, projectId);
    this.assertIdle(projectId, 'start another import');
    // The job's cancel reaches the run, which needs the job's row: created in that order.
    const ref: { run?: ImportRun } = {};
    const control = this.jobs.open('import', {
      projectId,
      message: 'waiting to start',
      cancel: () => ref.run?.cancel(),
    });
    const job: Job = control.current();
    // Registered before the first await, so a second request in the same tick sees the conflict.
    const run = new ImportRun(
      this.ctx,
      this.events,
      this.datasetJson,
      job,
      control,
      options.cleanup ?? [],
    );
    ref.run = run;
    const entry: ActiveImport = {
      jobId: job.id,
      projectId,
      cancel: () => run.cancel(),
      finished: run.finished,
    };
    this.active.set(projectId, entry);
    void run.finished.finally(() => {
      if (this.active.get(projectId) === entry) this.active.delete(projectId);
    });
    try {
      const projectDir = await ensureProjectDirs(layout, projectId);
      const spec: ImportSpec = {
        projectId,
        projectDir,
        tmpDir: layout.tmpDir,
        sources,
        limits,
        targetColumn: options.targetColumn,
      };
      run.attach(this.runWorker(spec, (m) => run.onMessage(m)));
    } catch (err) {
      run.fail(`the import could not start: ${errorText(err)}`);
    }
    return job;
  }

  /** Cancels this project's import, if any, and waits until it has stopped. */
  async stopProject(projectId: string): Promise<void> {
    const entry = this.active.get(projectId);
    if (!entry) return;
    entry.cancel();
    await entry.finished.catch(() => undefined);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.active.keys()].map((p) => this.stopProject(p)));
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
