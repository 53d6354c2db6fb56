import { mkdir, open, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ItemInfo, OperationHandlers } from '../../../src-shared/contract/index.js';
import { AppError, badRequest, notFound } from '../errors.js';
import { toDatasetItem, type ItemRow } from '../store/index.js';
import type { ImportLimits, ImportSource } from '../workspace/import-types.js';
import { isProjectId, safeJoin } from '../workspace/layout.js';
import { refuseWhileTraining, requireProject, type ServiceContext } from './context.js';
import type { DatasetJsonWriter } from './dataset-json.js';
import { buildDatasetJson } from './dataset-json.js';
import type { ImportJobs } from './import-jobs.js';

/** The ZIP inspector's shape (src-main/core/workspace/import/zip-inspect.ts); throws AppError 400/413. */
export type InspectZip = (
  zipPath: string,
  limits: ImportLimits,
) => Promise<{ entries: number; totalBytes: number }>;

export type DatasetsOperations = Pick<
  OperationHandlers,
  'getDataset' | 'importLocal' | 'listImages' | 'getItemInfo' | 'clearDataset' | 'exportDatasetJson'
>;

export interface DatasetsService extends DatasetsOperations {
  resolveMedia(
    projectId: string,
    filename: string,
    variant: 'file' | 'thumbnail',
  ): Promise<{ path: string; mime: string }>;
}

const THUMB_MIME: Readonly<Record<string, string>> = {
  '.webp': 'image/webp',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
};

/** A ZIP is judged by its bytes: a local file header signature, whatever the name says. */
export async function isZipFile(file: string): Promise<boolean> {
  const handle = await open(file, 'r');
  try {
    const buf = Buffer.alloc(4);
    const { bytesRead } = await handle.read(buf, 0, 4, 0);
    return bytesRead === 4 && buf.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  } finally {
    await handle.close();
  }
}

export function createDatasetsService(
  ctx: ServiceContext,
  imports: ImportJobs,
  datasetJson: DatasetJsonWriter,
  inspectZip: InspectZip,
): DatasetsService {
  const { store, layout } = ctx;
  const project = (id: string) => requireProject(ctx, id);
  const item = (projectId: string, filename: string): ItemRow => {
    project(projectId);
    const row = store.items.get(projectId, filename);
    if (!row) throw notFound(`item "${filename}" in project ${projectId}`);
    return row;
  };

  return {
    getDataset: async ({ project_id }) => {
      const p = project(project_id);
      const stats = store.items.stats(project_id);
      return {
        project_id,
        task: p.task,
        total_items: stats.totalItems,
        total_size: stats.totalSize,
        classes: stats.classCounts.map((c) => c.name),
        class_counts: stats.classCounts.map((c) => ({ ...c })),
        unlabeled: stats.unlabeled,
        media_kinds: { ...stats.mediaKinds },
        split_names: store.splits.list(project_id).map((s) => s.name),
        active_job_id: imports.activeJobId(project_id),
      };
    },

    importLocal: async ({ project_id, path: source, target_column }) => {
      project(project_id);
      if (!path.isAbsolute(source)) throw badRequest(`path must be absolute, got "${source}"`);
      let kind: 'dir' | 'file';
      try {
        const s = await stat(source);
        if (s.isDirectory()) kind = 'dir';
        else if (s.isFile()) kind = 'file';
        else throw badRequest(`"${source}" is neither a folder nor a file`);
      } catch (err) {
        if (err instanceof AppError) throw err;
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT' || code === 'ENOTDIR')
          throw badRequest(`folder "${source}" does not exist`);
        if (code === 'EACCES' || code === 'EPERM')
          throw new AppError('forbidden', `"${source}" cannot be read`);
        throw err;
      }
      imports.assertIdle(project_id, 'start another import');
      let sources: ImportSource[] = [{ kind: 'local', path: source }];
      if (kind === 'file' && (await isZipFile(source))) {
        await inspectZip(source, ctx.limits); // refuses traversal, bombs and oversize ZIPs before any work
        sources = [{ kind: 'zip', path: source, deleteAfter: false }];
      }
      const job = await imports.start(project_id, sources, { targetColumn: target_column });
      return { job_id: job.id, status: job.status };
    },

    listImages: async ({
      project_id,
      page,
      page_size,
      sort_by,
      sort_order,
      filter_class,
      search,
      media_kind,
    }) => {
      project(project_id);
      const { rows, total } = store.items.list(project_id, {
        page,
        pageSize: page_size,
        sortBy: sort_by,
        sortOrder: sort_order,
        filterClass: filter_class,
        search: search === '' ? undefined : search,
        mediaKind: media_kind,
      });
      return {
        items: rows.map(toDatasetItem),
        total,
        page,
        page_size,
        total_pages: Math.ceil(total / page_size),
      };
    },

    getItemInfo: async ({ project_id, filename }): Promise<ItemInfo> => {
      const row = item(project_id, filename);
      return {
        ...toDatasetItem(row),
        splits: store.splits.membership(project_id, row.id),
        waveform: row.waveform === null ? null : (JSON.parse(row.waveform) as [number, number][]),
      };
    },

    clearDataset: async ({ project_id }) => {
      project(project_id);
      refuseWhileTraining(ctx, project_id, 'clear the dataset');
      return imports.exclusive(project_id, 'clear the dataset', async () => {
        // Splits go with the items: a split of nothing is meaningless, and a re-import starts over.
        const removed = store.transaction(() => {
          store.splits.deleteAll(project_id);
          // Its files go below: no undo could put the items back.
          store.curation.forget(project_id);
          return store.items.deleteAll(project_id);
        });
        // Files after rows: a crash in between leaves unreferenced files, never rows without files.
        for (const dir of [layout.blobsDir(project_id), layout.thumbsDir(project_id)]) {
          await rm(dir, { recursive: true, force: true });
          await mkdir(dir, { recursive: true });
        }
        await datasetJson.write(project_id);
        return { project_id, removed_items: removed };
      });
    },

    exportDatasetJson: async ({ project_id }) => buildDatasetJson(ctx, project_id),

    resolveMedia: async (projectId, filename, variant) => {
      if (!isProjectId(projectId)) throw notFound(`project ${projectId}`);
      const row = item(projectId, filename);
      const rel = variant === 'file' ? row.blob_path : row.thumb_path;
      if (rel === null) throw notFound(`thumbnail of "${filename}"`);
      const file = safeJoin(layout.projectDir(projectId), rel);
      try {
        if (!(await stat(file)).isFile()) throw new Error('not a file');
      } catch {
        throw notFound(
          `the ${variant === 'file' ? 'file' : 'thumbnail'} of "${filename}" (missing from the workspace)`,
        );
      }
      const mime =
        variant === 'file'
          ? row.mime
          : (THUMB_MIME[path.extname(rel).toLowerCase()] ?? 'application/octet-stream');
      return { path: file, mime };
    },
  };
}
