import type { WorkstationClient } from '../src-shared/contract/client.js';
import type { AssayBridge } from '../src-shared/contract/ipc.js';

declare global {
  interface Window {
    /**
     * Set by the Electron preload (contextBridge): operations as `IpcResult` data. The renderer
     * builds its client from it in its own world, so `WorkstationError` keeps its class and code.
     */
    readonly assayBridge?: AssayBridge;
    /** The same client, built in the preload's world (for consoles and scripts). */
    readonly assay?: WorkstationClient;
  }
}

export {};
