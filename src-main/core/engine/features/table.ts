import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { sniffFile } from '../../media/sniff.js';
import { deriveSeed, mulberry32, shuffleInPlace, subsetSizes } from '../../splits/index.js';

/** RFC 4180: quoted fields may hold delimiters, `""` and newlines; CRLF or LF; BOM skipped; blank lines ignored. */
export function parseCsv(text: string, delimiter: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const endRow = (): void => {
    row.push(cell);
    if (!(row.length === 1 && row[0] === '')) rows.push(row);
    row = [];
    cell = '';
  };
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          cell += '"';
          i++;
        } else quoted = false;
      } else cell += ch;
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === delimiter) {
      row.push(cell);
      cell = '';
    } else if (ch === '\n') endRow();
    else if (ch === '\r') {
      if (text[i + 1] === '\n') i++;
      endRow();
    } else cell += ch;
  }
  if (quoted) throw new Error('a quoted field is not closed');
  if (cell !== '' || row.length > 0) endRow();
  return rows;
}

export interface Table {
  readonly featureNames: readonly string[];
  readonly targetName: string;
  /** Row-major [rows × features]. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly rows: number;
}

/**
 * The project's tables as one numeric matrix: rows concatenated in the order given, every cell a
 * number. The target is the column named `targetColumn`, else the last. All tables must share
 * the first one's header.
 */
export async function readTables(
  files: readonly string[],
  targetColumn: string | null,
): Promise<Table> {
  let header: string[] | null = null;
  const xs: number[] = [];
  const ys: number[] = [];
  let targetIndex = -1;
  for (const file of files) {
    const name = path.basename(file);
    const sniffed = await sniffFile(file);
    if (sniffed.kind !== 'table') throw new Error(`${name} is not a CSV table`);
    const rows = parseCsv(await readFile(file, 'utf8'), sniffed.delimiter);
    const [head, ...body] = rows;
    if (!head) throw new Error(`${name} is empty`);
    const cols = head.map((h) => h.trim());
    if (header === null) {
      header = cols;
      targetIndex = targetColumn === null ? cols.length - 1 : cols.indexOf(targetColumn);
      if (targetIndex < 0) {
        throw new Error(
          `target column "${targetColumn}" is not a column of ${name} (${cols.join(', ')})`,
        );
      }
      if (cols.length < 2) throw new Error(`${name} has one column: nothing to predict it from`);
    } else if (cols.join('\u0000') !== header.join('\u0000')) {
      throw new Error(`${name} has other columns than the first table (${header.join(', ')})`);
    }
    body.forEach((cells, r) => {
      if (cells.length !== cols.length) {
        throw new Error(
          `${name} line ${r + 2} has ${cells.length} fields, the header has ${cols.length}`,
        );
      }
      cells.forEach((raw, c) => {
        const text = raw.trim();
        const v = text === '' ? NaN : Number(text);
        if (!Number.isFinite(v)) {
          throw new Error(
            `${name} line ${r + 2}, column "${cols[c]}": "${text.slice(0, 40)}" is not a number (the MLP takes numeric columns only)`,
          );
        }
        if (c === targetIndex) ys.push(v);
        else xs.push(v);
      });
    });
  }
  if (header === null) throw new Error('no table to train on');
  return {
    featureNames: header.filter((_, c) => c !== targetIndex),
    targetName: header[targetIndex] as string,
    x: Float32Array.from(xs),
    y: Float32Array.from(ys),
    rows: ys.length,
  };
}

/**
 * Row indices of each subset: rows shuffled by (seed, "table-rows") with the splits module's
 * PRNG, then cut by the same cumulative rounding a dataset split uses (core/splits).
 */
export function splitRows(
  rows: number,
  ratios: { readonly train: number; readonly val: number; readonly test: number },
  seed: number,
): { train: number[]; val: number[]; test: number[] } {
  const order = shuffleInPlace(
    Array.from({ length: rows }, (_, i) => i),
    mulberry32(deriveSeed(seed, 'table-rows')),
  );
  const s = subsetSizes(rows, ratios);
  return {
    train: order.slice(0, s.train),
    val: order.slice(s.train, s.train + s.val),
    test: order.slice(s.train + s.val, s.train + s.val + s.test),
  };
}

export interface Standardizer {
  readonly mean: number[];
  readonly std: number[];
}

/** Per-column mean and (population) standard deviation over the given rows; a constant column gets std 1. */
export function fitStandardizer(
  x: Float32Array,
  columns: number,
  rows: readonly number[],
): Standardizer {
  const mean = new Array<number>(columns).fill(0);
  const sq = new Array<number>(columns).fill(0);
  for (const r of rows)
    for (let c = 0; c < columns; c++)
      mean[c] = (mean[c] as number) + (x[r * columns + c] as number);
  for (let c = 0; c < columns; c++) mean[c] = (mean[c] as number) / Math.max(1, rows.length);
  for (const r of rows) {
    for (let c = 0; c < columns; c++) {
      const d = (x[r * columns + c] as number) - (mean[c] as number);
      sq[c] = (sq[c] as number) + d * d;
    }
  }
  const std = sq.map((s) => {
    const v = Math.sqrt(s / Math.max(1, rows.length));
    return v > 1e-12 ? v : 1;
  });
  return { mean, std };
}

/** The given rows, standardised, packed back to back. */
export function takeRows(
  x: Float32Array,
  columns: number,
  rows: readonly number[],
  st: Standardizer,
): Float32Array {
  const out = new Float32Array(rows.length * columns);
  rows.forEach((r, i) => {
    for (let c = 0; c < columns; c++) {
      out[i * columns + c] =
        ((x[r * columns + c] as number) - (st.mean[c] as number)) / (st.std[c] as number);
    }
  });
  return out;
}
