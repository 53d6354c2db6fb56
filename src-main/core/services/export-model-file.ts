/**
 * The bare model file of a completed export (`…/download?file=model.onnx`), taken out of its ZIP
 * on first request and kept beside it (`<id>.model.onnx`), so scripts can write the response
 * straight to `model.onnx`. The ZIP stays the one thing the export job writes.
 */
import { readFile, stat } from 'node:fs/promises';
import { unzipSync } from 'fflate';
import type { ExportDownloadFile } from '../../../src-shared/contract/export.js';
import { AppError } from '../errors.js';
import type { ExportRecord } from '../store/index.js';
import { writeFileAtomic } from '../workspace/atomic-write.js';

/** Which export format holds each separately downloadable file. */
const FORMAT_OF: Record<ExportDownloadFile, string> = { 'model.onnx': 'onnx' };

/** Where the extracted model of the export whose ZIP is `zipPath` lives. */
export const modelPathOf = (zipPath: string): string => zipPath.replace(/\.zip$/, '.model.onnx');

/** Names (in the exports folder) of the extracted model and a temp file a crash may leave. */
export const isModelFileOf = (id: string, name: string): boolean =>
  name === `${id}.model.onnx` || (name.startsWith(`.${id}.model.onnx.`) && name.endsWith('.tmp'));

/** The bare file, extracted once; 400 when the export's format has no such file. */
export async function exportModelFile(
  rec: ExportRecord,
  zipPath: string,
  file: ExportDownloadFile,
): Promise<string> {
  if (rec.format !== FORMAT_OF[file]) {
    throw new AppError(
      'bad_request',
      `export ${rec.id} is a ${rec.format} export; file=${file} is offered only for ${FORMAT_OF[file]} exports`,
    );
  }
  const target = modelPathOf(zipPath);
  const known = await stat(target).catch(() => null);
  if (known?.isFile()) return target;
  const entries = unzipSync(await readFile(zipPath), { filter: (f) => f.name === file });
  const bytes = entries[file];
  if (!bytes) throw new AppError('internal', `export ${rec.id}'s ZIP has no ${file}`);
  // Atomic: two downloads at once each write a whole file, and a crash leaves only a temp file.
  await writeFileAtomic(target, bytes);
  return target;
}
