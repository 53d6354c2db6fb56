import {
  BrowserWindow,
  dialog,
  Menu,
  shell,
  type MenuItemConstructorOptions,
  type OpenDialogOptions,
} from 'electron';
import { IPC_MENU_COMMAND, type MenuCommand } from '../../src-shared/contract/ipc.js';

export interface MenuOptions {
  readonly dev: boolean;
  /** Where lab scripts reach the API; null when it is not running. */
  readonly apiBaseUrl: () => string | null;
  readonly workspaceDir: string;
}

/** Menu commands are carried out by the page: it knows which project is open. */
function send(command: MenuCommand): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  win?.webContents.send(IPC_MENU_COMMAND, command);
}

async function importFolder(): Promise<void> {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  const options: OpenDialogOptions = {
    title: 'Import a folder into the open project',
    buttonLabel: 'Import',
    properties: ['openDirectory'],
  };
  const result = win
    ? await dialog.showOpenDialog(win, options)
    : await dialog.showOpenDialog(options);
  const folder = result.filePaths[0];
  if (!result.canceled && folder) send({ command: 'import-folder', path: folder });
}

export function buildAppMenu(opts: MenuOptions): Menu {
  const isMac = process.platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: '&File',
      submenu: [
        {
          label: 'New Project',
          accelerator: 'CmdOrCtrl+N',
          click: () => send({ command: 'new-project' }),
        },
        {
          label: 'Import Folder…',
          accelerator: 'CmdOrCtrl+O',
          click: () => void importFolder(),
        },
        { type: 'separator' },
        { label: 'Show Workspace Folder', click: () => void shell.openPath(opts.workspaceDir) },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: '&View',
      submenu: [
        ...(opts.dev
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] satisfies MenuItemConstructorOptions[])
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'API Documentation',
          click: () => {
            const base = opts.apiBaseUrl();
            if (base) void shell.openExternal(`${base}/docs`);
            else
              void dialog.showMessageBox({
                type: 'info',
                message: 'The HTTP API is not running',
                detail:
                  'Start Assay without --no-api, on a free --port, to reach it from lab scripts.',
              });
          },
        },
      ],
    },
  ];
  return Menu.buildFromTemplate(template);
}
