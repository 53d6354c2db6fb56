/**
 * The preload bridge: one `ipcRenderer.invoke` per contract operation, job subscriptions that
 * return an unsubscribe, and file paths for dropped files. No logic beyond that (STYLE.md §4).
 *
 * Two globals:
 * - `window.assayBridge` (`AssayBridge`): operations resolve to `IpcResult`, never reject for
 *   expected failures. The renderer builds its client with `createBridgeClient(window.assayBridge)`
 *   so that `WorkstationError` is created in its own world and keeps its `code`.
 * - `window.assay` (`WorkstationClient`): the same client built here, for consoles and scripts.
 *   Errors it throws reach the page with their message only: the contextBridge copies nothing else.
 *
 * Sandboxed preloads must be CommonJS in one file: vite.preload.config.ts bundles this to
 * dist/preload/preload.cjs with `electron` left external.
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { IpcResult } from '../src-shared/contract/common.js';
import {
  IPC_JOB_SUBSCRIBE,
  IPC_MENU_COMMAND,
  IPC_JOB_UNSUBSCRIBE,
  IPC_RUN_EVENT,
  IPC_RUN_SUBSCRIBE,
  IPC_RUN_UNSUBSCRIBE,
  IPC_SAVE_EXPORT,
  IPC_UPLOAD_FILES,
  createBridgeClient,
  runIdOfEvent,
  type AssayBridge,
  type BridgeOperations,
  type MenuCommand,
  type UploadFilesInput,
} from '../src-shared/contract/ipc.js';
import type { ImportStarted } from '../src-shared/contract/datasets.js';
import type { Job } from '../src-shared/contract/jobs.js';
import { IPC_PREDICT } from '../src-shared/contract/predict.js';
import type { RunEvent } from '../src-shared/contract/training.js';
import type { IpcFileInput, OperationDef } from '../src-shared/contract/operation.js';
import {
  IPC_JOB_EVENT,
  ipcChannel,
  operationNames,
  operations,
} from '../src-shared/contract/operations.js';

/** A file field over IPC: a dropped or picked File goes as its path, anything else as bytes. */
async function toIpcFile(blob: Blob): Promise<IpcFileInput> {
  const name = typeof File !== 'undefined' && blob instanceof File ? blob.name : 'upload';
  const onDisk = typeof File !== 'undefined' && blob instanceof File ? pathForFile(blob) : null;
  if (onDisk) return { path: onDisk, filename: name };
  return { bytes: new Uint8Array(await blob.arrayBuffer()), filename: name || 'upload' };
}

/** The input as the channel takes it: the operation's file fields made IPC-shaped. */
async function ipcInput(def: OperationDef, input: unknown): Promise<unknown> {
  if (!def.files || typeof input !== 'object' || input === null) return input ?? {};
  const out: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  for (const key of Object.keys(def.files)) {
    const value = out[key];
    if (typeof Blob !== 'undefined' && value instanceof Blob) out[key] = await toIpcFile(value);
  }
  return out;
}

const ops = Object.fromEntries(
  operationNames.map((name) => {
    const def: OperationDef = operations[name];
    return [
      name,
      async (input: unknown) => ipcRenderer.invoke(ipcChannel(name), await ipcInput(def, input)),
    ];
  }),
) as unknown as BridgeOperations;

/** jobId → listeners; main sends every subscribed job's events on one channel. */
const jobListeners = new Map<string, Set<(job: Job) => void>>();

ipcRenderer.on(IPC_JOB_EVENT, (_event: IpcRendererEvent, job: Job) => {
  for (const listener of jobListeners.get(job.id) ?? []) listener(job);
});

