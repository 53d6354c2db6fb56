import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  writeFileAtomic,
  writeFileAtomicSync,
} from '../../src-main/core/workspace/atomic-write.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'assay-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates and replaces a file, leaving no temp files behind', async () => {
    const target = join(dir, 'dataset.json');
    await writeFileAtomic(target, 'first');
    expect(await readFile(target, 'utf8')).toBe('first');
    await writeFileAtomic(target, new TextEncoder().encode('second'));
    expect(await readFile(target, 'utf8')).toBe('second');
    writeFileAtomicSync(target, 'third');
    expect(await readFile(target, 'utf8')).toBe('third');
    expect(await readdir(dir)).toEqual(['dataset.json']);
  });

  it('keeps the old content and cleans up when the rename fails', async () => {
    // A directory at the target path makes rename fail after the temp file was written.
    const target = join(dir, 'occupied');
    await writeFile(join(dir, 'keep.txt'), 'x');
    await import('node:fs/promises').then((f) =>
      f.mkdir(join(target, 'child'), { recursive: true }),
    );
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(() => writeFileAtomicSync(target, 'data')).toThrow();
    expect((await readdir(dir)).sort()).toEqual(['keep.txt', 'occupied']);
  });

  it('fails when the directory does not exist', async () => {
    await expect(writeFileAtomic(join(dir, 'missing', 'f.json'), 'x')).rejects.toThrow();
  });
});
