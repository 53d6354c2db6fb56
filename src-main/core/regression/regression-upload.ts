import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { importResultOf } from '../../../src-shared/contract/index.js';
import type { RegressionDatasetInfo } from '../../../src-shared/contract/regression.js';
import { AppError } from '../errors.js';
import { refuseWhileTraining, type ServiceContext } from '../services/context.js';
import { safeJoin } from '../workspace/layout.js';
import { subsetSizes } from '../splits/index.js';
import type { RegressionDeps } from './regression-service.js';
import { judgeFormat, type UploadFormat, UploadError } from './table-input.js';
import { prepareTableInWorker, type TableReadLimits } from './table-job.js';
import { fileHead, type PreparedTable } from './table-prepare.js';
import { waitJob } from '../services/wait-job.js';

/** 70/15/15 with a fixed seed (the reference's split: 5000 rows → 3500/750/750). */
export const REGRESSION_RATIOS = { train: 0.7, val: 0.15, test: 0.15 } as const;
export const REGRESSION_SEED = 42;

export const listDir = async (dir: string): Promise<string[]> =>
  (await readdir(dir).catch(() => [])).sort();

/** Empties a folder (creating it), returning the names it held. */
export async function clearDir(dir: string): Promise<string[]> {
  const names = await listDir(dir);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return names;
}

/** Keeps a client's file name readable but never a path: basename, safe characters only. */
const safeName = (name: string): string =>
  (path.basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_') || 'upload').slice(
    0,
    120,
  );

/** Replaces the project's dataset by one canonical CSV (an import job) and a 70/15/15 split. */
async function storeTable(
  ctx: ServiceContext,
  deps: RegressionDeps,
  id: string,
  csvPath: string,
  name: string,
): Promise<void> {
  await deps.ops.clearDataset({ project_id: id });
  // The import job takes the staged CSV over (and deletes it when done).
  const { job_id } = await deps.importStaged(id, [{ tempPath: csvPath, relativePath: name }]);
  const job = await waitJob(deps, job_id);
  const result = importResultOf(job);
  const err = result?.errors[0];
  if (job.status !== 'completed' || (result?.imported ?? 0) + (result?.duplicates ?? 0) === 0) {
    throw new Error(err ? err.message : (job.error ?? `import ${job.status}`));
  }
  // The canonical CSV holds the target last: the trainer's default.
  const { target_column: _drop, ...rest } = ctx.store.projects.settings(id) ?? {};
  ctx.store.projects.setSettings(id, rest, ctx.now().toISOString());
  await deps.ops.createSplit({
    project_id: id,
    name: '70/15/15',
    ratios: { ...REGRESSION_RATIOS },
    seed: REGRESSION_SEED,
    stratify: false,
  });
}

const bad = (message: string): AppError => new AppError('bad_request', message);

const labelOf = (format: UploadFormat): string =>
  format === 'pickle' ? 'pickle' : format === 'csv' ? 'CSV' : `.${format}`;

/** A staged upload checked, with its canonical CSV written and checked beside it. */
export interface CheckedUpload {
  readonly table: PreparedTable;
  readonly label: string;
  readonly csvPath: string;
}

/**
 * Judges a staged upload by its bytes, then reads and checks it in a worker with limits, writing
 * the canonical CSV to `csvPath`. Touches nothing of the project: every refusal happens here,
 * with the reference's words. The caller owns (and removes) both files.
 */
export async function checkUpload(
  ctx: ServiceContext,
  staged: string,
  targetColumn: string | null,
  csvPath: string,
  limits?: TableReadLimits,
): Promise<CheckedUpload> {
  const format = await judgeFormat(await fileHead(staged), staged);
  if (!format) throw bad('Only pickle files (.pkl, .pickle) are allowed.');
  const label = labelOf(format);
  try {
    const table = await prepareTableInWorker(
      { path: staged, format, targetColumn, csvPath, limits: ctx.limits },
      limits,
    );
    return { table, label, csvPath };
  } catch (err) {
    if (!(err instanceof UploadError)) throw err;
    switch (err.stage) {
      case 'invalid_type':
        throw bad('Only pickle files (.pkl, .pickle) are allowed.');
      case 'load':
        throw bad(`Failed to load ${label}: ${err.message}`);
      case 'limit':
        throw new AppError('unprocessable', `Failed to load ${label}: ${err.message}`);
      case 'preprocess':
        throw new AppError('unprocessable', `Data preprocessing failed: ${err.message}`);
    }
  }
}

/** What an accepted upload replaces, kept aside until the new dataset is in place. */
interface Stash {
  /** Puts the old uploads, outputs and dataset back (best effort: it runs after a failure). */
  restore(): Promise<void>;
  discard(): Promise<void>;
}

