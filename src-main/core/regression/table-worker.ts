/**
 * worker_threads entry that reads one regression upload (core/regression/table-job.ts starts it
 * with time and memory limits). Receives a `PrepareRequest` as workerData and posts one
 * `TableWorkerReply`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { reason } from '../media/file-error.js';
import { UploadError, type UploadStage } from './table-input.js';
import { type PreparedTable, prepareTable, type PrepareRequest } from './table-prepare.js';

export type TableWorkerReply =
  | { readonly ok: true; readonly table: PreparedTable }
  | { readonly ok: false; readonly stage: UploadStage; readonly message: string };

const port = parentPort;
if (!port) throw new Error('table-worker.ts must run in a worker thread');

let reply: TableWorkerReply;
try {
  reply = { ok: true, table: await prepareTable(workerData as PrepareRequest) };
} catch (err) {
  // Anything else a crafted file provokes (a RangeError from an impossible length, a stack
  // overflow on deep nesting) is still the file's fault: it failed to load.
  reply =
    err instanceof UploadError
      ? { ok: false, stage: err.stage, message: err.message }
      : { ok: false, stage: 'load', message: reason(err) };
}
port.postMessage(reply);
