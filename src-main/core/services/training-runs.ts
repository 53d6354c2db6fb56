import { rm } from 'node:fs/promises';
import type { OperationHandlers } from '../../../src-shared/contract/index.js';
import type { RunStatus } from '../../../src-shared/contract/training.js';
import { resolveExperimentConfig } from '../engine/config.js';
import { AppError, notFound } from '../errors.js';
import type { RunRecord } from '../store/index.js';
import { nowIso, requireProject, type ServiceContext } from './context.js';
import { lastCheckpointDir, reconcileEpochs } from './training-checkpoints.js';
import { prepareTrainData, runDirOf } from './training-data.js';
import { requireExperiment, requireExperimentSplit } from './training-experiments.js';
import type { RunManager } from './training-manager.js';
import { newTrainingId, queuedProgress, toRun } from './training-view.js';

export type RunsService = Pick<
  OperationHandlers,
  | 'startRun'
  | 'listRuns'
  | 'getRun'
  | 'updateRun'
  | 'stopRun'
  | 'resumeRun'
  | 'deleteRun'
  | 'getRunMetrics'
>;

const LIVE: ReadonlySet<RunStatus> = new Set(['pending', 'running']);
const RESUMABLE: ReadonlySet<RunStatus> = new Set(['stopped', 'interrupted', 'failed']);

/** Runs: start (queued behind the one training), read, stop, resume, delete, metrics. */
export function createRunsService(ctx: ServiceContext, manager: RunManager): RunsService {
  const { store } = ctx;
  const requireRun = (projectId: string, runId: string): RunRecord => {
    requireProject(ctx, projectId);
    const rec = store.runs.get(projectId, runId);
    if (!rec) throw notFound(`run ${runId} of project ${projectId}`);
    return rec;
  };
  const view = (rec: RunRecord) => toRun(store, rec, manager);
  // Start and resume answer the run as they queued it, `pending` (as the API reference documents),
  // even when nothing else trains and it has already moved on to `running` by the time they answer.
  const started = (projectId: string, runId: string) => {
    const rec = requireRun(projectId, runId);
    return {
      run_id: rec.id,
      status: 'pending' as const,
      queue_position: manager.queuePosition(rec.id),
    };
  };

  return {
    startRun: async ({ project_id, exp_id }) => {
      const exp = requireExperiment(ctx, project_id, exp_id);
      const project = requireProject(ctx, project_id);
      const split = requireExperimentSplit(ctx, exp);
      // Re-checked against the project as it is now (its task may have changed since).
      const config = resolveExperimentConfig(project.task, {}, exp.config);
      // Refused here with a 4xx rather than failing later in the queue.
      const prepared = prepareTrainData(ctx, project, split, config);
      const id = newTrainingId('run-', (candidate) => store.runs.exists(candidate));
      store.runs.insert({
        id,
        experimentId: exp.id,
        projectId: project_id,
        splitId: split.id,
        splitName: split.name,
        status: 'pending',
        config,
        classes: prepared.classes,
        backend: null,
        device: null,
        createdAt: nowIso(ctx),
        startedAt: null,
        finishedAt: null,
        message: null,
        best: null,
        last: null,
        progress: queuedProgress(config.epochs),
        number: 0,
        name: null,
      });
      // Its labels as they are now: a later relabel changes future runs, not this one.
      store.curation.snapshotRun(id, project_id);
      manager.enqueue({ runId: id, projectId: project_id, experimentId: exp.id, resume: false });
      return started(project_id, id);
    },

    updateRun: async ({ project_id, run_id, name }) => {
      requireRun(project_id, run_id);
      // Blank means "no name of its own": the default follows the experiment's name.
      const given = name === null || name === '' ? null : name;
      const rec = store.runs.update(run_id, { name: given });
      if (!rec) throw notFound(`run ${run_id} of project ${project_id}`);
      return view(rec);
    },

    listRuns: async ({ project_id }) => {
      requireProject(ctx, project_id);
      return store.runs.listByProject(project_id).map(view);
    },

    getRun: async ({ project_id, run_id }) => view(requireRun(project_id, run_id)),

    stopRun: async ({ project_id, run_id }) => {
      const rec = requireRun(project_id, run_id);
      if (!LIVE.has(rec.status)) {
        throw new AppError(
          'conflict',
          `run ${run_id} is ${rec.status}; only a pending or running run can be stopped`,
        );
      }
      await manager.stop(run_id);
      return view(requireRun(project_id, run_id));
    },

    resumeRun: async ({ project_id, run_id }) => {
      const assertResumable = (rec: RunRecord): void => {
        if (RESUMABLE.has(rec.status)) return;
        throw new AppError(
          'conflict',
          rec.status === 'completed'
            ? `run ${run_id} is completed; start a new run to train again`
            : `run ${run_id} is already ${rec.status}`,
        );
      };
      assertResumable(requireRun(project_id, run_id));
      const checkpoint = await lastCheckpointDir(runDirOf(ctx, project_id, run_id));
      if (checkpoint) await reconcileEpochs(ctx, requireRun(project_id, run_id), checkpoint);
      // From here on synchronous, checked again: a second resume (or a delete) may have come in
      // during the waits above.
      const rec = requireRun(project_id, run_id);
      assertResumable(rec);
      // Without a checkpoint only a run that never finished an epoch may start over.
      if (!checkpoint && (rec.status === 'failed' || store.runs.epochs(run_id).length > 0)) {
        throw new AppError(
          'conflict',
          `run ${run_id} has no checkpoint to resume from; start a new run instead`,
        );
      }
      const project = requireProject(ctx, project_id);
      const split = rec.splitId === null ? undefined : store.trainingSources.split(rec.splitId);
      if (!split) {
        throw new AppError(
          'conflict',
          `the split run ${run_id} trained on was deleted; start a new run instead`,
        );
      }
      prepareTrainData(ctx, project, split, rec.config, store.curation.runLabels(run_id));
      store.runs.update(run_id, {
        status: 'pending',
        message: null,
        finishedAt: null,
        progress: { ...queuedProgress(rec.config.epochs), epoch: rec.last?.epoch ?? 0 },
      });
      manager.enqueue({
        runId: run_id,
        projectId: project_id,
        experimentId: rec.experimentId,
        resume: checkpoint !== null,
      });
      return started(project_id, run_id);
    },

    deleteRun: async ({ project_id, run_id }) => {
      const rec = requireRun(project_id, run_id);
      await manager.stopWhere((entry) => entry.runId === rec.id);
      store.runs.delete(rec.id);
      await rm(runDirOf(ctx, project_id, rec.id), { recursive: true, force: true });
      return { deleted: true as const, id: rec.id };
    },

    getRunMetrics: async ({ project_id, run_id }) => {
      const rec = requireRun(project_id, run_id);
      return {
        run_id: rec.id,
        status: rec.status,
        history: store.runs.epochs(rec.id),
        best: rec.best,
        classes: [...rec.classes],
      };
    },
  };
}
