import { open, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  AUDIO_CLASSES,
  importResultOf,
  type AudioClass,
  type AudioDatasetInfo,
  type AudioDatasetUploadResponse,
  type AudioEvent,
  type AudioWaveformResponse,
  type FileReply,
  type Job,
  type PlatformHandlers,
} from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import { isFileError } from '../media/file-error.js';
import { sniffFile, type AudioFormat } from '../media/sniff.js';
import type { ServiceContext } from '../services/context.js';
import { defaultProjectBinding } from '../services/default-project.js';
import type { ItemRow } from '../store/repos/types.js';
import type { StagedFile } from '../workspace/import-types.js';
import { safeJoin } from '../workspace/layout.js';
import { decodeMono, downsample, type DecodedClip } from './decode.js';
import { eventsStore } from './events-store.js';
import { detectOnsets } from './onsets.js';
import { wavHeaderProblem } from './wav.js';
import { waitJob } from '../services/wait-job.js';
import { createDatasetTools, type DatasetTools } from './dataset-tools.js';
import { exportDataset } from './dataset-export.js';
import type { AugmentCopies } from './augment-job.js';
import type { StagedCopy } from './augment-copies.js';

const FAMILY = 'audio-portal';
const WAV_HEAD_BYTES = 64 * 1024;

export interface AudioPortalDeps {
  readonly ops: PlatformHandlers;
  importStaged(projectId: string, files: readonly StagedFile[]): Promise<{ job_id: string }>;
  onJob(jobId: string, listener: (job: Job) => void): () => void;
  /** Makes augmented copies as an `audio-augment` job (augment-job.ts) and waits for them. */
  runAugment(projectId: string, copies: AugmentCopies): Promise<StagedCopy[]>;
}

export interface AudioPortalService {
  /** The family's project, or null while it was never written to (reads create nothing). */
  projectId(): string | null;
  info(): Promise<AudioDatasetInfo>;
  /** `path`: staged in the workspace's tmp folder; the service owns (and removes) it. */
  upload(file: {
    path: string;
    filename: string;
    classLabel: string | undefined;
  }): Promise<AudioDatasetUploadResponse>;
  waveform(relative: string, points: number): Promise<AudioWaveformResponse>;
  augment: DatasetTools['augment'];
  balance: DatasetTools['balance'];
  /** The dataset as a ZIP file in the workspace's tmp folder. */
  exportZip(): Promise<FileReply>;
}

const bad = (message: string): AppError => new AppError('bad_request', message);

/** Keeps a client's file name readable but never a path: basename, safe characters only. */
const safeName = (name: string): string =>
  (path.basename(name.replace(/\\/g, '/')).replace(/[^A-Za-z0-9._-]/g, '_') || 'upload').slice(
    0,
    120,
  );

const isClass = (label: string): label is AudioClass =>
  (AUDIO_CLASSES as readonly string[]).includes(label);

/** A dataset path as the client wrote it: relative, '/'-separated, never climbing out. */
function datasetPath(raw: string): string {
  const segments = raw.replace(/\\/g, '/').split('/');
  if (
    raw.includes('\0') ||
    raw.startsWith('/') ||
    /^[a-zA-Z]:/.test(raw) ||
    segments.includes('..')
  ) {
    throw new AppError('forbidden', `Access denied: ${JSON.stringify(raw)} is outside the dataset`);
  }
  return segments.filter((s) => s !== '' && s !== '.').join('/');
}

/** The file's audio format by its bytes, or a clear refusal naming what was sent. */
export async function audioFormatOf(file: string, filename: string): Promise<AudioFormat> {
  if ((await stat(file)).size === 0) throw bad(`${filename} is empty`);
  const sniffed = await sniffFile(file);
  if (sniffed.kind !== 'audio') {
    throw bad(`${filename} is not a WAV, MP3, FLAC or OGG recording (judged by its content)`);
  }
  if (sniffed.format === 'wav') {
    const fh = await open(file, 'r');
    try {
      const head = Buffer.alloc(WAV_HEAD_BYTES);
      const { bytesRead } = await fh.read(head, 0, WAV_HEAD_BYTES, 0);
      const { size } = await fh.stat();
      const problem = wavHeaderProblem(head.subarray(0, bytesRead), size);
      if (problem) throw bad(`${filename} is a broken WAV file: ${problem}`);
    } finally {
      await fh.close();
    }
  }
  return sniffed.format;
}

