import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

/**
 * Crash-safe file replacement: readers see either the old file or the complete new one, never a torn write.
 * The temp file lives in the target's directory so the final rename stays on one filesystem (atomic on POSIX
 * and NTFS). The directory fsync makes the rename itself durable; Windows cannot open directories, so that
 * step is best-effort.
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const dir = path.dirname(target);
  const tmp = tempNameFor(target);
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(tmp, 'wx', 0o644);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await fsp.rename(tmp, target);
  } catch (err) {
    if (handle) await handle.close().catch(() => undefined);
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw err;
  }
  await fsyncDir(dir);
}

/** Synchronous twin of {@link writeFileAtomic}, for shutdown paths and small metadata files. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const dir = path.dirname(target);
  const tmp = tempNameFor(target);
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'wx', 0o644);
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, target);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        /* already failing; keep the original error */
      }
    }
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirSync(dir);
}

/**
 * Moves an already-written file into place atomically (same filesystem) and makes the rename durable.
 * Used for content-addressed blobs staged in a temp file.
 */
export async function renameDurable(from: string, to: string): Promise<void> {
  await fsp.rename(from, to);
  await fsyncDir(path.dirname(to));
}

function tempNameFor(target: string): string {
  // Leading dot + random suffix: invisible to listings and unique across concurrent writers.
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`,
  );
}

export async function fsyncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on directories (EINVAL/EISDIR); the data itself is already synced.
  } finally {
    if (handle) await handle.close().catch(() => undefined);
  }
}

function fsyncDirSync(dir: string): void {
  if (process.platform === 'win32') return;
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // See fsyncDir.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
