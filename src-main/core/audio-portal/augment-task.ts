/**
 * Task kind `audio-augment`, run on the task thread: decodes each source clip, applies the
 * recipes drawn for it and writes the copies as WAV files into the workspace's tmp folder. The
 * DSP (SoundTouch's pitch and tempo above all) takes ~0.1 s per 5 s clip: on the main thread a
 * large augmentation would stall every request and the live stream while it ran.
 */
import type { AudioAugmentRecipe } from '../../../src-shared/contract/index.js';
import { AppError } from '../errors.js';
import type { TaskIO } from '../jobs/task-worker.js';
import { isFileError } from '../media/file-error.js';
import { sniffFile } from '../media/sniff.js';
import { stageCopy, type CopySource, type StagedCopy } from './augment-copies.js';
import { decodeMono, type DecodedClip } from './decode.js';

export interface AugmentTaskInput {
  readonly tmpDir: string;
  /** Names every staged file, so a job that did not finish can be cleaned up by it. */
  readonly prefix: string;
  readonly maxSeconds: number;
  /** In source order: consecutive copies of one source decode it once. */
  readonly copies: readonly {
    readonly file: string;
    readonly source: CopySource;
    readonly root: { readonly id: number; readonly filename: string };
    readonly recipe: AudioAugmentRecipe;
  }[];
}

export type AugmentTaskResult = readonly StagedCopy[];

async function decode(file: string, filename: string, maxSeconds: number): Promise<DecodedClip> {
  const sniffed = await sniffFile(file);
  if (sniffed.kind !== 'audio') throw new AppError('unprocessable', `${filename} is not audio`);
  try {
    return await decodeMono(file, sniffed.format, maxSeconds);
  } catch (err) {
    if (isFileError(err)) throw new AppError('unprocessable', `${filename}: ${err.message}`);
    throw err;
  }
}

export async function runTask(input: AugmentTaskInput, io: TaskIO): Promise<AugmentTaskResult> {
  const out: StagedCopy[] = [];
  const total = input.copies.length;
  let clip: { file: string; clip: DecodedClip } | undefined;
  for (const [k, c] of input.copies.entries()) {
    // Throws once the job is cancelled; the kind's cleanup removes what was staged.
    io.progress({ done: k, total, message: `augmenting ${c.source.filename}` });
    if (clip?.file !== c.file) {
      clip = { file: c.file, clip: await decode(c.file, c.source.filename, input.maxSeconds) };
    }
    const name = `${input.prefix}-${k}.wav`;
    out.push(await stageCopy(input.tmpDir, name, c.source, c.root, clip.clip, c.recipe));
  }
  io.progress({ done: total, total, message: `${total} copies made` });
  return out;
}
