import path from 'node:path';
import type { Run } from '../../../src-shared/contract/index.js';
import type { RegressionModelInfo } from '../../../src-shared/contract/regression.js';
import { AppError } from '../errors.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { ServiceContext } from '../services/context.js';
import { runDirOf } from '../services/training-data.js';
import { writeFileAtomic } from '../workspace/atomic-write.js';
import { safeJoin } from '../workspace/layout.js';
import { encodeModel } from './model-file.js';
import { learningCurveSvg, predictionsSvg, svgToPng } from './charts.js';
import type { RegressionEvaluateInput } from '../jobs/tasks/regression-evaluate-task.js';
import type { Evaluation } from './regression-evaluate.js';
import type { RegressionDeps } from './regression-service.js';

/**
 * The `regression-training` job kind: one `/train` call, driven here over a training run (the
 * trainer thread) and then the test score and the plots. Cancel (a `/reset`) stops the run; the
 * model file and plots are written only after a run completes, each atomically, so a cancelled or
 * crashed training leaves the previous outputs or none.
 */
export const regressionTrainingJobKind: JobKindDecl = {
  kind: 'regression-training',
  execution: { thread: 'driven', by: 'a training run on the trainer thread' },
  resumable: false,
  progressUnit: 'epochs',
  cancel: 'graceful',
  crash: { after: 'interrupted', message: 'interrupted: the app stopped during this training' },
};

/** The task module that scores a finished run on the test rows (jobs/tasks/). */
export const REGRESSION_EVALUATE_TASK = 'regression-evaluate-task';

const TERMINAL = new Set<Run['status']>(['completed', 'failed', 'stopped', 'interrupted']);

/** Settles with the run once it ends, from its events (and one read, in case it already has). */
function waitRun(
  deps: RegressionDeps,
  projectId: string,
  runId: string,
  onEpoch: (epoch: number, etaSeconds: number | null | undefined) => void,
): Promise<Run> {
  return new Promise((resolve, reject) => {
    let off: (() => void) | null = null;
    let settled = false;
    const done = (run: Run): void => {
      if (settled || !TERMINAL.has(run.status)) return;
      settled = true;
      off?.();
      resolve(run);
    };
    off = deps.onRun(runId, (e) => {
      if (e.type === 'status') done(e.run);
      else if (e.type === 'epoch') onEpoch(e.metrics.epoch, undefined);
      else if (e.type === 'progress') onEpoch(e.progress.epoch, e.progress.eta_seconds);
    });
    deps.ops.getRun({ project_id: projectId, run_id: runId }).then(done, (err: unknown) => {
      settled = true;
      off?.();
      reject(err instanceof Error ? err : new Error(String(err)));
    });
  });
}

export interface TrainResult {
  readonly evaluation: Evaluation;
  readonly info: RegressionModelInfo;
}

/**
 * One training of the family's project through the shared engine: an experiment (mlp with the
 * given layers, Adam at the given rate, every epoch run: no early stopping) and a run in the
 * trainer's worker, then the test-part score, the model file and the two plots.
 */
