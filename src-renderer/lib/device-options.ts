import type { Devices } from '../../src-shared/contract/system.js';
import { BackendName } from '../../src-shared/contract/training.js';

export interface SelectOption {
  readonly value: string;
  readonly label: string;
  readonly disabled: boolean;
  /** Why it cannot be chosen, shown as the option's tooltip. */
  readonly reason?: string;
}

export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = {
  auto: 'Automatic (best available)',
  'tensorflow-gpu': 'TensorFlow native, GPU',
  tensorflow: 'TensorFlow native, CPU',
  wasm: 'WebAssembly',
  cpu: 'Plain JavaScript (slow)',
};

const isBackendName = (name: string): name is BackendName => BackendName.safeParse(name).success;

/**
 * "Automatic" and every training backend the server reports, best first; the ones that are not
 * really there (package or native library missing, no GPU) are listed but cannot be picked.
 * Other runtimes in the list (onnxruntime: inference only) are left out.
 */
export function backendOptions(devices: Devices | null, current: string): SelectOption[] {
  const options: SelectOption[] = [{ value: 'auto', label: BACKEND_LABELS.auto, disabled: false }];
  for (const b of devices?.backends ?? []) {
    if (!isBackendName(b.name) || b.name === 'auto') continue;
    options.push({
      value: b.name,
      label: b.available ? BACKEND_LABELS[b.name] : `${BACKEND_LABELS[b.name]} — not available`,
      disabled: !b.available,
      reason: b.reason ?? undefined,
    });
  }
  // A stored choice the server no longer lists stays visible, so the form never silently changes it.
  if (!options.some((o) => o.value === current) && isBackendName(current)) {
    options.push({
      value: current,
      label: `${BACKEND_LABELS[current]} — not listed`,
      disabled: true,
    });
  }
  return options;
}

/**
 * Devices that fit the chosen backend: "auto" always; the CPU unless the backend is GPU-only; each
 * GPU only for backends that can use it (the GPU backend lists them in its `devices`).
 */
export function deviceOptions(
  devices: Devices | null,
  backend: string,
  current: string,
): SelectOption[] {
  const options: SelectOption[] = [{ value: 'auto', label: 'Automatic', disabled: false }];
  const cpu = devices?.devices.find((d) => d.type === 'cpu');
  if (backend !== 'tensorflow-gpu') {
    const cores = cpu?.cores === undefined ? '' : ` (${cpu.cores} cores)`;
    options.push({ value: 'cpu', label: `CPU${cores}`, disabled: false });
  }
  if (backend === 'auto' || backend === 'tensorflow-gpu') {
    const gpuBackend = devices?.backends.find((b) => b.name === 'tensorflow-gpu');
    for (const d of devices?.devices ?? []) {
      if (d.type !== 'gpu') continue;
      const usable = gpuBackend?.available === true && gpuBackend.devices.includes(d.id);
      options.push({
        value: d.id,
        label: `${d.id}: ${d.name}${usable ? '' : ' — not usable'}`,
        disabled: !usable,
        reason: usable ? undefined : (gpuBackend?.reason ?? 'no GPU backend installed'),
      });
    }
  }
  if (!options.some((o) => o.value === current) && current !== '') {
    options.push({ value: current, label: `${current} — not available`, disabled: true });
  }
  return options;
}

/** The CPU's core count, for the threads field's upper bound (at least 1). */
export function cpuCores(devices: Devices | null): number {
  const cores = devices?.devices.find((d) => d.type === 'cpu')?.cores;
  return cores !== undefined && cores > 0 ? cores : 1;
}
