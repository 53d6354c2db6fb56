import { create } from 'zustand';
import type { Devices } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import type { LoadStatus } from './projects-store.js';

interface DevicesState {
  /** What this machine can train on: backends (available or not, and why) and devices. */
  readonly devices: Devices | null;
  readonly status: LoadStatus;
  readonly error: string | null;
  /** Probes once per session; the answer does not change while the app runs. */
  load(): Promise<void>;
}

export const useDevicesStore = create<DevicesState>()((set, get) => ({
  devices: null,
  status: 'idle',
  error: null,
  async load() {
    if (get().status === 'loading' || get().status === 'ready') return;
    set({ status: 'loading' });
    try {
      set({ devices: await client.devices({}), status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorMessage(e) });
    }
  },
}));
