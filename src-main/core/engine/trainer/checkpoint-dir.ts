import { randomBytes } from 'node:crypto';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { fsyncDir } from '../../workspace/atomic-write.js';

export type CheckpointName = 'best' | 'last';

/** Called after each file is written into the temp folder (tests make it throw ENOSPC). */
export type WriteHook = (file: string) => void;

/**
 * Replaces `<root>/<name>/` with a folder holding exactly `files`, atomically as far as POSIX
 * allows for folders: everything is written and fsynced into `.<name>.tmp-*`, then the old
 * folder is renamed aside (`.<name>.old-*`), the new one renamed in, the parent fsynced, and only
 * then the old one removed. Any failure (ENOSPC, EIO, …) removes the temp folder, puts the old
 * folder back if it had been moved, and rethrows: the previous checkpoint stays intact.
 * A crash between the two renames leaves only `.<name>.old-*`: {@link recoverCheckpointDir}
 * renames it back.
 */
export async function writeCheckpointDir(
  root: string,
  name: CheckpointName,
  files: ReadonlyMap<string, Uint8Array>,
  hook?: WriteHook,
): Promise<void> {
  await fsp.mkdir(root, { recursive: true });
  const suffix = randomBytes(4).toString('hex');
  const tmp = path.join(root, `.${name}.tmp-${suffix}`);
  const target = path.join(root, name);
  const old = path.join(root, `.${name}.old-${suffix}`);
  let moved = false;
  try {
    await fsp.mkdir(tmp);
    for (const [file, data] of files) {
      const handle = await fsp.open(path.join(tmp, file), 'wx', 0o644);
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      hook?.(file);
    }
    await fsyncDir(tmp);
    try {
      await fsp.rename(target, old);
      moved = true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    await fsp.rename(tmp, target);
    await fsyncDir(root);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    if (moved) {
      await fsp.rename(old, target).catch(() => undefined);
    }
    throw err;
  }
  if (moved) await fsp.rm(old, { recursive: true, force: true }).catch(() => undefined);
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
