import { startTraining } from './engine/trainer/training-runner.js';
import { runImportWorker } from './jobs/import-runner.js';
import {
  createWorkstation,
  type Workstation,
  type WorkstationOptions,
} from './services/create-workstation.js';
import { inspectZip } from './workspace/import/zip-inspect.js';

export type {
  Workstation,
  WorkstationOptions,
  WorkstationDeps,
} from './services/create-workstation.js';
export { INTERRUPTED_JOB_ERROR } from './services/create-workstation.js';
export type { Logger } from './services/logger.js';
export type { ImportLimits } from './workspace/import-types.js';
export { DEFAULT_IMPORT_LIMITS } from './workspace/import-types.js';

/**
 * The core facade: one workspace folder, its store, its services. The HTTP API and the Electron IPC
 * handlers are both thin adapters over `ops` and the few binary-shaped methods here.
 */
export function openWorkstation(opts: WorkstationOptions): Promise<Workstation> {
  return createWorkstation(opts, {
    runImportWorker,
    inspectZip,
    startTraining,
    // The recorder program is found where the user's shell would find it.
    recorderSearchPath: () => process.env.PATH,
  });
}
