// The one rule for client-given relative paths, shared by the HTTP upload, the IPC upload and the
// import plan: normalised where harmless, refused (never repaired) where it could escape.
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src-main/core/errors.js';
import { FileError } from '../../src-main/core/media/file-error.js';
import { sanitizeRelativePath } from '../../src-main/core/workspace/import/paths.js';
import { uploadRelativePath } from '../../src-main/core/workspace/import/staging.js';

describe('sanitizeRelativePath', () => {
  it.each([
    ['cat/1.png', 'cat/1.png'],
    ['cat\\dog\\2.png', 'cat/dog/2.png'],
    ['./cat//3.png', 'cat/3.png'],
    ['cat/./4.png/', 'cat/4.png'],
    ['..hidden-but-not-parent/5.png', '..hidden-but-not-parent/5.png'],
  ])('normalises %j to %j', (raw, expected) => {
    expect(sanitizeRelativePath(raw)).toBe(expected);
  });

  it.each([
    ['', 'empty path'],
    ['/etc/passwd', 'absolute path'],
    ['\\\\server\\share\\x.png', 'absolute path'],
    ['C:/x.png', 'drive-letter path'],
    ['c:x.png', 'drive-letter path'],
    ['../x.png', "'..' segment"],
    ['a/../../x.png', "'..' segment"],
    ['a\\..\\x.png', "'..' segment"],
    ['a\u0000b.png', 'control characters'],
    ['a\nb.png', 'control characters'],
    ['./', 'no file name'],
  ])('refuses %j (%s)', (raw, why) => {
    let thrown: unknown;
    try {
      sanitizeRelativePath(raw);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(FileError);
    expect(thrown).toMatchObject({ code: 'bad_path' });
    expect((thrown as Error).message).toContain(why);
  });
});

describe('uploadRelativePath', () => {
  it('applies the same rule, refusing the whole request with bad_request', () => {
    expect(uploadRelativePath('photos\\cat\\1.png')).toBe('photos/cat/1.png');
    for (const raw of ['/abs/x.png', '../x.png', 'C:\\x.png', 'x\u0001.png', '']) {
      expect(() => uploadRelativePath(raw)).toThrow(AppError);
      expect(() => uploadRelativePath(raw)).toThrow(
        expect.objectContaining({ code: 'bad_request' }),
      );
      expect(() => uploadRelativePath(raw)).toThrow(/unsafe file name in upload/);
    }
  });
});
