import { Worker } from 'node:worker_threads';
import { UploadError } from './table-input.js';
import type { PreparedTable, PrepareRequest } from './table-prepare.js';
import type { TableWorkerReply } from './table-worker.js';

/** How long, and with how much heap, one upload may be read. */
export interface TableReadLimits {
  readonly timeoutMs: number;
  readonly maxHeapMb: number;
}

/**
 * Legitimate tables up to the 512 MB file limit read in seconds; a pickle built to be slow (or to
 * grow) is stopped well before it matters. The heap bound covers Python lists of numbers, which
 * become JS arrays; typed arrays live outside it and are bounded by MAX_TABLE_CELLS instead.
 */
export const DEFAULT_TABLE_READ_LIMITS: TableReadLimits = { timeoutMs: 120_000, maxHeapMb: 2048 };

/**
 * Reads an upload in a worker thread so that no file, however crafted, blocks the event loop that
 * serves every other request. The worker is terminated when it runs past `timeoutMs` or its heap
 * past `maxHeapMb`; both come back as `UploadError('limit')`. Throws `UploadError` for a refused
 * file, like `prepareTable` itself.
 */
export function prepareTableInWorker(
  req: PrepareRequest,
  limits: TableReadLimits = DEFAULT_TABLE_READ_LIMITS,
): Promise<PreparedTable> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(req, limits);
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => {
      settle(() =>
        reject(
          new UploadError(
            'limit',
            `reading the file took longer than ${limits.timeoutMs / 1000} s and was stopped`,
          ),
        ),
      );
      void worker.terminate();
    }, limits.timeoutMs);
    worker.on('message', (m: TableWorkerReply) =>
      settle(() => (m.ok ? resolve(m.table) : reject(new UploadError(m.stage, m.message)))),
    );
    worker.on('error', (err: Error & { code?: string }) =>
      settle(() =>
        reject(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? new UploadError(
                'limit',
                `reading the file needed more than ${limits.maxHeapMb} MB of memory and was stopped`,
              )
            : new UploadError('load', err.message),
        ),
      ),
    );
    worker.on('exit', (code) =>
      settle(() => reject(new UploadError('load', `the reader stopped (exit code ${code})`))),
    );
  });
}

/**
 * The worker file beside this one: `.js` from dist. From sources (vitest, tsx) it is `.ts`, and
 * Node 20 ignores `--import tsx` in a Worker's execArgv, so a tiny eval'd bootstrap registers
 * tsx's loader inside the thread first (as core/jobs/import-runner.ts does).
 */
function spawnWorker(workerData: PrepareRequest, limits: TableReadLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: limits.maxHeapMb };
  if (!import.meta.url.endsWith('.ts')) {
    return new Worker(new URL('./table-worker.js', import.meta.url), {
      workerData,
      resourceLimits,
    });
  }
  const entry = new URL('./table-worker.ts', import.meta.url).href;
  let tsxApi = 'tsx/esm/api';
  try {
    tsxApi = import.meta.resolve('tsx/esm/api');
  } catch {
    /* resolved by the worker from its own location */
  }
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData, resourceLimits });
}
