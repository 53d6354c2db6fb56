import type { Job, OperationHandlers } from '../../src-shared/contract/index.js';
import type { Logger } from './services/logger.js';
import type { ImportLimits } from './workspace/import-types.js';

export type { Logger } from './services/logger.js';
export type { ImportLimits } from './workspace/import-types.js';

export interface WorkstationOptions {
  readonly workspaceDir: string;
  readonly version: string;
  readonly limits?: Partial<ImportLimits>;
  readonly now?: () => Date;
  readonly logger?: Logger;
}

export interface Workstation {
  readonly ops: OperationHandlers;
  readonly limits: ImportLimits;
  readonly workspaceDir: string;
  readonly tmpDir: string;
  /** Absolute path + mime of an item's original file or thumbnail; AppError not_found otherwise. */
  resolveMedia(projectId: string, filename: string, variant: 'file' | 'thumbnail'): Promise<{ path: string; mime: string }>;
  /** Starts an import job from files the API staged under tmpDir (ZIPs are inspected first; throws AppError 4xx). */
  importStaged(
    projectId: string,
    files: readonly { tempPath: string; relativePath: string }[],
  ): Promise<{ job_id: string; status: string }>;
  /** Job events (progress, done); returns unsubscribe. */
  onJob(jobId: string, listener: (job: Job) => void): () => void;
  close(): Promise<void>;
}

// Placeholder until the services land (same commit series); the interface above is final.
export function openWorkstation(opts: WorkstationOptions): Promise<Workstation> {
  return Promise.reject(new Error(`openWorkstation(${opts.workspaceDir}): not implemented yet`));
}
