import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { CheckpointInfo, EpochMetrics } from '../../../src-shared/contract/training.js';
import { recoverCheckpointDir } from '../engine/trainer/checkpoint-dir.js';
import type { RunRecord } from '../store/index.js';
import { nowIso, type ServiceContext } from './context.js';
import { checkpointInfo } from './training-view.js';

/** The part of the trainer's `state.json` the run manager reads. */
const CheckpointState = z.object({
  format: z.literal('assay-training-checkpoint'),
  history: z.array(EpochMetrics),
  best: CheckpointInfo.nullable().optional(),
});

/**
 * The run's `last` checkpoint folder, put back first if a crash caught it mid-replacement; null
 * when the run has none (it never finished an epoch, or its folder is gone).
 */
export function lastCheckpointDir(runDir: string): Promise<string | null> {
  return recoverCheckpointDir(path.join(runDir, 'checkpoints'), 'last');
}

/**
 * Epochs the checkpoint holds but the database lacks: the trainer reports an epoch only once its
 * checkpoint is durable, so a process killed between that and our insert leaves the epoch in
 * the checkpoint's history alone. They are stored (insert-or-ignore, so stored epochs keep their
 * metrics) before the run resumes. Returns how many were added; an unreadable state adds none.
 */
export async function reconcileEpochs(
  ctx: Pick<ServiceContext, 'store' | 'logger' | 'now'>,
  run: RunRecord,
  checkpointDir: string,
): Promise<number> {
  let state: z.infer<typeof CheckpointState>;
  try {
    const text = await readFile(path.join(checkpointDir, 'state.json'), 'utf8');
    state = CheckpointState.parse(JSON.parse(text));
  } catch (err) {
    ctx.logger.warn(
      { err, runId: run.id },
      'could not read the checkpoint state to reconcile epochs',
    );
    return 0;
  }
  let added = 0;
  for (const m of state.history) {
    const info = checkpointInfo(run.config, m);
    if (ctx.store.runs.addEpoch(run.id, m, { last: info }, nowIso(ctx))) added++;
  }
  const best = state.best;
  if (added > 0 && best && best.epoch > 0 && best.metric === run.config.best_metric) {
    ctx.store.runs.update(run.id, { best });
  }
  if (added > 0) {
    ctx.logger.warn(
      { runId: run.id, added },
      'epochs found in the checkpoint but not in the database were stored',
    );
  }
  return added;
}

/** Stores a reported epoch and its checkpoint info once; false when that epoch was stored before. */
export function recordEpoch(
  ctx: Pick<ServiceContext, 'store' | 'logger' | 'now'>,
  projectId: string,
  runId: string,
  metrics: EpochMetrics,
  isBest: boolean,
): boolean {
  const rec = ctx.store.runs.get(projectId, runId);
  if (!rec) return false;
  const info = checkpointInfo(rec.config, metrics);
  const inserted = ctx.store.runs.addEpoch(
    runId,
    metrics,
    isBest ? { best: info, last: info } : { last: info },
    nowIso(ctx),
  );
  if (!inserted) {
    ctx.logger.info({ runId, epoch: metrics.epoch }, 'epoch reported again; the first one is kept');
  }
  return inserted;
}
