/**
 * Paths relative to the import root, from the paths a browser gives for dropped or chosen files.
 *
 * A folder picked with "Choose folder…" (or a single folder dropped) is the import root, exactly as
 * for a local-path import: its own name is not part of the item names, and its sub-folders are the
 * classes. So when every path lies inside one common top folder, that folder is stripped. Several
 * folders dropped together (cat/, dog/) keep their names, which then become the classes.
 */
export function stripCommonRoot(paths: readonly string[]): string[] {
  const clean = paths.map((p) => p.replace(/\\/g, '/').replace(/^\/+/, ''));
  if (clean.length === 0) return [];
  const firsts = new Set<string>();
  for (const p of clean) {
    const slash = p.indexOf('/');
    if (slash <= 0) return clean; // a loose file at the top: nothing to strip
    firsts.add(p.slice(0, slash));
  }
  if (firsts.size !== 1) return clean;
  return clean.map((p) => p.slice(p.indexOf('/') + 1));
}

/**
 * Electron: the folder a "Choose folder…" pick came from, given one chosen file's filesystem path
 * and its `webkitRelativePath` ("animals/cat/1.png" → "/home/u/animals"). Null if they disagree.
 */
export function rootFolderFromFilePath(filePath: string, relativePath: string): string | null {
  const rel = relativePath.replace(/\\/g, '/').split('/');
  if (rel.length < 2) return null;
  const below = rel.slice(1); // the parts under the chosen folder
  const sep = filePath.includes('\\') && !filePath.includes('/') ? '\\' : '/';
  const suffix = sep + below.join(sep);
  if (!filePath.endsWith(suffix)) return null;
  return filePath.slice(0, filePath.length - suffix.length) || sep;
}
