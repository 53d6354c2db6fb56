import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runImportWorker } from '../../src-main/core/jobs/import-runner.js';
import type { ImportSource, ImportSpec } from '../../src-main/core/workspace/import-types.js';
import { solidImage, wavBuffer } from '../fixtures/media-fixtures.js';
import {
  Collected,
  listFiles,
  makeSandbox,
  TEST_LIMITS,
  type Sandbox,
} from '../fixtures/import-fixtures.js';
import { zipOf } from '../fixtures/zip-fixtures.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => rmSync(sb.root, { recursive: true, force: true }));

const spec = (sources: ImportSource[], extra: Partial<ImportSpec> = {}): ImportSpec => ({
  projectId: 'proj-00000001',
  projectDir: sb.projectDir,
  tmpDir: sb.tmpDir,
  sources,
  limits: TEST_LIMITS,
  ...extra,
});

describe('runImportWorker (real worker thread)', () => {
  it('relays total → items/errors/progress → done, then deletes staged files and a deleteAfter ZIP', async () => {
    mkdirSync(join(sb.srcDir, 'cat'));
    writeFileSync(join(sb.srcDir, 'cat', '1.png'), await solidImage('png', 1));
    writeFileSync(join(sb.srcDir, 'cat', 'bad.png'), 'not a png');
    const zipPath = join(sb.tmpDir, 'upload.zip');
    writeFileSync(
      zipPath,
      zipOf({
        'd/dog/2.png': await solidImage('png', 2),
        'd/dog/x.wav': wavBuffer({ seconds: 0.1 }),
      }),
    );
    const staged = join(sb.tmpDir, 'staged-1');
    writeFileSync(staged, 'text that is not any media');

    const c = new Collected();
    const handle = runImportWorker(
      spec([
        { kind: 'local', path: sb.srcDir },
        { kind: 'zip', path: zipPath, deleteAfter: true },
        { kind: 'staged', files: [{ tempPath: staged, relativePath: 'notes.txt' }] },
      ]),
      c.post,
    );
    await handle.done;

    expect(c.messages[0]).toEqual({ type: 'total', total: 5 });
    expect(c.messages.at(-1)).toEqual({ type: 'done' });
    expect(c.items.map((i) => i.filename).sort()).toEqual(['cat/1.png', 'dog/2.png', 'dog/x.wav']);
    expect(c.errorCodes()).toEqual({
      'cat/bad.png': 'unsupported_type',
      'notes.txt': 'unsupported_type',
    });
    expect(c.item('dog/x.wav').waveform).toHaveLength(200);
    expect(existsSync(zipPath)).toBe(false);
    expect(listFiles(sb.tmpDir)).toEqual([]);
    expect(listFiles(sb.srcDir)).toEqual(['cat/1.png', 'cat/bad.png']); // local sources are never touched
  });

  it('turns an unexpected failure into one fatal message and still cleans up', async () => {
    // tmp is a file, so the worker cannot even create its working folder.
    rmSync(sb.tmpDir, { recursive: true });
    writeFileSync(sb.tmpDir, 'in the way');
    const staged = join(sb.root, 'staged-2');
    writeFileSync(staged, 'x');
    const c = new Collected();
    const handle = runImportWorker(
      spec([{ kind: 'staged', files: [{ tempPath: staged, relativePath: 'a.png' }] }]),
      c.post,
    );
    await handle.done;
    expect(c.messages).toHaveLength(1);
    expect(c.messages[0]).toMatchObject({ type: 'fatal' });
    expect(existsSync(staged)).toBe(false);
  });

  it('cancel stops the import: no done, fewer items than total, nothing left in tmp', async () => {
    for (let i = 0; i < 30; i++)
      writeFileSync(join(sb.srcDir, `${i}.wav`), wavBuffer({ seconds: 2, freq: 200 + i }));
    const c = new Collected();
    const handle = runImportWorker(spec([{ kind: 'local', path: sb.srcDir }]), (m) => {
      c.post(m);
      if (m.type === 'item') handle.cancel(); // messages arrive asynchronously, after assignment
    });
    await handle.done;
    expect(c.messages[0]).toEqual({ type: 'total', total: 30 });
    expect(c.messages.some((m) => m.type === 'done' || m.type === 'fatal')).toBe(false);
    expect(c.items.length).toBeGreaterThanOrEqual(1);
    expect(c.items.length).toBeLessThan(30);
    expect(listFiles(sb.tmpDir)).toEqual([]);
  });

  it('a listener that throws stops the worker and gets one fatal', async () => {
    for (let i = 0; i < 10; i++)
      writeFileSync(join(sb.srcDir, `${i}.png`), await solidImage('png', i));
    const seen: string[] = [];
    const handle = runImportWorker(spec([{ kind: 'local', path: sb.srcDir }]), (m) => {
      seen.push(m.type);
      if (m.type === 'item') throw new Error('database is locked');
    });
    await handle.done;
    expect(seen.filter((t) => t === 'item')).toHaveLength(1);
    expect(seen.at(-1)).toBe('fatal');
    expect(listFiles(sb.tmpDir)).toEqual([]);
  });
});
