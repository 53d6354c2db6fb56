import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ZipArchive } from 'archiver';
import type {
  AudioDatasetExportMetadata,
  AudioEvent,
  FileReply,
} from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import { nowIso, type ServiceContext } from '../services/context.js';
import type { ItemRow } from '../store/repos/types.js';
import { safeJoin } from '../workspace/layout.js';

/** An export stays on disk this long after it was written (its download may still be reading it). */
const KEEP_MS = 10 * 60 * 1000;

export interface ExportKit {
  readonly ctx: ServiceContext;
  projectId(): string | null;
  audioItems(projectId: string): ItemRow[];
  /** The clip's events; [] when it can no longer be decoded. */
  eventsOf(projectId: string, row: ItemRow): Promise<readonly AudioEvent[]>;
}

const zipName = (row: ItemRow): { dir: string; base: string } => ({
  dir: (row.class_name ?? 'unlabelled').replace(/[^A-Za-z0-9._-]/g, '_'),
  base: path.basename(row.filename.replace(/\\/g, '/')),
});

/** Earlier exports past their download window; one that vanished meanwhile is fine. */
async function removeStale(dir: string, now: number): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    const file = path.join(dir, name);
    const s = await stat(file).catch(() => null);
    if (s && now - s.mtimeMs > KEEP_MS) await rm(file, { force: true });
  }
}

/**
 * The dataset as a ZIP of `<class>/<name>` files and `metadata.json`. archiver streams it into a
 * file in the workspace (never whole in memory; WAV barely compresses, so entries are stored),
 * and the HTTP layer streams that file to the client. Missing blobs are found before the first
 * byte is written, so a download is never a truncated archive.
 */
export async function exportDataset(kit: ExportKit): Promise<FileReply> {
  const { ctx } = kit;
  const id = kit.projectId();
  const rows = id === null ? [] : kit.audioItems(id);
  const taken = new Set<string>();
  const entries: { row: ItemRow; file: string; zipPath: string }[] = [];
  for (const row of rows) {
    const file = safeJoin(ctx.layout.projectDir(id as string), row.blob_path);
    const present = await stat(file).then(
      (s) => s.isFile(),
      () => false,
    );
    if (!present) {
      throw new AppError(
        'not_found',
        `Audio file not found: ${row.filename} (missing from the workspace)`,
      );
    }
    const { dir, base } = zipName(row);
    let zipPath = `${dir}/${base}`;
    // Two items may share a base name (imported from different folders): the id keeps both.
    if (taken.has(zipPath)) zipPath = `${dir}/${row.id}-${base}`;
    taken.add(zipPath);
    entries.push({ row, file, zipPath });
  }
  const byId = new Map(entries.map((e) => [e.row.id, e]));
  const files: AudioDatasetExportMetadata['files'] = [];
  for (const e of entries) {
    const root = e.row.source_item_id === null ? undefined : byId.get(e.row.source_item_id);
    files.push({
      path: e.zipPath,
      filename: e.row.filename,
      class_label: e.row.class_name ?? 'unlabelled',
      duration: e.row.duration,
      sample_rate: e.row.sample_rate,
      events: [...(await kit.eventsOf(id as string, e.row))],
      excluded: e.row.excluded === 1,
      created_at: e.row.created_at,
      augmentation:
        e.row.augmentation === null
          ? null
          : { source: root?.zipPath ?? '', recipe: JSON.parse(e.row.augmentation) as unknown },
    });
  }
  const classes: Record<string, number> = {};
  for (const f of files) classes[f.class_label] = (classes[f.class_label] ?? 0) + 1;
  const createdAt = nowIso(ctx);
  const metadata: AudioDatasetExportMetadata = {
    format: 'assay-audio-dataset/1',
    created_at: createdAt,
    total_files: files.length,
    classes,
    files,
  };

  const outDir = path.join(ctx.layout.tmpDir, 'audio-exports');
  await mkdir(outDir, { recursive: true });
  await removeStale(outDir, Date.now());
  const out = path.join(outDir, `dataset-${randomBytes(6).toString('hex')}.zip`);
  const zip = new ZipArchive({ store: true });
  const written = pipeline(zip, createWriteStream(out));
  try {
    zip.append(`${JSON.stringify(metadata, null, 2)}\n`, { name: 'metadata.json' });
    for (const e of entries) zip.file(e.file, { name: e.zipPath, date: e.row.created_at });
    await zip.finalize();
    await written;
  } catch (err) {
    zip.abort();
    await written.catch(() => undefined);
    await rm(out, { force: true });
    throw err;
  }
  const stamp = createdAt.replace(/[:.]/g, '-');
  return { path: out, filename: `audio-dataset-${stamp}.zip`, content_type: 'application/zip' };
}
