import { create } from 'zustand';
import {
  audioPortalClient,
  type TrainingInput,
  type TrainingStatus,
} from '../client/audio-portal-client.js';
import { connectAudioStream, type AudioStreamConnection } from '../client/audio-stream.js';
import { mergeCurves, type CurveHistory } from '../lib/audio/audio-traces.js';
import { isTrainingActive } from '../lib/audio/portal-state.js';
import { errorMessage } from '../lib/errors.js';
import { useAudioModelStore } from './audio-model-store.js';

const POLL_MS = 1000;

interface AudioTrainingStore {
  readonly status: TrainingStatus | null;
  readonly curves: CurveHistory;
  readonly starting: boolean;
  readonly error: string | null;
  /** The status endpoint answered at least once (a server without it shows an error). */
  readonly reachable: boolean;
  load(): Promise<void>;
  start(input: TrainingInput): Promise<void>;
  /** Follows `training_update` on the stream and polls the status while training runs. */
  follow(): () => void;
}

export const useAudioTrainingStore = create<AudioTrainingStore>()((set, get) => {
  const apply = (status: TrainingStatus): void => {
    set({
      status,
      reachable: true,
      curves: mergeCurves(get().curves, status.metrics),
    });
  };
  const refresh = async (): Promise<void> => {
    apply(await audioPortalClient.trainingStatus());
  };

  return {
    status: null,
    curves: {},
    starting: false,
    error: null,
    reachable: false,

    async load() {
      try {
        await refresh();
      } catch (err) {
        set({ error: errorMessage(err) });
      }
    },

    async start(input) {
      if (get().starting) return;
      set({ starting: true, error: null, curves: {} });
      try {
        await audioPortalClient.startTraining(input);
        await refresh();
      } catch (err) {
        set({ error: errorMessage(err) });
      } finally {
        set({ starting: false });
      }
    },

    follow() {
      let alive = true;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const poll = async (): Promise<void> => {
        if (!alive) return;
        const wasActive = isTrainingActive(get().status?.status ?? '');
        await refresh().catch(() => undefined);
        if (wasActive && !isTrainingActive(get().status?.status ?? '')) {
          void useAudioModelStore.getState().load();
        }
        if (alive) timer = setTimeout(() => void poll(), POLL_MS);
      };
      void poll();
      // Pushed updates move the bar between polls.
      const stream: AudioStreamConnection = connectAudioStream({
        onTrainingUpdate: (u) => {
          const current = get().status;
          apply({
            ...(current ?? { eta: null }),
            status: u.status,
            progress: u.progress,
            metrics: u.metrics,
          });
        },
      });
      return () => {
        alive = false;
        if (timer !== undefined) clearTimeout(timer);
        stream.close();
      };
    },
  };
});
