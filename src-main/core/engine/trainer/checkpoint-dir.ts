import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';

export type CheckpointName = 'best' | 'last';

/** Called after each file is written into the temp folder (tests make it throw ENOSPC). */
export type WriteHook = (file: string) => void;

/**
 * Replaces `<root>/<name>/` with a folder holding exactly `files`, atomically as far as POSIX
 * allows for folders: see {@link writeCheckpointDirs}, which does this for several names at once.
 */
export function writeCheckpointDir(
  root: string,
  name: CheckpointName,
  files: ReadonlyMap<string, Uint8Array>,
  hook?: WriteHook,
): Promise<void> {
  return writeCheckpointDirs(root, [name], files, hook);
}

/**
 * Replaces each `<root>/<name>/` named with a folder holding exactly `files`. Everything is
 * written into `.<name>.tmp-*` folders and made durable first (the files of the first name
 * written once; the other names' folders hold hard links to those same files, which are never
 * modified in place, or copies where links are refused), then each old folder is renamed aside
 * (`.<name>.old-*`), the new one renamed in, the parent fsynced, and only then the old ones
 * removed. Any failure (ENOSPC, EIO, …) removes the temp folders, puts every old folder back,
 * and rethrows: the previous checkpoints stay intact. A crash between the renames leaves only
 * `.<name>.old-*`: {@link recoverCheckpointDir} renames it back.
 *
 * Cost: the metadata calls (mkdir, open, write into the page cache, link, rename, unlink) take
 * microseconds and are made synchronously; only the fsyncs wait for the disk, and they are
 * asynchronous in two rounds: every file and temp folder side by side, then the parent. So a
 * write in flight needs the thread's event loop twice, not once per call, and training that
 * goes on meanwhile (pipelined checkpoints) barely slows it.
 */
export async function writeCheckpointDirs(
  root: string,
  names: readonly CheckpointName[],
  files: ReadonlyMap<string, Uint8Array>,
  hook?: WriteHook,
): Promise<void> {
  if (names.length === 0) return;
  const suffix = randomBytes(4).toString('hex');
  const dirs = names.map((name) => ({
    tmp: path.join(root, `.${name}.tmp-${suffix}`),
    target: path.join(root, name),
    old: path.join(root, `.${name}.old-${suffix}`),
    made: false,
    moved: false,
    installed: false,
  }));
  const [first, ...others] = dirs as [(typeof dirs)[number], ...typeof dirs];
  const fds: number[] = [];
  try {
    fs.mkdirSync(root, { recursive: true });
    for (const d of dirs) {
      fs.mkdirSync(d.tmp);
      d.made = true;
    }
    for (const [file, data] of files) {
      const fd = fs.openSync(path.join(first.tmp, file), 'wx', 0o644);
      fds.push(fd);
      fs.writeFileSync(fd, data);
      hook?.(file);
    }
    for (const d of others) {
      for (const file of files.keys()) {
        const copy = shareFile(first.tmp, d.tmp, file);
        if (copy !== null) fds.push(copy);
      }
    }
    const dirFds = dirs.flatMap((d) => openDir(d.tmp));
    try {
      await settleAll([...fds.map((fd) => fsync(fd)), ...dirFds.map((fd) => fsyncDirFd(fd))]);
    } finally {
      for (const fd of dirFds) fs.closeSync(fd);
    }
    for (const fd of fds.splice(0)) fs.closeSync(fd);
    for (const d of dirs) {
      try {
        fs.renameSync(d.target, d.old);
        d.moved = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      fs.renameSync(d.tmp, d.target);
      d.made = false;
      d.installed = true;
    }
    for (const fd of openDir(root)) {
      try {
        await fsyncDirFd(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (err) {
    for (const fd of fds.splice(0)) quietly(() => fs.closeSync(fd));
    for (const d of [...dirs].reverse()) {
      // A folder already renamed in goes back to its temp name and away with the others.
      if (d.installed) d.made = quietly(() => fs.renameSync(d.target, d.tmp));
      if (d.made) quietly(() => fs.rmSync(d.tmp, { recursive: true, force: true }));
      if (d.moved) quietly(() => fs.renameSync(d.old, d.target));
    }
    throw err;
  }
  for (const d of dirs) {
    if (d.moved) quietly(() => fs.rmSync(d.old, { recursive: true, force: true }));
  }
}

/**
 * Puts `<from>/<file>` into `<to>` as a hard link (one inode: syncing the first name's file
 * makes it durable), or as a copy where the filesystem refuses links, whose descriptor comes
 * back to be synced too.
 */
function shareFile(from: string, to: string, file: string): number | null {
  try {
    fs.linkSync(path.join(from, file), path.join(to, file));
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw err;
  }
  fs.copyFileSync(path.join(from, file), path.join(to, file), fs.constants.COPYFILE_EXCL);
  return fs.openSync(path.join(to, file), 'r+');
}

const fsync = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fs.fsync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * A folder's descriptor for fsync, or none where it cannot be had: Windows cannot open folders
 * and some filesystems refuse to (there the step is best-effort, as in atomic-write.ts).
 */
function openDir(dir: string): number[] {
  if (process.platform === 'win32') return [];
  try {
    return [fs.openSync(dir, 'r')];
  } catch {
    return [];
  }
}

/** fsync of a folder; filesystems that refuse it (EINVAL/EISDIR) have their data synced anyway. */
const fsyncDirFd = (fd: number): Promise<void> => fsync(fd).catch(() => undefined);

/** Runs a clean-up step, ignoring its failure; true when it worked. */
function quietly(f: () => void): boolean {
  try {
    f();
    return true;
  } catch {
    return false;
  }
}

/** Waits for every promise (none is left running on a failure), then throws the first error. */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const results = await Promise.allSettled(work);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

/**
 * Puts a checkpoint folder back after a crash mid-replacement (only `.<name>.old-*` is left) and
 * removes leftover temp folders. Returns the folder's path, or null when there is none.
 */
export async function recoverCheckpointDir(
  root: string,
  name: CheckpointName,
): Promise<string | null> {
  const target = path.join(root, name);
  let entries: string[];
  try {
    entries = await fsp.readdir(root);
  } catch {
    return null;
  }
  for (const e of entries.filter((x) => x.startsWith(`.${name}.tmp-`))) {
    await fsp.rm(path.join(root, e), { recursive: true, force: true }).catch(() => undefined);
  }
  const olds = entries.filter((x) => x.startsWith(`.${name}.old-`));
  if (entries.includes(name)) {
    for (const e of olds) await fsp.rm(path.join(root, e), { recursive: true, force: true });
    return target;
  }
  const [first] = olds;
  if (!first) return null;
  await fsp.rename(path.join(root, first), target);
  return target;
}
