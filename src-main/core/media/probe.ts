import type { MediaKind } from '../../../src-shared/contract/index.js';
import { probeAudio } from './audio.js';
import { FileError } from './file-error.js';
import { probeImage } from './image.js';
import { sniffFile } from './sniff.js';
import { probeTable } from './table.js';
import type { Peak } from './waveform.js';

export interface MediaLimits {
  readonly maxImagePixels: number;
  readonly maxAudioSeconds: number;
}

/** What a dataset item records about its content (null where it does not apply to the kind). */
export interface MediaFacts {
  readonly mediaKind: MediaKind;
  readonly mime: string;
  readonly width: number | null;
  readonly height: number | null;
  readonly duration: number | null;
  readonly sampleRate: number | null;
  readonly channels: number | null;
  readonly rows: number | null;
  readonly columns: number | null;
  /** Audio: min/max peak pairs for the waveform preview. */
  readonly waveform: readonly Peak[] | null;
}

/** Everything an import learns about one file's content. */
export interface MediaProbe extends MediaFacts {
  /** Canonical extension for the stored blob, from the content (never from the given name). */
  readonly ext: string;
  readonly thumbnail: Buffer | null;
}

const NONE = {
  width: null,
  height: null,
  duration: null,
  sampleRate: null,
  channels: null,
  rows: null,
  columns: null,
  waveform: null,
  thumbnail: null,
} as const;

/** Sniffs and fully validates one file. Throws `FileError` for anything the dataset cannot take. */
export async function probeMedia(
  filePath: string,
  limits: MediaLimits,
  opts: { readonly targetColumn?: string | undefined } = {},
): Promise<MediaProbe> {
  const s = await sniffFile(filePath);
  switch (s.kind) {
    case 'unsupported':
      throw new FileError('unsupported_type', s.detail);
    case 'image': {
      const img = await probeImage(filePath, s.format, limits.maxImagePixels);
      return { ...NONE, mediaKind: 'image', mime: s.mime, ext: s.ext, ...img };
    }
    case 'audio': {
      const a = await probeAudio(filePath, s.format, limits.maxAudioSeconds);
      return {
        ...NONE,
        mediaKind: 'audio',
        mime: s.mime,
        ext: s.ext,
        duration: a.duration,
        sampleRate: a.sampleRate,
        channels: a.channels,
        waveform: a.peaks,
        thumbnail: a.thumbnail,
      };
    }
    case 'table': {
      const t = await probeTable(filePath, s.delimiter, opts.targetColumn);
      return {
        ...NONE,
        mediaKind: 'table',
        mime: s.mime,
        ext: s.ext,
        rows: t.rows,
        columns: t.columns,
      };
    }
  }
}
