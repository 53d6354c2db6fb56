import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Project } from '../../../src-shared/contract/projects.js';
import type { ExperimentConfig } from '../../../src-shared/contract/training.js';
import { classWeightsFor, mediaOfTask } from '../engine/config.js';
import type { TrainData, TrainItem, TrainJob } from '../engine/trainer/training-runner.js';
import { AppError } from '../errors.js';
import type { RunRecord, SplitRecord, TrainingSource } from '../store/index.js';
import { safeJoin } from '../workspace/layout.js';
import { requireProject, type ServiceContext } from './context.js';

/** What a run trains on, judged before it is queued and built again when it starts. */
export interface PreparedData {
  /** Sorted class names (label = index); empty for regression. */
  readonly classes: readonly string[];
  readonly data: TrainData;
  /** Things worth saying in the run's log (left-out items, a missing validation subset). */
  readonly notes: readonly string[];
}

const unprocessable = (message: string): AppError => new AppError('unprocessable', message);
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function splitName(split: SplitRecord): string {
  return `split "${split.name}" (index ${split.index})`;
}

/** Why a subset came out empty, in words a user can act on. */
function emptyTrainReason(split: SplitRecord, sources: readonly TrainingSource[]): string {
  if (split.ratios.train <= 0) return 'its train ratio is 0';
  if (sources.length > 0 && sources.every((s) => s.subset === 'none')) {
    return 'none of the current items is assigned (they were imported after the split was made); create a new split';
  }
  return 'no labelled item of the right kind landed in it; create a split with a larger train ratio or import more items';
}

/**
 * Checks the project and split can train with this config and builds the trainer's data from
 * them. Throws AppError: 422 for a dataset that cannot train (one class, empty train subset,
 * no tables), 400 for class_weights naming unknown classes.
 */
export function prepareTrainData(
  ctx: Pick<ServiceContext, 'store' | 'layout'>,
  project: Project,
  split: SplitRecord,
  config: ExperimentConfig,
  /** The labels a run was made with: items keep them, and items added since are left out. */
  runLabels: ReadonlyMap<number, string | null> | null = null,
): PreparedData {
  const current = ctx.store.trainingSources.list(project.id, split.id);
  const sources =
    runLabels === null
      ? current
      : current.flatMap((s) => {
          const className = runLabels.get(s.id);
          return className === undefined ? [] : [{ ...s, className }];
        });
  const projectDir = ctx.layout.projectDir(project.id);
  const media = mediaOfTask(project.task);
  const notes: string[] = [];

  if (media === 'table') {
    const tables = sources.filter((s) => s.mediaKind === 'table');
    if (tables.length === 0) {
      throw unprocessable(
        'a regression project trains on CSV tables, and this project has none; import one first',
      );
    }
    const rows = tables.reduce((n, t) => n + (t.rows ?? 0), 0);
    if (Math.round(rows * split.ratios.train) === 0) {
      throw unprocessable(
        `the train subset of ${splitName(split)} is empty: ${rows} table rows at a train ratio of ${split.ratios.train} leave none to train on`,
      );
    }
    const target = ctx.store.projects.settings(project.id)?.target_column;
    return {
      classes: [],
      data: {
        kind: 'table',
        tables: tables.map((t) => safeJoin(projectDir, t.blobPath)),
        targetColumn: typeof target === 'string' ? target : null,
        ratios: { ...split.ratios },
        seed: split.seed,
      },
      notes,
    };
  }

  const usable = sources.filter((s) => s.mediaKind === media);
  const labelled = usable.filter((s) => s.className !== null);
  const classes = [...new Set(labelled.map((s) => s.className as string))].sort(byCodeUnit);
  if (classes.length === 0) {
    throw unprocessable(
      `training a classifier needs labelled ${media} items (the first folder level names the class), and this project has none`,
    );
  }
  if (classes.length === 1) {
    throw unprocessable(
      `training a classifier needs at least two classes, and this project has only one ("${classes[0]}"); import examples of another class`,
    );
  }
  const unlabelled = usable.length - labelled.length;
  if (unlabelled > 0) notes.push(`${unlabelled} unlabelled items are left out of training`);

  const label = new Map(classes.map((c, i) => [c, i]));
  const toItem = (s: TrainingSource): TrainItem => ({
    key: s.hash,
    path: safeJoin(projectDir, s.blobPath),
    label: label.get(s.className as string) ?? -1,
  });
  const train = labelled.filter((s) => s.subset === 'train').map(toItem);
  const val = labelled.filter((s) => s.subset === 'val').map(toItem);
  if (train.length === 0) {
    throw unprocessable(
      `the train subset of ${splitName(split)} is empty: ${emptyTrainReason(split, usable)}`,
    );
  }
  const trainClasses = new Set(train.map((t) => t.label));
  if (trainClasses.size < 2) {
    throw unprocessable(
      `the train subset of ${splitName(split)} holds only one class ("${classes[train[0]?.label ?? 0]}"); a classifier needs examples of at least two`,
    );
  }
  if (val.length === 0) {
    notes.push(
      `the val subset of ${splitName(split)} is empty: validation metrics (val_loss, val_accuracy) stay empty`,
    );
  }
  // Names in class_weights must be classes of this project (400 otherwise).
  classWeightsFor(
    config.class_weights,
    classes,
    train.map((t) => t.label),
  );
  return {
    classes,
    data: { kind: 'items', mediaKind: media, train, val },
    notes,
  };
}

/** `<projectDir>/runs/<run_id>/`: checkpoints and logs of one run. */
export function runDirOf(ctx: Pick<ServiceContext, 'layout'>, projectId: string, runId: string) {
  return path.join(ctx.layout.projectDir(projectId), 'runs', runId);
}

/** `<projectDir>/cache/features/`: per-item features, shared by every run of the project. */
export function featureCacheDirOf(ctx: Pick<ServiceContext, 'layout'>, projectId: string) {
  return path.join(ctx.layout.projectDir(projectId), 'cache', 'features');
}

/**
 * The trainer's job for a run about to start, from the project as it is now (creating the run
 * folder). Throws AppError when it cannot train any more (split deleted, dataset changed).
 */
export function buildTrainJob(
  ctx: Pick<ServiceContext, 'store' | 'layout'>,
  run: RunRecord,
  resume: boolean,
): { readonly job: TrainJob; readonly notes: readonly string[] } {
  const project = requireProject(ctx, run.projectId);
  const split = run.splitId === null ? undefined : ctx.store.trainingSources.split(run.splitId);
  if (!split) throw new AppError('conflict', 'the split this run trains on was deleted');
  // A run trains on the labels it was made with, even when it resumes after a relabel.
  const labels = ctx.store.curation.runLabels(run.id);
  const prepared = prepareTrainData(ctx, project, split, run.config, labels);
  const runDir = runDirOf(ctx, run.projectId, run.id);
  mkdirSync(runDir, { recursive: true });
  const job: TrainJob = {
    runId: run.id,
    runDir,
    cacheDir: featureCacheDirOf(ctx, run.projectId),
    task: project.task,
    classes: prepared.classes,
    config: run.config,
    data: prepared.data,
    resume,
  };
  return { job, notes: prepared.notes };
}
