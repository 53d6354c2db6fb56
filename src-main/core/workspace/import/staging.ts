// The uploads' side of core, shared by both upload adapters (HTTP multipart in src-main/api,
// IPC in src-main/electron): how a client-given name is judged, where a staged file goes, and
// how staged files are dropped.
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../../errors.js';
import { isFileError } from '../../media/file-error.js';
import type { StagedFile } from '../import-types.js';
import { sanitizeRelativePath } from './paths.js';

export type { StagedFile };

/**
 * `sanitizeRelativePath` for the names that come with an upload: there an unsafe name refuses
 * the whole request (400 `bad_request`) before anything is staged, rather than failing one file
 * of the job.
 */
export function uploadRelativePath(raw: string): string {
  try {
    return sanitizeRelativePath(raw);
  } catch (err) {
    if (!isFileError(err)) throw err;
    throw new AppError('bad_request', `unsafe file name in upload: ${err.message}`);
  }
}

/**
 * A fresh path in the workspace tmp folder for one uploaded file. A harmless extension from the
 * client's name (`.zip`, `.png`) helps a human reading tmp/; content is judged by bytes anyway.
 */
export function stagingPath(tmpDir: string, clientName: string): string {
  const ext = path.extname(clientName).toLowerCase();
  const suffix = /^\.[a-z0-9]{1,8}$/.test(ext) ? ext : '';
  return path.join(tmpDir, `upload-${randomBytes(8).toString('hex')}${suffix}.part`);
}

export async function discardStaged(
  staged: readonly Pick<StagedFile, 'tempPath'>[],
): Promise<void> {
  await Promise.all(staged.map((f) => rm(f.tempPath, { force: true }).catch(() => undefined)));
}

/** Writes bytes an adapter holds in memory to a fresh staged file (removed again if that fails). */
export async function stageBytes(
  tmpDir: string,
  clientName: string,
  bytes: Uint8Array,
): Promise<string> {
  await mkdir(tmpDir, { recursive: true });
  const staged = stagingPath(tmpDir, clientName);
  try {
    await writeFile(staged, bytes);
  } catch (err) {
    await rm(staged, { force: true }).catch(() => undefined);
    throw err;
  }
  return staged;
}
