import type { Job } from './jobs.js';
import type { PredictItem, RunPrediction } from './predict.js';
import type { RunEvent } from './training.js';
import type { OperationMethodsOf } from './operations.js';

/** The typed surface of every operation: `client.listProjects({})`, … */
export type OperationMethods = OperationMethodsOf;

/**
 * What the renderer talks to. In Electron it is the preload bridge over IPC; in a browser it is
 * HTTP to the local server. Same screens, same types.
 */
export interface WorkstationClient extends OperationMethods {
  readonly kind: 'electron' | 'http';
  /** URL of an item's original file or thumbnail, usable in <img src>. */
  mediaUrl(projectId: string, filename: string, variant: 'file' | 'thumbnail'): string;
  /** Uploads browser File objects (single files, a folder's files with relative paths, or ZIPs). */
  uploadFiles(
    projectId: string,
    files: readonly { readonly file: Blob; readonly relativePath: string }[],
    onProgress?: (sentBytes: number, totalBytes: number) => void,
  ): Promise<{ readonly job_id: string; readonly status: string }>;
  /** Job progress events; returns an unsubscribe function. */
  subscribeJob(jobId: string, onEvent: (job: Job) => void): () => void;
  /**
   * A training run's events: first a `status` with the run as it is, then status, progress,
   * epoch and log events (HTTP: the SSE stream, which ends once the run settles; Electron: IPC).
   * Returns an unsubscribe function.
   */
  subscribeRun(projectId: string, runId: string, onEvent: (event: RunEvent) => void): () => void;
  /**
   * A completed run's checkpoint on one image or sound file or one table row: every class
   * probability (most probable first) or the value, and the time taken.
   */
  predict(
    projectId: string,
    runId: string,
    item: PredictItem,
    checkpoint?: 'best' | 'last',
  ): Promise<RunPrediction>;
  /** Electron only: the dropped file's filesystem path; null in a browser. */
  pathForFile(file: File): string | null;
  /**
   * Electron only (a browser downloads `download_url`): asks where to save an export's ZIP and
   * copies it there; `saved` false when the user cancels.
   */
  saveExport?(
    projectId: string,
    exportId: string,
  ): Promise<{ readonly saved: boolean; readonly path: string | null }>;
}

/** Thrown by clients for `{"status":"error"}` replies and IPC errors alike. */
export class WorkstationError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus?: number,
  ) {
    super(message);
    this.name = 'WorkstationError';
  }
}
