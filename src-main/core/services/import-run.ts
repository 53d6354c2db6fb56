import { rm } from 'node:fs/promises';
import type {
  ImportFileError,
  ImportResult,
  Job,
  JobStatus,
} from '../../../src-shared/contract/index.js';
import type { ImportedItem, ImportWorkerMessage } from '../workspace/import-types.js';
import { safeJoin } from '../workspace/layout.js';
import { nowIso, type ServiceContext } from './context.js';
import type { DatasetJsonWriter } from './dataset-json.js';
import type { JobControl } from '../jobs/job-runner.js';
import type { JobEvents } from './job-events.js';
import { kindRefusal } from './media-policy.js';

/** The worker entry point's shape (src-main/core/jobs/import-runner.ts); injected so tests can drive it. */
export interface ImportHandle {
  readonly done: Promise<void>;
  cancel(): void;
}

/** Items are written in batches: one transaction per 50 items or per 200 ms, whichever comes first. */
const BATCH_ITEMS = 50;
const BATCH_MS = 200;
/** The job's result keeps this many per-file errors; all of them are in `job_errors`, paged. */
export const RESULT_ERRORS = 20;

/** One import's bookkeeping on the main thread. */
export class ImportRun {
  private handle: ImportHandle | undefined;
  private pending: ImportedItem[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** Errors not yet in `job_errors`; written with the next batch. */
  private unsaved: ImportFileError[] = [];
  private readonly firstErrors: ImportFileError[] = [];
  private failed = 0;
  private saved = 0;
  private startedMs: number | null = null;
  /** Blobs of items refused for a taken name; removed at the end unless another item uses them. */
  private readonly refusedBlobs = new Map<string, string | null>();
  private imported = 0;
  private duplicates = 0;
  private done = 0;
  private total = 0;
  private message = 'starting';
  private status: JobStatus = 'pending';
  private outcome:
    { status: 'completed' | 'failed' | 'cancelled'; error: string | null } | undefined;
  private final = false;
  private writeError: string | undefined;
  private resolveFinished!: (job: Job) => void;
  readonly finished: Promise<Job>;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly events: JobEvents,
    private readonly datasetJson: DatasetJsonWriter,
    private readonly job: Job,
    private readonly control: JobControl,
    private readonly cleanup: readonly string[],
  ) {
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
  }

  attach(handle: ImportHandle): void {
    this.handle = handle;
    handle.done.then(
      () =>
        this.finish(
          this.outcome ?? {
            status: 'failed',
            error: 'the import worker stopped without finishing',
          },
        ),
      (err: unknown) =>
        this.finish(
          this.outcome ?? {
            status: 'failed',
            error: `the import worker failed: ${errorText(err)}`,
          },
        ),
    );
  }

  onMessage(m: ImportWorkerMessage): void {
    if (this.final || this.outcome) return;
    if (this.status === 'pending') {
      this.status = 'running';
      this.control.start();
      this.startedMs = Date.now();
    }
    switch (m.type) {
      case 'total':
        this.total = m.total;
        break;
      case 'item':
        this.pending.push(m.item);
        break;
      case 'file-error':
        this.addError(m.error);
        break;
      case 'progress':
        this.done = m.done;
        this.total = m.total;
        this.message = m.current;
        break;
      case 'done':
        this.outcome = { status: 'completed', error: null };
        break;
      case 'fatal':
        this.outcome = { status: 'failed', error: m.message };
        break;
      default: {
        const unknown: never = m;
        throw new Error(`unknown import message ${JSON.stringify(unknown)}`);
      }
    }
    if (this.outcome) return; // the worker exits next; finish() runs on its `done`
    if (this.pending.length >= BATCH_ITEMS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  cancel(): void {
    if (this.final || this.outcome) return;
    this.outcome = { status: 'cancelled', error: null };
    if (this.handle) this.handle.cancel();
    else void this.finish(this.outcome);
  }

  fail(error: string): void {
    this.outcome ??= { status: 'failed', error };
    void this.finish(this.outcome);
  }

  /** Writes the buffered items and the progress in one transaction, then tells subscribers. */
  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.final) return;
    const batch = this.pending;
    this.pending = [];
    try {
      this.write(batch);
    } catch (err) {
      // Runs from a timer too: never let it throw. The job fails; files already stored stay valid.
      this.ctx.logger.error({ err, jobId: this.job.id }, 'could not record imported items');
      this.writeError ??= `could not record imported items: ${errorText(err)}`;
      if (!this.outcome) {
        this.outcome = { status: 'failed', error: this.writeError };
        if (this.handle) this.handle.cancel();
        else void this.finish(this.outcome);
      }
    }
  }

