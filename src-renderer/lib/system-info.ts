/** Pure helpers of the System screen: what a missing backend needs, and disk-use shares. */
import type { Backend } from '../../src-shared/contract/index.js';

/** How a person gets a backend that is not available here (or what the available one is). */
export function backendHint(backend: Pick<Backend, 'name' | 'package' | 'available'>): string {
  switch (backend.name) {
    case 'tensorflow':
      return backend.available
        ? 'Native TensorFlow: the fastest CPU training.'
        : `Install ${backend.package}: its install script downloads libtensorflow (a native library of about 100 MB), so it needs network access once.`;
    case 'tensorflow-gpu':
      return backend.available
        ? 'Native TensorFlow on NVIDIA GPUs.'
        : `Install ${backend.package}: it downloads libtensorflow with GPU support and needs an NVIDIA driver with CUDA and cuDNN.`;
    case 'wasm':
    case 'cpu':
    case 'onnxruntime':
      return backend.available
        ? 'Ships with the app.'
        : `Ships with the app: reinstall the app to restore ${backend.package}.`;
    default:
      return backend.available ? '' : `Install ${backend.package}.`;
  }
}

export interface DiskShare {
  readonly id: string;
  readonly name: string;
  readonly bytes: number;
  /** Of the workspace total, 0–100. */
  readonly percent: number;
}

/** Projects by disk use, largest first, each with its share of the workspace. */
export function diskShares(
  projects: readonly { id: string; name: string; bytes: number }[],
  totalBytes: number,
): DiskShare[] {
  return [...projects]
    .sort((a, b) => b.bytes - a.bytes || a.name.localeCompare(b.name))
    .map((p) => ({
      id: p.id,
      name: p.name,
      bytes: p.bytes,
      percent: totalBytes > 0 ? Math.min(100, (100 * p.bytes) / totalBytes) : 0,
    }));
}
