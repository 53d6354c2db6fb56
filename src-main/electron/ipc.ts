import { copyFile, readFile, rename, rm } from 'node:fs/promises';
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { IpcResult } from '../../src-shared/contract/common.js';
import {
  IPC_SAVE_EXPORT,
  IPC_UPLOAD_FILES,
  SaveExportInput,
  UploadFilesInput,
  type SavedExport,
} from '../../src-shared/contract/ipc.js';
import {
  ipcChannel,
  type FileReply,
  type OperationDef,
} from '../../src-shared/contract/operation.js';
import { workstationModule, type ApiModule } from '../core/api-module.js';
import { IPC_PREDICT, PredictIpcInput } from '../../src-shared/contract/predict.js';
import type { Logger } from '../core/services/logger.js';
import type { Workstation } from '../core/workstation.js';
import { isAppUrl } from './app-url.js';
import {
  IpcInputError,
  parseOperationInput,
  parseWith as parse,
  stageFiles,
  toIpcFailure,
} from './ipc-input.js';
import { registerStreamIpc } from './ipc-streams.js';
import { stageUploads } from './upload-staging.js';

/** Only what the handlers use of ipcMain, so tests can hand in a plain object. */
export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>;

/** The shell's dialogs the handlers need (Electron's `dialog` in the app, a stand-in in tests). */
export interface ShellDialogs {
  /** The path the user picked to save `defaultName` to, or null when they cancelled. */
  chooseSavePath(sender: WebContents, defaultName: string): Promise<string | null>;
}

const noDialogs: ShellDialogs = {
  chooseSavePath: () => Promise.reject(new IpcInputError('conflict', 'no save dialog here')),
};

/** Calls from anything but our own renderer's page (a navigated-away frame, a stray iframe) are refused. */
function checkSender(event: IpcMainInvokeEvent): void {
  const url = event.senderFrame?.url ?? '';
  if (!isAppUrl(url)) throw new IpcInputError('forbidden', 'IPC is only for the Assay window');
}

/**
 * The IPC adapter: one `ipcMain.handle` per contract operation (of the workstation and of any
 * extra module), validating the argument with the contract's schemas and calling the same core
 * handler the HTTP router calls. Every handler resolves to an `IpcResult`; it never rejects, so
 * the renderer sees codes, not stack traces. Returns a function that removes the handlers and
 * drops stream subscriptions.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  ws: Workstation,
  logger: Logger,
  dialogs: ShellDialogs = noDialogs,
  extraModules: readonly ApiModule[] = [],
): () => void {
  const guarded = <T>(
    channel: string,
    run: (event: IpcMainInvokeEvent, arg: unknown) => Promise<T>,
  ): void => {
    ipcMain.handle(channel, async (event, arg: unknown): Promise<IpcResult<T>> => {
      try {
        checkSender(event);
        return { ok: true, value: await run(event, arg) };
      } catch (err) {
        const failure = toIpcFailure(err);
        if (failure.error.code === 'internal') logger.error({ err, channel }, 'IPC handler failed');
        return failure;
      }
    });
  };

  const modules = [workstationModule(ws), ...extraModules];
  const operationChannels: string[] = [];
  for (const m of modules) {
    for (const [name, def] of Object.entries(m.operations)) {
      const handler = m.handlers[name] as unknown as LooseHandler;
      operationChannels.push(ipcChannel(name));
      guarded(ipcChannel(name), (_event, arg) => callOperation(ws, name, def, handler, arg));
    }
  }

  // Every declared stream (job and run events, and any module's own) on channels from its name.
  const streamIpc = registerStreamIpc(guarded, modules, logger);

  guarded(IPC_UPLOAD_FILES, async (_event, arg) => {
    const input = parse(UploadFilesInput, arg);
    await ws.ops.getProject({ id: input.project_id }); // unknown project: not_found before copying
    const staged = await stageUploads(ws.tmpDir, input.files, ws.limits.maxUploadBytes);
    // Refused, core deletes the staged files itself.
    return ws.importStaged(input.project_id, staged);
  });

  guarded(IPC_SAVE_EXPORT, async (event, arg): Promise<SavedExport> => {
    const { project_id, export_id } = parse(SaveExportInput, arg);
    const file = ws.resolveExport(project_id, export_id); // not_found / conflict before asking
    const target = await dialogs.chooseSavePath(event.sender, file.filename);
    if (target === null) return { saved: false, path: null };
    try {
      await copyFileAtomic(file.path, target);
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      throw new IpcInputError(
        'unprocessable',
        `could not save to ${target}: ${e.code ?? e.message}`,
      );
    }
    return { saved: true, path: target };
  });

  // Try it: the same core call as POST …/runs/:run_id/predict, with the file's bytes.
  guarded(IPC_PREDICT, async (_event, arg) => {
    const { file, row, ...target } = parse(PredictIpcInput, arg);
    await ws.ops.getRun({ project_id: target.project_id, run_id: target.run_id });
    return ws.predictions.predictRun(
      target,
      file
        ? { kind: 'bytes', bytes: file.bytes, filename: file.filename }
        : { kind: 'row', row: row ?? [] },
    );
  });

  const channels = [
    ...operationChannels,
    ...streamIpc.channels,
    IPC_SAVE_EXPORT,
    IPC_UPLOAD_FILES,
    IPC_PREDICT,
  ];
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel);
    streamIpc.dispose();
  };
}

/**
 * Copies `from` to `to` through a temporary file beside the target, renamed over it at the end:
 * a cancelled or failed copy never leaves a half-written ZIP under the chosen name.
 */
async function copyFileAtomic(from: string, to: string): Promise<void> {
  const part = `${to}.${process.pid}.${Date.now()}.part`;
  try {
    await copyFile(from, part);
    await rename(part, to);
  } catch (err) {
    await rm(part, { force: true });
    throw err;
  }
}

type LooseHandler = (input: unknown) => Promise<unknown>;

/** The endpoint's wording on the adapter's own refusals, as over HTTP ("Training failed: …"). */
function prefixed(err: unknown, def: OperationDef): unknown {
  if (!(err instanceof IpcInputError) || !def.failurePrefix) return err;
  return new IpcInputError(err.code, `${def.failurePrefix}: ${err.message}`);
}

async function callOperation(
  ws: Workstation,
  name: string,
  def: OperationDef,
  handler: LooseHandler,
  arg: unknown,
): Promise<unknown> {
  let input: Record<string, unknown>;
  try {
    const parsed = parseOperationInput(name, def, arg);
    const files = await stageFiles(parsed.files, ws.tmpDir, ws.limits.maxFileBytes);
    input = { ...parsed.input, ...files };
  } catch (err) {
    throw prefixed(err, def);
  }
  // The handler owns the staged files from here.
  const result = await handler(input);
  if (def.output?.kind !== 'file') return result;
  // A file over IPC travels as its bytes (the renderer has no path to the workspace).
  const file = result as FileReply;
  return {
    filename: file.filename,
    content_type: file.content_type,
    bytes: new Uint8Array(await readFile(file.path)),
  };
}
