import type { WorkstationClient } from '../src-shared/contract/client.js';

declare global {
  interface Window {
    /**
     * Set by the Electron preload bridge (contextBridge.exposeInMainWorld('assay', …)): the same
     * WorkstationClient over IPC. Absent in a plain browser, where the HTTP client is used.
     */
    readonly assay?: WorkstationClient;
  }
}

export {};
