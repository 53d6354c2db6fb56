import { create } from 'zustand';
import {
  AudioTrainingStatus,
  type AudioTrainingConfig,
  type OperationInput,
} from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { connectAudioStream, type AudioStreamConnection } from '../client/audio-stream.js';
import { mergeCurves, type CurveHistory } from '../lib/audio/audio-traces.js';
import { isTrainingActive } from '../lib/audio/portal-state.js';
import type { TrainingUpdate } from '../lib/audio/stream-messages.js';
import { errorMessage } from '../lib/errors.js';
import { useAudioModelStore } from './audio-model-store.js';

const POLL_MS = 1000;

export type TrainingInput = OperationInput<'audioTrainingStart'>;
export type { AudioTrainingConfig };

interface AudioTrainingStore {
  readonly status: AudioTrainingStatus | null;
  /** Each family's epochs seen while this screen followed the training (the status has the last). */
  readonly curves: CurveHistory;
  readonly starting: boolean;
  readonly error: string | null;
  load(): Promise<void>;
  start(input: TrainingInput): Promise<void>;
  /** Follows `training_update` on the stream and polls the status while training runs. */
  follow(): () => void;
}

/**
 * A `training_update` over the status it moves: the same families' last epochs, the progress,
 * and the state when it is one the status knows (anything else waits for the next poll).
 */
function withUpdate(current: AudioTrainingStatus, u: TrainingUpdate): AudioTrainingStatus {
  const state = AudioTrainingStatus.shape.status.safeParse(u.status);
  const metrics = AudioTrainingStatus.shape.metrics.safeParse(u.metrics);
  return {
    ...current,
    status: state.success ? state.data : current.status,
    progress: u.progress,
    progress_percent: Math.round(u.progress * 1000) / 10,
    metrics: metrics.success ? metrics.data : current.metrics,
  };
}

export const useAudioTrainingStore = create<AudioTrainingStore>()((set, get) => {
  const apply = (status: AudioTrainingStatus): void => {
    set({ status, curves: mergeCurves(get().curves, status.metrics) });
  };
  const refresh = async (): Promise<void> => {
    apply(await client.audioTrainingStatus({}));
  };

  return {
    status: null,
    curves: {},
    starting: false,
    error: null,

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
        await client.audioTrainingStart(input);
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
      // Pushed updates move the bar and the curves between polls.
      const stream: AudioStreamConnection = connectAudioStream({
        onTrainingUpdate: (u) => {
          const current = get().status;
          if (current !== null) apply(withUpdate(current, u));
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
