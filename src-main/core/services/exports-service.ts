import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Export, ExportFormat } from '../../../src-shared/contract/export.js';
import type { OperationHandlers } from '../../../src-shared/contract/operations.js';
import { AppError, notFound } from '../errors.js';
import { readCheckpointFiles } from '../engine/export/checkpoint-model.js';
import { EXPORT_FORMATS, createExportPackage } from '../engine/export/export-package.js';
import { resolveOnnxOptions } from '../engine/export/onnx/options.js';
import { recoverCheckpointDir } from '../engine/trainer/checkpoint-dir.js';
import type { ExportRecord } from '../store/index.js';
import { nowIso, requireProject, type ServiceContext } from './context.js';
import { runDirOf } from './training-data.js';

type ExportOps = Pick<
  OperationHandlers,
  'listExportFormats' | 'listExports' | 'createExport' | 'getExport' | 'deleteExport'
>;

export interface ExportsService {
  readonly ops: ExportOps;
  /** The completed export's ZIP and its download name; 404 unknown, 409 not completed. */
  resolveExport(projectId: string, exportId: string): { path: string; filename: string };
  /** Resolves when no export is queued or running. */
  idle(): Promise<void>;
}

export const INTERRUPTED_EXPORT = 'the app stopped while this export was being written';

const FORMATS: readonly ExportFormat[] = [
  {
    name: 'onnx',
    description:
      'ONNX (float32, NCHW input named "input", output "output"), written by Assay from the trained layer graph',
    files: ['model.onnx', 'metadata.json', 'README.md'],
    options: {
      opset_version: { description: 'ONNX opset, 13–17', default: 17 },
      input_shape: {
        description: '[N, C, H, W] (or [N, F]); must match the model; N null for a dynamic batch',
        default: null,
      },
      dynamic_axes: {
        description: 'e.g. {"input": {"0": "batch_size"}, "output": {"0": "batch_size"}}',
        default: null,
      },
      simplify: {
        description: 'fold batch norm into convolutions, drop dropout, fold constants',
        default: false,
      },
    },
  },
  {
    name: 'tfjs',
    description: 'TensorFlow.js layers format (tf.loadLayersModel)',
    files: ['model/model.json', 'model/weights.bin', 'metadata.json', 'README.md'],
    options: {},
  },
];

