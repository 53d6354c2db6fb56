import yauzl from 'yauzl';
import { AppError } from '../../errors.js';
import type { ImportLimits } from '../import-types.js';
import { pathProblem } from './paths.js';

/** One file entry of a ZIP, its name already validated and normalised to '/' separators. */
export interface ZipFileEntry {
  readonly name: string;
  readonly declaredSize: number;
  readonly entry: yauzl.Entry;
  /** Symbolic links are listed so they can be reported, never followed or materialised. */
  readonly isSymlink: boolean;
}

export interface ZipListing {
  readonly zip: yauzl.ZipFile;
  readonly files: readonly ZipFileEntry[];
  /** Entries in the central directory, folders included. */
  readonly entries: number;
  /** Sum of the declared uncompressed sizes. */
  readonly totalBytes: number;
  close(): void;
}

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;

/**
 * Judges a ZIP from its central directory alone — nothing is inflated. Refuses the whole archive
 * with `bad_request` for a name with a '..' segment, an absolute path, a drive letter or control
 * characters (backslashes are read as separators first, so `..\\x` and `C:\\x` are caught too), and
 * with `payload_too_large` above `maxZipEntries` entries or `maxZipTotalBytes` declared bytes.
 * The declared sizes can lie: extraction counts the inflated bytes again (zip-extract.ts).
 */
export async function inspectZip(
  zipPath: string,
  limits: ImportLimits,
): Promise<{ entries: number; totalBytes: number }> {
  const listing = await openZipListing(zipPath, limits);
  listing.close();
  return { entries: listing.entries, totalBytes: listing.totalBytes };
}

/** As {@link inspectZip}, keeping the archive open so entries can be read; the caller closes it. */
export async function openZipListing(zipPath: string, limits: ImportLimits): Promise<ZipListing> {
  let zip: yauzl.ZipFile;
  try {
    // decodeStrings:false so that yauzl neither rewrites backslashes nor throws a bare Error on
    // bad names: we decode and judge names ourselves and answer with our own error codes.
    zip = await yauzl.openPromise(zipPath, {
      autoClose: false,
      decodeStrings: false,
      validateEntrySizes: true,
    });
  } catch (err) {
    throw new AppError('bad_request', `not a readable ZIP file: ${(err as Error).message}`);
  }
  const close = (): void => zip.close();
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new AppError(
        'payload_too_large',
        `ZIP has ${zip.entryCount} entries, over the limit of ${limits.maxZipEntries}`,
      );
    }
    const files: ZipFileEntry[] = [];
    let totalBytes = 0;
    let entries = 0;
    for await (const entry of zip.eachEntry()) {
      entries++;
      const raw = entry.fileNameRaw;
      const name = yauzl.getFileNameLowLevel(
        entry.generalPurposeBitFlag,
        raw,
        entry.extraFields,
        true,
      );
      const problem = pathProblem(name);
      if (problem) {
        throw new AppError('bad_request', `ZIP entry ${JSON.stringify(name)} refused: ${problem}`, {
          entry: name,
        });
      }
      totalBytes += entry.uncompressedSize;
      if (totalBytes > limits.maxZipTotalBytes) {
        throw new AppError(
          'payload_too_large',
          `ZIP would inflate to more than ${limits.maxZipTotalBytes} bytes (limit)`,
        );
      }
      const normalised = name.replace(/\\/g, '/');
      if (normalised.endsWith('/')) continue; // folder entry
      const isSymlink = ((entry.externalFileAttributes >>> 16) & S_IFMT) === S_IFLNK;
      files.push({ name: normalised, declaredSize: entry.uncompressedSize, entry, isSymlink });
    }
    return { zip, files, entries, totalBytes, close };
  } catch (err) {
    close();
    if (err instanceof AppError) throw err;
    throw new AppError('bad_request', `not a readable ZIP file: ${(err as Error).message}`);
  }
}
