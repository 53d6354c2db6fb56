import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  availableBackends,
  candidates,
  selectBackend,
  wasmBinaryDir,
  wasmKernelNames,
} from '../../src-main/core/engine/backends/index.js';
import { unpackedPath } from '../../src-main/core/engine/backends/packages.js';

describe('training backends', () => {
  it('availableBackends tells the truth: what it reports available, selectBackend activates', async () => {
    const hooks = () =>
      process.listeners('uncaughtException').length +
      process.listeners('unhandledRejection').length;
    const hooksBefore = hooks();
    const report = await availableBackends();
    expect(report.map((b) => b.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    // wasm and cpu are plain npm dependencies: always there.
    expect(report.find((b) => b.name === 'wasm')?.available).toBe(true);
    expect(report.find((b) => b.name === 'cpu')?.available).toBe(true);
    for (const b of report) {
      if (b.available) expect(b.reason).toBeNull();
      else expect(b.reason).toMatch(/tfjs-node/);
    }
    // Same answer from the cache.
    expect(await availableBackends()).toBe(report);

    // 'auto' on the CPU picks the best CPU backend the probe found.
    const best = report.find((b) => b.available && b.name !== 'tensorflow-gpu');
    const picked = await selectBackend('auto', 'cpu');
    expect(picked.name).toBe(best?.name);
    expect(picked.device).toBe('cpu');
    // The wasm glue's process-wide rethrowing error handlers are taken out again.
    expect(hooks()).toBe(hooksBefore);
    expect(picked.skipped.map((s) => s.name)).toEqual(
      report.filter((b) => b.name !== 'tensorflow-gpu' && !b.available).map((b) => b.name),
    );
  });

  it('a backend that is not there is an error naming the reason, never a silent fallback', async () => {
    const report = await availableBackends();
    for (const b of report.filter((r) => !r.available && r.name !== 'tensorflow-gpu')) {
      await expect(selectBackend(b.name, 'cpu')).rejects.toThrow(b.package);
    }
    const wasm = await selectBackend('wasm', 'cpu');
    expect(wasm.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    // Our kernels are registered with the wasm backend.
    for (const { kernel } of wasmKernelNames()) expect(tf.getKernel(kernel, 'wasm')).toBeDefined();
    const cpu = await selectBackend('cpu', 'cpu');
    expect(cpu.name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('orders candidates best first and keeps GPU devices on the GPU backend', () => {
    expect(candidates('auto', 'auto')).toEqual(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
    expect(candidates('auto', 'cpu')).toEqual(['tensorflow', 'wasm', 'cpu']);
    expect(candidates('auto', 'gpu:0')).toEqual(['tensorflow-gpu']);
    expect(candidates('wasm', 'auto')).toEqual(['wasm']);
  });

  it('finds the wasm binaries, unpacked from app.asar in a packaged app', () => {
    expect(wasmBinaryDir().endsWith(path.sep)).toBe(true);
    const inAsar = path.join('/opt/Assay/resources/app.asar', 'node_modules', 'x', 'dist');
    const unpacked = path.join(
      '/opt/Assay/resources/app.asar.unpacked',
      'node_modules',
      'x',
      'dist',
    );
    expect(unpackedPath(inAsar, (p) => p === unpacked)).toBe(unpacked);
    expect(unpackedPath(inAsar, () => false)).toBe(inAsar);
    expect(unpackedPath('/usr/lib/node_modules/x', () => true)).toBe('/usr/lib/node_modules/x');
  });
});
