/**
 * Training backends: selection inside the training thread (`selectBackend`), a truthful probe of
 * what works on this machine (`availableBackends`, for /api/system/devices), and our wasm kernels.
 */
export { availableBackends, type BackendAvailability } from './probe.js';
export { type ConcreteBackend, BACKEND_PACKAGES, wasmBinaryDir } from './packages.js';
export { activateBackend, candidates, selectBackend, type SelectedBackend } from './select.js';
export { registerWasmKernels, unregisterWasmKernels, wasmKernelNames } from './kernels/register.js';
export {
  DataParallel,
  type DataParallelOptions,
  type PartBatch,
  type Replica,
  splitBatch,
} from './data-parallel.js';
