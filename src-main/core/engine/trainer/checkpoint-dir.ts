import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { fsyncDir } from '../../workspace/atomic-write.js';

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
 * removed. The fsyncs of the files and of the temp folders run side by side: one pass costs
 * about one checkpoint's worth of fsyncs whatever the number of names. Any failure (ENOSPC,
 * EIO, …) removes the temp folders, puts every old folder back, and rethrows: the previous
 * checkpoints stay intact. A crash between the renames leaves only `.<name>.old-*`:
 * {@link recoverCheckpointDir} renames it back.
 */
export async function writeCheckpointDirs(
  root: string,
  names: readonly CheckpointName[],
  files: ReadonlyMap<string, Uint8Array>,
  hook?: WriteHook,
): Promise<void> {
  if (names.length === 0) return;
  await fsp.mkdir(root, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const dirs = names.map((name) => ({
    name,
    tmp: path.join(root, `.${name}.tmp-${suffix}`),
    target: path.join(root, name),
    old: path.join(root, `.${name}.old-${suffix}`),
    made: false,
    moved: false,
    installed: false,
  }));
  const [first, ...others] = dirs as [(typeof dirs)[number], ...typeof dirs];
  const handles: fsp.FileHandle[] = [];
  try {
    for (const d of dirs) {
      await fsp.mkdir(d.tmp);
      d.made = true;
    }
    await settleAll(
      [...files].map(async ([file, data]) => {
        const handle = await fsp.open(path.join(first.tmp, file), 'wx', 0o644);
        handles.push(handle);
        await handle.writeFile(data);
        hook?.(file);
      }),
    );
    await settleAll(
      others.flatMap((d) =>
        [...files.keys()].map(async (file) => {
          const copy = await shareFile(first.tmp, d.tmp, file);
          if (copy) handles.push(copy);
        }),
      ),
    );
    await settleAll(handles.map((h) => h.sync()));
    await settleAll(handles.splice(0).map((h) => h.close()));
    await settleAll(dirs.map((d) => fsyncDir(d.tmp)));
    for (const d of dirs) {
      try {
        await fsp.rename(d.target, d.old);
        d.moved = true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      await fsp.rename(d.tmp, d.target);
      d.made = false;
      d.installed = true;
    }
    await fsyncDir(root);
  } catch (err) {
    await Promise.all(handles.splice(0).map((h) => h.close().catch(() => undefined)));
    for (const d of [...dirs].reverse()) {
      // A folder already renamed in goes back to its temp name and away with the others.
      if (d.installed) {
        d.made = await fsp.rename(d.target, d.tmp).then(
          () => true,
          () => false,
        );
      }
      if (d.made) await fsp.rm(d.tmp, { recursive: true, force: true }).catch(() => undefined);
      if (d.moved) await fsp.rename(d.old, d.target).catch(() => undefined);
    }
    throw err;
  }
  await Promise.all(
    dirs.filter((d) => d.moved).map((d) => fsp.rm(d.old, { recursive: true, force: true })),
  ).catch(() => undefined);
}

/**
 * Puts `<from>/<file>` into `<to>` as a hard link (one inode: syncing the first name's handle
 * makes it durable), or as a copy where the filesystem refuses links, whose handle comes back to
 * be synced too.
 */
async function shareFile(from: string, to: string, file: string): Promise<fsp.FileHandle | null> {
  try {
    await fsp.link(path.join(from, file), path.join(to, file));
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV' && code !== 'EMLINK') throw err;
  }
  await fsp.copyFile(path.join(from, file), path.join(to, file), fsp.constants.COPYFILE_EXCL);
  return fsp.open(path.join(to, file), 'r+');
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
