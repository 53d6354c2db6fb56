import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import type { Job, PlatformHandlers, RunEvent } from '../../../src-shared/contract/index.js';
import {
  type RegressionDatasetInfo,
  type RegressionModelInfo,
  type RegressionState,
  type RegressionTrainInput,
  type RegressionTrainResponse,
  type RegressionUploadResponse,
} from '../../../src-shared/contract/regression.js';
import { AppError } from '../errors.js';
import type { JobControl, JobRunner } from '../jobs/job-runner.js';
import type { ServiceContext } from '../services/context.js';
import { defaultProjectBinding } from '../services/default-project.js';
import type { StagedFile } from '../workspace/import-types.js';
import { decodeModel, predictOne, type RegressionModel } from './model-file.js';
import { REGRESSION_EVALUATE_TASK, trainOnProject } from './regression-train.js';
import {
  checkUpload,
  clearDir,
  csvStagingPath,
  listDir,
  replaceDataset,
  requireStaged,
} from './regression-upload.js';

export { regressionTrainingJobKind } from './regression-train.js';

const FAMILY = 'tabular-regression';
export const OUTPUT_FILES = ['model.pkl', 'learning_curve.png', 'predictions_plot.png'] as const;

export interface RegressionDeps {
  readonly ops: PlatformHandlers;
  readonly jobs: JobRunner;
  importStaged(projectId: string, files: readonly StagedFile[]): Promise<{ job_id: string }>;
  onJob(jobId: string, listener: (job: Job) => void): () => void;
  onRun(runId: string, listener: (e: RunEvent) => void): () => void;
}

export interface RegressionService {
  /** The family's project, or null while it was never written to (reads create nothing). */
  projectId(): string | null;
  /**
   * `path`: the upload staged in the workspace's tmp folder. The service owns it from the call:
   * it is moved under the project's uploads/ when accepted and deleted otherwise.
   */
  upload(file: {
    path: string;
    filename: string;
    targetColumn: string | null;
  }): Promise<RegressionUploadResponse>;
  train(input: z.output<typeof RegressionTrainInput>): Promise<RegressionTrainResponse>;
  predict(input: {
    inputs: readonly number[];
  }): Promise<{ status: 'success'; inputs: number[]; prediction: number }>;
  reset(): Promise<{ uploads: string[]; outputs: string[] }>;
  state(): Promise<RegressionState>;
  /** Re-binds the family to another regression project (DESIGN §5: re-bindable in settings). */
  bindProject(projectId: string): Promise<RegressionState>;
  /** Absolute path of an output file by its fixed name, or null. */
  outputPath(name: string): Promise<string | null>;
}

interface Settings {
  readonly dataset?: RegressionDatasetInfo;
  readonly model?: RegressionModelInfo;
}

