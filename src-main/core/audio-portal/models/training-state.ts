import type { Worker } from 'node:worker_threads';
import type { AudioTrainingStatus, Job } from '../../../../src-shared/contract/index.js';
import type { FamilyProgress } from './train-protocol.js';

/** What the portal knows of its latest training while the process runs. */
export interface Live {
  jobId: string;
  worker: Worker | null;
  status: AudioTrainingStatus['status'];
  done: number;
  total: number;
  message: string;
  families: Partial<Record<string, FamilyProgress>>;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
  startedMs: number;
}

/** `GET /api/training/status`: the latest training's state, or `idle` when none ran. */
export function statusOf(live: Live | null, lastJob?: Job): AudioTrainingStatus {
  if (!live && lastJob && lastJob.status !== 'pending' && lastJob.status !== 'running') {
    const progress = lastJob.total === 0 ? 0 : lastJob.done / lastJob.total;
    return {
      success: true,
      status: lastJob.status,
      progress: Math.round(progress * 10_000) / 10_000,
      progress_percent: Math.round(progress * 1000) / 10,
      message: lastJob.message,
      job_id: lastJob.id,
      eta_seconds: null,
      metrics: {},
      error: lastJob.error,
      started_at: lastJob.started_at,
      finished_at: lastJob.finished_at,
    };
  }
  if (!live) {
    return {
      success: true,
      status: 'idle',
      progress: 0,
      progress_percent: 0,
      message: 'no training has run yet',
      job_id: null,
      eta_seconds: null,
      metrics: {},
      error: null,
      started_at: null,
      finished_at: null,
    };
  }
  const progress = live.total === 0 ? 0 : live.done / live.total;
  const elapsed = (Date.now() - live.startedMs) / 1000;
  const eta =
    live.status === 'training' && progress > 0
      ? Math.round(((elapsed * (1 - progress)) / progress) * 10) / 10
      : null;
  return {
    success: true,
    status: live.status,
    progress: Math.round(progress * 10_000) / 10_000,
    progress_percent: Math.round(progress * 1000) / 10,
    message: live.error ?? live.message,
    job_id: live.jobId,
    eta_seconds: live.status === 'completed' ? 0 : eta,
    metrics: Object.fromEntries(
      Object.entries(live.families).filter(([, v]) => v),
    ) as AudioTrainingStatus['metrics'],
    error: live.error,
    started_at: live.startedAt,
    finished_at: live.finishedAt,
  };
}
