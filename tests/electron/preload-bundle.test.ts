// The sandboxed preload gets a `require` that knows only a few modules: the built bundle must be
// one CommonJS file whose only import is `electron`. Built here with the project's own config.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let outDir: string;
let code: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(os.tmpdir(), 'assay-preload-'));
  await build({
    configFile: path.resolve('vite.preload.config.ts'),
    logLevel: 'silent',
    build: { outDir, sourcemap: false },
  });
  code = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
}, 120_000);

afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('preload bundle', () => {
  it('requires nothing but electron and runs in a bare CommonJS context', () => {
    const required: string[] = [];
    const exposed: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string) => exposed.push(key) },
      ipcRenderer: { on: () => undefined, invoke: async () => ({ ok: true, value: null }) },
      webUtils: { getPathForFile: () => '' },
    };
    const module = { exports: {} };
    const context = vm.createContext({
      module,
      exports: module.exports,
      require: (id: string) => {
        required.push(id);
        if (id !== 'electron') throw new Error(`the sandbox has no module ${id}`);
        return fakeElectron;
      },
      console,
      URL,
    });
    new vm.Script(code, { filename: 'preload.cjs' }).runInContext(context);
    expect(required).toEqual(['electron']);
    expect(exposed.sort()).toEqual(['assay', 'assayBridge']);
    expect(code).not.toMatch(/\bimport\s*\(|import\.meta|^export /m);
  });
});