export async function trainOnProject(
  ctx: ServiceContext,
  deps: RegressionDeps,
  opts: {
    readonly projectId: string;
    readonly input: {
      epochs: number;
      learning_rate: number;
      hidden_layers: number[];
      batch_size: number;
    };
    readonly outputs: string;
    /** True once the training is cancelled: nothing more is written. */
    readonly cancelled: () => boolean;
    /** `etaSeconds` undefined: unchanged since the last report. */
    readonly onProgress: (runId: string, epoch: number, etaSeconds?: number | null) => void;
  },
): Promise<TrainResult> {
  const { projectId, input } = opts;
  const split = ctx.store.splits.list(projectId)[0];
  const table = split
    ? ctx.store.trainingSources.list(projectId, split.id).find((s) => s.mediaKind === 'table')
    : undefined;
  if (!split || !table)
    throw new AppError('bad_request', 'Training failed. No preprocessed dataset found.');

  let exp;
  try {
    exp = await deps.ops.createExperiment({
      project_id: projectId,
      name: `regression ${input.hidden_layers.join('-')} lr=${input.learning_rate} ×${input.epochs}`,
      split_index: split.index,
      config: {
        architecture: 'mlp',
        hidden_layers: input.hidden_layers,
        epochs: input.epochs,
        batch_size: input.batch_size,
        optimizer: { name: 'adam', learning_rate: input.learning_rate },
        early_stopping: { enabled: false },
        best_metric: 'val_loss',
      },
    });
  } catch (err) {
    throw new AppError('bad_request', `Training failed: ${(err as Error).message}`);
  }
  const started = await deps.ops.startRun({ project_id: projectId, exp_id: exp.id });
  opts.onProgress(started.run_id, 0, null);
  const run = await waitRun(deps, projectId, started.run_id, (e, eta) =>
    opts.onProgress(started.run_id, e, eta),
  );
  if (opts.cancelled()) throw new AppError('conflict', 'Training cancelled');
  if (run.status !== 'completed') {
    throw new AppError(
      'internal',
      `Training failed: ${run.message ?? `the run ended ${run.status}`}`,
    );
  }
  const history = run.metrics.history.map((m) => ({
    epoch: m.epoch,
    loss: m.loss,
    val_loss: typeof m.val_loss === 'number' ? m.val_loss : null,
  }));
  // The run's wall time on the trainer (data preparation, every epoch, its checkpoints), not
  // only the sum of the epochs' compute: what the request waited for the training itself.
  const computed = run.metrics.history.reduce((s, m) => s + m.duration_seconds, 0);
  const wall =
    run.started_at && run.finished_at
      ? (Date.parse(run.finished_at) - Date.parse(run.started_at)) / 1000
      : 0;
  const seconds = Math.max(computed, wall);
  const plot = async (name: string, svg: string): Promise<void> =>
    writeFileAtomic(path.join(opts.outputs, name), await svgToPng(svg));
  // The learning curve needs only the history: it is drawn (sharp works off this thread) while
  // the test part is scored, then the predictions plot.
  const curve = plot(
    'learning_curve.png',
    learningCurveSvg(
      history.map((h) => h.loss),
      history.map((h) => h.val_loss),
    ),
  );
  let evaluation: Evaluation;
  try {
    // On the task thread: loading the checkpoint loads tfjs, which the main thread never does.
    const step: RegressionEvaluateInput = {
      runDir: runDirOf(ctx, projectId, run.run_id),
      runId: run.run_id,
      table: safeJoin(ctx.layout.projectDir(projectId), table.blobPath),
      ratios: { ...split.ratios },
      seed: split.seed,
    };
    evaluation = await deps.jobs.execute<Evaluation>(REGRESSION_EVALUATE_TASK, step);
  } catch (err) {
    await curve.catch(() => undefined);
    throw new AppError('internal', `Training failed: ${(err as Error).message}`);
  }
  if (opts.cancelled()) {
    await curve.catch(() => undefined);
    throw new AppError('conflict', 'Training cancelled');
  }
  // The model file and the second plot are written side by side.
  await Promise.all([
    curve,
    writeFileAtomic(path.join(opts.outputs, 'model.pkl'), encodeModel(evaluation.model)),
    plot(
      'predictions_plot.png',
      predictionsSvg(evaluation.actual, evaluation.predicted, evaluation.r2),
    ),
  ]);
  return {
    evaluation,
    info: {
      run_id: run.run_id,
      epochs: input.epochs,
      learning_rate: input.learning_rate,
      hidden_layers: input.hidden_layers,
      mse: evaluation.mse,
      r2: evaluation.r2,
      training_time_seconds: Math.round(seconds * 1000) / 1000,
      history,
      test_actual: evaluation.actual,
      test_predicted: evaluation.predicted,
    },
  };
}
