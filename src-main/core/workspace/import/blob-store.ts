import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, copyFile, mkdir, open, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FileError } from '../../media/file-error.js';
import { renameDurable, writeFileAtomic } from '../atomic-write.js';

export interface Hashed {
  readonly hash: string;
  readonly size: number;
}

export const blobRelPath = (hash: string, ext: string): string =>
  `blobs/${hash.slice(0, 2)}/${hash}.${ext}`;
export const thumbRelPath = (hash: string): string => `thumbs/${hash}.webp`;

/**
 * Streams `source` into a new file `dest` (which must not exist), hashing (sha256) and counting on
 * the way, and fsyncs it. Refuses with `file_too_large` the moment more than `maxBytes` arrive —
 * counted on the real bytes, whatever a header or `stat` said. `onBytes` sees every chunk's size
 * first (ZIP-wide budgets) and may throw to stop. The partial file is removed on any failure.
 */
export async function copyHashed(
  source: Readable,
  dest: string,
  maxBytes: number,
  onBytes?: (n: number) => void,
): Promise<Hashed> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      try {
        onBytes?.(chunk.length);
        size += chunk.length;
        if (size > maxBytes)
          throw new FileError(
            'file_too_large',
            `file is larger than the limit of ${maxBytes} bytes`,
          );
        hash.update(chunk);
        done(null, chunk);
      } catch (err) {
        done(err as Error);
      }
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(dest, { flags: 'wx' }));
    const fh = await open(dest, 'r+');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch (err) {
    source.destroy();
    await rm(dest, { force: true });
    throw err;
  }
  return { hash: hash.digest('hex'), size };
}

export async function copyFileHashed(src: string, dest: string, maxBytes: number): Promise<Hashed> {
  return copyHashed(createReadStream(src), dest, maxBytes);
}

/** Hash of a file already in place (streamed: staged uploads can be large). */
export async function hashFile(file: string, maxBytes: number): Promise<Hashed> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file) as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxBytes)
      throw new FileError('file_too_large', `file is larger than the limit of ${maxBytes} bytes`);
    hash.update(chunk);
  }
  return { hash: hash.digest('hex'), size };
}

/**
 * Moves an owned working file to its content-addressed place. Identical content is stored once:
 * if the blob already exists the working file is simply dropped.
 */
export async function storeBlob(
  projectDir: string,
  relPath: string,
  ownedFile: string,
): Promise<void> {
  const target = path.join(projectDir, relPath);
  if (await exists(target)) {
    await rm(ownedFile, { force: true });
    return;
  }
  await mkdir(path.dirname(target), { recursive: true });
  try {
    await renameDurable(ownedFile, target);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    // tmp/ on another filesystem than the project (should not happen): copy beside, then rename.
    const beside = `${target}.${process.pid}.${Date.now()}.tmp`;
    try {
      await copyFile(ownedFile, beside);
      const fh = await open(beside, 'r+');
      await fh.sync();
      await fh.close();
      await renameDurable(beside, target);
    } finally {
      await rm(beside, { force: true });
      await rm(ownedFile, { force: true });
    }
  }
}

export async function storeThumb(
  projectDir: string,
  relPath: string,
  data: Uint8Array,
): Promise<void> {
  const target = path.join(projectDir, relPath);
  if (await exists(target)) return;
  await mkdir(path.dirname(target), { recursive: true });
  await writeFileAtomic(target, data);
}

async function exists(p: string): Promise<boolean> {
  try {
    await access(p);
    return true;
  } catch {
    return false;
  }
}
