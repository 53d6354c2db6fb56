// The desktop app's main process: one window over the workstation core, reached by the page
// through the preload bridge (IPC) and by lab scripts through the local HTTP API.
import * as path from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, Menu, session } from 'electron';
import { pino } from 'pino';
import { openWorkstation, type Workstation } from '../core/workstation.js';
import { defaultWorkspaceDir, serveWorkstation, type ServingApi } from '../server.js';
import { APP_ENTRY_URL } from './app-url.js';
import { ArgumentError, parseShellArgs, type ShellOptions } from './args.js';
import { registerIpc } from './ipc.js';
import { buildAppMenu } from './menu.js';
import {
  enforceContentSecurityPolicy,
  handleProtocols,
  registerPrivilegedSchemes,
} from './protocols.js';
import { createMainWindow, hardenWebContents, restrictPermissions } from './window.js';

const logger = pino({ name: 'assay-desktop', level: process.env['ASSAY_LOG_LEVEL'] ?? 'info' });

let mainWindow: BrowserWindow | null = null;
let shutdown: (() => Promise<void>) | null = null;

function errorText(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // A native module compiled for Node rather than this Electron: say how to fix it.
  if (/NODE_MODULE_VERSION|was compiled against a different Node\.js version/.test(message)) {
    return (
      `${message}\n\nbetter-sqlite3 is built for Node.js, not for Electron. Rebuild it with ` +
      "`npx electron-rebuild -f -w better-sqlite3` (needs Electron's headers), or run the " +
      'workstation as a local server with `node dist/main/src-main/server.js`.'
    );
  }
  return message;
}

function showMainWindow(options: ShellOptions): BrowserWindow {
  const root = app.getAppPath();
  const win = createMainWindow({
    preloadPath: path.join(root, 'dist', 'preload', 'preload.cjs'),
    iconPath: path.join(root, 'resources', 'icon.png'),
    dev: options.dev,
  });
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    logger.error({ details }, 'renderer process gone');
  });
  void win.loadURL(APP_ENTRY_URL).catch((err: unknown) => {
    logger.error({ err }, 'could not load the UI');
    dialog.showErrorBox(
      'Assay could not load its interface',
      `${errorText(err)}\n\nIs the UI built? Run \`npm run build\`.`,
    );
  });
  return win;
}

async function startApi(ws: Workstation, options: ShellOptions): Promise<ServingApi | null> {
  if (options.apiPort === null) return null;
  try {
    // The SAME open workstation the IPC handlers use: one SQLite connection, one job system.
    const api = await serveWorkstation(ws, {
      host: options.apiHost,
      port: options.apiPort,
      uiDir: path.join(app.getAppPath(), 'dist', 'renderer'),
      version: app.getVersion(),
      logger,
    });
    logger.info({ url: api.url }, `API for lab scripts on ${api.url} (docs: ${api.url}/docs)`);
    return api;
  } catch (err) {
    // The app works without the API (another Assay server may hold the port): say so, go on.
    const message = errorText(err);
    logger.warn({ err }, 'HTTP API not started');
    void dialog.showMessageBox({
      type: 'warning',
      title: 'Assay',
      message: 'The HTTP API for lab scripts is not running',
      detail: `${message}\n\nThe app itself works as usual. Start Assay with --port <n> to use another port.`,
    });
    return null;
  }
}

async function start(options: ShellOptions): Promise<void> {
  await app.whenReady();
  const ses = session.defaultSession;
  restrictPermissions(ses);
  enforceContentSecurityPolicy(ses);

  let ws: Workstation;
  try {
    ws = await openWorkstation({
      workspaceDir: options.workspaceDir,
      version: app.getVersion(),
      logger,
    });
  } catch (err) {
    logger.error({ err, workspace: options.workspaceDir }, 'could not open the workspace');
    dialog.showErrorBox(
      'Assay could not open its workspace',
      `${options.workspaceDir}\n\n${errorText(err)}`,
    );
    app.exit(1);
    return;
  }
  logger.info({ workspace: ws.workspaceDir }, 'workspace open');

  handleProtocols(ses, path.join(app.getAppPath(), 'dist', 'renderer'), ws, logger);
  const disposeIpc = registerIpc(ipcMain, ws, logger, {
    async chooseSavePath(sender, defaultName) {
      const owner = BrowserWindow.fromWebContents(sender);
      const options = {
        title: 'Save export',
        defaultPath: path.join(app.getPath('downloads'), defaultName),
        filters: [{ name: 'ZIP archive', extensions: ['zip'] }],
      };
      const r = owner
        ? await dialog.showSaveDialog(owner, options)
        : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  });
  const api = await startApi(ws, options);

  Menu.setApplicationMenu(
    buildAppMenu({
      dev: options.dev,
      apiBaseUrl: () => api?.url ?? null,
      workspaceDir: ws.workspaceDir,
    }),
  );
  mainWindow = showMainWindow(options);

  app.on('activate', () => {
    // macOS: clicking the dock icon with no window open opens one.
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = showMainWindow(options);
  });

  shutdown = async () => {
    disposeIpc();
    await api?.close().catch((err: unknown) => logger.warn({ err }, 'closing the API failed'));
    await ws.close();
  };
}

function main(): void {
  // Before `ready`: schemes must be privileged before any page loads.
  registerPrivilegedSchemes();

  // One instance per user: two would open the same SQLite workspace and race for the API port.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let options: ShellOptions;
  try {
    options = parseShellArgs(process.argv, process.env, defaultWorkspaceDir());
  } catch (err) {
    if (!(err instanceof ArgumentError)) throw err;
    dialog.showErrorBox('Assay: bad command line', err.message);
    app.exit(2);
    return;
  }

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  // Close the API, the job workers and SQLite before exiting, once.
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || !shutdown) return;
    event.preventDefault();
    const done = shutdown();
    shutdown = null;
    void done
      .catch((err: unknown) => logger.error({ err }, 'shutdown failed'))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });

  start(options).catch((err: unknown) => {
    logger.error({ err }, 'startup failed');
    dialog.showErrorBox('Assay could not start', errorText(err));
    app.exit(1);
  });
}

main();
