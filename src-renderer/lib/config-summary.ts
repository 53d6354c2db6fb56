import type { Task } from '../../src-shared/contract/projects.js';
import type { ExperimentConfig } from '../../src-shared/contract/training.js';
import { assertNever } from './assert-never.js';
import { BACKEND_LABELS } from './device-options.js';
import { ARCHITECTURE_LABELS, inputKindFor } from './experiment-draft.js';
import { METRIC_LABELS } from './training-traces.js';

export interface SummaryRow {
  readonly label: string;
  readonly value: string;
}

const SCHEDULES: Readonly<Record<ExperimentConfig['lr_schedule']['type'], string>> = {
  constant: 'constant',
  step: 'step decay',
  exponential: 'exponential decay',
  cosine: 'cosine annealing',
};

function inputText(c: ExperimentConfig, task: Task): string {
  const i = c.input;
  const kind = inputKindFor(task);
  switch (kind) {
    case 'image':
      return `${i.width ?? '?'} × ${i.height ?? '?'} px, ${i.channels === 1 ? 'greyscale' : 'RGB'}`;
    case 'audio':
      return `${((i.sample_rate ?? 0) / 1000).toFixed(1)} kHz, ${i.clip_seconds ?? '?'} s clips, ${i.n_mels ?? '?'} mel bands`;
    case 'table':
      return `table columns → ${c.hidden_layers.join(' → ')} → 1`;
    default:
      return assertNever(kind);
  }
}

function augmentationText(c: ExperimentConfig, task: Task): string {
  const a = c.augmentation;
  const parts: string[] = [];
  if (inputKindFor(task) === 'image') {
    if (a.flip_horizontal) parts.push('flip left–right');
    if (a.flip_vertical) parts.push('flip upside down');
    if (a.rotation_degrees > 0) parts.push(`rotate ±${a.rotation_degrees}°`);
    if (a.crop_fraction > 0) parts.push(`crop ${Math.round(a.crop_fraction * 100)}%`);
    if (a.brightness > 0) parts.push(`brightness ±${Math.round(a.brightness * 100)}%`);
  } else if (inputKindFor(task) === 'audio') {
    if (a.time_shift_fraction > 0) parts.push(`shift ${Math.round(a.time_shift_fraction * 100)}%`);
    if (a.gain_db > 0) parts.push(`gain ±${a.gain_db} dB`);
    if (a.noise_level > 0) parts.push(`noise ${a.noise_level}`);
  }
  return parts.length === 0 ? 'none' : parts.join(', ');
}

const metricName = (m: string): string => METRIC_LABELS[m]?.toLowerCase() ?? m;

/**
 * The settings a run trained with, in a few readable lines. `ran` is where it actually ran (the
 * backend and device the trainer reported), which "auto" in the config does not say.
 */
export function configSummary(
  c: ExperimentConfig,
  task: Task,
  ran: { readonly backend: string | null; readonly device: string | null },
): SummaryRow[] {
  const s = c.lr_schedule;
  const schedule =
    SCHEDULES[s.type] +
    (s.type === 'step' ? ` ×${s.gamma} every ${s.step_epochs} epochs` : '') +
    (s.type === 'exponential' ? ` ×${s.gamma} per epoch` : '') +
    (s.warmup_epochs > 0 ? `, ${s.warmup_epochs} warm-up epochs` : '');
  const es = c.early_stopping;
  const backend = c.backend in BACKEND_LABELS ? BACKEND_LABELS[c.backend] : String(c.backend);
  const where =
    ran.backend !== null
      ? `${ran.backend} on ${ran.device ?? 'cpu'} (asked: ${c.backend}, ${c.device})`
      : `${backend}, device ${c.device}`;
  const rows: SummaryRow[] = [
    { label: 'Architecture', value: ARCHITECTURE_LABELS[c.architecture] },
    { label: 'Input', value: inputText(c, task) },
    { label: 'Epochs × batch', value: `${c.epochs} × ${c.batch_size}` },
    {
      label: 'Optimiser',
      value: `${c.optimizer.name === 'adam' ? 'Adam' : `SGD (momentum ${c.optimizer.momentum})`}, learning rate ${c.optimizer.learning_rate}`,
    },
    { label: 'Schedule', value: schedule },
    {
      label: 'Early stopping',
      value: es.enabled ? `${metricName(es.monitor)}, patience ${es.patience}` : 'off',
    },
    { label: 'Augmentation', value: augmentationText(c, task) },
    { label: 'Best checkpoint by', value: metricName(c.best_metric) },
  ];
  if (inputKindFor(task) !== 'table') {
    rows.push({
      label: 'Class weights',
      value: typeof c.class_weights === 'string' ? c.class_weights : 'per class',
    });
  }
  rows.push(
    { label: 'Dropout', value: String(c.dropout) },
    { label: 'Seed', value: String(c.seed) },
    { label: 'Runs on', value: where },
    { label: 'Threads', value: String(c.threads) },
  );
  return rows;
}
