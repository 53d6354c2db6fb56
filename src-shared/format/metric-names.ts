/**
 * Names before ids: what a person reads where the API speaks in indexes and metric keys. Shared by
 * the trainer's run messages and every screen, so a metric is called the same thing everywhere.
 */

/** "Split 1 · baseline": the API's 0-based `split_index`, counted from one as people count. */
export function splitLabel(splitIndex: number | null, name?: string | null): string {
  const number = splitIndex === null ? 'Split (deleted)' : `Split ${splitIndex + 1}`;
  return name === undefined || name === null || name === '' ? number : `${number} · ${name}`;
}

const WORDS: Readonly<Record<string, string>> = {
  loss: 'loss',
  accuracy: 'accuracy',
  mae: 'mean absolute error',
  mse: 'mean squared error',
};

/** "val_accuracy" → "validation accuracy", "loss" → "training loss"; unknown keys pass through. */
export function metricPhrase(name: string): string {
  const val = name.startsWith('val_');
  const base = val ? name.slice(4) : name;
  const word = WORDS[base];
  if (word === undefined) return name.replace(/_/g, ' ');
  return `${val ? 'validation' : 'training'} ${word}`;
}

const isPercent = (name: string): boolean => name === 'accuracy' || name === 'val_accuracy';

/** "100 %", "93.8 %"; losses and errors to four significant figures; "—" when there is none. */
export function formatMetricValue(name: string, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (isPercent(name)) {
    const pct = value * 100;
    return `${Number.isInteger(Math.round(pct * 10) / 10) ? pct.toFixed(0) : pct.toFixed(1)} %`;
  }
  if (value !== 0 && Math.abs(value) < 0.001) return value.toExponential(2);
  return Number(value.toPrecision(4)).toString();
}

/** "best validation accuracy 100 % at epoch 37". */
export function formatBest(best: {
  readonly metric: string;
  readonly value: number | null;
  readonly epoch: number;
}): string {
  return `best ${metricPhrase(best.metric)} ${formatMetricValue(best.metric, best.value)} at epoch ${best.epoch}`;
}

/** A checkpoint's score in words: "validation accuracy 100 %"; "—" when it has none. */
export function checkpointScore(
  checkpoint: { readonly metric: string; readonly value: number | null } | null | undefined,
): string {
  if (checkpoint === null || checkpoint === undefined || checkpoint.value === null) return '—';
  return `${metricPhrase(checkpoint.metric)} ${formatMetricValue(checkpoint.metric, checkpoint.value)}`;
}
