import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaUrlFor, parseMediaUrl } from '../../src-shared/contract/ipc.js';
import { AppError } from '../../src-main/core/errors.js';
import { isAppUrl, resolveAppFile } from '../../src-main/electron/app-url.js';
import { ArgumentError, parseShellArgs } from '../../src-main/electron/args.js';
import { mainWindowWebPreferences } from '../../src-main/electron/web-preferences.js';
import { fileResponse, parseRange } from '../../src-main/electron/file-response.js';
import {
  IpcInputError,
  parseOperationInput,
  toIpcFailure,
} from '../../src-main/electron/ipc-input.js';
import { operations, type OperationName } from '../../src-shared/contract/operations.js';

describe('parseShellArgs', () => {
  const def = path.resolve('/default/ws');

  it('uses the default workspace and port 8000 when nothing is given', () => {
    expect(parseShellArgs(['electron', '.'], {}, def)).toEqual({
      workspaceDir: def,
      apiPort: 8000,
      apiHost: '127.0.0.1',
      dev: false,
    });
  });

  it('takes --workspace over ASSAY_WORKSPACE, in both flag spellings', () => {
    const env = { ASSAY_WORKSPACE: '/from/env' };
    expect(parseShellArgs([], env, def).workspaceDir).toBe(path.resolve('/from/env'));
    expect(parseShellArgs(['--workspace', '/a'], env, def).workspaceDir).toBe(path.resolve('/a'));
    expect(parseShellArgs(['--workspace=/b'], env, def).workspaceDir).toBe(path.resolve('/b'));
  });

  it('parses --port, honours --no-api and refuses bad ports', () => {
    expect(parseShellArgs(['--port=0'], {}, def).apiPort).toBe(0);
    expect(parseShellArgs(['--port', '9123'], {}, def).apiPort).toBe(9123);
    expect(parseShellArgs(['--port', '9123', '--no-api'], {}, def).apiPort).toBeNull();
    expect(() => parseShellArgs(['--port', '70000'], {}, def)).toThrow(ArgumentError);
    expect(() => parseShellArgs(['--port=abc'], {}, def)).toThrow(/--port/);
  });
});

describe('assay://app URLs', () => {
  const root = path.resolve('/opt/assay/dist/renderer');

  it('maps app URLs into the renderer folder, client routes to index.html', () => {
    expect(resolveAppFile(root, 'assay://app/index.html')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'assay://app/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'assay://app/projects/proj-1')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'assay://app/assets/main-x1.js')).toBe(
      path.join(root, 'assets', 'main-x1.js'),
    );
  });

  it('never leaves the renderer folder, and refuses other hosts and schemes', () => {
    for (const url of [
      'assay://app/..%2F..%2Fetc%2Fpasswd.txt',
      'assay://app/%2e%2e/%2e%2e/etc/passwd.txt',
      'assay://app/assets/..%5C..%5Csecret.txt',
      'assay://app/a%00.js',
      'assay://app/%E0%A4%A.js',
    ]) {
      const resolved = resolveAppFile(root, url);
      if (resolved !== null) expect(resolved.startsWith(root + path.sep)).toBe(true);
    }
    expect(resolveAppFile(root, 'assay://app/a%00.js')).toBeNull();
    expect(resolveAppFile(root, 'assay://evil/index.html')).toBeNull();
    expect(resolveAppFile(root, 'file:///etc/passwd')).toBeNull();
  });

  it('recognises only the app origin as trusted', () => {
    expect(isAppUrl('assay://app/index.html')).toBe(true);
    expect(isAppUrl('assay://app')).toBe(true);
    expect(isAppUrl('assay://other/index.html')).toBe(false);
    expect(isAppUrl('http://127.0.0.1:8000/')).toBe(false);
    expect(isAppUrl('file:///index.html')).toBe(false);
    expect(isAppUrl('')).toBe(false);
  });
});

describe('assay-media URLs', () => {
  it('round-trip filenames with slashes, spaces and reserved characters', () => {
    for (const filename of ['cat/img 001.png', 'a#b?c%d.wav', 'ü/ñ.jpg', '../x.png']) {
      const url = mediaUrlFor('proj-0123abcd', filename, 'thumbnail');
      expect(url.startsWith('assay-media://media/proj-0123abcd/thumbnail/')).toBe(true);
      expect(parseMediaUrl(url)).toEqual({
        projectId: 'proj-0123abcd',
        filename,
        variant: 'thumbnail',
      });
    }
  });

  it('rejects URLs it did not make', () => {
    expect(parseMediaUrl('assay-media://other/proj-0123abcd/file/a.png')).toBeNull();
    expect(parseMediaUrl('assay-media://media/proj-0123abcd/raw/a.png')).toBeNull();
    expect(parseMediaUrl('assay-media://media/proj-0123abcd/file/a/b.png')).toBeNull();
    expect(parseMediaUrl('assay-media://media/proj-0123abcd/file/%E0%A4%A')).toBeNull();
    expect(parseMediaUrl('not a url')).toBeNull();
  });
});

