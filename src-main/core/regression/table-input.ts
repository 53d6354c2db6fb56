import { readTables } from '../engine/features/table.js';
import { sniffFile } from '../media/sniff.js';
import { readPickle } from '../media/pickle/read-pickle.js';
import { isNdArray, type NdArray, PickleTuple, type PickleValue } from '../media/pickle/values.js';
import { isNpy, isZip, readNpy, readNpz } from './npy.js';

/** What an uploaded file was, judged by its bytes. */
export type UploadFormat = 'pickle' | 'csv' | 'npy' | 'npz';

export type UploadStage = 'invalid_type' | 'load' | 'preprocess' | 'limit';

/** A regression table in float64, rows × features, target apart. */
export interface RegressionTable {
  readonly featureNames: readonly string[];
  readonly targetName: string;
  readonly x: Float64Array;
  readonly y: Float64Array;
  readonly rows: number;
}

/**
 * Why an upload was refused, in the reference's words: `invalid_type` answers "Only pickle files
 * (.pkl, .pickle) are allowed.", `load` "Failed to load pickle: …", `preprocess` "Data
 * preprocessing failed: …". `limit`: reading it was stopped (too slow, too much memory), also
 * "Failed to load pickle: …" but a 422: the file may be valid, it is more than Assay reads.
 */
