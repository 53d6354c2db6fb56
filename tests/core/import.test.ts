import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ImportSource, ImportSpec } from '../../src-main/core/workspace/import-types.js';
import { runImport } from '../../src-main/core/workspace/import/run-import.js';
import {
  bmpBuffer,
  bombPngHeader,
  imageBuffer,
  solidImage,
  wavBuffer,
} from '../fixtures/media-fixtures.js';
import {
  Collected,
  listFiles,
  makeSandbox,
  sha256,
  TEST_LIMITS,
  type Sandbox,
} from '../fixtures/import-fixtures.js';
import { lieAboutSize, zipOf } from '../fixtures/zip-fixtures.js';

let sb: Sandbox;
beforeEach(() => {
  sb = makeSandbox();
});
afterEach(() => rmSync(sb.root, { recursive: true, force: true }));

const put = (rel: string, data: Uint8Array | string): string => {
  const p = join(sb.srcDir, rel);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, data);
  return p;
};
const spec = (sources: ImportSource[], extra: Partial<ImportSpec> = {}): ImportSpec => ({
  projectId: 'proj-00000001',
  projectDir: sb.projectDir,
  tmpDir: sb.tmpDir,
  sources,
  limits: TEST_LIMITS,
  ...extra,
});
async function run(sources: ImportSource[], extra: Partial<ImportSpec> = {}): Promise<Collected> {
  const c = new Collected();
  await runImport(spec(sources, extra), { workDir: join(sb.tmpDir, 'import-test'), post: c.post });
  return c;
}
/** Nothing but blobs/ and thumbs/ in the project, tmp empty, inputs untouched. */
function expectCleanWorkspace(): void {
  expect(listFiles(join(sb.root, 'ws', 'tmp'))).toEqual([]);
  for (const f of listFiles(join(sb.root, 'ws')))
    expect(f).toMatch(/^projects\/proj-00000001\/(blobs|thumbs)\//);
}

describe('importing a local folder', () => {
  it('imports every good file, reports every bad one, and writes only content-addressed files', async () => {
    put('cat/1.png', await solidImage('png', 1));
    put('cat/2.jpg', await solidImage('jpeg', 2));
    put('dog/a.webp', await solidImage('webp', 3));
    put('dog/b.tif', await solidImage('tiff', 4));
    put('dog/c.bmp', bmpBuffer(16, 8));
    put('dog/sub/deep.png', await solidImage('png', 5));
    put('root.wav', wavBuffer({ seconds: 0.5 }));
    put('table.csv', 'x,y,target\n1,2,3\n4,5,6\n');
    put('.hidden/secret.png', await solidImage('png', 6));
    put('cat/.DS_Store', 'junk');
    put('__MACOSX/cat/._1.png', 'junk');
    const jpeg = await imageBuffer('jpeg', 400, 300);
    put('cat/truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length * 0.6)));
    put('cat/fake.wav', 'just some words, not audio\n');
    put('cat/bomb.png', bombPngHeader(100_000, 100_000));
    put('cat/huge.wav', wavBuffer({ seconds: 130, sampleRate: 8000 })); // 2.08 MB > maxFileBytes
    const outside = join(sb.root, 'outside.png');
    writeFileSync(outside, await solidImage('png', 7));
    symlinkSync(outside, join(sb.srcDir, 'cat', 'escape.png'));
    symlinkSync(join(sb.srcDir, 'cat', '1.png'), join(sb.srcDir, 'dog', 'link.png'));

    const c = await run([{ kind: 'local', path: sb.srcDir }]);

    expect(c.items.map((i) => i.filename).sort()).toEqual([
      'cat/1.png',
      'cat/2.jpg',
      'dog/a.webp',
      'dog/b.tif',
      'dog/c.bmp',
      'dog/link.png',
      'dog/sub/deep.png',
      'root.wav',
      'table.csv',
    ]);
    expect(c.errorCodes()).toEqual({
      'cat/bomb.png': 'image_too_large',
      'cat/escape.png': 'bad_path',
      'cat/fake.wav': 'unsupported_type',
      'cat/huge.wav': 'file_too_large',
      'cat/truncated.jpg': 'corrupt_image',
    });
    expect(c.item('dog/sub/deep.png').className).toBe('dog');
    expect(c.item('root.wav')).toMatchObject({
      className: null,
      mediaKind: 'audio',
      duration: 0.5,
      sampleRate: 8000,
    });
    expect(c.item('table.csv')).toMatchObject({
      mediaKind: 'table',
      rows: 2,
      columns: 3,
      thumbPath: null,
    });
    expect(c.item('dog/c.bmp')).toMatchObject({ mime: 'image/bmp', width: 16, height: 8 });

    for (const it of c.items) {
      const blob = join(sb.projectDir, it.blobPath);
      expect(it.blobPath).toBe(
        `blobs/${it.hash.slice(0, 2)}/${it.hash}.${it.blobPath.split('.').pop()}`,
      );
      expect(sha256(blob)).toBe(it.hash);
      expect(readFileSync(blob).length).toBe(it.size);
      if (it.thumbPath)
        expect((await sharp(join(sb.projectDir, it.thumbPath)).metadata()).format).toBe('webp');
    }
    // The linked copy has the same content: one blob, one thumbnail.
    expect(c.item('dog/link.png').hash).toBe(c.item('cat/1.png').hash);
    const blobs = listFiles(join(sb.projectDir, 'blobs'));
    expect(blobs).toHaveLength(8);
    expect(listFiles(join(sb.projectDir, 'thumbs'))).toHaveLength(7); // no thumbnail for the table

    // Message protocol: total first, done last, one progress per file.
    expect(c.messages[0]).toEqual({ type: 'total', total: 14 });
    expect(c.messages.at(-1)).toEqual({ type: 'done' });
    const progress = c.messages.filter((m) => m.type === 'progress');
    expect(progress).toHaveLength(14);
    expect(progress.at(-1)).toMatchObject({ done: 14, total: 14 });
    expectCleanWorkspace();
  });

  it('imports a single file path as a root-level item', async () => {
    const p = put('deep/inside/clip.wav', wavBuffer({ seconds: 0.2, channels: 2 }));
    const c = await run([{ kind: 'local', path: p }]);
    expect(c.items).toHaveLength(1);
    expect(c.item('clip.wav')).toMatchObject({ className: null, channels: 2, mime: 'audio/wav' });
    expectCleanWorkspace();
  });

  it('reports a missing folder as one error and still finishes', async () => {
    const c = await run([{ kind: 'local', path: join(sb.srcDir, 'nope') }]);
    expect(c.errorCodes()).toEqual({ nope: 'read_error' });
    expect(c.messages.at(-1)).toEqual({ type: 'done' });
  });

  it('checks the table target column', async () => {
    put('t.csv', 'a,b\n1,2\n');
    const c = await run([{ kind: 'local', path: sb.srcDir }], { targetColumn: 'price' });
    expect(c.errorCodes()).toEqual({ 't.csv': 'bad_target_column' });
  });
});

describe('importing a ZIP', () => {
  it('unwraps a single top-level folder, skips OS junk, reports bad entries', async () => {
    const jpeg = await imageBuffer('jpeg', 300, 200);
    const zip = put(
      'data.zip',
      zipOf({
        'dataset/cat/1.png': await solidImage('png', 11),
        'dataset/dog/2.png': await solidImage('png', 12),
        'dataset/readme.wav': wavBuffer({ seconds: 0.1 }),
        'dataset/dog/cut.jpg': jpeg.subarray(0, 2000),
        '__MACOSX/dataset/cat/._1.png': 'junk',
        'dataset/.DS_Store': 'junk',
      }),
    );
    const c = await run([{ kind: 'zip', path: zip, deleteAfter: false }]);
    expect(c.items.map((i) => [i.filename, i.className]).sort()).toEqual([
      ['cat/1.png', 'cat'],
      ['dog/2.png', 'dog'],
      ['readme.wav', null],
    ]);
    expect(c.errorCodes()).toEqual({ 'dog/cut.jpg': 'corrupt_image' });
    expectCleanWorkspace();
  });

  it('keeps a single class folder as the class when nothing is deeper', async () => {
    const zip = put(
      'one.zip',
      zipOf({ 'cat/1.png': await solidImage('png', 1), 'cat/2.png': await solidImage('png', 2) }),
    );
    const c = await run([{ kind: 'zip', path: zip, deleteAfter: false }]);
    expect(c.items.map((i) => i.className)).toEqual(['cat', 'cat']);
  });

  it('refuses an archive with a traversal entry without extracting anything', async () => {
    const zip = put(
      'evil.zip',
      zipOf({ 'ok.png': await solidImage('png', 1), '../evil.png': await solidImage('png', 2) }),
    );
    const c = await run([{ kind: 'zip', path: zip, deleteAfter: false }]);
    expect(c.items).toEqual([]);
    expect(c.errorCodes()).toEqual({ 'evil.zip': 'bad_path' });
    expect(listFiles(sb.projectDir)).toEqual([]);
    expectCleanWorkspace();
  });

  it('stops an entry whose inflated size exceeds what the directory declared, and imports the rest', async () => {
    const zip = put(
      'liar.zip',
      lieAboutSize(
        zipOf({ 'a/big.png': new Uint8Array(3_000_000), 'a/ok.png': await solidImage('png', 3) }),
        'a/big.png',
        50,
      ),
    );
    const c = await run([{ kind: 'zip', path: zip, deleteAfter: false }]);
    expect(c.items.map((i) => i.filename)).toEqual(['a/ok.png']);
    expect(c.errorCodes()).toEqual({ 'a/big.png': 'corrupt_zip' });
    expectCleanWorkspace();
  });
});

describe('importing staged uploads', () => {
  it('sanitises client paths, unwraps the picked folder, refuses traversal and absolute paths', async () => {
    const stage = (name: string, data: Buffer): { tempPath: string; relativePath: string } => {
      const tempPath = join(sb.tmpDir, `upload-${Math.random().toString(16).slice(2)}`);
      writeFileSync(tempPath, data);
      return { tempPath, relativePath: name };
    };
    const files = [
      stage('photos/cat/1.png', await solidImage('png', 21)),
      stage('/photos/dog/2.png', await solidImage('png', 22)),
      stage('photos\\dog\\3.bmp', bmpBuffer(4, 4)),
      stage('photos/../../evil.png', await solidImage('png', 23)),
      stage('photos/.hidden.png', await solidImage('png', 24)),
    ];
    const c = await run([{ kind: 'staged', files }]);
    expect(c.items.map((i) => i.filename).sort()).toEqual(['cat/1.png', 'dog/3.bmp']);
    expect(c.errorCodes()).toEqual({
      '/photos/dog/2.png': 'bad_path',
      'photos/../../evil.png': 'bad_path',
    });
    // Imported uploads were moved into blobs; the refused and skipped ones are left for the runner to delete.
    expect(listFiles(sb.tmpDir)).toHaveLength(3);
  });
});

describe('names and cancellation', () => {
  it('reports a second file with the same name in one import', async () => {
    const a = put('a/x.png', await solidImage('png', 31));
    const b = put('b/x.png', await solidImage('png', 32));
    const c = await run([
      { kind: 'local', path: a },
      { kind: 'local', path: b },
    ]);
    expect(c.items).toHaveLength(1);
    expect(c.errorCodes()).toEqual({ 'x.png': 'duplicate_name' });
  });

  it('posts no done and starts no file once cancelled', async () => {
    for (let i = 0; i < 5; i++) put(`c/${i}.png`, await solidImage('png', 40 + i));
    const c = new Collected();
    await runImport(spec([{ kind: 'local', path: sb.srcDir }]), {
      workDir: join(sb.tmpDir, 'import-cancel'),
      post: c.post,
      cancelled: () => true,
    });
    expect(c.messages).toEqual([{ type: 'total', total: 5 }]);
    expectCleanWorkspace();
  });
});
