import { create } from 'zustand';
import type {
  RegressionState,
  RegressionTrainResponse,
} from '../../src-shared/contract/regression.js';
import { client } from '../client/index.js';
import { uploadErrorMessage } from '../lib/regression-messages.js';

type Busy = 'loading' | 'uploading' | 'training' | 'resetting' | null;

interface RegressionStore {
  readonly server: RegressionState | null;
  readonly busy: Busy;
  readonly error: string | null;
  readonly lastTrain: RegressionTrainResponse | null;
  readonly prediction: { readonly inputs: readonly number[]; readonly value: number } | null;
  readonly predictError: string | null;
  /** Bumped after each training so the screen reloads the plot PNGs. */
  readonly plotsVersion: number;
  load(): Promise<void>;
  upload(file: File, targetColumn: string | null): Promise<void>;
  train(input: { epochs: number; learning_rate: number; hidden_layers: number[] }): Promise<void>;
  predict(inputs: readonly number[]): Promise<void>;
  /** Drops a prediction (and its error) made for inputs the form no longer holds. */
  clearPrediction(): void;
  reset(): Promise<void>;
}

const POLL_MS = 400;

export const useRegressionStore = create<RegressionStore>()((set, get) => {
  const refresh = async (): Promise<void> => {
    set({ server: await client.regressionState({}) });
  };
  const run = async (busy: Exclude<Busy, null>, work: () => Promise<void>): Promise<void> => {
    if (get().busy !== null && get().busy !== 'loading') return;
    set({ busy, error: null });
    try {
      await work();
    } catch (err) {
      set({ error: (err as Error).message });
    } finally {
      set({ busy: null });
      await refresh().catch(() => undefined);
    }
  };

  return {
    server: null,
    busy: null,
    error: null,
    lastTrain: null,
    prediction: null,
    predictError: null,
    plotsVersion: 0,

    load: () => run('loading', refresh),

    upload: (file, targetColumn) =>
      run('uploading', async () => {
        try {
          await client.regressionUpload({ file, target_column: targetColumn });
        } catch (err) {
          throw new Error(uploadErrorMessage((err as Error).message));
        }
        set({ lastTrain: null, prediction: null, predictError: null });
      }),

    train: (input) =>
      run('training', async () => {
        // /train answers when training ends; meanwhile the state endpoint reports the epoch.
        let polling = true;
        const poll = async (): Promise<void> => {
          while (polling) {
            await new Promise((r) => setTimeout(r, POLL_MS));
            if (polling) await refresh().catch(() => undefined);
          }
        };
        void poll();
        try {
          const result = await client.regressionTrain(input);
          set({ lastTrain: result, plotsVersion: get().plotsVersion + 1, prediction: null });
        } finally {
          polling = false;
        }
      }),

    async predict(inputs) {
      set({ predictError: null });
      try {
        const res = await client.regressionPredict({ inputs: [...inputs] });
        set({ prediction: { inputs: res.inputs, value: res.prediction } });
      } catch (err) {
        set({ prediction: null, predictError: (err as Error).message });
      }
    },

    clearPrediction() {
      if (get().prediction !== null || get().predictError !== null) {
        set({ prediction: null, predictError: null });
      }
    },

    reset: () =>
      run('resetting', async () => {
        await client.regressionReset({});
        set({ lastTrain: null, prediction: null, predictError: null });
      }),
  };
});
