import type { OperationHandlers, SplitSummary } from '../../../src-shared/contract/index.js';
import { AppError, notFound } from '../errors.js';
import { computeSplit, summarizeSplit } from '../splits/index.js';
import type { SplitRecord } from '../store/index.js';
import { nowIso, refuseWhileTraining, requireProject, type ServiceContext } from './context.js';
import type { DatasetJsonWriter } from './dataset-json.js';

export type SplitsService = Pick<
  OperationHandlers,
  'listSplits' | 'createSplit' | 'previewSplit' | 'getSplit' | 'deleteSplit'
>;

export function createSplitsService(
  ctx: ServiceContext,
  datasetJson: DatasetJsonWriter,
): SplitsService {
  const { store } = ctx;
  const requireSplit = (projectId: string, index: number): SplitRecord => {
    requireProject(ctx, projectId);
    const split = store.splits.get(projectId, index);
    if (!split) throw notFound(`split ${index} of project ${projectId}`);
    return split;
  };
  const summary = (s: SplitRecord): SplitSummary => ({
    split_index: s.index,
    name: s.name,
    ratios: { ...s.ratios },
    seed: s.seed,
    stratify: s.stratify,
    stats: store.splits.stats(s),
    created_at: s.createdAt,
  });
  const list = (projectId: string) => {
    const splits = store.splits.list(projectId);
    return { split_names: splits.map((s) => s.name), splits: splits.map(summary) };
  };

  return {
    listSplits: async ({ project_id }) => {
      requireProject(ctx, project_id);
      return list(project_id);
    },

    createSplit: async ({ project_id, name, ratios, seed, stratify }) => {
      requireProject(ctx, project_id);
      if (store.splits.findByName(project_id, name)) {
        throw new AppError('conflict', `a split named "${name}" already exists in this project`);
      }
      const items = store.items.splitSources(project_id);
      if (items.length === 0)
        throw new AppError('unprocessable', 'the dataset has no items to split; import some first');
      const assignments = computeSplit(items, { ratios, seed, stratify });
      const split = store.splits.create(
        project_id,
        { name, ratios: { ...ratios }, seed, stratify, createdAt: nowIso(ctx) },
        assignments,
      );
      store.projects.touch(project_id, nowIso(ctx));
      await datasetJson.write(project_id);
      const { train, val, test } = store.splits.stats(split);
      return { split_index: split.index, name: split.name, stats: { train, val, test } };
    },

    previewSplit: async ({ project_id, train, val, test, seed, stratify }) => {
      requireProject(ctx, project_id);
      const sum = train + val + test;
      // The query schema checks each ratio; their sum is checked here, as CreateSplitInput does.
      if (sum > 1 + 1e-9) {
        throw new AppError(
          'validation_error',
          'ratios must add up to at most 1 (the rest is left out as "none")',
        );
      }
      if (sum <= 0) throw new AppError('validation_error', 'ratios must not all be zero');
      const ratios = { train, val, test };
      const items = store.items.splitSources(project_id);
      const assignment = new Map(
        computeSplit(items, { ratios, seed, stratify }).map((a) => [a.itemId, a.subset]),
      );
      return { ratios, seed, stratify, ...summarizeSplit(items, assignment) };
    },

    getSplit: async ({ project_id, split_index }) => {
      const split = requireSplit(project_id, split_index);
      return { ...summary(split), per_class: store.splits.perClass(split) };
    },

    deleteSplit: async ({ project_id, split_index }) => {
      const split = requireSplit(project_id, split_index);
      refuseWhileTraining(ctx, project_id, `delete split ${split_index}`, split.id);
      store.splits.delete(project_id, split_index);
      store.projects.touch(project_id, nowIso(ctx));
      await datasetJson.write(project_id);
      return list(project_id);
    },
  };
}