export class UploadError extends Error {
  constructor(
    readonly stage: UploadStage,
    message: string,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

const MAX_NPZ_BYTES = 1024 ** 3;

export function isPickle(b: Uint8Array): boolean {
  return b[0] === 0x80 && (b[1] as number) >= 2 && (b[1] as number) <= 5;
}

/** The format of the bytes (a staged copy at `file` lets the CSV sniffer read them), or null. */
export async function judgeFormat(bytes: Uint8Array, file: string): Promise<UploadFormat | null> {
  if (isPickle(bytes)) return 'pickle';
  if (isNpy(bytes)) return 'npy';
  if (isZip(bytes)) return 'npz';
  const sniffed = await sniffFile(file);
  return sniffed.kind === 'table' ? 'csv' : null;
}

const preprocess = (m: string): UploadError => new UploadError('preprocess', m);

/** A numeric array's values as float64; bools as 0/1. */
function floats(a: NdArray): Float64Array {
  const out = new Float64Array(a.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  return out;
}

/** Values read for X or y, with the shape they came in (numpy's, or rows × cells for lists). */
export interface Matrix {
  readonly data: Float64Array;
  readonly cols: number;
  readonly shape: readonly number[];
}

/**
 * The most cells X may hold (1 GiB of float64). Memo'd rows cost a pickle two bytes each, so a
 * small file could otherwise ask for any amount of memory.
 */
export const MAX_TABLE_CELLS = 2 ** 27;

/** Longest feature or target name: a name is a label on a plot, not a place to keep data. */
const MAX_NAME_CHARS = 1000;

/** numpy's way of writing a shape: (5,) and (5, 3). */
export const shapeText = (shape: readonly number[]): string =>
  shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;

const X_SHAPE = '(n_samples, n_features), e.g. (n_samples, 5)';

/**
 * Rows of a list cost a pickle at least two bytes per number unless one row object is repeated
 * through the memo (two bytes per row, whatever its length): more cells than that, or than
 * MAX_TABLE_CELLS, is a file built to grow, not a table.
 */
function cellsChecked(what: string, rows: number, cols: number, inputBytes: number): void {
  const most = Math.min(MAX_TABLE_CELLS, Math.max(1 << 20, inputBytes));
  if (rows * cols > most) {
    throw preprocess(
      `${what} would hold ${rows} × ${cols} values from a ${inputBytes}-byte file, more than the ${most} it may hold`,
    );
  }
}

/** X as rows × cols from an array (1-D: one feature) or a list of rows. */
function matrixOf(v: PickleValue | undefined, what: 'X' | 'y', inputBytes = Infinity): Matrix {
  const expected = what === 'X' ? X_SHAPE : '(n_samples,)';
  if (isNdArray(v)) {
    if (v.shape.length === 2) {
      return { data: floats(v), cols: v.shape[1] as number, shape: v.shape };
    }
    if (v.shape.length === 1) return { data: floats(v), cols: 1, shape: v.shape };
    throw preprocess(`${what} has shape ${shapeText(v.shape)}; expected ${expected}`);
  }
  const rows = v instanceof PickleTuple ? v.items : v;
  if (!Array.isArray(rows)) {
    throw preprocess(`${what} must be a numpy array of shape ${expected} or a list of rows`);
  }
  const first = rows[0];
  const cols = Array.isArray(first)
    ? first.length
    : first instanceof PickleTuple
      ? first.items.length
      : 1;
  cellsChecked(what, rows.length, cols, inputBytes);
  const data = new Float64Array(rows.length * cols);
  rows.forEach((row, r) => {
    const cells = Array.isArray(row) ? row : row instanceof PickleTuple ? row.items : [row];
    if (cells.length !== cols)
      throw preprocess(`${what} row ${r} has ${cells.length} values, row 0 has ${cols}`);
    cells.forEach((c, j) => {
      if (typeof c !== 'number' && typeof c !== 'bigint' && typeof c !== 'boolean') {
        throw preprocess(`${what} row ${r} holds a non-number`);
      }
      data[r * cols + j] = Number(c);
    });
  });
  const listed = Array.isArray(first) || first instanceof PickleTuple;
  return { data, cols, shape: listed ? [rows.length, cols] : [rows.length] };
}

function stringList(v: PickleValue | undefined): string[] | null {
  if (!Array.isArray(v) && !(v instanceof PickleTuple)) return null;
  const items = v instanceof PickleTuple ? v.items : v;
  return items.every((s) => typeof s === 'string') ? (items as string[]) : null;
}

/** Checks shapes and values, names unnamed columns x1…xN / y. */
export function tableOf(
  x: Matrix,
  y: Matrix,
  featureNames: readonly string[] | null,
  targetName: string | null,
): RegressionTable {
  if (y.cols !== 1) {
    throw preprocess(
      `y has shape ${shapeText(y.shape)}; expected (n_samples,): one target per sample`,
    );
  }
  const rows = y.data.length;
  // A 1-D X counts as one feature, so it too must hold one value per target.
  if (x.cols < 1 || x.data.length !== rows * x.cols) {
    throw preprocess(
      `X has shape ${shapeText(x.shape)} and y has shape ${shapeText(y.shape)}; expected X of shape (${rows}, n_features) for ${rows} targets, e.g. (${rows}, 5)`,
    );
  }
  if (rows < 10) throw preprocess(`${rows} samples are too few to split 70/15/15 and train`);
  for (const [name, arr] of [
    ['X', x.data],
    ['y', y.data],
  ] as const) {
    const bad = arr.findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) throw preprocess(`${name} holds a NaN or infinite value (element ${bad})`);
  }
  if (featureNames && featureNames.length !== x.cols) {
    throw preprocess(
      `metadata names ${featureNames.length} features, X has shape ${shapeText(x.shape)} (${x.cols} features)`,
    );
  }
  const named = [...(featureNames ?? []), ...(targetName === null ? [] : [targetName])];
  const long = named.findIndex((n) => n.length > MAX_NAME_CHARS);
  if (long >= 0) {
    throw preprocess(
      `column name ${long + 1} is ${(named[long] as string).length} characters long, at most ${MAX_NAME_CHARS}`,
    );
  }
  return {
    featureNames: featureNames ?? Array.from({ length: x.cols }, (_, i) => `x${i + 1}`),
    targetName: targetName ?? 'y',
    x: x.data,
    y: y.data,
    rows,
  };
}

function fromPickle(bytes: Uint8Array): RegressionTable {
  let root: PickleValue;
  try {
    root = readPickle(bytes);
  } catch (err) {
    throw new UploadError('load', (err as Error).message);
  }
  if (!(root instanceof Map))
    throw preprocess('the pickle must hold a dict with keys "X", "y" and "metadata"');
  if (!root.has('X') || !root.has('y')) throw preprocess('the dict must have keys "X" and "y"');
  const meta = root.get('metadata');
  const names = meta instanceof Map ? stringList(meta.get('feature_names')) : null;
  const target = meta instanceof Map ? meta.get('target_name') : undefined;
  return tableOf(
    matrixOf(root.get('X'), 'X', bytes.length),
    matrixOf(root.get('y'), 'y', bytes.length),
    names,
    typeof target === 'string' ? target : null,
  );
}

/** A 2-D array whose last column (or `targetColumn`, an index) is the target. */
function fromMatrix(a: NdArray, targetColumn: string | null): RegressionTable {
  if (a.shape.length !== 2 || (a.shape[1] as number) < 2) {
    throw preprocess('a single array must be 2-dimensional with the target as one of its columns');
  }
  const [rows, cols] = a.shape as [number, number];
  const t = targetColumn === null ? cols - 1 : Number(targetColumn);
  if (!Number.isInteger(t) || t < 0 || t >= cols) {
    throw preprocess(`target_column must be a column index 0..${cols - 1} for an array`);
  }
  const all = floats(a);
  const x = new Float64Array(rows * (cols - 1));
  const y = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let k = 0;
    for (let c = 0; c < cols; c++) {
      const v = all[r * cols + c] as number;
      if (c === t) y[r] = v;
      else x[r * (cols - 1) + k++] = v;
    }
  }
  return tableOf(
    { data: x, cols: cols - 1, shape: [rows, cols - 1] },
    { data: y, cols: 1, shape: [rows] },
    null,
    null,
  );
}

function fromNpz(bytes: Uint8Array, targetColumn: string | null): RegressionTable {
  let arrays: Map<string, NdArray>;
  try {
    arrays = readNpz(bytes, MAX_NPZ_BYTES);
  } catch (err) {
    throw new UploadError('load', (err as Error).message);
  }
  const x = arrays.get('X') ?? arrays.get('x');
  const y = arrays.get('y') ?? arrays.get('Y');
  if (x && y) return tableOf(matrixOf(x, 'X'), matrixOf(y, 'y'), null, null);
  if (arrays.size === 1) return fromMatrix([...arrays.values()][0] as NdArray, targetColumn);
  throw preprocess(
    `the .npz must hold arrays "X" and "y" (it holds ${[...arrays.keys()].join(', ') || 'none'})`,
  );
}

/** Reads an upload already judged as `format`; `file` is its staged copy (for CSV). */
export async function readUpload(
  format: UploadFormat,
  bytes: Uint8Array,
  file: string,
  targetColumn: string | null,
): Promise<RegressionTable> {
  switch (format) {
    case 'pickle':
      return fromPickle(bytes);
    case 'npz':
      return fromNpz(bytes, targetColumn);
    case 'npy': {
      let a: NdArray;
      try {
        a = readNpy(bytes);
      } catch (err) {
        throw new UploadError('load', (err as Error).message);
      }
      return fromMatrix(a, targetColumn);
    }
    case 'csv': {
      let t;
      try {
        t = await readTables([file], targetColumn);
      } catch (err) {
        throw new UploadError('load', (err as Error).message);
      }
      const n = t.y.length;
      return tableOf(
        {
          data: Float64Array.from(t.x),
          cols: t.featureNames.length,
          shape: [n, t.featureNames.length],
        },
        { data: Float64Array.from(t.y), cols: 1, shape: [n] },
        t.featureNames,
        t.targetName,
      );
    }
  }
}