function newExportId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `xpt-${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

const downloadName = (r: ExportRecord): string => `${r.runId}-${r.checkpoint}-${r.format}.zip`;

function view(r: ExportRecord): Export {
  return {
    export_id: r.id,
    project_id: r.projectId,
    experiment_id: r.experimentId,
    run_id: r.runId,
    checkpoint: r.checkpoint,
    format: r.format as Export['format'],
    options: { ...r.options },
    status: r.status,
    message: r.message,
    size_bytes: r.sizeBytes,
    filename: downloadName(r),
    download_url: r.status === 'completed' ? `/api/export/${r.projectId}/${r.id}/download` : null,
    created_at: r.createdAt,
    finished_at: r.finishedAt,
  };
}

/**
 * Section 6: exports run one at a time after the request returns. Everything that can be judged
 * up front is refused synchronously (unknown format, bad options, options contradicting the
 * model, no such run or checkpoint); the ZIP is written atomically, so a failed export leaves
 * no file.
 */
export function createExportsService(ctx: ServiceContext): ExportsService {
  const { store } = ctx;
  let tail: Promise<void> = Promise.resolve();
  const zipPath = (r: Pick<ExportRecord, 'projectId' | 'id'>): string =>
    path.join(ctx.layout.projectDir(r.projectId), 'exports', `${r.id}.zip`);
  const require = (projectId: string, id: string): ExportRecord => {
    requireProject(ctx, projectId);
    const rec = store.exports.get(projectId, id);
    if (!rec) throw notFound(`export ${id}`);
    return rec;
  };

  const work = async (rec: ExportRecord, checkpointDir: string): Promise<void> => {
    if (!store.exports.get(rec.projectId, rec.id)) return; // deleted while queued
    store.exports.update(rec.id, { status: 'running' });
    try {
      const out = zipPath(rec);
      await mkdir(path.dirname(out), { recursive: true });
      const res = await createExportPackage({
        checkpointDir,
        format: rec.format,
        options: rec.options,
        outFile: out,
        now: ctx.now,
      });
      store.exports.update(rec.id, {
        status: 'completed',
        sizeBytes: res.bytes,
        finishedAt: nowIso(ctx),
      });
    } catch (err) {
      ctx.logger.warn({ err, exportId: rec.id }, 'export failed');
      store.exports.update(rec.id, {
        status: 'failed',
        message: err instanceof AppError ? err.message : 'the export could not be written',
        finishedAt: nowIso(ctx),
      });
    }
  };

  const ops: ExportOps = {
    listExportFormats: () => Promise.resolve(FORMATS.map((f) => ({ ...f }))),
    listExports: (input) => {
      requireProject(ctx, input.project_id);
      return Promise.resolve(store.exports.list(input.project_id).map(view));
    },
    getExport: (input) => Promise.resolve(view(require(input.project_id, input.export_id))),
    async createExport(input) {
      requireProject(ctx, input.project_id);
      const format = input.format;
      if (!(EXPORT_FORMATS as readonly string[]).includes(format)) {
        throw new AppError(
          'bad_request',
          `unknown export format "${format}": choose one of ${EXPORT_FORMATS.join(', ')}`,
        );
      }
      const experiment = store.experiments.get(input.project_id, input.experiment_id);
      if (!experiment) throw notFound(`experiment ${input.experiment_id}`);
      const run = store.runs.get(input.project_id, input.run_id);
      if (!run || run.experimentId !== experiment.id) {
        throw notFound(`run ${input.run_id} of experiment ${experiment.id}`);
      }
      const root = path.join(runDirOf(ctx, run.projectId, run.id), 'checkpoints');
      const checkpointDir = await recoverCheckpointDir(root, input.checkpoint);
      if (!checkpointDir) {
        throw new AppError(
          'unprocessable',
          `run ${run.id} has no ${input.checkpoint} checkpoint yet (it has not finished an epoch)`,
        );
      }
      const options = input.options ?? {};
      if (format === 'onnx') {
        const { meta } = await readCheckpointFiles(checkpointDir);
        resolveOnnxOptions(options, meta.input_shape);
      } else if (Object.keys(options).length > 0) {
        throw new AppError('bad_request', `the tfjs format takes no options`);
      }
      const rec: ExportRecord = {
        id: newExportId((id) => store.exports.exists(id)),
        projectId: input.project_id,
        experimentId: experiment.id,
        runId: run.id,
        checkpoint: input.checkpoint,
        format,
        options,
        status: 'pending',
        message: null,
        sizeBytes: null,
        createdAt: nowIso(ctx),
        finishedAt: null,
      };
      store.exports.insert(rec);
      tail = tail.then(() => work(rec, checkpointDir));
      return view(rec);
    },
    async deleteExport(input) {
      const rec = require(input.project_id, input.export_id);
      if (rec.status === 'pending' || rec.status === 'running') {
        throw new AppError('conflict', `export ${rec.id} is still ${rec.status}`);
      }
      store.exports.delete(rec.id);
      await rm(zipPath(rec), { force: true });
      return { deleted: true as const, id: rec.id };
    },
  };

  return {
    ops,
    resolveExport(projectId, exportId) {
      const rec = require(projectId, exportId);
      if (rec.status !== 'completed') {
        throw new AppError('conflict', `export ${rec.id} is ${rec.status}, not ready to download`);
      }
      return { path: zipPath(rec), filename: downloadName(rec) };
    },
    idle: () => tail,
  };
}
