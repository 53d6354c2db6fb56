import { create } from 'zustand';
import { SystemVersions, type Health, type ModelsList } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import type { LoadStatus } from './projects-store.js';

interface RuntimeState {
  readonly health: Health | null;
  /** From the health body's free-form detail; null when the server does not report them. */
  readonly versions: SystemVersions | null;
  readonly models: ModelsList | null;
  readonly status: LoadStatus;
  readonly error: string | null;
  /** Asked on every visit: sessions open and close while the app runs. */
  load(): Promise<void>;
}

export const useRuntimeStore = create<RuntimeState>()((set, get) => ({
  health: null,
  versions: null,
  models: null,
  status: 'idle',
  error: null,
  async load() {
    if (get().status === 'loading') return;
    set({ status: 'loading' });
    try {
      const [health, models] = await Promise.all([client.health({}), client.listModels({})]);
      const versions = SystemVersions.safeParse(health.detail['versions']);
      set({
        health,
        versions: versions.success ? versions.data : null,
        models,
        status: 'ready',
        error: null,
      });
    } catch (e) {
      set({ status: 'error', error: errorMessage(e) });
    }
  },
}));
