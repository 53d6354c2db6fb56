import { create } from 'zustand';
import { audioPortalClient, type TrainingStatus } from '../client/audio-portal-client.js';
import { modelReadyFrom } from '../lib/audio/portal-state.js';

interface AudioModelStore {
  /** `unknown` until the first answer; a server without the endpoint counts as no model. */
  readonly state: 'unknown' | 'none' | 'ready';
  readonly training: TrainingStatus | null;
  load(): Promise<void>;
  /** A successful classification proves the models are there. */
  markReady(): void;
}

export const useAudioModelStore = create<AudioModelStore>()((set) => ({
  state: 'unknown',
  training: null,
  async load() {
    try {
      const training = await audioPortalClient.trainingStatus();
      set({ training, state: modelReadyFrom(training) ? 'ready' : 'none' });
    } catch {
      set({ state: 'none' });
    }
  },
  markReady: () => set({ state: 'ready' }),
}));
