import { create } from 'zustand';
import type { PredictItem, RunPrediction } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { parseRowText } from '../lib/try-it.js';

export type TryItStatus = 'idle' | 'loading' | 'done' | 'error';

interface TryItState {
  /** The run the panel shows; a result of another run is never shown. */
  readonly runId: string | null;
  readonly status: TryItStatus;
  readonly result: RunPrediction | null;
  readonly error: string | null;
  /** The file's name or the row as typed: what the result is about. */
  readonly itemLabel: string | null;
  /** An object URL of the image tried, for its preview. */
  readonly previewUrl: string | null;
  /** The run's model, exported and loaded ahead of the first item (a first use takes seconds). */
  readonly model: 'preparing' | 'ready' | 'failed';

  open(projectId: string, runId: string): void;
  tryFile(projectId: string, runId: string, file: File): Promise<void>;
  tryRow(projectId: string, runId: string, text: string): Promise<void>;
}

/** Try it on a completed run: one item at a time, the latest request wins. */
export const useTryItStore = create<TryItState>()((set, get) => {
  let seq = 0;

  function setPreview(url: string | null): void {
    const old = get().previewUrl;
    if (old !== null) URL.revokeObjectURL(old);
    set({ previewUrl: url });
  }

  async function run(projectId: string, runId: string, item: PredictItem, label: string) {
    const mine = ++seq;
    set({ runId, status: 'loading', error: null, itemLabel: label });
    try {
      const result = await client.predict(projectId, runId, item);
      if (mine === seq) set({ status: 'done', result });
    } catch (e) {
      if (mine === seq) set({ status: 'error', result: null, error: errorMessage(e) });
    }
  }

  return {
    runId: null,
    status: 'idle',
    result: null,
    error: null,
    itemLabel: null,
    previewUrl: null,
    model: 'preparing',

    open(projectId, runId) {
      if (get().runId === runId) return;
      seq++;
      setPreview(null);
      set({
        runId,
        status: 'idle',
        result: null,
        error: null,
        itemLabel: null,
        model: 'preparing',
      });
      // A failure here is not shown: the first item's own call reports it, with its reason.
      client.prepareRunModel({ project_id: projectId, run_id: runId }).then(
        () => get().runId === runId && set({ model: 'ready' }),
        () => get().runId === runId && set({ model: 'failed' }),
      );
    },
    async tryFile(projectId, runId, file) {
      setPreview(file.type.startsWith('image/') ? URL.createObjectURL(file) : null);
      await run(projectId, runId, { file, filename: file.name }, file.name);
    },
    async tryRow(projectId, runId, text) {
      const parsed = parseRowText(text);
      if ('error' in parsed) {
        seq++;
        set({ runId, status: 'error', result: null, error: parsed.error, itemLabel: text });
        return;
      }
      setPreview(null);
      await run(projectId, runId, { row: parsed.row }, text.trim());
    },
  };
});
