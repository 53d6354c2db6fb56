import { BrowserWindow, shell, type Session, type WebContents } from 'electron';
import { isAppUrl, isExternalLinkAllowed } from './app-url.js';
import { mainWindowWebPreferences } from './web-preferences.js';

export interface MainWindowOptions {
  readonly preloadPath: string;
  readonly iconPath?: string;
  readonly dev: boolean;
}

/** Sandboxed, isolated, no Node: the page only ever reaches the core through the preload bridge. */
export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Assay',
    backgroundColor: '#ffffff',
    ...(opts.iconPath ? { icon: opts.iconPath } : {}),
    webPreferences: mainWindowWebPreferences(opts.preloadPath, opts.dev),
  });
  win.once('ready-to-show', () => win.show());
  return win;
}

/**
 * Applied to every web contents the app creates. New windows never open inside the app (web links
 * go to the system browser); navigation away from the app's origin is cancelled, which also keeps
 * a file dropped outside the drop zone from replacing the page.
 */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Permissions: the microphone (audio capture, for the realtime screens) and clipboard writes, for
 * our own pages only; everything else (camera, geolocation, notifications, HID, …) is refused.
 */
export function restrictPermissions(session: Session): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const fromApp = isAppUrl(details.requestingUrl) && isAppUrl(contents.getURL());
    if (!fromApp) return callback(false);
    if (permission === 'clipboard-sanitized-write') return callback(true);
    if (permission === 'media') {
      const types = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
      return callback(types.length > 0 && types.every((t) => t === 'audio'));
    }
    callback(false);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin) => {
    return (
      isAppUrl(requestingOrigin) &&
      (permission === 'clipboard-sanitized-write' || permission === 'media')
    );
  });
}
