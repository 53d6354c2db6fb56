import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { importResultOf, type Job } from '../../../src-shared/contract/index.js';
import type { RegressionDatasetInfo } from '../../../src-shared/contract/regression.js';
import { AppError } from '../errors.js';
import type { ServiceContext } from '../services/context.js';
import { subsetSizes } from '../splits/index.js';
import { writeFileAtomic } from '../workspace/atomic-write.js';
import type { RegressionDeps } from './regression-service.js';
import { judgeFormat, readUpload, tableToCsv, UploadError } from './table-input.js';

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

function waitJob(deps: RegressionDeps, jobId: string): Promise<Job> {
  return new Promise((resolve) => {
    let off: (() => void) | null = null;
    const check = (job: Job): void => {
      if (job.status === 'pending' || job.status === 'running') return;
      off?.();
      resolve(job);
    };
    off = deps.onJob(jobId, check);
    void deps.ops.getJob({ job_id: jobId }).then(check, () => undefined);
  });
}

/** Replaces the project's dataset by one canonical CSV (an import job) and a 70/15/15 split. */
async function storeTable(
  ctx: ServiceContext,
  deps: RegressionDeps,
  id: string,
  csv: string,
  name: string,
): Promise<void> {
  await deps.ops.clearDataset({ project_id: id });
  await mkdir(ctx.layout.tmpDir, { recursive: true });
  const tempPath = path.join(ctx.layout.tmpDir, `regression-${randomBytes(6).toString('hex')}.csv`);
  await writeFile(tempPath, csv);
  const { job_id } = await deps.importStaged(id, [{ tempPath, relativePath: name }]);
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

/**
 * An upload, checked (type by bytes, then loaded, then preprocessed) before anything is replaced,
 * then kept under uploads/ and stored as the project's table. Errors carry the reference's words.
 */
export async function storeUpload(
  ctx: ServiceContext,
  deps: RegressionDeps,
  id: string,
  dirs: { readonly uploads: string; readonly outputs: string },
  file: {
    readonly bytes: Uint8Array;
    readonly filename: string;
    readonly targetColumn: string | null;
    readonly beforeReplace: () => void;
  },
): Promise<{ info: RegressionDatasetInfo; label: string }> {
  await mkdir(ctx.layout.tmpDir, { recursive: true });
  const staged = path.join(ctx.layout.tmpDir, `regression-${randomBytes(6).toString('hex')}`);
  try {
    await writeFile(staged, file.bytes);
    const format = await judgeFormat(file.bytes, staged);
    if (!format) throw bad('Only pickle files (.pkl, .pickle) are allowed.');
    const label = format === 'pickle' ? 'pickle' : format === 'csv' ? 'CSV' : `.${format}`;
    let table;
    try {
      table = await readUpload(format, file.bytes, staged, file.targetColumn);
    } catch (err) {
      if (!(err instanceof UploadError)) throw err;
      if (err.stage === 'load') throw bad(`Failed to load ${label}: ${err.message}`);
      throw new AppError('unprocessable', `Data preprocessing failed: ${err.message}`);
    }
    file.beforeReplace();
    const name = safeName(file.filename);
    try {
      await clearDir(dirs.uploads);
      await writeFileAtomic(path.join(dirs.uploads, name), file.bytes);
      await clearDir(dirs.outputs);
    } catch (err) {
      throw new AppError('internal', `Failed to save ${label} file: ${(err as Error).message}`);
    }
    try {
      await storeTable(ctx, deps, id, tableToCsv(table), `${name.replace(/\.[^.]*$/, '')}.csv`);
    } catch (err) {
      throw new AppError('unprocessable', `Data preprocessing failed: ${(err as Error).message}`);
    }
    const sizes = subsetSizes(table.rows, REGRESSION_RATIOS);
    let min = Infinity;
    let max = -Infinity;
    for (const v of table.y) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    const info: RegressionDatasetInfo = {
      filename: name,
      format,
      num_points: table.rows,
      num_features: table.featureNames.length,
      feature_names: [...table.featureNames],
      target_name: table.targetName,
      target_range: { min, max },
      train_size: sizes.train,
      val_size: sizes.val,
      test_size: sizes.test,
    };
    return { info, label };
  } finally {
    await rm(staged, { force: true });
  }
}
