import type { WebPreferences } from 'electron';

/**
 * The main window's web preferences, kept apart so a test pins them: the page runs isolated from
 * the preload, in Chromium's sandbox, without Node; only the preload bridge reaches the core.
 */
export function mainWindowWebPreferences(preloadPath: string, dev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInSubFrames: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    spellcheck: false,
    devTools: dev,
  };
}
