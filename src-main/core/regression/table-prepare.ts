import { open, readFile, stat } from 'node:fs/promises';
import { isFileError } from '../media/file-error.js';
import { type MediaLimits, probeMedia } from '../media/probe.js';
import { TEXT_PROBE_BYTES } from '../media/sniff.js';
import { csvHead, writeTableCsv } from './table-csv.js';
import { readUpload, type UploadFormat, UploadError } from './table-input.js';

/** What the worker is asked to do with one staged upload. */
export interface PrepareRequest {
  /** The staged upload (read only), already judged as `format`. */
  readonly path: string;
  readonly format: UploadFormat;
  readonly targetColumn: string | null;
  /** Where the canonical CSV goes. */
  readonly csvPath: string;
  /** The dataset's own limits: the CSV must pass the import it is headed for. */
  readonly limits: MediaLimits & { readonly maxFileBytes: number };
}

/** A table ready to replace the project's dataset, described without its values. */
export interface PreparedTable {
  readonly format: UploadFormat;
  readonly featureNames: readonly string[];
  readonly targetName: string;
  readonly rows: number;
  readonly min: number;
  readonly max: number;
}

/** The first bytes of a file, enough for `judgeFormat`'s magic numbers. */
export async function fileHead(file: string): Promise<Uint8Array> {
  const fh = await open(file, 'r');
  try {
    const buf = new Uint8Array(16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/**
 * Reads and checks one upload, and writes the CSV the project will store, checked the way
 * the dataset import checks it. Everything that can refuse the file happens here, before the old
 * dataset is touched. Throws `UploadError`.
 */
export async function prepareTable(req: PrepareRequest): Promise<PreparedTable> {
  const { format } = req;
  // CSV is streamed from the file; the binary formats are parsed whole.
  const bytes = format === 'csv' ? new Uint8Array(0) : await readFile(req.path);
  const table = await readUpload(format, bytes, req.path, req.targetColumn);
  const head = Buffer.byteLength(csvHead(table));
  if (head > TEXT_PROBE_BYTES) {
    throw new UploadError(
      'preprocess',
      `${table.featureNames.length} columns are too wide to store: the header and first row take ${head} bytes as CSV, at most ${TEXT_PROBE_BYTES}`,
    );
  }
  await writeTableCsv(table, req.csvPath);
  const { size } = await stat(req.csvPath);
  if (size > req.limits.maxFileBytes) {
    throw new UploadError(
      'preprocess',
      `the table is ${size} bytes as CSV, over the dataset's limit of ${req.limits.maxFileBytes} bytes`,
    );
  }
  try {
    await probeMedia(req.csvPath, req.limits);
  } catch (err) {
    if (!isFileError(err)) throw err;
    throw new UploadError('preprocess', `the table would not import as a dataset: ${err.message}`);
  }
  let min = Infinity;
  let max = -Infinity;
  for (const v of table.y) {
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return {
    format,
    featureNames: table.featureNames,
    targetName: table.targetName,
    rows: table.rows,
    min,
    max,
  };
}
