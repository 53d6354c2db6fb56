import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Job } from '../../src-shared/contract/index.js';
import { solidImage } from '../fixtures/media-fixtures.js';

export const tempDir = (prefix: string): Promise<string> => mkdtemp(join(tmpdir(), prefix));

/** Writes files (relative name → bytes) under `root`, creating folders. */
export async function writeTree(
  root: string,
  files: Readonly<Record<string, Uint8Array | string>>,
): Promise<void> {
  for (const [name, data] of Object.entries(files)) {
    await mkdir(dirname(join(root, name)), { recursive: true });
    await writeFile(join(root, name), data);
  }
}

/** `perClass` PNGs in each class folder, each with distinct content (so distinct hashes). */
export async function classFolders(
  classes: readonly string[],
  perClass: number,
): Promise<Record<string, Buffer>> {
  const files: Record<string, Buffer> = {};
  let seed = 1;
  for (const cls of classes) {
    for (let i = 0; i < perClass; i++)
      files[`${cls}/img${i}.png`] = await solidImage('png', seed++);
  }
  return files;
}

interface JobSource {
  onJob(jobId: string, listener: (job: Job) => void): () => void;
  ops: { getJob(input: { job_id: string }): Promise<Job> };
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/** Resolves with the job once it reaches a final state, by its events (no polling, no sleeps). */
export function jobFinished(ws: JobSource, jobId: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    const off = ws.onJob(jobId, (job) => {
      if (TERMINAL.has(job.status)) {
        off();
        resolve(job);
      }
    });
    // It may have finished before we subscribed.
    ws.ops.getJob({ job_id: jobId }).then((job) => {
      if (TERMINAL.has(job.status)) {
        off();
        resolve(job);
      }
    }, reject);
  });
}
