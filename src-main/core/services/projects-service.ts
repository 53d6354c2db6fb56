import { randomBytes } from 'node:crypto';
import { rename, rm } from 'node:fs/promises';
import * as path from 'node:path';
import type { OperationHandlers } from '../../../src-shared/contract/index.js';
import { notFound } from '../errors.js';
import { ensureProjectDirs } from '../workspace/layout.js';
import { newId, nowIso, requireProject, type ServiceContext } from './context.js';
import type { DatasetJsonWriter } from './dataset-json.js';
import type { ImportJobs } from './import-jobs.js';

export type ProjectsService = Pick<
  OperationHandlers,
  'listProjects' | 'createProject' | 'getProject' | 'updateProject' | 'deleteProject'
>;

export function createProjectsService(
  ctx: ServiceContext,
  imports: ImportJobs,
  datasetJson: DatasetJsonWriter,
): ProjectsService {
  const { store, layout } = ctx;
  const get = (id: string) => requireProject(ctx, id);

  return {
    listProjects: async () => store.projects.list(),

    createProject: async ({ name, task }) => {
      const id = newId('proj-', (candidate) => store.projects.exists(candidate));
      store.projects.insert({ id, name, task, createdAt: nowIso(ctx) });
      try {
        await ensureProjectDirs(layout, id);
        await datasetJson.write(id);
      } catch (err) {
        store.projects.delete(id);
        await rm(layout.projectDir(id), { recursive: true, force: true });
        throw err;
      }
      return get(id);
    },

    getProject: async ({ id }) => get(id),

    updateProject: async ({ id, name, task }) => {
      if (!store.projects.update(id, { name, task }, nowIso(ctx))) throw notFound(`project ${id}`);
      await datasetJson.write(id); // dataset.json carries the name and task
      return get(id);
    },

    deleteProject: async ({ id }) => {
      get(id);
      await imports.stopProject(id);
      return imports.exclusive(id, 'start an import', async () => {
        await datasetJson.idle();
        // Move the folder aside first (one rename), so a failure half-way never leaves rows pointing at
        // files that are gone; the rows then go in one cascade, and the moved folder is removed last.
        const trash = path.join(layout.tmpDir, `deleted-${id}-${randomBytes(3).toString('hex')}`);
        let moved = false;
        try {
          await rename(layout.projectDir(id), trash);
          moved = true;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
        try {
          store.projects.delete(id);
        } catch (err) {
          if (moved) await rename(trash, layout.projectDir(id));
          throw err;
        }
        if (moved) {
          await rm(trash, { recursive: true, force: true }).catch((err: unknown) => {
            ctx.logger.warn(
              { err, trash },
              'could not remove a deleted project folder; it stays in tmp/',
            );
          });
        }
        return { deleted: true as const, id };
      });
    },
  };
}
