import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { FileError, isFileError, reason } from '../../media/file-error.js';
import { copyHashed, type Hashed } from './blob-store.js';
import type { ZipFileEntry } from './zip-inspect.js';

/**
 * The archive-wide inflation budget, counted on real inflated bytes: a ZIP's directory can declare
 * tiny sizes for huge entries. Once spent, every further read of that archive stops.
 */
export class ZipBudget {
  private used = 0;
  exhausted = false;
  constructor(private readonly limit: number) {}

  take(n: number): void {
    this.used += n;
    if (this.used > this.limit) {
      this.exhausted = true;
      throw new FileError(
        'zip_too_large',
        `ZIP inflates to more than the limit of ${this.limit} bytes; import stopped`,
      );
    }
  }
}

/** Inflates one entry into `dest` (a new file in the job's working folder), hashing it on the way. */
export async function extractZipEntry(
  zip: yauzl.ZipFile,
  file: ZipFileEntry,
  dest: string,
  maxFileBytes: number,
  budget: ZipBudget,
): Promise<Hashed> {
  if (budget.exhausted) throw new FileError('zip_too_large', 'ZIP inflation limit already reached');
  if (file.isSymlink)
    throw new FileError('unsupported_type', 'symbolic links inside a ZIP are not imported');
  if (file.declaredSize > maxFileBytes) {
    throw new FileError('file_too_large', `file is larger than the limit of ${maxFileBytes} bytes`);
  }
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(file.entry);
  } catch (err) {
    const msg = reason(err);
    // yauzl refuses encrypted entries and compression methods other than store/deflate when opening.
    if (/encrypt|compression method/i.test(msg))
      throw new FileError('unsupported_type', `ZIP entry: ${msg}`);
    throw new FileError('corrupt_zip', `ZIP entry cannot be read: ${msg}`);
  }
  try {
    return await copyHashed(stream, dest, maxFileBytes, (n) => budget.take(n));
  } catch (err) {
    if (isFileError(err)) throw err;
    // e.g. yauzl's own check that the inflated size matches the declared one, or a broken deflate stream.
    throw new FileError('corrupt_zip', `ZIP entry cannot be inflated: ${reason(err)}`);
  }
}