describe('file responses with byte ranges', () => {
  let dir: string;
  let file: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'assay-shell-'));
    file = path.join(dir, 'clip.bin');
    await writeFile(file, Buffer.from('0123456789'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('parses the range forms browsers send', () => {
    expect(parseRange(null, 10)).toBeNull();
    expect(parseRange('bytes=2-4', 10)).toEqual({ start: 2, end: 4 });
    expect(parseRange('bytes=7-', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=5-100', 10)).toEqual({ start: 5, end: 9 });
    expect(parseRange('bytes=10-', 10)).toBe('invalid');
    expect(parseRange('bytes=4-2', 10)).toBe('invalid');
    expect(parseRange('items=1-2', 10)).toBe('invalid');
  });

  it('serves the whole file, a range (206) and refuses an unsatisfiable one (416)', async () => {
    const whole = await fileResponse(file, 'audio/wav', null, { 'X-Test': '1' });
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('audio/wav');
    expect(whole.headers.get('x-test')).toBe('1');
    expect(await whole.text()).toBe('0123456789');

    const part = await fileResponse(file, 'audio/wav', 'bytes=3-5');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 3-5/10');
    expect(await part.text()).toBe('345');

    const bad = await fileResponse(file, 'audio/wav', 'bytes=20-30');
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe('bytes */10');
  });
});

/** One operation's IPC input as the handler gets it (files none here). */
const parseIpc = (name: OperationName, raw: unknown): Record<string, unknown> =>
  parseOperationInput(name, operations[name], raw).input;

describe('IPC input validation', () => {
  it('splits merged input into params and body and parses each', () => {
    const input = parseIpc('importLocal', {
      project_id: 'proj-0123abcd',
      path: '/data',
    });
    expect(input).toEqual({ project_id: 'proj-0123abcd', path: '/data' });
  });

  it('applies query defaults and coercions like the HTTP router', () => {
    const input = parseIpc('listImages', { project_id: 'proj-0123abcd', page: '2' });
    expect(input).toMatchObject({ project_id: 'proj-0123abcd', page: 2, page_size: 50 });
  });

  it('refuses bad ids, unknown body fields and non-objects as validation errors', () => {
    const refuse = (name: OperationName, raw: unknown): IpcInputError => {
      try {
        parseIpc(name, raw);
      } catch (err) {
        expect(err).toBeInstanceOf(IpcInputError);
        return err as IpcInputError;
      }
      throw new Error('expected a validation error');
    };
    expect(refuse('getProject', { id: '../etc' }).code).toBe('validation_error');
    expect(refuse('createProject', { name: 'x', extra: 1 }).message).toMatch(/extra|unrecognized/i);
    expect(refuse('createProject', { name: '' }).message).toMatch(/name/);
    expect(refuse('listProjects', 'a string').code).toBe('validation_error');
    expect(parseIpc('listProjects', undefined)).toEqual({});
  });

  it('turns expected failures into their code and hides bugs', () => {
    expect(toIpcFailure(new AppError('not_found', 'project x not found'))).toEqual({
      ok: false,
      error: { code: 'not_found', message: 'project x not found' },
    });
    expect(toIpcFailure(new TypeError('cannot read properties of undefined'))).toEqual({
      ok: false,
      error: { code: 'internal', message: 'internal error (see the log)' },
    });
    const spoof = Object.assign(new Error('x'), { code: 'EACCES' });
    expect(toIpcFailure(spoof).error.code).toBe('internal');
  });
});

describe('main window web preferences', () => {
  it('isolate, sandbox and keep Node out of the page; devtools only in dev', () => {
    const prefs = mainWindowWebPreferences('/app/dist/preload/preload.cjs', false);
    expect(prefs).toMatchObject({
      preload: '/app/dist/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      webviewTag: false,
      devTools: false,
    });
    expect(mainWindowWebPreferences('/p', true).devTools).toBe(true);
  });
});
