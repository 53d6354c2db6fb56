import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Backend, Device, Devices } from '../../../src-shared/contract/index.js';
// The probe and package modules only: the main thread never loads tfjs itself.
import { availableBackends, type BackendAvailability } from '../engine/backends/probe.js';
import { BACKEND_PACKAGES } from '../engine/backends/packages.js';

/** Runs a program and returns its stdout; rejects when it is missing, fails or overruns. */
export type RunCommand = (
  file: string,
  args: readonly string[],
  timeoutMs: number,
) => Promise<string>;

export const runCommand: RunCommand = (file, args, timeoutMs) =>
  new Promise((resolve, reject) => {
    execFile(
      file,
      [...args],
      { timeout: timeoutMs, windowsHide: true, encoding: 'utf8' },
      (err, stdout) => (err ? reject(err) : resolve(stdout)),
    );
  });

export interface GpuInfo {
  readonly name: string;
  readonly memoryTotalMb: number;
  readonly memoryFreeMb: number;
  readonly driverVersion: string;
}

/** Parses `nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version --format=csv,noheader,nounits`. */
export function parseNvidiaSmiCsv(csv: string): GpuInfo[] {
  return csv
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .flatMap((line) => {
      // GPU names hold no commas; the numbers are last.
      const parts = line.split(',').map((p) => p.trim());
      if (parts.length < 4) return [];
      const [driverVersion, free, total] = [
        parts.pop() ?? '',
        Number(parts.pop()),
        Number(parts.pop()),
      ];
      const name = parts.join(', ');
      if (!name || !Number.isFinite(total) || !Number.isFinite(free)) return [];
      return [
        { name, memoryTotalMb: Math.round(total), memoryFreeMb: Math.round(free), driverVersion },
      ];
    });
}

/** `nvidia-smi`'s banner says "CUDA Version: 12.4": the highest CUDA the driver supports. */
export function parseCudaVersion(banner: string): string | null {
  return /CUDA Version:\s*([0-9]+(?:\.[0-9]+)*)/.exec(banner)?.[1] ?? null;
}

const NVIDIA_SMI_TIMEOUT_MS = 5000;

async function probeGpus(
  run: RunCommand,
): Promise<{ gpus: GpuInfo[]; cudaVersion: string | null }> {
  let gpus: GpuInfo[];
  try {
    const csv = await run(
      'nvidia-smi',
      ['--query-gpu=name,memory.total,memory.free,driver_version', '--format=csv,noheader,nounits'],
      NVIDIA_SMI_TIMEOUT_MS,
    );
    gpus = parseNvidiaSmiCsv(csv);
  } catch {
    // No nvidia-smi (no NVIDIA driver) or it failed: no GPU we could use.
    return { gpus: [], cudaVersion: null };
  }
  let cudaVersion: string | null = null;
  if (gpus.length > 0) {
    try {
      cudaVersion = parseCudaVersion(await run('nvidia-smi', [], NVIDIA_SMI_TIMEOUT_MS));
    } catch {
      cudaVersion = null;
    }
  }
  return { gpus, cudaVersion };
}

/** Finds an installed package's folder the way Node would resolve it, without loading it. */
export function findPackageDir(pkg: string, from: string = import.meta.url): string | null {
  const require = createRequire(from);
  for (const dir of require.resolve.paths(pkg) ?? []) {
    const candidate = path.join(dir, pkg);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
  }
  return null;
}

function hasNativeBinary(dir: string, depth = 5): boolean {
  if (depth < 0 || !existsSync(dir)) return false;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.node')) return true;
    if (entry.isDirectory() && hasNativeBinary(path.join(dir, entry.name), depth - 1)) return true;
  }
  return false;
}

interface BackendSpec {
  readonly name: string;
  readonly pkg: string;
  /** Folder inside the package holding its compiled binding, for packages whose install downloads it. */
  readonly nativeDir?: string;
  readonly devices: (gpuIds: readonly string[]) => string[];
}

