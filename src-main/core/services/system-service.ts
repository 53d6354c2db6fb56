import { lstat, readdir, statfs } from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type {
  Devices,
  OperationHandlers,
  SystemVersions,
} from '../../../src-shared/contract/index.js';
import type { ServiceContext } from './context.js';
import { cpuDevice, probeDevices, type ProbeOptions } from './device-probe.js';

export type SystemService = Pick<OperationHandlers, 'health' | 'devices' | 'workspace'>;

/** Bytes under a folder (files only, links not followed); 0 when it does not exist. */
export async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile())
      total += await lstat(full).then(
        (s) => s.size,
        () => 0,
      );
  }
  return total;
}

const require = createRequire(import.meta.url);

/** An installed package's version from its package.json, without loading (or binding) it. */
function packageVersion(pkg: string): string | null {
  try {
    const meta = require(`${pkg}/package.json`) as { version?: unknown };
    return typeof meta.version === 'string' ? meta.version : null;
  } catch {
    return null;
  }
}

export function systemVersions(app: string): SystemVersions {
  return {
    app,
    node: process.versions.node,
    electron: process.versions['electron'] ?? null,
    tfjs: packageVersion('@tensorflow/tfjs-core'),
    onnxruntime: packageVersion('onnxruntime-node'),
  };
}

export interface SystemServiceOptions {
  readonly activeJobs: () => number;
  /** onnxruntime sessions open in the session cache. */
  readonly modelsLoaded?: () => number;
  readonly probe?: ProbeOptions;
}

export function createSystemService(
  ctx: ServiceContext,
  options: SystemServiceOptions,
): SystemService {
  const { store, layout } = ctx;
  const startedAt = ctx.now();
  // GPUs and installed packages do not change while the app runs; nvidia-smi is asked once.
  let probe: Promise<Devices> | undefined;
  const versions = systemVersions(ctx.version);

  return {
    health: async () => ({
      status: 'healthy' as const,
      version: ctx.version,
      models_loaded: options.modelsLoaded?.() ?? 0,
      timestamp: ctx.now().toISOString(),
      detail: {
        workspace: layout.root,
        database: { path: layout.dbPath, schema_version: store.schemaVersion },
        active_jobs: options.activeJobs(),
        uptime_s: Math.max(0, Math.round((ctx.now().getTime() - startedAt.getTime()) / 1000)),
        node: process.versions.node,
        platform: `${process.platform}-${process.arch}`,
        versions,
      },
    }),

    devices: async () => {
      probe ??= probeDevices(options.probe);
      const cached = await probe;
      return {
        ...cached,
        devices: [cpuDevice(), ...cached.devices.filter((d) => d.type !== 'cpu')],
      };
    },

    workspace: async () => {
      const dbFiles = ['', '-wal', '-shm'].map((suffix) => `${layout.dbPath}${suffix}`);
      const sizes = await Promise.all(
        dbFiles.map((f) =>
          lstat(f).then(
            (s) => s.size,
            () => 0,
          ),
        ),
      );
      const database_bytes = sizes.reduce((a, b) => a + b, 0);
      const projects = await Promise.all(
        store.projects.list().map(async (p) => ({
          id: p.id,
          name: p.name,
          bytes: await folderBytes(layout.projectDir(p.id)),
          items: p.item_count,
        })),
      );
      const fsStats = await statfs(layout.root);
      return {
        path: layout.root,
        database_bytes,
        total_bytes: await folderBytes(layout.root),
        disk_total_bytes: fsStats.blocks * fsStats.bsize,
        disk_free_bytes: fsStats.bavail * fsStats.bsize,
        projects,
      };
    },
  };
}
