import { create } from 'zustand';
import type { WorkspaceStats } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import type { LoadStatus } from './projects-store.js';

interface WorkspaceState {
  /** The workspace folder and its disk use, per project. */
  readonly stats: WorkspaceStats | null;
  readonly status: LoadStatus;
  readonly error: string | null;
  /** Asked on every visit: imports and runs change disk use while the app runs. */
  load(): Promise<void>;
}

export const useWorkspaceStore = create<WorkspaceState>()((set, get) => ({
  stats: null,
  status: 'idle',
  error: null,
  async load() {
    if (get().status === 'loading') return;
    set({ status: 'loading' });
    try {
      set({ stats: await client.workspace({}), status: 'ready', error: null });
    } catch (e) {
      set({ status: 'error', error: errorMessage(e) });
    }
  },
}));
