import type {
  EpochMetrics,
  Run,
  RunEvent,
  RunProgress,
  RunStatus,
} from '../../src-shared/contract/training.js';
import { assertNever } from './assert-never.js';
import { formatMetricValue } from '../../src-shared/format/metric-names.js';
import { metricValue } from './training-traces.js';

export const RUN_STATUS_LABELS: Readonly<Record<RunStatus, string>> = {
  pending: 'Queued',
  running: 'Running',
  completed: 'Completed',
  failed: 'Failed',
  stopped: 'Stopped',
  interrupted: 'Interrupted',
};

export type StatusTone = 'neutral' | 'active' | 'success' | 'danger' | 'warning';

export const RUN_STATUS_TONES: Readonly<Record<RunStatus, StatusTone>> = {
  pending: 'neutral',
  running: 'active',
  completed: 'success',
  failed: 'danger',
  stopped: 'warning',
  interrupted: 'warning',
};

/** A worker is (or is about to be) busy with it: live events may still arrive. */
export function isActive(status: RunStatus): boolean {
  return status === 'pending' || status === 'running';
}

/** Stop applies to a run that trains or waits in the queue. */
export function canStop(status: RunStatus): boolean {
  return isActive(status);
}

/** Resume continues from the last checkpoint of a run that did not finish on its own. */
export function canResume(status: RunStatus): boolean {
  return status === 'stopped' || status === 'interrupted';
}

/** Adds one epoch row; a row for an epoch already present replaces it (events may repeat). */
export function mergeEpoch(
  history: readonly EpochMetrics[],
  metrics: EpochMetrics,
): readonly EpochMetrics[] {
  const rest = history.filter((h) => h.epoch !== metrics.epoch);
  return [...rest, metrics].sort((a, b) => a.epoch - b.epoch);
}

/**
 * The run after one stream event. `status` carries the whole run and replaces it; `progress` and
 * `epoch` patch it in place so the chart and bar move between status events; `log` does not change
 * the run. Events for another run are ignored.
 */
export function applyRunEvent(run: Run, event: RunEvent): Run {
  switch (event.type) {
    case 'status':
      return event.run.run_id === run.run_id ? event.run : run;
    case 'progress':
      return event.run_id === run.run_id ? { ...run, progress: event.progress } : run;
    case 'epoch': {
      if (event.run_id !== run.run_id) return run;
      const history = [...mergeEpoch(run.metrics.history, event.metrics)];
      // An epoch event is sent once that epoch's checkpoints are on disk, so "last" is this
      // epoch and "best" moves when it improved; the next status event brings the server's word.
      const previous = run.checkpoints.last;
      if (previous !== null && event.metrics.epoch < previous.epoch) {
        return { ...run, metrics: { ...run.metrics, history } };
      }
      const metric = run.config.best_metric;
      const last = {
        epoch: event.metrics.epoch,
        metric,
        value: metricValue(event.metrics, metric),
      };
      const best = improves(last, run.checkpoints.best) ? last : run.checkpoints.best;
      return {
        ...run,
        metrics: { history, best },
        checkpoints: { best, last },
      };
    }
    case 'log':
      return run;
    default:
      return assertNever(event);
  }
}

type Checkpoint = Run['checkpoints']['best'];

/** Keras' rule: accuracies improve upwards, losses and errors downwards; a tie is no improvement. */
function improves(candidate: NonNullable<Checkpoint>, best: Checkpoint): boolean {
  if (candidate.value === null) return false;
  if (best === null || best.value === null || best.metric !== candidate.metric) return true;
  return candidate.metric.endsWith('accuracy')
    ? candidate.value > best.value
    : candidate.value < best.value;
}

/** Overall completion 0..1: finished epochs plus the share of the current epoch's batches. */
export function runFraction(progress: RunProgress | null, status: RunStatus): number | null {
  if (status === 'completed') return 1;
  if (progress === null) return null;
  if (progress.phase === 'done') return 1;
  if (!(progress.epochs > 0)) return null;
  const done = Math.max(0, progress.epoch - 1);
  const within = progress.batches > 0 ? Math.min(1, progress.batch / progress.batches) : 0;
  return Math.min(1, Math.max(0, (done + within) / progress.epochs));
}

/** Epochs finished, from the history (the progress row may be a batch ahead). */
export function epochsDone(run: Run): number {
  return run.metrics.history.reduce((max, h) => Math.max(max, h.epoch), 0);
}

/** Accuracy as a percentage, losses and errors to four significant figures (one rule app-wide). */
export function formatMetric(name: string, value: number | null | undefined): string {
  return formatMetricValue(name, value);
}

/** "1.2k samples/s": throughput, rounded to what a person reads. */
export function formatRate(samplesPerSecond: number | null | undefined): string {
  if (samplesPerSecond === null || samplesPerSecond === undefined || !(samplesPerSecond > 0))
    return '—';
  if (samplesPerSecond >= 10_000) return `${(samplesPerSecond / 1000).toFixed(0)}k samples/s`;
  if (samplesPerSecond >= 1000) return `${(samplesPerSecond / 1000).toFixed(1)}k samples/s`;
  return `${samplesPerSecond.toFixed(samplesPerSecond < 10 ? 1 : 0)} samples/s`;
}

export const PHASE_LABELS: Readonly<Record<RunProgress['phase'], string>> = {
  queued: 'Waiting in the queue',
  preparing: 'Preparing features',
  training: 'Training',
  validating: 'Validating',
  checkpointing: 'Saving checkpoint',
  done: 'Done',
};

/** "22 Nov, 14:05" — runs are compared by when they ran, so dates stay short. */
export function formatWhen(iso: string | null): string {
  if (iso === null) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return d.toLocaleString('en-GB', {
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });
}

/** Wall time between two instants as "1 min 5 s"; `to` null means "until now". */
export function formatElapsed(fromIso: string | null, toIso: string | null, now: number): string {
  if (fromIso === null) return '—';
  const from = Date.parse(fromIso);
  const to = toIso === null ? now : Date.parse(toIso);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return '—';
  const s = Math.round((to - from) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
