/**
 * The preload bridge: one `ipcRenderer.invoke` per contract operation, subscriptions to every
 * declared stream that return an unsubscribe, and file paths for dropped files. No logic beyond that (STYLE.md §4).
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
  IPC_MENU_COMMAND,
  IPC_SAVE_EXPORT,
  IPC_UPLOAD_FILES,
  createBridgeClient,
  type AssayBridge,
  type BridgeOperations,
  type MenuCommand,
  type UploadFilesInput,
} from '../src-shared/contract/ipc.js';
import type { ImportStarted } from '../src-shared/contract/datasets.js';
import { IPC_PREDICT } from '../src-shared/contract/predict.js';
import type { IpcFileInput, OperationDef } from '../src-shared/contract/operation.js';
import { ipcChannel, operationNames, operations } from '../src-shared/contract/operations.js';
import { streams } from '../src-shared/contract/streams.js';
import { createStreamBridge } from './stream-bridge.js';

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
  streams: createStreamBridge(ipcRenderer, streams),
  pathForFile,
  onMenuCommand,
};

contextBridge.exposeInMainWorld('assayBridge', bridge);
contextBridge.exposeInMainWorld('assay', createBridgeClient(bridge));