function subscribeJob(jobId: string, onEvent: (job: Job) => void): () => void {
  let listeners = jobListeners.get(jobId);
  if (!listeners) {
    listeners = new Set();
    jobListeners.set(jobId, listeners);
    void ipcRenderer.invoke(IPC_JOB_SUBSCRIBE, { job_id: jobId });
  }
  const listener = (job: Job): void => onEvent(job);
  listeners.add(listener);
  return () => {
    const current = jobListeners.get(jobId);
    if (!current?.delete(listener) || current.size > 0) return;
    jobListeners.delete(jobId);
    void ipcRenderer.invoke(IPC_JOB_UNSUBSCRIBE, { job_id: jobId });
  };
}

/** runId → listeners; main sends every subscribed run's events on one channel. */
const runListeners = new Map<string, Set<(event: RunEvent) => void>>();

ipcRenderer.on(IPC_RUN_EVENT, (_event: IpcRendererEvent, event: RunEvent) => {
  for (const listener of runListeners.get(runIdOfEvent(event)) ?? []) listener(event);
});

function subscribeRun(
  projectId: string,
  runId: string,
  onEvent: (event: RunEvent) => void,
): () => void {
  let listeners = runListeners.get(runId);
  if (!listeners) {
    listeners = new Set();
    runListeners.set(runId, listeners);
  }
  const listener = (event: RunEvent): void => onEvent(event);
  listeners.add(listener);
  // Every subscriber asks: main answers each time with the run's current status (a repeat is
  // harmless to the others), so a second view of the same run starts from its state too.
  void ipcRenderer.invoke(IPC_RUN_SUBSCRIBE, { project_id: projectId, run_id: runId });
  return () => {
    const current = runListeners.get(runId);
    if (!current?.delete(listener) || current.size > 0) return;
    runListeners.delete(runId);
    void ipcRenderer.invoke(IPC_RUN_UNSUBSCRIBE, { project_id: projectId, run_id: runId });
  };
}

function pathForFile(file: File): string | null {
  try {
    // Empty for Files that have no file behind them (made in script, pasted images).
    return webUtils.getPathForFile(file) || null;
  } catch {
    return null;
  }
}

async function uploadFiles(
  projectId: string,
  files: readonly { readonly file: Blob; readonly relativePath: string }[],
): Promise<IpcResult<ImportStarted>> {
  // Files on disk travel as paths (main copies them into staging); the rest as bytes.
  const entries: UploadFilesInput['files'] = [];
  for (const { file, relativePath } of files) {
    const onDisk = typeof File !== 'undefined' && file instanceof File ? pathForFile(file) : null;
    entries.push(
      onDisk
        ? { relativePath, path: onDisk }
        : { relativePath, bytes: new Uint8Array(await file.arrayBuffer()) },
    );
  }
  const input: UploadFilesInput = { project_id: projectId, files: entries };
  return (await ipcRenderer.invoke(IPC_UPLOAD_FILES, input)) as IpcResult<ImportStarted>;
}

function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  const handler = (_event: IpcRendererEvent, command: MenuCommand): void => listener(command);
  ipcRenderer.on(IPC_MENU_COMMAND, handler);
  return () => {
    ipcRenderer.off(IPC_MENU_COMMAND, handler);
  };
}

const saveExport: NonNullable<AssayBridge['saveExport']> = (projectId, exportId) =>
  ipcRenderer.invoke(IPC_SAVE_EXPORT, { project_id: projectId, export_id: exportId });

const predict: NonNullable<AssayBridge['predict']> = async (projectId, runId, item, checkpoint) =>
  ipcRenderer.invoke(IPC_PREDICT, {
    project_id: projectId,
    run_id: runId,
    checkpoint,
    ...('row' in item
      ? { row: item.row }
      : {
          file: { filename: item.filename, bytes: new Uint8Array(await item.file.arrayBuffer()) },
        }),
  });

const bridge: AssayBridge = {
  ops,
  predict,
  saveExport,
  uploadFiles,
  subscribeJob,
  subscribeRun,
  pathForFile,
  onMenuCommand,
};

contextBridge.exposeInMainWorld('assayBridge', bridge);
contextBridge.exposeInMainWorld('assay', createBridgeClient(bridge));
