import type { RunPrediction, TableRow, Task } from '../../src-shared/contract/index.js';

/** What a run of a task takes in Try it. */
export type TryItMedia = 'image' | 'audio' | 'table';

export function tryItMedia(task: Task): TryItMedia {
  switch (task) {
    case 'audio-classification':
    case 'wake-word':
      return 'audio';
    case 'regression':
      return 'table';
    case 'classification':
    case 'inspection':
      return 'image';
  }
}

/** The file picker's `accept` for a medium; tables are typed in, not picked. */
export const ACCEPT: Readonly<Record<TryItMedia, string>> = {
  image: 'image/png,image/jpeg,image/webp,image/tiff,image/bmp',
  audio: 'audio/wav,audio/x-wav,audio/mpeg,audio/flac,audio/ogg,.wav,.mp3,.flac,.ogg,.opus',
  table: '',
};

/**
 * A table row as typed: `1.2, 3, 4` (values in column order) or `a=1.2, b=3` / a JSON object
 * (values by column name). Returns the row, or the sentence saying what is wrong.
 */
export function parseRowText(text: string): { row: TableRow } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: 'Type the values of one row.' };
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      return { error: 'That is not valid JSON.' };
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      return { error: 'A JSON row is an object of column → number.' };
    }
    const entries = Object.entries(parsed as Record<string, unknown>);
    if (entries.some(([, v]) => typeof v !== 'number' || !Number.isFinite(v))) {
      return { error: 'Every value must be a number.' };
    }
    return { row: Object.fromEntries(entries) as Record<string, number> };
  }
  const parts = trimmed.split(/[\s,;]+/).filter(Boolean);
  if (parts.every((p) => p.includes('='))) {
    const row: Record<string, number> = {};
    for (const p of parts) {
      const [name, value] = p.split('=').map((s) => s.trim());
      const n = Number(value);
      if (!name || value === '' || !Number.isFinite(n))
        return { error: `"${p}" is not name=number.` };
      row[name] = n;
    }
    return { row };
  }
  const values = parts.map(Number);
  if (parts.some((p) => p.includes('=')) || values.some((v) => !Number.isFinite(v))) {
    return { error: 'Give numbers in column order (1.2, 3, 4) or name=value pairs.' };
  }
  return { row: values };
}

export interface ProbabilityBar {
  readonly label: string;
  readonly probability: number;
  /** Bar width, 0–100. */
  readonly percent: number;
  readonly top: boolean;
}

/** The bars of a classification, most probable first; empty for a regression. */
export function probabilityBars(p: RunPrediction): readonly ProbabilityBar[] {
  return p.probabilities.map((c, i) => ({
    label: c.label,
    probability: c.probability,
    percent: Math.max(0, Math.min(100, c.probability * 100)),
    top: i === 0,
  }));
}
