import type { ImportFileError, ImportResult } from '../../../src-shared/contract/index.js';
import type { MediaFacts } from '../media/probe.js';

/** Limits every import honours (DESIGN: bad input loses nothing and never crashes). */
export interface ImportLimits {
  /** Largest single upload request, bytes (refused while streaming). */
  readonly maxUploadBytes: number;
  /** Largest single file taken into a dataset, bytes. */
  readonly maxFileBytes: number;
  readonly maxZipEntries: number;
  /** Sum of the uncompressed sizes in one ZIP, bytes (checked from the directory and while inflating). */
  readonly maxZipTotalBytes: number;
  /** Decompression-bomb guard: width × height above this is refused before decoding. */
  readonly maxImagePixels: number;
  /** Longest audio clip, seconds. */
  readonly maxAudioSeconds: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxUploadBytes: 2 * 1024 ** 3,
  maxFileBytes: 512 * 1024 ** 2,
  maxZipEntries: 100_000,
  maxZipTotalBytes: 8 * 1024 ** 3,
  maxImagePixels: 64_000_000,
  maxAudioSeconds: 3600,
};

/** An uploaded file staged in the workspace's tmp folder, with the (sanitised) name the client gave. */
export interface StagedFile {
  readonly tempPath: string;
  readonly relativePath: string;
}

/** Where an import reads from. All paths are absolute. */
export type ImportSource =
  /** A folder (recursive; a sub-folder's name is the class label) or a single file. */
  | { readonly kind: 'local'; readonly path: string }
  /** A ZIP already validated by `inspectZip`; entries are read from it directly. */
  | { readonly kind: 'zip'; readonly path: string; readonly deleteAfter: boolean }
  /** Uploaded files staged in the workspace's tmp folder, with the names the client gave. */
  | { readonly kind: 'staged'; readonly files: readonly StagedFile[] };

export interface ImportSpec {
  readonly projectId: string;
  /** Absolute path of the project's folder in the workspace (blobs/ and thumbs/ live under it). */
  readonly projectDir: string;
  /** Absolute path of the workspace's tmp folder (same filesystem, for atomic renames). */
  readonly tmpDir: string;
  readonly sources: readonly ImportSource[];
  readonly limits: ImportLimits;
  /** Tables: the target column; default the last. */
  readonly targetColumn?: string | undefined;
}

/** One file accepted by an import, ready to become a `dataset_items` row. */
export interface ImportedItem extends MediaFacts {
  readonly filename: string;
  readonly className: string | null;
  readonly size: number;
  readonly hash: string;
  /** Relative to the project folder, e.g. `blobs/ab/ab12….png`. */
  readonly blobPath: string;
  readonly thumbPath: string | null;
}

/** Messages the import worker posts to the main thread, in order. */
export type ImportWorkerMessage =
  | { readonly type: 'total'; readonly total: number }
  | { readonly type: 'item'; readonly item: ImportedItem }
  | { readonly type: 'file-error'; readonly error: ImportFileError }
  | {
      readonly type: 'progress';
      readonly done: number;
      readonly total: number;
      readonly current: string;
    }
  | { readonly type: 'done' }
  | { readonly type: 'fatal'; readonly message: string };

export type { ImportResult };
