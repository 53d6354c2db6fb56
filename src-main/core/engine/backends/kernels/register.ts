/**
 * Registers our wasm kernels: the ones tfjs-backend-wasm lacks (filter gradients, depthwise
 * gradients, FFT and complex plumbing) and replacements where its own is slow
 * (Conv2D, Conv2DBackpropInput, transposed BatchMatMul, element-wise ops), and Relu's gradient as
 * one kernel on wasm (relu-grad.ts), and the Adam/SGD update of a variable as one kernel
 * (optimizer-update.ts). Idempotent, callable before or after the backend
 * initialises; `unregisterWasmKernels` restores the backend's originals (the benchmark compares).
 */
import {
  type GradConfig,
  type KernelConfig,
  findBackend,
  getGradient,
  getKernel,
  registerGradient,
  registerKernel,
  unregisterGradient,
  unregisterKernel,
} from '@tensorflow/tfjs-core';
import { makeBatchMatMulConfig } from './batch-matmul.js';
import { makeConv2DConfig } from './conv2d-simd.js';
import {
  makeAddConfig,
  makeCastConfig,
  makeMultiplyConfig,
  makeStepConfig,
} from './elementwise.js';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputConfig } from './conv2d-backprop-input.js';
import {
  depthwiseBackpropFilterConfig,
  depthwiseBackpropInputConfig,
} from './depthwise-backprop.js';
import { complexKernelConfigs } from './fft.js';
import { maxPoolGradConfig } from './max-pool-grad.js';
import { identityConfig, makeMeanConfig, makeSumConfig } from './reductions.js';
import { adamUpdateKernelConfig, sgdUpdateKernelConfig } from './optimizer-update.js';
import { reluGradGradientConfig, reluGradKernelConfig, reluGradientConfig } from './relu-grad.js';
import { makeTileConfig } from './tile.js';

const STANDALONE: readonly KernelConfig[] = [
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseBackpropInputConfig,
  depthwiseBackpropFilterConfig,
  maxPoolGradConfig,
  identityConfig,
  reluGradKernelConfig,
  adamUpdateKernelConfig,
  sgdUpdateKernelConfig,
  ...complexKernelConfigs,
];

/** Gradients we replace (they pick our kernels on wasm, the original formula elsewhere). */
const GRADIENTS: readonly GradConfig[] = [reluGradientConfig, reluGradGradientConfig];
/** The gradient each of those had before (undefined: none). */
const originalGradients = new Map<string, GradConfig | undefined>();

/** Kernels we wrap around the backend's own (they call it). */
const WRAPPERS: Readonly<Record<string, (original: KernelConfig) => KernelConfig>> = {
  Conv2D: makeConv2DConfig,
  Add: makeAddConfig,
  Cast: makeCastConfig,
  Step: makeStepConfig,
  Multiply: makeMultiplyConfig,
  BatchMatMul: makeBatchMatMulConfig,
  Sum: makeSumConfig,
  Mean: makeMeanConfig,
  Tile: makeTileConfig,
};

/** The backend's own config per kernel name we touched (undefined: it had none). */
const originals = new Map<string, KernelConfig | undefined>();
/** What we registered, per kernel name. */
const ours = new Map<string, KernelConfig>();

function install(name: string, make: (original: KernelConfig | undefined) => KernelConfig | null) {
  const current = getKernel(name, 'wasm');
  if (current && current === ours.get(name)) return;
  originals.set(name, current);
  const config = make(current);
  if (!config) return;
  if (current) unregisterKernel(name, 'wasm');
  registerKernel(config);
  ours.set(name, config);
}

export function registerWasmKernels(): void {
  for (const config of STANDALONE) install(config.kernelName, () => config);
  for (const [name, wrap] of Object.entries(WRAPPERS)) {
    install(name, (original) => (original ? wrap(original) : null));
  }
  for (const config of GRADIENTS) {
    const current = getGradient(config.kernelName) as GradConfig | undefined;
    if (current === config) continue;
    originalGradients.set(config.kernelName, current);
    registerGradient(config);
  }
}

/** Puts the backend's own kernels back (and removes the ones it never had). */
export function unregisterWasmKernels(): void {
  for (const [name, config] of ours) {
    if (getKernel(name, 'wasm') !== config) continue;
    unregisterKernel(name, 'wasm');
    const original = originals.get(name);
    if (!original) continue;
    registerKernel(original);
    // Registered after we replaced it, the backend never ran the original's setup (which binds
    // its wasm function): run it now if the backend is up.
    const backend = findBackend('wasm');
    if (backend && original.setupFunc) original.setupFunc(backend);
  }
  ours.clear();
  for (const config of GRADIENTS) {
    if ((getGradient(config.kernelName) as GradConfig | undefined) !== config) continue;
    const original = originalGradients.get(config.kernelName);
    unregisterGradient(config.kernelName);
    if (original) registerGradient(original);
  }
  originalGradients.clear();
}

/** Every kernel we provide, and whether it replaces one the backend had. */
export function wasmKernelNames(): { kernel: string; replaces: boolean }[] {
  return [...STANDALONE.map((k) => k.kernelName), ...Object.keys(WRAPPERS)].map((kernel) => ({
    kernel,
    replaces:
      kernel in WRAPPERS || ['Conv2DBackpropInput', 'MaxPoolGrad', 'Identity'].includes(kernel),
  }));
}
