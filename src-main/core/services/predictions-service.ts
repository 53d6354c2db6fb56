import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { OperationHandlers } from '../../../src-shared/contract/operations.js';
import type {
  ImportModelFields,
  ModelInfo,
  Prediction,
  RunPrediction,
  TableRow,
} from '../../../src-shared/contract/predict.js';
import { infoOf, inputFor, kindOf, type Materialised } from './predict-input.js';
import { AppError, notFound } from '../errors.js';
import {
  createPredictService,
  FileModelRegistry,
  type ModelVersion,
  SessionCache,
} from '../engine/runtime/index.js';
import { type CheckpointName, recoverCheckpointDir } from '../engine/trainer/checkpoint-dir.js';
import { stagingPath } from '../workspace/import/staging.js';
import { requireProject, type ServiceContext } from './context.js';
import { TrainedModels } from './predict-models.js';
import { runDirOf } from './training-data.js';

/** The largest image or sound a single prediction takes (a few minutes of 48 kHz stereo WAV). */
export const PREDICT_MAX_FILE_BYTES = 64 * 1024 ** 2;

/** One item, as an adapter hands it over. */
export type PredictSample =
  /** A file an adapter staged under the workspace's tmp folder: core deletes it when done. */
  | { readonly kind: 'staged'; readonly path: string; readonly filename: string }
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array; readonly filename: string }
  | { readonly kind: 'row'; readonly row: TableRow };

export interface PredictTarget {
  readonly project_id: string;
  readonly run_id: string;
  readonly checkpoint: CheckpointName;
}

export interface PredictionsService {
  readonly ops: Pick<OperationHandlers, 'prepareRunModel' | 'listModels' | 'deleteModel'>;
  readonly maxFileBytes: number;
  /** A completed run's checkpoint on one item: 404 unknown, 409 not completed, 415 wrong media. */
  predictRun(target: PredictTarget, sample: PredictSample): Promise<RunPrediction>;
  /** An imported model on one item. */
  predictModel(modelId: string, sample: PredictSample): Promise<Prediction>;
  /** Takes a staged ONNX file over (deleted afterwards, kept or refused): 415 not ONNX, 422 unloadable. */
  importModel(
    staged: { readonly path: string; readonly filename: string },
    fields: ImportModelFields,
  ): Promise<ModelInfo>;
  /** onnxruntime sessions open now. */
  modelsLoaded(): number;
  close(): Promise<void>;
}

/**
 * The one prediction path of the workstation: run checkpoints are exported to ONNX once
 * (parity-checked, cached in the run's folder), imported models live in `<ws>/models/`, and both
 * are served from one session cache, whose open sessions are what `/health` counts.
 */