const bad = (message: string): AppError => new AppError('bad_request', message);
export function createRegressionService(
  ctx: ServiceContext,
  deps: RegressionDeps,
): RegressionService {
  let chain: Promise<unknown> = Promise.resolve();
  /** Upload, train and reset one at a time: each replaces what the others read. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };
  let training: RegressionState['training'] = null;
  /** The `/train` in progress: `/reset` cancels it instead of waiting behind it. */
  let trainingJob: {
    control: JobControl;
    cancel(reason: string): void;
    runId: string | null;
  } | null = null;

  const binding = defaultProjectBinding(ctx, {
    family: FAMILY,
    name: 'Tabular regression',
    task: 'regression',
    createProject: (input) => deps.ops.createProject(input),
  });
  const settingsOf = (id: string): Settings =>
    (ctx.store.projects.settings(id)?.regression as Settings | undefined) ?? {};
  function setSettings(id: string, patch: Record<string, unknown>): void {
    const cur = ctx.store.projects.settings(id) ?? {};
    ctx.store.projects.setSettings(id, { ...cur, ...patch }, ctx.now().toISOString());
  }
  const setRegression = (id: string, s: Settings): void => setSettings(id, { regression: s });
  const dirs = (id: string) => {
    const root = path.join(ctx.layout.projectDir(id), 'regression');
    return { uploads: path.join(root, 'uploads'), outputs: path.join(root, 'outputs') };
  };
  let cachedModel: { runId: string; model: RegressionModel } | null = null;

  return {
    projectId: binding.current,

    upload: async ({ path: given, filename, targetColumn }) => {
      const staged = requireStaged(ctx, given);
      const csvPath = await csvStagingPath(ctx);
      try {
        // Read and checked before taking the lock: a refused file never waits behind a training,
        // and nothing of the project is touched until it is accepted.
        const checked = await checkUpload(ctx, staged, targetColumn, csvPath);
        return await exclusive(async () => {
          const id = await binding.ensure();
          const previous = settingsOf(id);
          const info = await replaceDataset(
            ctx,
            deps,
            id,
            dirs(id),
            { ...checked, staged, filename },
            {
              oldTableName: previous.dataset
                ? `${previous.dataset.filename.replace(/\.[^.]*$/, '')}.csv`
                : null,
              // Once a file is accepted, the old dataset and model go (and come back if it fails).
              onDrop: () => {
                setRegression(id, {});
                cachedModel = null;
              },
              onRestore: () => setRegression(id, previous),
            },
          );
          setRegression(id, { dataset: info });
          // A /train usually follows: its scoring step then finds the task thread up.
          deps.jobs.warmTasks([REGRESSION_EVALUATE_TASK]);
          const noun = info.format === 'pickle' ? 'Pickle' : checked.label;
          return {
            status: 'success' as const,
            message: `${noun} dataset uploaded, stored, and preprocessed`,
            filename: info.filename,
            num_points: info.num_points,
            num_features: info.num_features,
            target_range: info.target_range,
            train_size: info.train_size,
            val_size: info.val_size,
            test_size: info.test_size,
          };
        });
      } finally {
        // Ours from the start: moved under uploads/ on success, deleted otherwise.
        await rm(staged, { force: true });
        await rm(csvPath, { force: true });
      }
    },

    train: (input) =>
      exclusive(async () => {
        const id = binding.current();
        const s = id === null ? {} : settingsOf(id);
        if (id === null || !s.dataset) throw bad('Training failed. No preprocessed dataset found.');
        const parsed = { data: input };
        const out = dirs(id).outputs;
        const epochs = parsed.data.epochs;
        training = { run_id: null, epoch: 0, epochs, eta_seconds: null };
        let cancelled: string | null = null;
        const job: NonNullable<typeof trainingJob> = {
          runId: null,
          control: deps.jobs.open('regression-training', {
            projectId: id,
            total: epochs,
            message: 'starting',
            cancel: () => job.cancel('the job was cancelled'),
          }),
          cancel(reason) {
            cancelled ??= reason;
            if (job.runId)
              void deps.ops.stopRun({ project_id: id, run_id: job.runId }).catch(() => undefined);
          },
        };
        trainingJob = job;
        job.control.start('training');
        try {
          const result = await trainOnProject(ctx, deps, {
            projectId: id,
            input: parsed.data,
            outputs: out,
            cancelled: () => cancelled !== null,
            onProgress: (runId, epoch, eta) => {
              if (job.runId === null) {
                job.runId = runId;
                if (cancelled) job.cancel(cancelled);
              }
              training = {
                run_id: runId,
                epoch,
                epochs,
                eta_seconds: eta === undefined ? (training?.eta_seconds ?? null) : eta,
              };
              job.control.progress({
                done: epoch,
                total: epochs,
                eta_seconds: training.eta_seconds,
              });
            },
          });
          setRegression(id, { dataset: s.dataset, model: result.info });
          cachedModel = { runId: result.info.run_id, model: result.evaluation.model };
          job.control.finish('completed', {
            message: `trained for ${epochs} epochs`,
            result: { run_id: result.info.run_id, mse: result.info.mse, r2: result.info.r2 },
          });
          return {
            status: 'success',
            message: `Model trained for ${epochs} epochs`,
            mse: result.info.mse,
            r2: result.info.r2,
            train_size: s.dataset.train_size,
            val_size: s.dataset.val_size,
            test_size: s.dataset.test_size,
            model_path: '/outputs/model.pkl',
            training_time_seconds: result.info.training_time_seconds,
            learning_curve_url: '/outputs/learning_curve.png',
            predictions_plot_url: '/outputs/predictions_plot.png',
          };
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          job.control.finish(cancelled ? 'cancelled' : 'failed', {
            message: cancelled ? `cancelled: ${cancelled}` : message,
            error: cancelled ? null : message,
            result: { run_id: job.runId },
          });
          if (cancelled) {
            throw new AppError('conflict', `Training cancelled: ${cancelled}`);
          }
          throw err;
        } finally {
          training = null;
          if (trainingJob === job) trainingJob = null;
        }
      }),

    async predict({ inputs }) {
      const id = binding.current();
      const s = id === null ? {} : settingsOf(id);
      const noModel = bad(
        'No trained model found. Please train the model first via /train endpoint.',
      );
      if (id === null || !s.model) throw noModel;
      if (!inputs.every((v) => Number.isFinite(v))) {
        throw bad('Prediction failed: "inputs" must be a list of finite numbers');
      }
      if (cachedModel?.runId !== s.model.run_id) {
        let bytes: Buffer;
        try {
          bytes = await readFile(path.join(dirs(id).outputs, 'model.pkl'));
        } catch {
          throw noModel;
        }
        cachedModel = { runId: s.model.run_id, model: decodeModel(bytes) };
      }
      const m = cachedModel.model;
      if (inputs.length !== m.feature_names.length) {
        throw bad(
          `Prediction failed: expected ${m.feature_names.length} input values (${m.feature_names.join(', ')}), got ${inputs.length}`,
        );
      }
      const xs = [...inputs];
      return { status: 'success', inputs: xs, prediction: predictOne(m, xs) };
    },

    // A training in progress is cancelled, not waited for: its run stops at the next batch.
    reset: () => {
      trainingJob?.cancel('the dataset was reset');
      return exclusive(async () => {
        const id = binding.current();
        // Never used: nothing to remove, and nothing is created to find that out.
        if (id === null) return { uploads: [], outputs: [] };
        const d = dirs(id);
        const uploads = await clearDir(d.uploads);
        const outputs = await clearDir(d.outputs);
        await deps.ops.clearDataset({ project_id: id });
        // The trained models go too: every experiment /train made, with its runs and checkpoints.
        for (const exp of await deps.ops.listExperiments({ project_id: id })) {
          await deps.ops.deleteExperiment({ project_id: id, exp_id: exp.id });
        }
        setRegression(id, {});
        cachedModel = null;
        return { uploads, outputs };
      });
    },

    async state() {
      const id = binding.current();
      if (id === null) return { project_id: null, dataset: null, model: null, training };
      const s = settingsOf(id);
      return { project_id: id, dataset: s.dataset ?? null, model: s.model ?? null, training };
    },

    bindProject: (target) =>
      exclusive(async () => {
        binding.bind(target);
        cachedModel = null;
        const s = settingsOf(target);
        return { project_id: target, dataset: s.dataset ?? null, model: s.model ?? null, training };
      }),

    async outputPath(name) {
      if (!(OUTPUT_FILES as readonly string[]).includes(name)) return null;
      const id = binding.current();
      if (id === null) return null;
      const out = dirs(id).outputs;
      return (await listDir(out)).includes(name) ? path.join(out, name) : null;
    },
  };
}