export function createAudioPortalService(
  ctx: ServiceContext,
  deps: AudioPortalDeps,
): AudioPortalService {
  const binding = defaultProjectBinding(ctx, {
    family: FAMILY,
    name: 'Audio portal',
    task: 'audio-classification',
    createProject: (input) => deps.ops.createProject(input),
  });
  const events = eventsStore(ctx.layout);
  let chain: Promise<unknown> = Promise.resolve();
  /** Uploads one at a time: the platform runs one import per project. */
  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn, fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const blobFile = async (id: string, row: ItemRow): Promise<string> => {
    const file = safeJoin(ctx.layout.projectDir(id), row.blob_path);
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
    return file;
  };

  const decodeItem = async (id: string, row: ItemRow): Promise<DecodedClip> => {
    const file = await blobFile(id, row);
    const sniffed = await sniffFile(file);
    if (sniffed.kind !== 'audio') {
      throw new AppError('unprocessable', `${row.filename} is not an audio file`);
    }
    try {
      return await decodeMono(file, sniffed.format, ctx.limits.maxAudioSeconds);
    } catch (err) {
      if (isFileError(err)) throw new AppError('unprocessable', `${row.filename}: ${err.message}`);
      throw err;
    }
  };

  /** Found once per clip content, then read from the events store. */
  async function eventsOf(id: string, row: ItemRow, decoded?: DecodedClip): Promise<AudioEvent[]> {
    const known = await events.get(id, row.hash);
    if (known) return [...known];
    const clip = decoded ?? (await decodeItem(id, row));
    const found = detectOnsets(clip.samples, clip.sampleRate).map((e) => ({
      onset: Math.round(e.onset * 1000) / 1000,
      offset: Math.round(e.offset * 1000) / 1000,
    }));
    await events.put(id, row.hash, found);
    return found;
  }

  const audioItems = (id: string): ItemRow[] =>
    ctx.store.items.list(id, {
      page: 1,
      pageSize: Number.MAX_SAFE_INTEGER,
      sortBy: 'filename',
      sortOrder: 'asc',
      mediaKind: 'audio',
    }).rows;

  const tools = createDatasetTools({
    ctx,
    projectId: binding.current,
    exclusive,
    audioItems,
    blobFile,
    runCopies: (id, copies) => deps.runAugment(id, copies),
    putEvents: (id, hash, found) => events.put(id, hash, found),
    async importStaged(id, files) {
      const { job_id } = await deps.importStaged(id, files);
      const job = await waitJob(deps, job_id);
      return { result: importResultOf(job), status: job.status };
    },
  });

  return {
    projectId: binding.current,

    async info() {
      const id = binding.current();
      const classes: AudioDatasetInfo['classes'] = {};
      let totalEvents = 0;
      // Originals set aside by undersampling are not part of the dataset in use.
      const rows = id === null ? [] : audioItems(id).filter((r) => r.excluded === 0);
      for (const row of rows) {
        const n = await eventsOf(id as string, row).then(
          (e) => e.length,
          (err: unknown) => {
            // A clip the platform stored but that no longer decodes (a blob removed by hand)
            // counts as a file without events; one bad file must not hide the others' counts.
            ctx.logger.warn({ file: row.filename, err: String(err) }, 'audio events unavailable');
            return 0;
          },
        );
        const name = row.class_name ?? 'unlabelled';
        const c = (classes[name] ??= { files: 0, events: 0 });
        c.files += 1;
        c.events += n;
        totalEvents += n;
      }
      return { total_files: rows.length, total_events: totalEvents, classes };
    },

    async upload({ path: staged, filename, classLabel }) {
      const name = safeName(filename);
      let handed = false;
      try {
        // Everything about the file is checked before the project is touched (or created).
        if (classLabel === undefined || classLabel.trim() === '') {
          throw bad(`No class_label given; expected one of ${AUDIO_CLASSES.join(', ')}`);
        }
        const label = classLabel.trim();
        if (!isClass(label)) {
          throw bad(
            `Unknown class_label ${JSON.stringify(label)}; expected one of ${AUDIO_CLASSES.join(', ')}`,
          );
        }
        const format = await audioFormatOf(staged, name);
        let clip: DecodedClip;
        try {
          clip = await decodeMono(staged, format, ctx.limits.maxAudioSeconds);
        } catch (err) {
          if (isFileError(err)) throw bad(`${name}: ${err.message}`);
          throw err;
        }
        return await exclusive(async () => {
          const id = await binding.ensure();
          const relative = `${label}/${name}`;
          handed = true;
          const { job_id } = await deps.importStaged(id, [
            { tempPath: staged, relativePath: relative },
          ]);
          const job = await waitJob(deps, job_id);
          const result = importResultOf(job);
          const err = result?.errors[0];
          if (err) {
            const taken = err.code === 'name_taken' || err.code === 'duplicate_name';
            const code = taken ? 'conflict' : 'bad_request';
            throw new AppError(code, `${name}: ${err.message}`);
          }
          if (job.status !== 'completed' || result === null) {
            throw new AppError('internal', `the import ended ${job.status}: ${job.error ?? ''}`);
          }
          const row = ctx.store.items.get(id, relative);
          if (!row) throw new AppError('conflict', `${name} is already in the dataset`);
          const found = await eventsOf(id, row, clip);
          return {
            success: true as const,
            message: `File uploaded successfully to ${label}`,
            filename: relative,
            class_label: label,
            duration: Math.round((clip.samples.length / clip.sampleRate) * 1000) / 1000,
            sample_rate: clip.sampleRate,
            events: found,
          };
        });
      } finally {
        // The import job takes the staged file over; before that it is ours to remove.
        if (!handed) await rm(staged, { force: true });
      }
    },

    async waveform(raw, points) {
      const relative = datasetPath(raw);
      const id = binding.current();
      const row = id === null || relative === '' ? undefined : ctx.store.items.get(id, relative);
      if (id === null || !row || row.media_kind !== 'audio') {
        throw new AppError('not_found', `Audio file not found: ${relative || raw}`);
      }
      const clip = await decodeItem(id, row);
      return {
        success: true,
        filename: row.filename,
        class_label: row.class_name,
        waveform: downsample(clip.samples, points),
        sample_rate: clip.sampleRate,
        duration: Math.round((clip.samples.length / clip.sampleRate) * 1000) / 1000,
        events: await eventsOf(id, row, clip),
      };
    },

    augment: tools.augment,
    balance: tools.balance,
    exportZip: () =>
      exclusive(() =>
        exportDataset({
          ctx,
          projectId: binding.current,
          audioItems,
          eventsOf: (id, row) => eventsOf(id, row).catch(() => []),
        }),
      ),
  };
}
