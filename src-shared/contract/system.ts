import { z } from 'zod';
import { IsoDate } from './common.js';

/**
 * Versions of what runs the workstation, in the health body's `detail.versions` (the documented
 * body keeps its keys; `detail` is free-form). `electron` is null when served headless.
 */
export const SystemVersions = z.object({
  app: z.string(),
  node: z.string(),
  electron: z.string().nullable(),
  tfjs: z.string().nullable(),
  onnxruntime: z.string().nullable(),
});
export type SystemVersions = z.infer<typeof SystemVersions>;

/** One body for GET /health and /api/system/health (DESIGN.md §5). */
export const Health = z.object({
  status: z.literal('healthy'),
  version: z.string(),
  models_loaded: z.number().int(),
  timestamp: IsoDate,
  detail: z.record(z.string(), z.unknown()),
});
export type Health = z.infer<typeof Health>;

export const Device = z.object({
  id: z.string(),
  name: z.string(),
  type: z.enum(['cpu', 'gpu']),
  memory_total_mb: z.number().int().optional(),
  memory_free_mb: z.number().int().optional(),
  cores: z.number().int().optional(),
});
export type Device = z.infer<typeof Device>;

export const Backend = z.object({
  name: z.string().describe('tensorflow | tensorflow-gpu | wasm | cpu | onnxruntime'),
  package: z.string(),
  available: z.boolean(),
  devices: z.array(z.string()),
  reason: z.string().nullable(),
});
export type Backend = z.infer<typeof Backend>;

export const Devices = z.object({
  devices: z.array(Device),
  cuda_available: z.boolean(),
  cuda_version: z.string().nullable(),
  default_selected: z.array(z.string()),
  backends: z.array(Backend),
});
export type Devices = z.infer<typeof Devices>;

export const WorkspaceStats = z.object({
  path: z.string(),
  database_bytes: z.number().int(),
  total_bytes: z.number().int(),
  disk_total_bytes: z.number().int(),
  disk_free_bytes: z.number().int(),
  projects: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      bytes: z.number().int(),
      items: z.number().int(),
    }),
  ),
});
export type WorkspaceStats = z.infer<typeof WorkspaceStats>;
