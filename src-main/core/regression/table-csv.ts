import { open } from 'node:fs/promises';
import type { RegressionTable } from './table-input.js';

/** The canonical CSV a regression upload is stored as (the one table of the family's project). */

const csvCell = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** The canonical CSV's header: unique names, target last. */
function csvHeader(t: RegressionTable): string {
  const seen = new Set<string>();
  // Where each base name's suffix search resumes: scanning from _2 every time made 165 000 copies
  // of one name (a memo'd string repeated in a pickle) take minutes.
  const nextSuffix = new Map<string, number>();
  const unique = (n: string): string => {
    const base = n.trim();
    let name = base || 'column';
    let i = nextSuffix.get(base) ?? 2;
    for (; seen.has(name); i++) name = `${base}_${i}`;
    nextSuffix.set(base, i);
    seen.add(name);
    return name;
  };
  return [...t.featureNames.map(unique), unique(t.targetName)].map(csvCell).join(',');
}

/** Rows `from`..`to` (exclusive) as CSV lines in float64 round-trip text, each ending in \n. */
function csvRows(t: RegressionTable, from: number, to: number): string {
  const cols = t.featureNames.length;
  const lines: string[] = [];
  for (let r = from; r < to; r++) {
    const cells: string[] = [];
    for (let c = 0; c < cols; c++) cells.push(String(t.x[r * cols + c]));
    cells.push(String(t.y[r]));
    lines.push(cells.join(','));
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** The canonical CSV's header and first row, as the sniffer of an import reads them first. */
export function csvHead(t: RegressionTable): string {
  return `${csvHeader(t)}\n${csvRows(t, 0, Math.min(1, t.rows))}`;
}

/** The canonical CSV the project stores: unique header names, target last, float64 round-trip text. */
export function tableToCsv(t: RegressionTable): string {
  return `${csvHeader(t)}\n${csvRows(t, 0, t.rows)}`;
}

/** The canonical CSV written to `file` a block of rows at a time (a large table never becomes one string). */
export async function writeTableCsv(t: RegressionTable, file: string): Promise<void> {
  const out = await open(file, 'w');
  try {
    await out.write(`${csvHeader(t)}\n`);
    const block = Math.max(1, Math.floor(CSV_BLOCK_CELLS / Math.max(1, t.featureNames.length)));
    for (let r = 0; r < t.rows; r += block) {
      await out.write(csvRows(t, r, Math.min(t.rows, r + block)));
    }
  } finally {
    await out.close();
  }
}

const CSV_BLOCK_CELLS = 1 << 18;
