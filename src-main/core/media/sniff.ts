import { open } from 'node:fs/promises';
import { fileTypeFromFile } from 'file-type';
import type { MediaKind } from '../../../src-shared/contract/index.js';

export type ImageFormat = 'jpeg' | 'png' | 'webp' | 'tiff' | 'bmp';
export type AudioFormat = 'wav' | 'mp3' | 'flac' | 'vorbis' | 'opus';

/** What a file is, judged by its bytes only (never by its name). */
export type Sniffed =
  | {
      readonly kind: 'image';
      readonly format: ImageFormat;
      readonly mime: string;
      readonly ext: string;
    }
  | {
      readonly kind: 'audio';
      readonly format: AudioFormat;
      readonly mime: string;
      readonly ext: string;
    }
  | {
      readonly kind: 'table';
      readonly format: 'csv';
      readonly mime: 'text/csv';
      readonly ext: 'csv';
      readonly delimiter: string;
    }
  | { readonly kind: 'unsupported'; readonly detail: string };

type Known = Exclude<Sniffed, { kind: 'unsupported' } | { kind: 'table' }>;

/** file-type's `ext` → our media type. Anything not listed is refused. */
const BY_EXT: Readonly<Record<string, Known>> = {
  jpg: { kind: 'image', format: 'jpeg', mime: 'image/jpeg', ext: 'jpg' },
  png: { kind: 'image', format: 'png', mime: 'image/png', ext: 'png' },
  webp: { kind: 'image', format: 'webp', mime: 'image/webp', ext: 'webp' },
  tif: { kind: 'image', format: 'tiff', mime: 'image/tiff', ext: 'tif' },
  bmp: { kind: 'image', format: 'bmp', mime: 'image/bmp', ext: 'bmp' },
  wav: { kind: 'audio', format: 'wav', mime: 'audio/wav', ext: 'wav' },
  mp3: { kind: 'audio', format: 'mp3', mime: 'audio/mpeg', ext: 'mp3' },
  flac: { kind: 'audio', format: 'flac', mime: 'audio/flac', ext: 'flac' },
  ogg: { kind: 'audio', format: 'vorbis', mime: 'audio/ogg', ext: 'ogg' },
  opus: { kind: 'audio', format: 'opus', mime: 'audio/ogg; codecs=opus', ext: 'opus' },
};

/**
 * Why a recognised-but-refused type is refused, so the user learns more than "unsupported".
 * AAC/M4A: the only installed decoder, @audio/decode-aac, is GPL-2.0 (it bundles FAAD2), which this
 * application cannot ship; no MIT-licensed AAC decoder exists for Node 20 without native code.
 */
const REFUSED: Readonly<Record<string, string>> = {
  m4a: 'AAC/M4A audio cannot be decoded here (no MIT-compatible AAC decoder); convert it to WAV, FLAC or OGG',
  aac: 'AAC audio cannot be decoded here (no MIT-compatible AAC decoder); convert it to WAV, FLAC or OGG',
  mp4: 'MP4/M4A audio cannot be decoded here (no MIT-compatible AAC decoder); convert it to WAV, FLAC or OGG',
  zip: 'a ZIP inside an import is not unpacked; import the ZIP itself',
};

/** How much of a text file is read to judge it: a CSV's header and first row must fit. */
export const TEXT_PROBE_BYTES = 64 * 1024;
const CSV_DELIMITERS = [',', ';', '\t', '|'] as const;
const CSV_PROBE_RECORDS = 50;
const CSV_MIN_CONSISTENCY = 0.8;

export function mediaKindOf(s: Sniffed): MediaKind | null {
  return s.kind === 'unsupported' ? null : s.kind;
}

export async function sniffFile(filePath: string): Promise<Sniffed> {
  const ft = await fileTypeFromFile(filePath);
  if (ft) {
    const known = BY_EXT[ft.ext];
    if (known) return known;
    return { kind: 'unsupported', detail: REFUSED[ft.ext] ?? `${ft.mime} files are not supported` };
  }
  const head = await readHead(filePath, TEXT_PROBE_BYTES);
  if (head.bytes.length === 0) return { kind: 'unsupported', detail: 'the file is empty' };
  const delimiter = sniffCsv(head.bytes, head.complete);
  if (delimiter) return { kind: 'table', format: 'csv', mime: 'text/csv', ext: 'csv', delimiter };
  return { kind: 'unsupported', detail: 'not an image, audio or CSV file (judged by its content)' };
}

async function readHead(
  filePath: string,
  max: number,
): Promise<{ bytes: Uint8Array; complete: boolean }> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(max + 1);
    const { bytesRead } = await fh.read(buf, 0, max + 1, 0);
    return { bytes: buf.subarray(0, Math.min(bytesRead, max)), complete: bytesRead <= max };
  } finally {
    await fh.close();
  }
}

/**
 * CSV = UTF-8 text (no NUL bytes) of at least two records (a header and a row) in which at least
 * 80 % of the records, split outside quotes, carry as many of one delimiter (≥ 1) as the header.
 * Returns that delimiter.
 */
export function sniffCsv(bytes: Uint8Array, complete: boolean): string | null {
  if (bytes.includes(0)) return null;
  let text: string;
  try {
    // stream:true tolerates a multi-byte character cut by the probe window; anything else invalid throws.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !complete });
  } catch {
    return null;
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const records = splitRecords(text, complete);
  if (records.length < 2) return null;
  // Mostly-consistent is enough to call it a table: a few ragged rows are then refused by the
  // parser with their line numbers, which tells the user more than "unsupported".
  let best: string | null = null;
  let bestScore = 0;
  for (const d of CSV_DELIMITERS) {
    const first = records[0]?.[d] ?? 0;
    if (first < 1) continue;
    const score = records.filter((r) => (r[d] ?? 0) === first).length / records.length;
    if (score > bestScore) [best, bestScore] = [d, score];
  }
  return bestScore >= CSV_MIN_CONSISTENCY ? best : null;
}

/** Per record, how often each candidate delimiter occurs outside quotes. Blank lines are ignored. */
function splitRecords(text: string, complete: boolean): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  let counts: Record<string, number> = {};
  let inQuotes = false;
  let blank = true;
  for (let i = 0; i < text.length && out.length < CSV_PROBE_RECORDS; i++) {
    const ch = text[i] as string;
    if (ch === '"') {
      // `""` inside quotes toggles twice, so escaped quotes need no special case.
      inQuotes = !inQuotes;
      blank = false;
    } else if (!inQuotes && (ch === '\n' || ch === '\r')) {
      if (!blank) out.push(counts);
      counts = {};
      blank = true;
    } else {
      if (!inQuotes && (CSV_DELIMITERS as readonly string[]).includes(ch))
        counts[ch] = (counts[ch] ?? 0) + 1;
      blank = false;
    }
  }
  // The last record counts only when the whole file was read (otherwise it may be cut short).
  if (complete && !blank && out.length < CSV_PROBE_RECORDS && !inQuotes) out.push(counts);
  return out;
}
