import { createReadStream } from 'node:fs';
import { FileError } from './file-error.js';

export interface TableProbe {
  readonly header: readonly string[];
  /** Data rows, header excluded. */
  readonly rows: number;
  readonly columns: number;
  readonly delimiter: string;
}

/** Longest header cell kept in memory; only the header's text is kept at all. */
const MAX_HEADER_CELL = 64 * 1024;

const enum S {
  FieldStart,
  Unquoted,
  Quoted,
  QuoteInQuoted,
}

/**
 * Streams a CSV (RFC 4180: quoted fields may hold delimiters, quotes as `""`, and newlines; CRLF
 * or LF) and counts its rows, keeping only the header's text. Every row must have the header's
 * column count; a broken quote or a ragged row is refused with its line number.
 */
export async function probeTable(
  filePath: string,
  delimiter: string,
  targetColumn?: string,
): Promise<TableProbe> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let header: string[] | null = null;
  let rows = 0;
  let line = 1;
  let recordLine = 1;
  let state = S.FieldStart;
  let fields = 0;
  let cell = '';
  let keep = true; // collect cell text only while reading the header
  let recordHasContent = false;
  let lastWasCR = false;
  let first = true;

  const endField = (): void => {
    if (keep) {
      if (header === null) header = [];
      header.push(cell);
    }
    cell = '';
    fields++;
  };
  const endRecord = (): void => {
    if (!recordHasContent && fields === 0) return; // blank line
    endField();
    if (keep) {
      keep = false;
    } else if (fields !== (header as string[]).length) {
      throw corrupt(
        `line ${recordLine} has ${fields} fields, the header has ${(header as string[]).length}`,
      );
    } else {
      rows++;
    }
    fields = 0;
    recordHasContent = false;
  };
  const append = (ch: string): void => {
    if (!keep) return;
    if (cell.length >= MAX_HEADER_CELL) throw corrupt('header cell is too long');
    cell += ch;
  };

  const feed = (text: string): void => {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i] as string;
      if (first) {
        first = false;
        if (ch === '\ufeff') continue; // byte-order mark
      }
      const newline = ch === '\n' || ch === '\r';
      if (ch === '\n' && lastWasCR) {
        lastWasCR = false;
        continue; // second half of CRLF
      }
      lastWasCR = ch === '\r';
      if (newline) line++;
      switch (state) {
        case S.FieldStart:
        case S.Unquoted:
          if (ch === '"' && state === S.FieldStart) {
            state = S.Quoted;
            recordHasContent = true;
          } else if (ch === delimiter) {
            endField();
            recordHasContent = true;
            state = S.FieldStart;
          } else if (newline) {
            endRecord();
            recordLine = line;
            state = S.FieldStart;
          } else {
            append(ch);
            recordHasContent = true;
            state = S.Unquoted;
          }
          break;
        case S.Quoted:
          if (ch === '"') state = S.QuoteInQuoted;
          else append(ch);
          break;
        case S.QuoteInQuoted:
          if (ch === '"') {
            append('"');
            state = S.Quoted;
          } else if (ch === delimiter) {
            endField();
            state = S.FieldStart;
          } else if (newline) {
            endRecord();
            recordLine = line;
            state = S.FieldStart;
          } else {
            throw corrupt(`unexpected character after a closing quote on line ${line}`);
          }
          break;
      }
    }
  };

  try {
    for await (const chunk of createReadStream(filePath) as AsyncIterable<Buffer>) {
      feed(decoder.decode(chunk, { stream: true }));
    }
    feed(decoder.decode());
  } catch (err) {
    if (err instanceof FileError) throw err;
    if (err instanceof TypeError) throw corrupt('the file is not valid UTF-8 text');
    throw err;
  }
  if ((state as S) === S.Quoted)
    throw corrupt(`a quoted field opened on line ${recordLine} is never closed`);
  endRecord();

  const cols: string[] = header ?? [];
  if (cols.length === 0) throw corrupt('the table is empty');
  if (rows === 0) throw corrupt('the table has a header but no rows');
  const names = cols.map((c) => c.trim());
  // A Set, not indexOf per name: a header of 100 000 columns would otherwise take minutes.
  const seen = new Set<string>();
  const dup = names.find((n) => seen.size === seen.add(n).size);
  if (dup !== undefined) throw corrupt(`column name "${dup}" appears twice in the header`);
  if (targetColumn !== undefined && !names.includes(targetColumn)) {
    throw new FileError(
      'bad_target_column',
      `target column "${targetColumn}" is not in the header (${names.join(', ')})`,
    );
  }
  return { header: names, rows, columns: names.length, delimiter };
}

const corrupt = (message: string): FileError => new FileError('corrupt_table', message);
