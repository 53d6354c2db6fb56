import { rm } from 'node:fs/promises';
import type { OperationHandlers } from '../../../src-shared/contract/index.js';
import { resolveExperimentConfig } from '../engine/config.js';
import { AppError, notFound } from '../errors.js';
import type { ExperimentRecord, SplitRecord } from '../store/index.js';
import { nowIso, requireProject, type ServiceContext } from './context.js';
import { runDirOf } from './training-data.js';
import type { RunManager } from './training-manager.js';
import { newTrainingId, toExperiment } from './training-view.js';

export type ExperimentsService = Pick<
  OperationHandlers,
  'listExperiments' | 'createExperiment' | 'getExperiment' | 'updateExperiment' | 'deleteExperiment'
>;

/** The split an experiment names, or a 400 that says which splits exist. */
export function requireSplitForTraining(
  ctx: Pick<ServiceContext, 'store'>,
  projectId: string,
  index: number,
): SplitRecord {
  const split = ctx.store.splits.get(projectId, index);
  if (split) return split;
  const count = ctx.store.splits.list(projectId).length;
  throw new AppError(
    'bad_request',
    count === 0
      ? `split_index ${index} does not exist: this project has no splits yet; create one first`
      : `split_index ${index} does not exist: this project has splits 0..${count - 1}`,
  );
}

/**
 * The split an experiment input chooses, by `split_id` or by `split_index` (default 0), resolved
 * once to a split record: experiments keep its id, so later re-indexing never moves them.
 */
export function resolveSplitChoice(
  ctx: Pick<ServiceContext, 'store'>,
  projectId: string,
  choice: { readonly split_index?: number | undefined; readonly split_id?: number | undefined },
): SplitRecord {
  if (choice.split_id === undefined) {
    return requireSplitForTraining(ctx, projectId, choice.split_index ?? 0);
  }
  const split = ctx.store.trainingSources.split(choice.split_id);
  if (!split || split.projectId !== projectId) {
    throw new AppError('bad_request', `split_id ${choice.split_id} is not a split of this project`);
  }
  if (choice.split_index !== undefined && choice.split_index !== split.index) {
    throw new AppError(
      'bad_request',
      `split_id ${split.id} is split_index ${split.index}, not ${choice.split_index}: give one of them`,
    );
  }
  return split;
}

/**
 * The split an experiment trains on now, or a 409 naming the one it chose if that was deleted
 * (its runs, evaluations and exports stay; PATCH a split_index or split_id to train again).
 */
export function requireExperimentSplit(
  ctx: Pick<ServiceContext, 'store'>,
  exp: ExperimentRecord,
): SplitRecord {
  const split = exp.splitId === null ? undefined : ctx.store.trainingSources.split(exp.splitId);
  if (split) return split;
  const name = exp.splitName === null ? 'it was made on' : `"${exp.splitName}"`;
  throw new AppError(
    'conflict',
    `experiment "${exp.name}" (${exp.id}) trains on split ${name}, which was deleted; choose another split for it (PATCH its split_index or split_id)`,
  );
}

export function requireExperiment(
  ctx: Pick<ServiceContext, 'store'>,
  projectId: string,
  id: string,
): ExperimentRecord {
  requireProject(ctx, projectId);
  const exp = ctx.store.experiments.get(projectId, id);
  if (!exp) throw notFound(`experiment ${id} of project ${projectId}`);
  return exp;
}

/** Experiments CRUD: a name, a split (by id) and a config resolved with per-task defaults. */
export function createExperimentsService(
  ctx: ServiceContext,
  manager: RunManager,
): ExperimentsService {
  const { store } = ctx;
  const view = (rec: ExperimentRecord) => toExperiment(store, rec);

  return {
    listExperiments: async ({ project_id }) => {
      requireProject(ctx, project_id);
      return store.experiments.list(project_id).map(view);
    },

    createExperiment: async ({ project_id, name, split_index, split_id, config }) => {
      const project = requireProject(ctx, project_id);
      const split = resolveSplitChoice(ctx, project_id, { split_index, split_id });
      const resolved = resolveExperimentConfig(project.task, config);
      const at = nowIso(ctx);
      const rec: ExperimentRecord = {
        id: newTrainingId('exp-', (id) => store.experiments.exists(id)),
        projectId: project_id,
        name,
        splitId: split.id,
        splitName: split.name,
        config: resolved,
        createdAt: at,
        updatedAt: at,
      };
      store.experiments.insert(rec);
      return view(rec);
    },

    getExperiment: async ({ project_id, exp_id }) =>
      view(requireExperiment(ctx, project_id, exp_id)),

    updateExperiment: async ({ project_id, exp_id, name, split_index, split_id, config }) => {
      const exp = requireExperiment(ctx, project_id, exp_id);
      const project = requireProject(ctx, project_id);
      const split =
        split_index === undefined && split_id === undefined
          ? undefined
          : resolveSplitChoice(ctx, project_id, { split_index, split_id });
      // Runs keep their own config snapshot; an edit only shapes the runs started after it.
      const resolved =
        config === undefined
          ? undefined
          : resolveExperimentConfig(project.task, config, exp.config);
      const next = store.experiments.update(
        exp.id,
        { name, split: split && { id: split.id, name: split.name }, config: resolved },
        nowIso(ctx),
      );
      if (!next) throw notFound(`experiment ${exp_id} of project ${project_id}`);
      return view(next);
    },

    deleteExperiment: async ({ project_id, exp_id }) => {
      const exp = requireExperiment(ctx, project_id, exp_id);
      await manager.stopWhere((entry) => entry.experimentId === exp.id);
      const runIds = store.runs.idsByExperiment(exp.id);
      store.experiments.delete(exp.id); // runs and their epochs go by cascade
      await Promise.all(
        runIds.map((id) =>
          rm(runDirOf(ctx, project_id, id), { recursive: true, force: true }).catch(
            (err: unknown) => ctx.logger.warn({ err, runId: id }, 'could not remove a run folder'),
          ),
        ),
      );
      return { deleted: true as const, id: exp.id };
    },
  };
}
