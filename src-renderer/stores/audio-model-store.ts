import { create } from 'zustand';
import type { AudioTrainingStatus } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { modelReadyFrom } from '../lib/audio/portal-state.js';

interface AudioModelStore {
  /** `unknown` until the server answered; `none` while no training has left models. */
  readonly state: 'unknown' | 'none' | 'ready';
  readonly training: AudioTrainingStatus | null;
  load(): Promise<void>;
  /** A successful classification proves the models are there. */
  markReady(): void;
  /** The server said no model is trained (the 409 of `/api/upload`). */
  markNone(): void;
}

export const useAudioModelStore = create<AudioModelStore>()((set) => ({
  state: 'unknown',
  training: null,
  async load() {
    let training: AudioTrainingStatus;
    try {
      training = await client.audioTrainingStatus({});
    } catch {
      set({ state: 'none' });
      return;
    }
    set({ training });
    if (modelReadyFrom(training)) return set({ state: 'ready' });
    // Never trained: certainly none.
    if (training.status === 'idle') return set({ state: 'none' });
    // Training again, or the last one failed: an earlier training may have left models, which
    // the analytics endpoint has (it answers 404 while there are none).
    try {
      await client.audioModelPerformance({});
      set({ state: 'ready' });
    } catch {
      set({ state: 'none' });
    }
  },
  markReady: () => set({ state: 'ready' }),
  markNone: () => set({ state: 'none' }),
}));
