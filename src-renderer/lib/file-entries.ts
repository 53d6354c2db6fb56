/**
 * Reads what a browser drop delivered. A dropped folder arrives as a FileSystemDirectoryEntry
 * (`DataTransferItem.webkitGetAsEntry()`), which must be walked to reach its files; the entries'
 * `fullPath` gives each file's path below the drop ("animals/cat/1.png").
 */
export interface PickedFile {
  readonly file: File;
  readonly path: string;
}

/** Must be called synchronously inside the drop handler: the DataTransfer empties afterwards. */
export function entriesOf(dt: DataTransfer): FileSystemEntry[] {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry();
    if (entry !== null) entries.push(entry);
  }
  return entries;
}

// Hidden files (.DS_Store, ._foo from macOS, .git/) are never dataset items; importing them would
// only produce a list of per-file errors.
const isHidden = (name: string): boolean => name.startsWith('.');

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  // readEntries returns at most ~100 entries per call; keep reading until an empty batch.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) return all;
    all.push(...batch);
  }
}

export async function walkEntries(entries: readonly FileSystemEntry[]): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  const visit = async (entry: FileSystemEntry): Promise<void> => {
    if (isHidden(entry.name)) return;
    if (entry.isFile) {
      out.push({
        file: await fileOf(entry as FileSystemFileEntry),
        path: entry.fullPath.replace(/^\/+/, ''),
      });
    } else if (entry.isDirectory) {
      for (const child of await readAll(entry as FileSystemDirectoryEntry)) await visit(child);
    }
  };
  for (const entry of entries) await visit(entry);
  return out;
}

/** Files from an <input type=file> (with or without webkitdirectory), hidden ones left out. */
export function pickedFromInput(files: readonly File[]): PickedFile[] {
  return files
    .map((file) => ({ file, path: file.webkitRelativePath || file.name }))
    .filter((f) => !f.path.split('/').some(isHidden));
}