const BACKENDS: readonly BackendSpec[] = [
  {
    name: 'tensorflow-gpu',
    pkg: BACKEND_PACKAGES['tensorflow-gpu'],
    nativeDir: 'lib',
    devices: (g) => [...g],
  },
  {
    name: 'tensorflow',
    pkg: BACKEND_PACKAGES.tensorflow,
    nativeDir: 'lib',
    devices: () => ['cpu'],
  },
  { name: 'wasm', pkg: BACKEND_PACKAGES.wasm, devices: () => ['cpu'] },
  { name: 'cpu', pkg: BACKEND_PACKAGES.cpu, devices: () => ['cpu'] },
  { name: 'onnxruntime', pkg: 'onnxruntime-node', nativeDir: 'bin', devices: () => ['cpu'] },
];

export function probeBackends(gpuIds: readonly string[], find = findPackageDir): Backend[] {
  return BACKENDS.map((spec): Backend => {
    const dir = find(spec.pkg);
    const base = { name: spec.name, package: spec.pkg };
    if (!dir)
      return { ...base, available: false, devices: [], reason: `${spec.pkg} is not installed` };
    if (spec.nativeDir && !hasNativeBinary(path.join(dir, spec.nativeDir))) {
      return {
        ...base,
        available: false,
        devices: [],
        reason: `${spec.pkg} is installed but its native binary is missing (its install-time download did not happen)`,
      };
    }
    if (spec.name === 'tensorflow-gpu' && gpuIds.length === 0) {
      return {
        ...base,
        available: false,
        devices: [],
        reason: 'no NVIDIA GPU with a working driver was found',
      };
    }
    return { ...base, available: true, devices: spec.devices(gpuIds), reason: null };
  });
}

export interface ProbeOptions {
  readonly run?: RunCommand;
  readonly findPackage?: (pkg: string) => string | null;
  /** Loads each engine backend for real (in a worker); default: the engine's cached probe. */
  readonly loadBackends?: () => Promise<readonly BackendAvailability[]>;
}

/**
 * An installed package is not yet a working backend (a native binding can fail to load against
 * this machine's libraries or driver): where the engine's load test failed, say so and why.
 */
export function applyLoadResults(
  backends: readonly Backend[],
  loaded: readonly BackendAvailability[],
): Backend[] {
  return backends.map((b) => {
    const result = loaded.find((l) => l.name === b.name);
    if (!b.available || !result || result.available) return b;
    return { ...b, available: false, devices: [], reason: result.reason ?? 'it failed to load' };
  });
}

/** The CPU as the OS reports it (memory read fresh each time: it is cheap and changes). */
export function cpuDevice(): Device {
  const cpus = os.cpus();
  return {
    id: 'cpu',
    name: cpus[0]?.model.trim() || `${os.arch()} CPU`,
    type: 'cpu',
    cores: cpus.length || os.availableParallelism(),
    memory_total_mb: Math.round(os.totalmem() / 1024 ** 2),
    memory_free_mb: Math.round(os.freemem() / 1024 ** 2),
  };
}

/** What this machine can train on, found out truthfully (nothing is assumed or loaded). */
export async function probeDevices(options: ProbeOptions = {}): Promise<Devices> {
  const { gpus, cudaVersion } = await probeGpus(options.run ?? runCommand);
  const gpuDevices: Device[] = gpus.map((g, i) => ({
    id: `gpu:${i}`,
    name: g.name,
    type: 'gpu',
    memory_total_mb: g.memoryTotalMb,
    memory_free_mb: g.memoryFreeMb,
  }));
  const gpuIds = gpuDevices.map((d) => d.id);
  return {
    devices: [cpuDevice(), ...gpuDevices],
    cuda_available: gpus.length > 0 && cudaVersion !== null,
    cuda_version: cudaVersion,
    default_selected: gpuIds.length > 0 ? [gpuIds[0] as string] : ['cpu'],
    backends: applyLoadResults(
      probeBackends(gpuIds, options.findPackage),
      await (options.loadBackends ?? availableBackends)(),
    ),
  };
}
