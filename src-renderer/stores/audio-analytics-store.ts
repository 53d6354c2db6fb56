import { create } from 'zustand';
import { client } from '../client/index.js';
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
      set({ performance: readPerformance(await client.audioModelPerformance({})) });
    } catch (err) {
      set({ performance: null, error: errorMessage(err) });
    } finally {
      set({ loading: false });
    }
  },
}));
