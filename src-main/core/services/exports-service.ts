import { randomBytes } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type {
  Export,
  ExportDownloadFile,
  ExportFormat,
} from '../../../src-shared/contract/export.js';
import type { FileReply } from '../../../src-shared/contract/operation.js';
import type { JobOutcome } from '../../../src-shared/contract/jobs.js';
import type { OperationHandlers } from '../../../src-shared/contract/operations.js';
import { AppError, notFound } from '../errors.js';
import { readCheckpointFiles } from '../engine/export/checkpoint-files.js';
import { resolveOnnxOptions } from '../engine/export/onnx/options.js';
import { recoverCheckpointDir } from '../engine/trainer/checkpoint-dir.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { ExportTaskInput, ExportTaskResult } from '../jobs/tasks/export-task.js';
import type { ExportRecord } from '../store/index.js';
import { exportModelFile, isModelFileOf, modelPathOf } from './export-model-file.js';
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
  /** The download: the ZIP, or with `file` that one file of it on its own (400 if it has none). */
  download(projectId: string, exportId: string, file?: ExportDownloadFile): Promise<FileReply>;
  /** Resolves when no export is queued or running. */
  idle(): Promise<void>;
}

/** The formats export-package.ts writes (kept here so the main thread never loads that module). */
const EXPORT_FORMATS = ['onnx', 'tfjs'] as const;

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

const zipPathOf = (ctx: ServiceContext, r: Pick<ExportRecord, 'projectId' | 'id'>): string =>
  path.join(ctx.layout.projectDir(r.projectId), 'exports', `${r.id}.zip`);

/**
 * The `export` job kind: a worker thread writes the ZIP atomically; cancel terminates it; after a
 * crash the export is written again from its checkpoint (the rows say `running` until then).
 */
export function exportJobKind(ctx: ServiceContext): JobKindDecl<ExportTaskInput, ExportTaskResult> {
  const { store } = ctx;
  return {
    kind: 'export',
    execution: { thread: 'task', module: 'export-task' },
    resumable: true,
    progressUnit: 'steps',
    cancel: 'abandon',
    crash: { after: 'resume', message: 'resumed: the app stopped while this export was written' },
    // A process killed mid-write leaves its temp file (.<id>.zip.<random>.tmp) beside the ZIP.
    async cleanup(job) {
      const rec = job.subject_id ? store.exports.get(job.project_id, job.subject_id) : undefined;
      if (!rec) return;
      const dir = path.dirname(zipPathOf(ctx, rec));
      const names = await readdir(dir).catch(() => [] as string[]);
      // The ZIP too: a job that did not complete may have renamed it into place just before.
      const left = names.filter(
        (n) =>
          n === `${rec.id}.zip` ||
          (n.startsWith(`.${rec.id}.zip.`) && n.endsWith('.tmp')) ||
          isModelFileOf(rec.id, n),
      );
      await Promise.all(left.map((n) => rm(path.join(dir, n), { force: true })));
    },
    started(job) {
      if (job.subject_id) store.exports.update(job.subject_id, { status: 'running' });
    },
    finished(job, end): JobOutcome | null {
      const id = job.subject_id;
      if (!id) return null;
      if (end.ok) {
        store.exports.update(id, {
          status: 'completed',
          sizeBytes: end.value.bytes,
          finishedAt: nowIso(ctx),
        });
        return { export_id: id, size_bytes: end.value.bytes, thread_id: end.value.thread_id };
      }
      store.exports.update(id, {
        status: 'failed',
        message: end.cancelled ? 'cancelled by the user' : end.error,
        finishedAt: nowIso(ctx),
      });
      return { export_id: id };
    },
  };
}

/**
 * Section 6: exports are jobs of kind `export`, one at a time, each in a worker thread.
 * Everything that can be judged up front is refused synchronously (unknown format, bad options,
 * options contradicting the model, no such run or checkpoint); the ZIP is written atomically,
 * so a failed export leaves no file.
 */
export function createExportsService(ctx: ServiceContext, jobs: JobRunner): ExportsService {
  const { store } = ctx;
  const zipPath = (r: Pick<ExportRecord, 'projectId' | 'id'>): string => zipPathOf(ctx, r);
  const require = (projectId: string, id: string): ExportRecord => {
    requireProject(ctx, projectId);
    const rec = store.exports.get(projectId, id);
    if (!rec) throw notFound(`export ${id}`);
    return rec;
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
      const task: ExportTaskInput = {
        checkpointDir,
        format,
        options,
        outFile: zipPath(rec),
        createdAt: rec.createdAt,
      };
      jobs.submit('export', { projectId: rec.projectId, subjectId: rec.id, input: task });
      return view(rec);
    },
    async deleteExport(input) {
      const rec = require(input.project_id, input.export_id);
      if (rec.status === 'pending' || rec.status === 'running') {
        throw new AppError('conflict', `export ${rec.id} is still ${rec.status}`);
      }
      store.exports.delete(rec.id);
      await rm(zipPath(rec), { force: true });
      await rm(modelPathOf(zipPath(rec)), { force: true });
      return { deleted: true as const, id: rec.id };
    },
  };

  const completed = (projectId: string, exportId: string): ExportRecord => {
    const rec = require(projectId, exportId);
    if (rec.status !== 'completed') {
      throw new AppError('conflict', `export ${rec.id} is ${rec.status}, not ready to download`);
    }
    return rec;
  };

  return {
    ops,
    resolveExport(projectId, exportId) {
      const rec = completed(projectId, exportId);
      return { path: zipPath(rec), filename: downloadName(rec) };
    },
    async download(projectId, exportId, file) {
      const rec = completed(projectId, exportId);
      if (file === undefined) {
        return { path: zipPath(rec), filename: downloadName(rec), content_type: 'application/zip' };
      }
      const bare = await exportModelFile(rec, zipPath(rec), file);
      return { path: bare, filename: file, content_type: 'application/octet-stream' };
    },
    idle: () => jobs.idle(['export']),
  };
}
