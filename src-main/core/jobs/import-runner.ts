import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImportSpec, ImportWorkerMessage } from '../workspace/import-types.js';
import type { ImportWorkerData } from './import-worker.js';
import { spawnWorker } from './spawn-worker.js';

export interface ImportHandle {
  /** Settles (never rejects) once the worker has exited and every temp file of the job is gone. */
  readonly done: Promise<void>;
  /** Stops the import: no new file starts, no further message is delivered, `done` settles soon. */
  cancel(): void;
}

/** How long a cancelled worker may take to finish its in-flight files before it is terminated. */
const CANCEL_GRACE_MS = 10_000;

/**
 * Runs one import in a worker thread and relays its messages. Exactly one terminal message reaches
 * `onMessage` unless cancelled: `done`, or `fatal` (also when the worker dies or `onMessage`
 * itself throws — then the worker is stopped). After `cancel()` nothing more is delivered.
 * Whatever happens, at the end: the job's working folder under `spec.tmpDir` is removed, staged
 * upload files are deleted, and ZIP sources marked `deleteAfter` are deleted.
 */
export function runImportWorker(
  spec: ImportSpec,
  onMessage: (m: ImportWorkerMessage) => void,
): ImportHandle {
  const workDir = path.join(spec.tmpDir, `import-${randomBytes(6).toString('hex')}`);
  const data: ImportWorkerData = { spec, workDir };
  const worker = spawnWorker(import.meta.url, 'import-worker', data);

  let open = true; // still delivering messages
  let terminal = false;
  let cancelTimer: NodeJS.Timeout | undefined;
  const deliver = (m: ImportWorkerMessage): void => {
    if (!open) return;
    if (m.type === 'done' || m.type === 'fatal') {
      if (terminal) return;
      terminal = true;
    }
    try {
      onMessage(m);
    } catch (err) {
      open = false;
      void worker.terminate();
      terminal = true;
      try {
        onMessage({ type: 'fatal', message: `import aborted: ${(err as Error).message}` });
      } catch {
        /* the listener is broken; nothing more we can tell it */
      }
    }
  };

  worker.on('message', (m: ImportWorkerMessage) => deliver(m));
  worker.on('error', (err) =>
    deliver({ type: 'fatal', message: `import worker failed: ${err.message}` }),
  );

  const done = new Promise<void>((resolve) => {
    worker.once('exit', (code) => {
      if (cancelTimer) clearTimeout(cancelTimer);
      if (!terminal)
        deliver({
          type: 'fatal',
          message: `import worker stopped unexpectedly (exit code ${code})`,
        });
      open = false;
      void cleanup(spec, workDir).finally(resolve);
    });
  });

  return {
    done,
    cancel() {
      if (!open) return;
      open = false;
      worker.postMessage({ type: 'cancel' });
      cancelTimer = setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS);
      cancelTimer.unref();
    },
  };
}

async function cleanup(spec: ImportSpec, workDir: string): Promise<void> {
  const files: string[] = [];
  for (const s of spec.sources) {
    if (s.kind === 'staged') files.push(...s.files.map((f) => f.tempPath));
    if (s.kind === 'zip' && s.deleteAfter) files.push(s.path);
  }
  await Promise.all(
    [
      rm(workDir, { recursive: true, force: true }),
      ...files.map((p) => rm(p, { force: true })),
    ].map((p) => p.catch(() => undefined)),
  );
}
