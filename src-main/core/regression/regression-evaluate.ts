import { fitStandardizer, readTables, splitRows, type Table } from '../engine/features/table.js';
import { loadCheckpoint } from '../engine/trainer/checkpoint.js';
import { layersFromWeights, predictOne, type RegressionModel } from './model-file.js';

export interface Evaluation {
  readonly model: RegressionModel;
  readonly mse: number;
  readonly r2: number;
  readonly actual: number[];
  readonly predicted: number[];
}

/** R² = 1 − SS_res / SS_tot (scikit-learn's r2_score; 0 variance gives 0 for an exact fit's peers). */
export function r2Score(actual: readonly number[], predicted: readonly number[]): number {
  const n = actual.length;
  const mean = actual.reduce((a, b) => a + b, 0) / Math.max(1, n);
  let res = 0;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    res += ((actual[i] as number) - (predicted[i] as number)) ** 2;
    tot += ((actual[i] as number) - mean) ** 2;
  }
  return tot === 0 ? (res === 0 ? 1 : 0) : 1 - res / tot;
}

/** The rows of the table the run trains on, split as the trainer splits them. */
export interface SplitTable {
  readonly table: Table;
  readonly rows: ReturnType<typeof splitRows>;
}

/**
 * Reads and splits the table (same table, ratios and seed → the same rows as the trainer's). The
 * regression flow starts this while the run trains, so the evaluation after it has the rows.
 */
export async function readSplitTable(opts: {
  readonly table: string;
  readonly ratios: { readonly train: number; readonly val: number; readonly test: number };
  readonly seed: number;
}): Promise<SplitTable> {
  const table = await readTables([opts.table], null);
  return { table, rows: splitRows(table.rows, opts.ratios, opts.seed) };
}

/**
 * The run's best checkpoint as a plain model file, scored on the test part of the same rows the
 * trainer split, in the target's own units.
 */
export async function evaluateRun(opts: {
  readonly runDir: string;
  readonly runId: string;
  /** The table, read and split by {@link readSplitTable}. */
  readonly split: SplitTable | Promise<SplitTable>;
}): Promise<Evaluation> {
  const ckpt =
    (await loadCheckpoint(`${opts.runDir}/checkpoints`, 'best')) ??
    (await loadCheckpoint(`${opts.runDir}/checkpoints`, 'last'));
  if (!ckpt) throw new Error('the run left no checkpoint');
  const meta = ckpt.state.meta;
  const norm = meta.normalization as { mean: number[]; std: number[] };
  const tn = meta.target_normalization;
  if (!Array.isArray(norm.mean) || !tn || meta.features.kind !== 'table') {
    throw new Error('the checkpoint is not a table regressor');
  }
  const model: RegressionModel = {
    format: 'assay-mlp-regressor',
    version: 1,
    feature_names: meta.features.columns,
    target_name: meta.features.target,
    x_mean: norm.mean,
    x_std: norm.std,
    y_mean: tn.mean,
    y_std: tn.std,
    layers: layersFromWeights(ckpt.weights),
    run_id: opts.runId,
  };
  const { table: t, rows } = await opts.split;
  const cols = t.featureNames.length;
  // The trainer fitted its standardiser on these train rows; a mismatch means another table.
  const check = fitStandardizer(t.x, cols, rows.train);
  if (
    Math.abs((check.mean[0] as number) - (norm.mean[0] as number)) >
    1e-3 * ((norm.std[0] as number) + 1)
  ) {
    throw new Error('the stored table is not the one this run trained on');
  }
  const actual: number[] = [];
  const predicted: number[] = [];
  for (const r of rows.test) {
    actual.push(t.y[r] as number);
    predicted.push(predictOne(model, Array.from(t.x.subarray(r * cols, (r + 1) * cols))));
  }
  const mse =
    actual.reduce((s, a, i) => s + (a - (predicted[i] as number)) ** 2, 0) /
    Math.max(1, actual.length);
  return { model, mse, r2: r2Score(actual, predicted), actual, predicted };
}
