import type { DatasetJson, SplitSubset } from '../../../src-shared/contract/index.js';
import { writeFileAtomic } from '../workspace/atomic-write.js';
import { requireProject, type ServiceContext } from './context.js';

/**
 * The project's dataset in the format older tools read: split names, and per image one subset per
 * split, in split order. Built from SQLite, the source of truth.
 */
export function buildDatasetJson(ctx: ServiceContext, projectId: string): DatasetJson {
  const { store } = ctx;
  return store.transaction(() => {
    const project = requireProject(ctx, projectId);
    const splits = store.splits.list(projectId);
    const assignments = splits.map((s) => store.splits.assignments(s));
    const items = store.items.splitSources(projectId);
    const classes = store.items.stats(projectId).classCounts.map((c) => c.name);
    return {
      version: 1,
      project: { id: project.id, name: project.name, task: project.task },
      classes,
      split_names: splits.map((s) => s.name),
      images: items.map((item) => ({
        filename: item.filename,
        class: item.className,
        split: assignments.map((a): SplitSubset => a.get(item.id) ?? 'none'),
      })),
    };
  });
}

/** Rewrites `<project>/dataset.json` atomically; called after every import and split change. */
export async function writeDatasetJson(ctx: ServiceContext, projectId: string): Promise<void> {
  const json = buildDatasetJson(ctx, projectId);
  await writeFileAtomic(
    ctx.layout.datasetJsonPath(projectId),
    `${JSON.stringify(json, null, 2)}\n`,
  );
}

export interface DatasetJsonWriter {
  /** Queues a rewrite; writes for one project never overlap, and each reads the state when it runs. */
  write(projectId: string): Promise<void>;
  /** Resolves when every queued write has finished. */
  idle(): Promise<void>;
}

export function createDatasetJsonWriter(ctx: ServiceContext): DatasetJsonWriter {
  const chains = new Map<string, Promise<void>>();
  return {
    write(projectId) {
      const previous = chains.get(projectId) ?? Promise.resolve();
      const next = previous
        .catch(() => undefined)
        .then(async () => {
          // The project may have been deleted while this write waited: nothing to write then.
          if (!ctx.store.projects.exists(projectId)) return;
          await writeDatasetJson(ctx, projectId);
        });
      chains.set(projectId, next);
      void next
        .finally(() => {
          if (chains.get(projectId) === next) chains.delete(projectId);
        })
        .catch(() => undefined);
      return next;
    },
    async idle() {
      await Promise.allSettled([...chains.values()]);
    },
  };
}
