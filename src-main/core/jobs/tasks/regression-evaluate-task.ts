/**
 * A step of the `regression-training` kind: the run's checkpoint as a plain model file, scored on
 * the test rows, on the task thread (loading a checkpoint loads tfjs, which the main thread never
 * does).
 */
import {
  evaluateRun,
  readSplitTable,
  type Evaluation,
} from '../../regression/regression-evaluate.js';
import type { TaskIO } from '../task-worker.js';

export interface RegressionEvaluateInput {
  readonly runDir: string;
  readonly runId: string;
  readonly table: string;
  readonly ratios: { readonly train: number; readonly val: number; readonly test: number };
  readonly seed: number;
}

export async function runTask(input: RegressionEvaluateInput, io: TaskIO): Promise<Evaluation> {
  io.progress({ done: 0, total: 1, message: 'scoring the test rows' });
  const split = readSplitTable({ table: input.table, ratios: input.ratios, seed: input.seed });
  return evaluateRun({ runDir: input.runDir, runId: input.runId, split });
}
