import { mkdir, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { isFileError, reason } from '../../media/file-error.js';
import { probeMedia } from '../../media/probe.js';
import type { ImportedItem, ImportSpec, ImportWorkerMessage } from '../import-types.js';
import { blobRelPath, storeBlob, storeThumb, thumbRelPath } from './blob-store.js';
import { mapInOrder } from './in-order.js';
import { classOf } from './paths.js';
import { planImport, type ImportTask } from './plan.js';

/** Files in flight at once: sharp and the WASM decoders each use a core; the machines have two. */
export const IMPORT_CONCURRENCY = 2;

export interface RunImportOptions {
  /** A folder of this job's own under the workspace tmp (same filesystem); emptied and removed at the end. */
  readonly workDir: string;
  readonly post: (m: ImportWorkerMessage) => void;
  /** Polled between files; when true no new file starts, and no `done` is posted. */
  readonly cancelled?: () => boolean;
}

/**
 * The import itself, independent of threads (the worker wraps it; tests may call it directly).
 * Posts `total`, then per file `item` or `file-error` followed by `progress`, then `done`.
 * A bad file is a `file-error`, never an exception; only a broken environment (workspace gone)
 * makes this throw, which the worker turns into `fatal`.
 */
export async function runImport(spec: ImportSpec, opts: RunImportOptions): Promise<void> {
  const { post, workDir } = opts;
  const cancelled = opts.cancelled ?? (() => false);
  await mkdir(workDir, { recursive: true });
  const plan = await planImport(spec.sources, spec.limits);
  try {
    const total = plan.tasks.length + plan.errors.length;
    let done = 0;
    post({ type: 'total', total });
    for (const error of plan.errors) {
      post({ type: 'file-error', error });
      post({ type: 'progress', done: ++done, total, current: error.file });
    }

    const names = new Set<string>();
    let seq = 0;
    // Decided when the task starts, in plan order (see mapInOrder): skips and taken names.
    const attempt = async (task: ImportTask): Promise<ImportWorkerMessage | null> => {
      if (task.skip?.()) return null;
      if (names.has(task.filename)) {
        return {
          type: 'file-error',
          error: {
            file: task.filename,
            code: 'duplicate_name',
            message: 'another file of this import has the same name',
          },
        };
      }
      names.add(task.filename);
      return importOne(spec, task, path.join(workDir, `f${seq++}`));
    };
    // Outcomes are posted in plan order, so which of two identical files is kept is the same on
    // every run. After a cancel nothing more is posted: the main thread has stopped listening.
    await mapInOrder(
      plan.tasks.length,
      IMPORT_CONCURRENCY,
      (i) => attempt(plan.tasks[i] as ImportTask),
      (outcome, i) => {
        if (outcome) post(outcome);
        post({
          type: 'progress',
          done: ++done,
          total,
          current: (plan.tasks[i] as ImportTask).filename,
        });
      },
      cancelled,
    );
    if (!cancelled()) post({ type: 'done' });
  } finally {
    plan.close();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function importOne(
  spec: ImportSpec,
  task: ImportTask,
  work: string,
): Promise<ImportWorkerMessage> {
  try {
    const { hash, size } = await task.materialize(work);
    // ext names the blob and the thumbnail is stored beside it; the rest is what the row records.
    const { ext, thumbnail, ...facts } = await probeMedia(work, spec.limits, {
      targetColumn: spec.targetColumn,
    });
    const blobPath = blobRelPath(hash, ext);
    await storeBlob(spec.projectDir, blobPath, work);
    let thumbPath: string | null = null;
    if (thumbnail) {
      thumbPath = thumbRelPath(hash);
      await storeThumb(spec.projectDir, thumbPath, thumbnail);
    }
    const item: ImportedItem = {
      ...facts,
      filename: task.filename,
      className: classOf(task.filename),
      size,
      hash,
      blobPath,
      thumbPath,
    };
    return { type: 'item', item };
  } catch (err) {
    const file =
      isFileError(err) && err.code === 'zip_too_large' && task.container
        ? task.container
        : task.filename;
    const code = isFileError(err) ? err.code : 'read_error';
    return { type: 'file-error', error: { file, code, message: reason(err) } };
  } finally {
    await rm(work, { force: true });
  }
}
