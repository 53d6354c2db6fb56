import { create } from 'zustand';
import { audioPortalClient } from '../client/audio-portal-client.js';
import { readPerformance, type Performance } from '../lib/audio/performance.js';
import { errorMessage } from '../lib/errors.js';

interface AudioAnalyticsStore {
  readonly performance: Performance | null;
  readonly loading: boolean;
  readonly error: string | null;
  load(): Promise<void>;
}

export const useAudioAnalyticsStore = create<AudioAnalyticsStore>()((set) => ({
  performance: null,
  loading: false,
  error: null,
  async load() {
    set({ loading: true, error: null });
    try {
      set({ performance: readPerformance(await audioPortalClient.modelPerformance()) });
    } catch (err) {
      set({ error: errorMessage(err) });
    } finally {
      set({ loading: false });
    }
  },
}));
