import { z } from 'zod';
import { WorkstationError, type WorkstationClient, type OperationMethods } from './client.js';
import type { IpcResult } from './common.js';
import { ProjectId } from './common.js';
import type { ImportStarted } from './datasets.js';
import { ExportId } from './export.js';
import type { PredictItem, RunPrediction } from './predict.js';
import type { StreamBridge } from './stream-ipc.js';
import type { Streams } from './streams.js';
import {
  operationNames,
  type OperationInput,
  type OperationName,
  type OperationOutput,
} from './operations.js';

/**
 * The Electron side of the contract, beside the one channel per operation (`ipcChannel(name)`)
 * and the channels of each declared stream (`streamChannels(name)`, stream-ipc.ts): file staging
 * for uploads, saving exports, and the media URL scheme. Main and preload both import these, so
 * a channel name or URL shape is written once.
 */
export const IPC_UPLOAD_FILES = 'assay:uploadFiles';
/** Saves an export's ZIP where the user picks (the desktop app's download). */
export const IPC_SAVE_EXPORT = 'assay:saveExport';
/** Main → renderer: a menu command the page carries out (it knows the open project). */
export const IPC_MENU_COMMAND = 'assay:menu';

export type MenuCommand =
  | { readonly command: 'new-project' }
  | { readonly command: 'import-folder'; readonly path: string };

export const SaveExportInput = z.strictObject({ project_id: ProjectId, export_id: ExportId });
/** `saved` false: the user cancelled the dialog. */
export interface SavedExport {
  readonly saved: boolean;
  readonly path: string | null;
}

/**
 * One file to import through the shell: either a path on disk (a dropped or picked File) or its
 * bytes (a Blob with no file behind it). `relativePath` names it inside the project, as in the
 * HTTP upload; the core refuses `..` and absolute names just as it does there.
 */
export const UploadFileEntry = z
  .strictObject({
    relativePath: z.string().min(1).max(4096),
    path: z.string().min(1).optional(),
    bytes: z.instanceof(Uint8Array).optional(),
  })
  .refine((f) => (f.path === undefined) !== (f.bytes === undefined), {
    message: 'give exactly one of path or bytes',
  });

export const UploadFilesInput = z.strictObject({
  project_id: ProjectId,
  files: z.array(UploadFileEntry).min(1).max(100_000),
});
export type UploadFilesInput = z.input<typeof UploadFilesInput>;

/** Item files and thumbnails in Electron: `assay-media://media/<project_id>/<variant>/<filename>`. */
export const MEDIA_SCHEME = 'assay-media';
const MEDIA_HOST = 'media';

export function mediaUrlFor(
  projectId: string,
  filename: string,
  variant: 'file' | 'thumbnail',
): string {
  return `${MEDIA_SCHEME}://${MEDIA_HOST}/${encodeURIComponent(projectId)}/${variant}/${encodeURIComponent(filename)}`;
}

/** The inverse of `mediaUrlFor`; null for anything it did not make. */
export function parseMediaUrl(
  url: string,
): { projectId: string; filename: string; variant: 'file' | 'thumbnail' } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${MEDIA_SCHEME}:` || parsed.host !== MEDIA_HOST) return null;
  const match = /^\/([^/]+)\/(file|thumbnail)\/([^/]+)$/.exec(parsed.pathname);
  if (!match) return null;
  try {
    return {
      projectId: decodeURIComponent(match[1] ?? ''),
      variant: match[2] === 'file' ? 'file' : 'thumbnail',
      filename: decodeURIComponent(match[3] ?? ''),
    };
  } catch {
    return null; // malformed percent-encoding
  }
}

/** Each operation over IPC: never throws for expected failures, the error is data. */
export type BridgeOperations = {
  readonly [N in OperationName]: (
    input: OperationInput<N>,
  ) => Promise<IpcResult<OperationOutput<N>>>;
};

/**
 * What the preload exposes as `window.assayBridge`. Errors cross the contextBridge as data because
 * the bridge copies a thrown Error's message only (its class and `code` are lost on the way).
 */
export interface AssayBridge {
  readonly ops: BridgeOperations;
  uploadFiles(
    projectId: string,
    files: readonly { readonly file: Blob; readonly relativePath: string }[],
  ): Promise<IpcResult<ImportStarted>>;
  /** Every declared stream (job and run events, …): `subscribe(name, params, onEvent)`. */
  readonly streams: StreamBridge<Streams>;
  pathForFile(file: File): string | null;
  /** Menu commands (File → New project, Import folder…); returns an unsubscribe function. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /** Try it: one item through a run's checkpoint (the file's bytes cross as a Uint8Array). */
  predict?(
    projectId: string,
    runId: string,
    item: PredictItem,
    checkpoint: 'best' | 'last',
  ): Promise<IpcResult<RunPrediction>>;
  /** Asks where to save an export's ZIP and copies it there. */
  saveExport?(projectId: string, exportId: string): Promise<IpcResult<SavedExport>>;
}

function unwrap<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value;
  throw new WorkstationError(result.error.code, result.error.message);
}

/**
 * The `WorkstationClient` over the bridge. Build it in the renderer's own world
 * (`createBridgeClient(window.assayBridge)`) so that a `WorkstationError` keeps its code and
 * `instanceof` works there.
 */
export function createBridgeClient(bridge: AssayBridge): WorkstationClient {
  const ops = Object.fromEntries(
    operationNames.map((name) => [
      name,
      async (input: unknown) =>
        unwrap(await (bridge.ops[name] as (i: unknown) => Promise<IpcResult<unknown>>)(input)),
    ]),
  ) as unknown as OperationMethods;
  return {
    ...ops,
    kind: 'electron',
    mediaUrl: mediaUrlFor,
    async uploadFiles(projectId, files, onProgress) {
      const total = files.reduce((sum, f) => sum + f.file.size, 0);
      const started = unwrap(await bridge.uploadFiles(projectId, files));
      // Files are staged in one step over IPC: report completion once it is done.
      onProgress?.(total, total);
      return started;
    },
    subscribeJob: (jobId, onEvent) =>
      bridge.streams.subscribe('jobEvents', { job_id: jobId }, onEvent),
    subscribeRun: (projectId, runId, onEvent) =>
      bridge.streams.subscribe('runEvents', { project_id: projectId, run_id: runId }, onEvent),
    pathForFile: (file) => bridge.pathForFile(file),
    async predict(projectId, runId, item, checkpoint = 'best') {
      if (!bridge.predict)
        throw new WorkstationError('unsupported', 'this app version cannot predict');
      return unwrap(await bridge.predict(projectId, runId, item, checkpoint));
    },
    ...(bridge.saveExport
      ? {
          saveExport: async (projectId: string, exportId: string) =>
            unwrap(
              await (bridge.saveExport as NonNullable<AssayBridge['saveExport']>)(
                projectId,
                exportId,
              ),
            ),
        }
      : {}),
  };
}
