import type { Backend } from '../../src-shared/contract/index.js';
import { describe, expect, it } from 'vitest';
import {
  parseCudaVersion,
  parseNvidiaSmiCsv,
  probeBackends,
  applyLoadResults,
  probeDevices,
  type RunCommand,
} from '../../src-main/core/services/device-probe.js';

const SMI_CSV =
  'NVIDIA GeForce RTX 4090, 24564, 22100, 550.54.14\nNVIDIA RTX A6000, 49140, 48000, 550.54.14\n';
const SMI_BANNER = '| NVIDIA-SMI 550.54.14   Driver Version: 550.54.14   CUDA Version: 12.4     |';

describe('device probe', () => {
  it('parses nvidia-smi output', () => {
    expect(parseNvidiaSmiCsv(SMI_CSV)).toEqual([
      {
        name: 'NVIDIA GeForce RTX 4090',
        memoryTotalMb: 24564,
        memoryFreeMb: 22100,
        driverVersion: '550.54.14',
      },
      {
        name: 'NVIDIA RTX A6000',
        memoryTotalMb: 49140,
        memoryFreeMb: 48000,
        driverVersion: '550.54.14',
      },
    ]);
    expect(parseNvidiaSmiCsv('garbage\n')).toEqual([]);
    expect(parseCudaVersion(SMI_BANNER)).toBe('12.4');
    expect(parseCudaVersion('no cuda here')).toBeNull();
  });

  it('reports GPUs found by nvidia-smi, with gpu:0 selected', async () => {
    const run: RunCommand = async (_file, args) => (args.length > 0 ? SMI_CSV : SMI_BANNER);
    const d = await probeDevices({ run, findPackage: () => null });
    expect(d.devices.map((x) => x.id)).toEqual(['cpu', 'gpu:0', 'gpu:1']);
    expect(d.devices[1]).toMatchObject({
      type: 'gpu',
      name: 'NVIDIA GeForce RTX 4090',
      memory_total_mb: 24564,
    });
    expect(d).toMatchObject({
      cuda_available: true,
      cuda_version: '12.4',
      default_selected: ['gpu:0'],
    });
  });

  it('reports only the CPU when nvidia-smi is missing', async () => {
    const run: RunCommand = async () => {
      throw Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
    };
    const d = await probeDevices({ run, findPackage: () => null });
    expect(d.devices).toHaveLength(1);
    expect(d).toMatchObject({
      cuda_available: false,
      cuda_version: null,
      default_selected: ['cpu'],
    });
    expect(d.backends.every((b) => !b.available && /not installed/.test(b.reason ?? ''))).toBe(
      true,
    );
  });

  it('says why an installed native backend is unusable', () => {
    // A folder with package.json but no compiled binding: its install-time download did not happen.
    const here = new URL('.', import.meta.url).pathname;
    const backends = probeBackends([], (pkg) => (pkg === '@tensorflow/tfjs-node' ? here : null));
    const tf = backends.find((b) => b.name === 'tensorflow')!;
    expect(tf).toMatchObject({
      available: false,
      reason: expect.stringMatching(/native binary is missing/),
    });
    const wasm = probeBackends([], (pkg) =>
      pkg === '@tensorflow/tfjs-backend-wasm' ? here : null,
    ).find((b) => b.name === 'wasm');
    expect(wasm).toMatchObject({ available: true, devices: ['cpu'], reason: null });
  });
});

describe('applyLoadResults', () => {
  const installed: Backend[] = [
    {
      name: 'tensorflow',
      package: '@tensorflow/tfjs-node',
      available: true,
      devices: ['cpu'],
      reason: null,
    },
    {
      name: 'wasm',
      package: '@tensorflow/tfjs-backend-wasm',
      available: true,
      devices: ['cpu'],
      reason: null,
    },
    {
      name: 'onnxruntime',
      package: 'onnxruntime-node',
      available: true,
      devices: ['cpu'],
      reason: null,
    },
  ];

  it('marks an installed backend that failed to load as unavailable, with the load error', () => {
    const out = applyLoadResults(installed, [
      {
        name: 'tensorflow',
        package: '@tensorflow/tfjs-node',
        available: false,
        reason: 'libtensorflow.so.2: cannot open shared object file',
      },
      { name: 'wasm', package: '@tensorflow/tfjs-backend-wasm', available: true, reason: null },
    ]);
    expect(out[0]).toMatchObject({
      available: false,
      devices: [],
      reason: expect.stringContaining('libtensorflow'),
    });
    expect(out[1]).toEqual(installed[1]);
    expect(out[2]).toEqual(installed[2]);
  });

  it('reports the real load test of this machine: wasm and cpu load here', async () => {
    const d = await probeDevices({ run: () => Promise.reject(new Error('no nvidia-smi')) });
    const byName = new Map(d.backends.map((b) => [b.name, b]));
    expect(byName.get('wasm')?.available).toBe(true);
    expect(byName.get('cpu')?.available).toBe(true);
  });
});
