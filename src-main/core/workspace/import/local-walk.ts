import { readdir, realpath, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { ImportFileError } from '../../../../src-shared/contract/index.js';
import { reason } from '../../media/file-error.js';
import { isIgnoredSegment } from './paths.js';

export interface LocalFile {
  /** Where to read it (a symlink already resolved, and checked to lie inside the root). */
  readonly absPath: string;
  /** Relative to the import root with '/', e.g. `cat/img001.png`. */
  readonly relative: string;
}

export interface WalkResult {
  readonly files: LocalFile[];
  readonly errors: ImportFileError[];
}

/**
 * Lists what a local import takes. A file path is one file at the root (class null). A folder is
 * walked recursively in name order, skipping hidden/OS-junk names; symbolic links are followed
 * only when their target lies inside the folder (each folder visited once, so link loops end);
 * anything else that is not a regular file (FIFOs, sockets, devices — reading them could block
 * forever) is reported and skipped.
 */
export async function walkLocal(root: string): Promise<WalkResult> {
  const files: LocalFile[] = [];
  const errors: ImportFileError[] = [];
  const top = await stat(root);
  if (top.isFile()) {
    files.push({ absPath: root, relative: path.basename(root) });
    return { files, errors };
  }
  const realRoot = await realpath(root);
  const visited = new Set<string>([realRoot]);
  const inside = (p: string): boolean => {
    const rel = path.relative(realRoot, p);
    return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
  };

  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      errors.push({
        file: prefix || '.',
        code: 'read_error',
        message: `folder cannot be read: ${reason(err)}`,
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const d of entries) {
      if (isIgnoredSegment(d.name)) continue;
      const rel = prefix ? `${prefix}/${d.name}` : d.name;
      const abs = path.join(dir, d.name);
      let target = abs;
      let isDir = d.isDirectory();
      let isFile = d.isFile();
      if (d.isSymbolicLink()) {
        try {
          target = await realpath(abs);
        } catch {
          errors.push({ file: rel, code: 'read_error', message: 'symbolic link leads nowhere' });
          continue;
        }
        if (!inside(target)) {
          errors.push({
            file: rel,
            code: 'bad_path',
            message: 'symbolic link leads outside the imported folder',
          });
          continue;
        }
        const st = await stat(target);
        isDir = st.isDirectory();
        isFile = st.isFile();
      }
      if (isDir) {
        const real = target === abs ? await realpath(abs) : target;
        if (visited.has(real)) continue;
        visited.add(real);
        await walk(abs, rel);
      } else if (isFile) {
        files.push({ absPath: target, relative: rel });
      } else {
        errors.push({ file: rel, code: 'unsupported_type', message: 'not a regular file' });
      }
    }
  };
  await walk(root, '');
  return { files, errors };
}
