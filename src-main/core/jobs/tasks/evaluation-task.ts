/**
 * Task kind `evaluation`: scores a checkpoint on a split subset (its in-memory ONNX export in
 * onnxruntime) and writes the per-item results atomically, off the main thread. Only the metrics
 * travel back; the results file is read for paging.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type EvalData, evaluateCheckpoint } from '../../engine/evaluation/evaluate-checkpoint.js';
import { writeFileAtomic } from '../../workspace/atomic-write.js';
import type { TaskIO } from '../task-worker.js';

export interface EvaluationTaskInput {
  readonly checkpointDir: string;
  readonly cacheDir: string;
  readonly data: EvalData;
  readonly batchSize: number;
  readonly resultsFile: string;
}

export interface EvaluationTaskResult {
  readonly metrics: unknown;
  readonly itemCount: number;
  readonly thread_id: number;
}

export async function runTask(
  input: EvaluationTaskInput,
  io: TaskIO,
): Promise<EvaluationTaskResult> {
  const res = await evaluateCheckpoint({
    checkpointDir: input.checkpointDir,
    cacheDir: input.cacheDir,
    data: input.data,
    batchSize: input.batchSize,
    onProgress: (done, total) => io.progress({ done, total, message: 'scoring items' }),
  });
  await mkdir(path.dirname(input.resultsFile), { recursive: true });
  await writeFileAtomic(input.resultsFile, JSON.stringify(res.items));
  return { metrics: res.metrics, itemCount: res.items.length, thread_id: io.threadId };
}
