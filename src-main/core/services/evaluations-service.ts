import { randomBytes } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { EvalItemResult, Evaluation } from '../../../src-shared/contract/evaluation.js';
import type { JobOutcome } from '../../../src-shared/contract/jobs.js';
import type { OperationHandlers } from '../../../src-shared/contract/operations.js';
import { mediaOfTask } from '../engine/config.js';
import type { EvalData } from '../engine/evaluation/evaluate-checkpoint.js';
import { readCheckpointFiles } from '../engine/export/checkpoint-files.js';
import { recoverCheckpointDir } from '../engine/trainer/checkpoint-dir.js';
import { AppError, notFound } from '../errors.js';
import type { JobKindDecl } from '../jobs/job-kind.js';
import type { JobRunner } from '../jobs/job-runner.js';
import type { EvaluationTaskInput, EvaluationTaskResult } from '../jobs/tasks/evaluation-task.js';
import type { EvaluationRecord } from '../store/index.js';
import { safeJoin } from '../workspace/layout.js';
import { nowIso, requireProject, type ServiceContext } from './context.js';
import { featureCacheDirOf, runDirOf } from './training-data.js';

type EvalOps = Pick<
  OperationHandlers,
  | 'listEvaluations'
  | 'createEvaluation'
  | 'getEvaluation'
  | 'deleteEvaluation'
  | 'getEvaluationResults'
>;

export interface EvaluationsService {
  readonly ops: EvalOps;
  /** Resolves when no evaluation is queued or running. */
  idle(): Promise<void>;
}

function newEvalId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = `eval-${randomBytes(4).toString('hex')}`;
    if (!taken(id)) return id;
  }
}