  private write(all: readonly ImportedItem[]): void {
    const { store } = this.ctx;
    const at = nowIso(this.ctx);
    const job = store.transaction(() => {
      const task = store.projects.get(this.job.project_id)?.task ?? 'classification';
      const batch = all.filter((item) => {
        const refusal = kindRefusal(task, item.mediaKind);
        if (refusal === null) return true;
        this.addError({ file: item.filename, code: 'unsupported_type', message: refusal });
        this.refusedBlobs.set(item.blobPath, item.thumbPath);
        return false;
      });
      const outcomes = store.items.insertMany(this.job.project_id, batch, at);
      outcomes.forEach((outcome, i) => {
        const item = batch[i] as ImportedItem;
        if (outcome === 'inserted') this.imported++;
        else if (outcome === 'duplicate') this.duplicates++;
        else {
          this.addError({
            file: item.filename,
            code: 'name_taken',
            message: `an item named "${item.filename}" with different content is already in the dataset`,
          });
          this.refusedBlobs.set(item.blobPath, item.thumbPath);
        }
      });
      this.saveErrors();
      return store.jobs.update(this.job.id, this.snapshot(), at);
    });
    if (job) this.events.emit(job);
  }

  private addError(e: ImportFileError): void {
    this.failed++;
    if (this.firstErrors.length < RESULT_ERRORS) this.firstErrors.push(e);
    this.unsaved.push(e);
  }

  private saveErrors(): void {
    if (this.unsaved.length === 0) return;
    this.ctx.store.jobs.addErrors(this.job.id, this.saved, this.unsaved);
    this.saved += this.unsaved.length;
    this.unsaved = [];
  }

  private snapshot() {
    const seconds = (Date.now() - (this.startedMs ?? Date.now())) / 1000;
    return {
      status: this.status,
      done: this.done,
      total: this.total,
      message: this.message,
      result: this.result(),
      // From the pace so far: files left at the rate files have gone.
      eta_seconds:
        this.done > 0 && this.total >= this.done
          ? Math.round((seconds * (this.total - this.done)) / this.done)
          : null,
    };
  }

  private result(): ImportResult {
    return {
      imported: this.imported,
      duplicates: this.duplicates,
      failed: this.failed,
      errors: [...this.firstErrors],
    };
  }

  private async finish(outcome: {
    status: 'completed' | 'failed' | 'cancelled';
    error: string | null;
  }): Promise<void> {
    if (this.final) return;
    this.flush();
    this.final = true;
    const { store, logger } = this.ctx;
    const projectId = this.job.project_id;
    const end = this.writeError ? { status: 'failed' as const, error: this.writeError } : outcome;
    let job: Job = { ...this.job, ...this.snapshot(), status: end.status, error: end.error };
    try {
      await this.removeRefusedBlobs();
      await Promise.all(
        this.cleanup.map((p) => rm(p, { force: true, recursive: true }).catch(() => undefined)),
      );
      if (this.imported > 0) store.projects.touch(projectId, nowIso(this.ctx));
      await this.datasetJson.write(projectId).catch((err: unknown) => {
        logger.error({ err, projectId }, 'could not rewrite dataset.json after an import');
      });
      const r = this.result();
      const summary = `${r.imported} imported, ${r.duplicates} duplicates, ${r.failed} failed`;
      const message = end.status === 'completed' ? summary : `${end.status}: ${summary}`;
      job = this.control.finish(end.status, { message, error: end.error, result: r });
      logger.info(
        {
          jobId: this.job.id,
          projectId,
          status: end.status,
          imported: r.imported,
          failed: r.failed,
        },
        'import finished',
      );
    } catch (err) {
      // The store may be closing under us; subscribers and waiters still get the final state.
      logger.error({ err, jobId: this.job.id }, 'could not record the end of an import');
    } finally {
      // control.finish told subscribers; when it could not run, they still get the end.
      if (job.finished_at === null) job = this.control.finish(end.status, { error: end.error });
      this.resolveFinished(job);
    }
  }

  private async removeRefusedBlobs(): Promise<void> {
    const { store, layout } = this.ctx;
    const projectId = this.job.project_id;
    const dir = layout.projectDir(projectId);
    for (const [blob, thumb] of this.refusedBlobs) {
      // Blob and thumbnail are both named by the content hash: shared together or not at all.
      if (store.items.blobRefs(projectId, blob) > 0) continue;
      for (const rel of thumb ? [blob, thumb] : [blob]) {
        await rm(safeJoin(dir, rel), { force: true }).catch(() => undefined);
      }
    }
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
