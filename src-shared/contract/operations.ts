import type {
  HandlersOf,
  InputOf,
  IpcInputOf,
  MethodsOf,
  OutputOf,
  ParsedInputOf,
} from './operation.js';
import { audioModelsOperations } from './operations/audio-models.js';
import { audioPortalOperations } from './operations/audio-portal.js';
import { audioStreamOperations } from './operations/audio-stream.js';
import { platformOperations } from './operations/training-platform.js';
import { regressionOperations } from './operations/tabular-regression.js';

export type { OperationDef } from './operation.js';
export { ipcChannel } from './operation.js';

/**
 * Every operation of every family, one table (each family's own in operations/<family>.ts).
 * Binary routes outside it (item files, thumbnails, the import upload) are in the API layer.
 */
export const operations = {
  ...platformOperations,
  ...regressionOperations,
  ...audioPortalOperations,
  ...audioModelsOperations,
  ...audioStreamOperations,
} as const;

export type Operations = typeof operations;
export type OperationName = keyof Operations;
export const operationNames = Object.keys(operations) as OperationName[];

export type OperationInput<N extends OperationName> = InputOf<Operations[N]>;
export type OperationIpcInput<N extends OperationName> = IpcInputOf<Operations[N]>;
export type OperationOutput<N extends OperationName> = OutputOf<Operations[N]>;
/** An operation's input after validation (defaults applied, strings coerced). */
export type OperationParsedInput<N extends OperationName> = ParsedInputOf<Operations[N]>;
/** What core implements for each operation; the HTTP router and the IPC handlers call these. */
export type OperationHandlers = HandlersOf<Operations>;
export type OperationMethodsOf = MethodsOf<Operations>;

/** The training platform's handlers alone (what the other families' services build on). */
export type PlatformHandlers = HandlersOf<typeof platformOperations>;