function view(r: EvaluationRecord): Evaluation {
  return {
    eval_id: r.id,
    project_id: r.projectId,
    experiment_id: r.experimentId,
    run_id: r.runId,
    checkpoint: r.checkpoint,
    split_index: r.splitIndex,
    split_subset: r.splitSubset,
    batch_size: r.batchSize,
    status: r.status,
    item_count: r.itemCount,
    message: r.message,
    kind: r.kind,
    metrics: (r.metrics ?? null) as Evaluation['metrics'],
    created_at: r.createdAt,
    finished_at: r.finishedAt,
  };
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const resultsPathOf = (ctx: ServiceContext, r: Pick<EvaluationRecord, 'projectId' | 'id'>) =>
  path.join(ctx.layout.projectDir(r.projectId), 'evaluations', `${r.id}.json`);

/**
 * The `evaluation` job kind: a worker thread scores the checkpoint and writes the results file
 * atomically; cancel terminates it; after a crash the evaluation runs again from the start.
 */
export function evaluationJobKind(
  ctx: ServiceContext,
): JobKindDecl<EvaluationTaskInput, EvaluationTaskResult> {
  const { store } = ctx;
  return {
    kind: 'evaluation',
    execution: { thread: 'task', module: 'evaluation-task' },
    resumable: true,
    progressUnit: 'items',
    cancel: 'abandon',
    crash: { after: 'resume', message: 'resumed: the app stopped while this evaluation ran' },
    async cleanup(job) {
      const rec = job.subject_id
        ? store.evaluations.get(job.project_id, job.subject_id)
        : undefined;
      if (!rec) return;
      const file = resultsPathOf(ctx, rec);
      const names = await readdir(path.dirname(file)).catch(() => [] as string[]);
      const left = names.filter(
        (n) => n === `${rec.id}.json` || (n.startsWith(`.${rec.id}.json.`) && n.endsWith('.tmp')),
      );
      await Promise.all(left.map((n) => rm(path.join(path.dirname(file), n), { force: true })));
    },
    started(job) {
      if (job.subject_id) store.evaluations.update(job.subject_id, { status: 'running' });
    },
    finished(job, end): JobOutcome | null {
      const id = job.subject_id;
      if (!id) return null;
      if (end.ok) {
        store.evaluations.update(id, {
          status: 'completed',
          metrics: end.value.metrics as EvaluationRecord['metrics'],
          itemCount: end.value.itemCount,
          finishedAt: nowIso(ctx),
        });
        return { eval_id: id, item_count: end.value.itemCount, thread_id: end.value.thread_id };
      }
      store.evaluations.update(id, {
        status: 'failed',
        message: end.cancelled ? 'cancelled by the user' : end.error,
        finishedAt: nowIso(ctx),
      });
      return { eval_id: id };
    },
  };
}

/**
 * Section 5: evaluations are jobs of kind `evaluation`, one at a time, each in a worker thread,
 * on the checkpoint's in-memory ONNX export (see engine/evaluation). What can be judged up
 * front is refused synchronously: unknown experiment, run or split (404), no such checkpoint or
 * nothing to evaluate in the subset (422).
 */
export function createEvaluationsService(ctx: ServiceContext, jobs: JobRunner): EvaluationsService {
  const { store } = ctx;
  const results = new Map<string, readonly EvalItemResult[]>();
  const resultsPath = (r: Pick<EvaluationRecord, 'projectId' | 'id'>): string =>
    resultsPathOf(ctx, r);
  const require = (projectId: string, id: string): EvaluationRecord => {
    requireProject(ctx, projectId);
    const rec = store.evaluations.get(projectId, id);
    if (!rec) throw notFound(`evaluation ${id}`);
    return rec;
  };

  const loadResults = async (rec: EvaluationRecord): Promise<readonly EvalItemResult[]> => {
    const hit = results.get(rec.id);
    if (hit) return hit;
    const items = JSON.parse(await readFile(resultsPath(rec), 'utf8')) as EvalItemResult[];
    if (results.size > 8) results.delete(results.keys().next().value as string);
    results.set(rec.id, items);
    return items;
  };

  const ops: EvalOps = {
    listEvaluations: (input) => {
      requireProject(ctx, input.project_id);
      return Promise.resolve(store.evaluations.list(input.project_id).map(view));
    },
    getEvaluation: (input) => Promise.resolve(view(require(input.project_id, input.eval_id))),
    async createEvaluation(input) {
      const project = requireProject(ctx, input.project_id);
      const experiment = store.experiments.get(project.id, input.experiment_id);
      if (!experiment) throw notFound(`experiment ${input.experiment_id}`);
      const run = store.runs.get(project.id, input.run_id);
      if (!run || run.experimentId !== experiment.id) {
        throw notFound(`run ${input.run_id} of experiment ${experiment.id}`);
      }
      // By default the split the run trained on, by id: indexes shift when a split is deleted.
      const split =
        input.split_index !== undefined
          ? store.splits.get(project.id, input.split_index)
          : run.splitId === null
            ? undefined
            : store.trainingSources.split(run.splitId);
      if (!split) {
        if (input.split_index !== undefined) throw notFound(`split ${input.split_index}`);
        throw new AppError(
          'conflict',
          `split "${run.splitName ?? '?'}" that run ${run.id} trained on was deleted; give a split_index to evaluate on another split`,
        );
      }
      const root = path.join(runDirOf(ctx, run.projectId, run.id), 'checkpoints');
      const checkpointDir = await recoverCheckpointDir(root, input.checkpoint);
      if (!checkpointDir) {
        throw new AppError(
          'unprocessable',
          `run ${run.id} has no ${input.checkpoint} checkpoint to evaluate (it has not finished an epoch)`,
        );
      }
      const { meta } = await readCheckpointFiles(checkpointDir);
      const subset = input.split_subset;
      const sources = store.trainingSources.list(project.id, split.id);
      const projectDir = ctx.layout.projectDir(project.id);
      let data: EvalData;
      let count: number;
      if (meta.task === 'regression') {
        const tables = sources.filter((s) => s.mediaKind === 'table');
        const target = store.projects.settings(project.id)?.target_column;
        data = {
          kind: 'table',
          tables: tables.map((t) => safeJoin(projectDir, t.blobPath)),
          targetColumn: typeof target === 'string' ? target : null,
          ratios: { ...split.ratios },
          seed: split.seed,
          subset,
        };
        const rows = tables.reduce((n, t) => n + (t.rows ?? 0), 0);
        count = Math.round(rows * split.ratios[subset]);
      } else {
        const label = new Map(meta.classes.map((c, i) => [c, i]));
        const media = mediaOfTask(project.task);
        const items = sources
          .filter(
            (s) => s.subset === subset && s.mediaKind === media && label.has(s.className ?? ''),
          )
          .sort((a, b) => byCodeUnit(a.filename, b.filename))
          .map((s) => ({
            filename: s.filename,
            key: s.hash,
            path: safeJoin(projectDir, s.blobPath),
            label: label.get(s.className as string) as number,
          }));
        data = { kind: 'items', items };
        count = items.length;
      }
      if (count === 0) {
        throw new AppError(
          'unprocessable',
          `the ${subset} subset of split ${split.index} holds nothing this model can be evaluated on`,
        );
      }
      const rec: EvaluationRecord = {
        id: newEvalId((id) => store.evaluations.exists(id)),
        projectId: project.id,
        experimentId: experiment.id,
        runId: run.id,
        checkpoint: input.checkpoint,
        splitIndex: split.index,
        splitSubset: subset,
        batchSize: input.batch_size,
        kind: meta.task === 'regression' ? 'regression' : 'classification',
        status: 'pending',
        itemCount: count,
        message: null,
        metrics: null,
        createdAt: nowIso(ctx),
        finishedAt: null,
      };
      store.evaluations.insert(rec);
      const task: EvaluationTaskInput = {
        checkpointDir,
        cacheDir: featureCacheDirOf(ctx, rec.projectId),
        data,
        batchSize: rec.batchSize,
        resultsFile: resultsPath(rec),
      };
      jobs.submit('evaluation', { projectId: rec.projectId, subjectId: rec.id, input: task });
      return view(rec);
    },
    async deleteEvaluation(input) {
      const rec = require(input.project_id, input.eval_id);
      if (rec.status === 'pending' || rec.status === 'running') {
        throw new AppError('conflict', `evaluation ${rec.id} is still ${rec.status}`);
      }
      store.evaluations.delete(rec.id);
      results.delete(rec.id);
      await rm(resultsPath(rec), { force: true });
      return { deleted: true as const, id: rec.id };
    },
    async getEvaluationResults(input) {
      const rec = require(input.project_id, input.eval_id);
      if (rec.status !== 'completed') {
        throw new AppError('conflict', `evaluation ${rec.id} is ${rec.status}: no results yet`);
      }
      let items = [...(await loadResults(rec))];
      if (input.filter_class !== undefined) {
        items = items.filter((i) => i.true_label === input.filter_class);
      }
      if (input.filter_predicted !== undefined) {
        items = items.filter((i) => i.predicted_label === input.filter_predicted);
      }
      if (input.filter_correct !== undefined) {
        items = items.filter((i) => i.correct === input.filter_correct);
      }
      const byName = (a: EvalItemResult, b: EvalItemResult): number =>
        byCodeUnit(a.filename, b.filename);
      if (input.sort_by === 'confidence') {
        items.sort((a, b) => (a.confidence ?? 0) - (b.confidence ?? 0) || byName(a, b));
      } else if (input.sort_by === 'error') {
        items.sort((a, b) => b.error - a.error || byName(a, b));
      } else {
        items.sort(byName);
      }
      const { page, page_size } = input;
      return {
        items: items.slice((page - 1) * page_size, page * page_size),
        total: items.length,
        page,
        page_size,
        total_pages: Math.ceil(items.length / page_size),
      };
    },
  };
  return { ops, idle: () => jobs.idle(['evaluation']) };
}
