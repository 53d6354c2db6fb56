import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImportFileError } from '../../../../src-shared/contract/index.js';
import { AppError, assertNever } from '../../errors.js';
import { FileError, isFileError, reason } from '../../media/file-error.js';
import type { ImportLimits, ImportSource } from '../import-types.js';
import { copyFileHashed, copyHashed, hashFile, type Hashed } from './blob-store.js';
import { walkLocal } from './local-walk.js';
import { isIgnoredPath, sanitizeRelativePath, wrapperPrefix } from './paths.js';
import { extractZipEntry, ZipBudget } from './zip-extract.js';
import { openZipListing } from './zip-inspect.js';

/** One file to import: its final name, and how to get its bytes into an owned working file. */
export interface ImportTask {
  readonly filename: string;
  /** The archive it comes from, named in errors that stop the whole archive. */
  readonly container?: string;
  /** True once the rest of its archive must be skipped (inflation budget spent). */
  readonly skip?: () => boolean;
  /** Writes the content to `dest` (a new path in the job's working folder), hashing it. */
  materialize(dest: string): Promise<Hashed>;
}

export interface ImportPlan {
  readonly tasks: ImportTask[];
  /** Problems found while listing (bad names, links leaving the folder, unreadable archives). */
  readonly errors: ImportFileError[];
  /** Releases what listing opened (ZIP file handles). */
  close(): void;
}

export async function planImport(
  sources: readonly ImportSource[],
  limits: ImportLimits,
): Promise<ImportPlan> {
  const tasks: ImportTask[] = [];
  const errors: ImportFileError[] = [];
  const closers: (() => void)[] = [];
  const tooLarge = (size: number): void => {
    if (size > limits.maxFileBytes) {
      throw new FileError(
        'file_too_large',
        `file is ${size} bytes, over the limit of ${limits.maxFileBytes}`,
      );
    }
  };

  for (const source of sources) {
    switch (source.kind) {
      case 'local': {
        let walked;
        try {
          walked = await walkLocal(source.path);
        } catch (err) {
          errors.push({
            file: path.basename(source.path),
            code: 'read_error',
            message: reason(err),
          });
          break;
        }
        errors.push(...walked.errors);
        for (const f of walked.files) {
          tasks.push({
            filename: f.relative,
            materialize: async (dest) => {
              tooLarge((await stat(f.absPath)).size); // cheap early refusal; the copy counts again
              return copyFileHashed(f.absPath, dest, limits.maxFileBytes);
            },
          });
        }
        break;
      }
      case 'zip': {
        const zipName = path.basename(source.path);
        let listing;
        try {
          listing = await openZipListing(source.path, limits);
        } catch (err) {
          errors.push({ file: zipName, code: zipErrorCode(err), message: reason(err) });
          break;
        }
        closers.push(() => listing.close());
        const kept = listing.files.filter((f) => !isIgnoredPath(f.name));
        const prefix = wrapperPrefix(kept.map((f) => f.name));
        const budget = new ZipBudget(limits.maxZipTotalBytes);
        for (const f of kept) {
          tasks.push({
            filename: f.name.slice(prefix.length),
            container: zipName,
            skip: () => budget.exhausted,
            materialize: (dest) =>
              extractZipEntry(listing.zip, f, dest, limits.maxFileBytes, budget),
          });
        }
        break;
      }
      case 'staged': {
        const named: { tempPath: string; name: string }[] = [];
        for (const f of source.files) {
          try {
            const name = sanitizeRelativePath(f.relativePath);
            if (!isIgnoredPath(name)) named.push({ tempPath: f.tempPath, name });
          } catch (err) {
            if (!isFileError(err)) throw err;
            errors.push({ file: f.relativePath, code: err.code, message: err.message });
          }
        }
        const prefix = wrapperPrefix(named.map((n) => n.name));
        for (const n of named) {
          tasks.push({
            filename: n.name.slice(prefix.length),
            materialize: async (dest) => {
              tooLarge((await stat(n.tempPath)).size);
              try {
                // Staged files are ours already (workspace tmp, same filesystem): move, don't copy.
                await rename(n.tempPath, dest);
              } catch {
                return copyHashed(createReadStream(n.tempPath), dest, limits.maxFileBytes);
              }
              return hashFile(dest, limits.maxFileBytes);
            },
          });
        }
        break;
      }
      default:
        assertNever(source);
    }
  }
  return { tasks, errors, close: () => closers.forEach((c) => c()) };
}

/** The per-file code for an archive refused while listing (the API refuses these up front too). */
function zipErrorCode(err: unknown): string {
  if (!(err instanceof AppError)) return 'corrupt_zip';
  if (err.code === 'payload_too_large') return 'zip_too_large';
  const details = err.details as { entry?: string } | undefined;
  return details?.entry !== undefined ? 'bad_path' : 'corrupt_zip';
}