async function stashOld(
  ctx: ServiceContext,
  deps: RegressionDeps,
  id: string,
  dirs: { readonly uploads: string; readonly outputs: string },
  oldTableName: string | null,
): Promise<Stash> {
  const root = path.join(ctx.layout.tmpDir, `regression-old-${randomBytes(6).toString('hex')}`);
  await mkdir(root, { recursive: true });
  const aside = async (dir: string, name: string): Promise<void> => {
    await rename(dir, path.join(root, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  };
  await aside(dirs.uploads, 'uploads');
  await aside(dirs.outputs, 'outputs');
  // The one table the family's project holds: copied, since clearing the dataset removes blobs.
  const files = ctx.store.items.files(id);
  const table = path.join(root, 'table.csv');
  const keepTable = oldTableName !== null && files.length === 1;
  if (keepTable) {
    await copyFile(
      safeJoin(ctx.layout.projectDir(id), (files[0] as { blob_path: string }).blob_path),
      table,
    );
  }
  const discard = () => rm(root, { recursive: true, force: true });
  return {
    discard,
    async restore() {
      for (const [dir, name] of [
        [dirs.uploads, 'uploads'],
        [dirs.outputs, 'outputs'],
      ] as const) {
        await rm(dir, { recursive: true, force: true });
        // No old folder (ENOENT): an empty one, as clearDir would have left.
        await rename(path.join(root, name), dir).catch(() => mkdir(dir, { recursive: true }));
      }
      if (keepTable) {
        await storeTable(ctx, deps, id, table, oldTableName).catch((err: unknown) =>
          ctx.logger.warn({ err, projectId: id }, 'could not restore the regression dataset'),
        );
      }
      await discard();
    },
  };
}

/**
 * Makes a checked upload the project's dataset: the file is moved under uploads/, the old outputs
 * go, and the canonical CSV is imported with a fresh split. Only called once `checkUpload`
 * accepted the file; should storing it still fail, the old uploads, outputs and dataset are put
 * back and `onRestore` puts back what the service keeps.
 */
export async function replaceDataset(
  ctx: ServiceContext,
  deps: RegressionDeps,
  id: string,
  dirs: { readonly uploads: string; readonly outputs: string },
  upload: CheckedUpload & { readonly staged: string; readonly filename: string },
  hooks: { readonly oldTableName: string | null; onDrop(): void; onRestore(): void },
): Promise<RegressionDatasetInfo> {
  const { table, label } = upload;
  // Refused here, before anything moves (clearing the dataset would refuse it half-way).
  refuseWhileTraining(ctx, id, 'replace the regression dataset');
  const name = safeName(upload.filename);
  let stash: Stash;
  try {
    stash = await stashOld(ctx, deps, id, dirs, hooks.oldTableName);
  } catch (err) {
    throw new AppError('internal', `Failed to save ${label} file: ${(err as Error).message}`);
  }
  hooks.onDrop();
  try {
    try {
      await mkdir(dirs.uploads, { recursive: true });
      await mkdir(dirs.outputs, { recursive: true });
      await moveFile(upload.staged, path.join(dirs.uploads, name));
    } catch (err) {
      throw new AppError('internal', `Failed to save ${label} file: ${(err as Error).message}`);
    }
    try {
      await storeTable(ctx, deps, id, upload.csvPath, `${name.replace(/\.[^.]*$/, '')}.csv`);
    } catch (err) {
      throw new AppError('unprocessable', `Data preprocessing failed: ${(err as Error).message}`);
    }
  } catch (err) {
    await stash.restore();
    hooks.onRestore();
    throw err;
  }
  await stash.discard();
  const sizes = subsetSizes(table.rows, REGRESSION_RATIOS);
  return {
    filename: name,
    format: table.format,
    num_points: table.rows,
    num_features: table.featureNames.length,
    feature_names: [...table.featureNames],
    target_name: table.targetName,
    target_range: { min: table.min, max: table.max },
    train_size: sizes.train,
    val_size: sizes.val,
    test_size: sizes.test,
  };
}

/** A rename, or a copy where tmp/ sits on another file system than the project. */
async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await rm(from, { force: true });
  }
}

/** Keeps the service's promise about staged files: only ones under the workspace's tmp folder. */
export function requireStaged(ctx: ServiceContext, staged: string): string {
  const abs = path.resolve(staged);
  const rel = path.relative(path.resolve(ctx.layout.tmpDir), abs);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new AppError(
      'internal',
      'a regression upload must be staged in the workspace tmp folder',
    );
  }
  return abs;
}

/** A fresh path for an upload's canonical CSV in the workspace's tmp folder. */
export async function csvStagingPath(ctx: ServiceContext): Promise<string> {
  await mkdir(ctx.layout.tmpDir, { recursive: true });
  return path.join(ctx.layout.tmpDir, `regression-${randomBytes(6).toString('hex')}.csv`);
}
