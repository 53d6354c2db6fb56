/** Task kind `export`: writes one export ZIP (atomically) from a run's checkpoint, off the main thread. */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { createExportPackage } from '../../engine/export/export-package.js';
import type { TaskIO } from '../task-worker.js';

export interface ExportTaskInput {
  readonly checkpointDir: string;
  readonly format: string;
  readonly options: Record<string, unknown>;
  readonly outFile: string;
  /** The export's creation time, written into its metadata. */
  readonly createdAt: string;
}

export interface ExportTaskResult {
  readonly bytes: number;
  readonly thread_id: number;
}

export async function runTask(input: ExportTaskInput, io: TaskIO): Promise<ExportTaskResult> {
  io.progress({ done: 0, total: 1, message: `writing the ${input.format} package` });
  await mkdir(path.dirname(input.outFile), { recursive: true });
  const res = await createExportPackage({
    checkpointDir: input.checkpointDir,
    format: input.format,
    options: input.options,
    outFile: input.outFile,
    now: () => new Date(input.createdAt),
  });
  io.progress({ done: 1, total: 1, message: 'written' });
  return { bytes: res.bytes, thread_id: io.threadId };
}
