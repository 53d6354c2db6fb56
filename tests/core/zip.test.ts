import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors.js';
import { FileError } from '../../src-main/core/media/file-error.js';
import {
  DEFAULT_IMPORT_LIMITS,
  type ImportLimits,
} from '../../src-main/core/workspace/import-types.js';
import { extractZipEntry, ZipBudget } from '../../src-main/core/workspace/import/zip-extract.js';
import { inspectZip, openZipListing } from '../../src-main/core/workspace/import/zip-inspect.js';
import { lieAboutSize, zipOf } from '../fixtures/zip-fixtures.js';

const LIMITS: ImportLimits = {
  ...DEFAULT_IMPORT_LIMITS,
  maxZipEntries: 50,
  maxZipTotalBytes: 1_000_000,
};
let dir: string;
const put = (name: string, data: Buffer): string => {
  const p = join(dir, name);
  writeFileSync(p, data);
  return p;
};
async function appError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'assay-zip-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inspectZip (central directory only)', () => {
  it('counts entries and declared bytes of a sound archive', async () => {
    const p = put(
      'ok.zip',
      zipOf({ 'cat/a.txt': 'aaaa', 'dog/b.txt': 'bb', 'dog/': new Uint8Array() }),
    );
    expect(await inspectZip(p, LIMITS)).toEqual({ entries: 3, totalBytes: 6 });
  });

  it.each([
    ['../evil.png', "'..'"],
    ['cat/../../evil.png', "'..'"],
    ['/abs.png', 'absolute'],
    ['C:\\x.png', 'drive-letter'],
    ['c:/x.png', 'drive-letter'],
    ['..\\evil.png', "'..'"],
    ['\\\\server\\share\\x.png', 'absolute'],
  ])('refuses the whole archive for the entry %j (bad_request)', async (name, why) => {
    const p = put(
      `bad-${Math.random().toString(16).slice(2)}.zip`,
      zipOf({ 'ok/fine.png': 'x', [name]: 'evil' }),
    );
    const err = await appError(inspectZip(p, LIMITS));
    expect(err.code).toBe('bad_request');
    expect(err.message).toContain(why);
  });

  it('reads backslashes as separators in otherwise harmless names', async () => {
    const p = put('backslash.zip', zipOf({ 'cat\\a.txt': 'a' }));
    const listing = await openZipListing(p, LIMITS);
    listing.close();
    expect(listing.files.map((f) => f.name)).toEqual(['cat/a.txt']);
  });

  it('refuses more entries than the limit (payload_too_large)', async () => {
    const entries = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`f${i}.txt`, `${i}`]));
    const err = await appError(inspectZip(put('many.zip', zipOf(entries)), LIMITS));
    expect(err.code).toBe('payload_too_large');
    expect(err.message).toContain('51 entries');
  });

  it('refuses a ZIP bomb from its declared sizes without inflating it', async () => {
    const bomb = zipOf({ 'zeros.bin': new Uint8Array(20_000_000) });
    expect(bomb.length).toBeLessThan(100_000); // highly compressible
    const err = await appError(inspectZip(put('bomb.zip', bomb), LIMITS));
    expect(err.code).toBe('payload_too_large');
  });

  it('refuses a file that is not a ZIP', async () => {
    const err = await appError(inspectZip(put('not.zip', Buffer.from('hello, world')), LIMITS));
    expect(err.code).toBe('bad_request');
  });
});

describe('extracting entries counts the real inflated bytes', () => {
  it('stops an entry whose directory understates its size', async () => {
    const liar = lieAboutSize(
      zipOf({ 'big.bin': new Uint8Array(2_000_000), 'ok.txt': 'fine' }),
      'big.bin',
      100,
    );
    const p = put('liar.zip', liar);
    expect(await inspectZip(p, LIMITS)).toEqual({ entries: 2, totalBytes: 104 }); // the directory believes it
    const listing = await openZipListing(p, LIMITS);
    const out = join(dir, 'liar-out');
    mkdirSync(out);
    try {
      const big = listing.files.find((f) => f.name === 'big.bin');
      const budget = new ZipBudget(LIMITS.maxZipTotalBytes);
      const err = await extractZipEntry(
        listing.zip,
        big!,
        join(out, 'big'),
        1_000_000,
        budget,
      ).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FileError);
      expect((err as FileError).code).toBe('corrupt_zip');
      expect(readdirSync(out)).toEqual([]); // the partial file is gone
      const ok = listing.files.find((f) => f.name === 'ok.txt');
      const h = await extractZipEntry(listing.zip, ok!, join(out, 'ok'), 1_000_000, budget);
      expect(h.size).toBe(4);
    } finally {
      listing.close();
    }
  });

  it('stops at the archive-wide budget and at the per-file limit, on actual bytes', async () => {
    const p = put(
      'two.zip',
      zipOf({ 'a.bin': new Uint8Array(300_000), 'b.bin': new Uint8Array(300_000).fill(7) }),
    );
    const listing = await openZipListing(p, LIMITS);
    try {
      const [a, b] = listing.files;
      const budget = new ZipBudget(400_000);
      await extractZipEntry(listing.zip, a!, join(dir, 'a.out'), 1_000_000, budget);
      const err = await extractZipEntry(
        listing.zip,
        b!,
        join(dir, 'b.out'),
        1_000_000,
        budget,
      ).catch((e: unknown) => e);
      expect((err as FileError).code).toBe('zip_too_large');
      expect(budget.exhausted).toBe(true);
      expect(existsSync(join(dir, 'b.out'))).toBe(false);
      const small = await extractZipEntry(
        listing.zip,
        b!,
        join(dir, 'c.out'),
        1000,
        new ZipBudget(1e9),
      ).catch((e: unknown) => e);
      expect((small as FileError).code).toBe('file_too_large');
    } finally {
      listing.close();
    }
  });
});
