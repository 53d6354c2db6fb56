/**
 * worker_threads entry for one import job. Receives `{ spec, workDir }` as workerData, posts
 * `ImportWorkerMessage`s, and stops taking new files when the parent posts `{ type: 'cancel' }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reason } from '../media/file-error.js';
import type { ImportSpec, ImportWorkerMessage } from '../workspace/import-types.js';
import { runImport } from '../workspace/import/run-import.js';

export interface ImportWorkerData {
  readonly spec: ImportSpec;
  readonly workDir: string;
}

const port = parentPort;
if (!port) throw new Error('import-worker.ts must run in a worker thread');

let cancelled = false;
port.on('message', (m: unknown) => {
  if ((m as { type?: unknown } | null)?.type === 'cancel') cancelled = true;
});

const { spec, workDir } = workerData as ImportWorkerData;
const post = (m: ImportWorkerMessage): void => port.postMessage(m);

try {
  await runImport(spec, { workDir, post, cancelled: () => cancelled });
} catch (err) {
  post({ type: 'fatal', message: reason(err) });
} finally {
  // Let the thread end even though the parent's port is still open.
  port.close();
}
