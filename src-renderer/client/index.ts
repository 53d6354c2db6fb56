import type { WorkstationClient } from '../../src-shared/contract/index.js';
import { createBridgeClient, type MenuCommand } from '../../src-shared/contract/ipc.js';
import { createHttpClient } from './http-client.js';

/**
 * The one client the app uses. In Electron it is built here from the preload's `assayBridge`
 * (IPC; errors arrive as data and become WorkstationErrors in this world); a browser talking to
 * `npm start`'s server gets HTTP to the page's own origin. Only store actions use it.
 */
export const client: WorkstationClient =
  window.assayBridge !== undefined
    ? createBridgeClient(window.assayBridge)
    : (window.assay ?? createHttpClient());

/** The desktop menu's commands (File → New project, Import folder…); nothing in a browser. */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return window.assayBridge?.onMenuCommand(listener) ?? (() => undefined);
}

/** The server's PNG and model files can be linked over HTTP (not from the desktop app's page). */
export const outputsLinkable = client.kind === 'http';