export function createPredictionsService(
  ctx: ServiceContext,
  opts: { readonly sessions?: SessionCache } = {},
): PredictionsService {
  const sessions = opts.sessions ?? new SessionCache({ capacity: 8 });
  const imported = new FileModelRegistry(path.join(ctx.layout.root, 'models'), {
    now: ctx.now,
    maxImportBytes: ctx.limits.maxUploadBytes,
  });
  const recovered = imported.recover();
  const trained = new TrainedModels();
  // Never more than an upload may carry.
  const maxFileBytes = Math.min(PREDICT_MAX_FILE_BYTES, ctx.limits.maxUploadBytes);
  /**
   * Open sessions whose model file still exists: a deleted run takes its exports with it, and
   * its session is closed here rather than counted.
   */
  const open = (): ReturnType<SessionCache['loaded']> => {
    const all = sessions.loaded();
    const gone = all.filter((s) => !existsSync(s.onnx_path));
    for (const s of gone) void sessions.evict(s.id);
    return gone.length === 0 ? all : all.filter((s) => !gone.includes(s));
  };
  const isLoaded = (id: string): boolean => open().some((s) => s.id === id);

  /** Bytes become a staged file; the file is always deleted afterwards. */
  async function withItem<T>(
    sample: PredictSample,
    fn: (item: Materialised) => Promise<T>,
  ): Promise<T> {
    if (sample.kind === 'row') return fn(sample);
    let file = sample.kind === 'staged' ? sample.path : '';
    try {
      if (sample.kind === 'bytes') {
        if (sample.bytes.byteLength > maxFileBytes) {
          throw new AppError(
            'payload_too_large',
            `a prediction takes files up to ${maxFileBytes} bytes`,
          );
        }
        if (sample.bytes.byteLength === 0)
          throw new AppError('bad_request', `${sample.filename} is empty`);
        file = stagingPath(ctx.layout.tmpDir, sample.filename);
        await writeFile(file, sample.bytes, { flag: 'wx' });
      }
      return await fn({ kind: 'file', path: file, filename: sample.filename });
    } catch (err) {
      // Messages name the client's file, never the staging name.
      if (err instanceof AppError && file !== '') {
        throw new AppError(
          err.code,
          err.message.split(path.basename(file)).join(sample.filename),
          err.details,
        );
      }
      throw err;
    } finally {
      if (file !== '') await rm(file, { force: true }).catch(() => undefined);
    }
  }

  async function predictWith(
    registry: FileModelRegistry,
    version: ModelVersion,
    item: Materialised,
    started: number,
    exported: boolean,
  ): Promise<Prediction> {
    const input = await inputFor(version, item);
    const firstUse = exported || !isLoaded(version.id);
    // Opened first, so that time_ms is this item's features and inference only.
    if (firstUse) await sessions.use(version, async () => undefined);
    const t0 = performance.now();
    const [p] = await createPredictService({ registry, sessions }).predict(version.id, [input]);
    const t1 = performance.now();
    const output = [...(p?.output ?? [])];
    const kind = kindOf(version);
    const probabilities =
      kind === 'classification'
        ? output
            .map((probability, index) => ({
              label: version.classes[index] ?? `class ${index}`,
              index,
              probability,
            }))
            .sort((a, b) => b.probability - a.probability || a.index - b.index)
        : [];
    return {
      model_id: version.id,
      kind,
      top: probabilities[0] ?? null,
      probabilities,
      value: kind === 'regression' ? (p?.value ?? null) : null,
      output,
      time_ms: t1 - t0,
      total_ms: t1 - started,
      first_use: firstUse,
    };
  }

  /** A completed run's served model: 404 unknown, 409 not completed, 422 no checkpoint. */
  async function runModel(target: PredictTarget) {
    const project = requireProject(ctx, target.project_id);
    const run = ctx.store.runs.get(project.id, target.run_id);
    if (!run) throw notFound(`run ${target.run_id}`);
    if (run.status !== 'completed') {
      throw new AppError(
        'conflict',
        `run ${run.id} is ${run.status}: predictions need a completed run`,
      );
    }
    const runDir = runDirOf(ctx, project.id, run.id);
    const dir = await recoverCheckpointDir(path.join(runDir, 'checkpoints'), target.checkpoint);
    if (!dir)
      throw new AppError('unprocessable', `run ${run.id} has no ${target.checkpoint} checkpoint`);
    const { version, exported } = await trained.versionOf(run.id, runDir, dir, target.checkpoint);
    return { project, run, runDir, version, exported };
  }

  return {
    maxFileBytes,
    modelsLoaded: () => open().length,

    async predictRun(target, sample) {
      const started = performance.now();
      return withItem(sample, async (item) => {
        const { project, run, runDir, version, exported } = await runModel(target);
        const p = await predictWith(
          TrainedModels.registryOf(runDir),
          version,
          item,
          started,
          exported,
        );
        return {
          ...p,
          project_id: project.id,
          run_id: run.id,
          checkpoint: target.checkpoint,
          task: project.task,
        };
      });
    },

    async predictModel(modelId, sample) {
      const started = performance.now();
      await recovered;
      return withItem(sample, async (item) =>
        predictWith(imported, await imported.get(modelId), item, started, false),
      );
    },

    async importModel(staged, fields) {
      await recovered;
      try {
        const v = await imported.importOnnx(staged.path, {
          name: fields.name ?? staged.filename,
          ...(fields.kind ? { kind: fields.kind } : {}),
          ...(fields.classes ? { classes: fields.classes } : {}),
        });
        return infoOf(v, false);
      } finally {
        await rm(staged.path, { force: true }).catch(() => undefined);
      }
    },

    ops: {
      async prepareRunModel(input) {
        const { version } = await runModel(input);
        // Opening the session is the rest of a first call's wait.
        await sessions.use(version, async () => undefined);
        return infoOf(version, isLoaded(version.id));
      },
      async listModels() {
        await recovered;
        const own = await imported.list();
        const ids = new Set(own.map((v) => v.id));
        const trainedOpen: ModelVersion[] = [];
        const live = open();
        for (const s of live) {
          if (ids.has(s.id)) continue;
          // A run's export: its registry is the folder above the model's own.
          const v = await new FileModelRegistry(path.dirname(path.dirname(s.onnx_path)))
            .get(s.id)
            .catch(() => null);
          if (v) trainedOpen.push(v);
        }
        return {
          models_loaded: live.length,
          models: [...own, ...trainedOpen].map((v) => infoOf(v, isLoaded(v.id))),
        };
      },
      async deleteModel(input) {
        await recovered;
        await imported.get(input.model_id);
        await sessions.evict(input.model_id);
        await imported.remove(input.model_id);
        return { deleted: true as const, id: input.model_id };
      },
    },

    async close() {
      await trained.idle();
      await sessions.close();
    },
  };
}
