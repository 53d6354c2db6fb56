/** worker_threads entry of the checkpoint writer (checkpoint-writer.ts): one write at a time. */
import { parentPort } from 'node:worker_threads';
import { writeCheckpointDirs } from './checkpoint-dir.js';
import type { WriteReply, WriteRequest } from './checkpoint-writer.js';

if (!parentPort) throw new Error('checkpoint-writer-worker.ts must run in a worker thread');
const port = parentPort;

let queue: Promise<void> = Promise.resolve();
port.on('message', (r: WriteRequest) => {
  queue = queue.then(() => handle(r));
});

async function handle(r: WriteRequest): Promise<void> {
  const fail = r.fail;
  const hook = fail
    ? (file: string): void => {
        if (file === fail.file) {
          throw Object.assign(new Error(fail.message), fail.code ? { code: fail.code } : {});
        }
      }
    : undefined;
  let reply: WriteReply;
  try {
    await writeCheckpointDirs(r.root, r.names, new Map(r.files), hook);
    reply = { id: r.id, ok: true };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    reply = { id: r.id, ok: false, message: e.message, ...(e.code ? { code: e.code } : {}) };
  }
  port.postMessage(reply);
}
