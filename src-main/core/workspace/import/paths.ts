import { FileError } from '../../media/file-error.js';

/**
 * Names that an import never takes, at any depth: hidden files and folders (`.DS_Store`, `.git/`)
 * and the junk that OS archivers add (`__MACOSX/`, `Thumbs.db`, `desktop.ini`).
 */
export function isIgnoredSegment(segment: string): boolean {
  return (
    segment.startsWith('.') ||
    segment === '__MACOSX' ||
    /^(thumbs\.db|desktop\.ini)$/i.test(segment)
  );
}

export function isIgnoredPath(relative: string): boolean {
  return relative.split('/').some(isIgnoredSegment);
}

/** Why a client- or archive-given path is not a safe relative path, or null when it is. */
export function pathProblem(raw: string): string | null {
  if (raw.length === 0) return 'empty path';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(raw)) return 'control characters in path';
  const p = raw.replace(/\\/g, '/');
  if (p.startsWith('/')) return 'absolute path';
  if (/^[A-Za-z]:/.test(p)) return 'drive-letter path';
  if (p.split('/').includes('..')) return "'..' segment in path";
  return null;
}

/**
 * A client-given relative path (HTTP and IPC uploads, staged imports) as a dataset filename:
 * backslashes become '/', and empty and '.' segments collapse. Absolute, drive-letter and '..'
 * paths and control characters are refused (`bad_path`), never repaired: the name becomes the
 * item's identity and must never climb out of the import. The upload adapters (through
 * `uploadRelativePath` in staging.ts) and the import plan use this one rule.
 */
export function sanitizeRelativePath(raw: string): string {
  const problem = pathProblem(raw);
  if (problem) throw new FileError('bad_path', `${problem}: ${JSON.stringify(raw)}`);
  const segments = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  if (segments.length === 0)
    throw new FileError('bad_path', `no file name in ${JSON.stringify(raw)}`);
  return segments.join('/');
}

/** The class label: the first folder below the import root; files at the root have none. */
export function classOf(relative: string): string | null {
  const i = relative.indexOf('/');
  return i > 0 ? relative.slice(0, i) : null;
}

/**
 * The wrapper-folder rule for ZIPs and uploaded folders. Archivers and browsers put the folder
 * the user picked around everything (`dataset/cat/1.png`). When every file sits under one
 * common top-level folder AND at least one file is two or more folders deep, that folder is a
 * wrapper and is removed, so `cat` becomes the class. A single level (`cat/1.png`, `cat/2.png`)
 * is kept: there the top folder is the class itself.
 * Returns the prefix to strip (`"dataset/"`) or `""`.
 */
export function wrapperPrefix(relatives: readonly string[]): string {
  if (relatives.length === 0) return '';
  const first = classOf(relatives[0] as string);
  if (first === null) return '';
  let deep = false;
  for (const r of relatives) {
    if (classOf(r) !== first) return '';
    if (r.split('/').length >= 3) deep = true;
  }
  return deep ? `${first}/` : '';
}
