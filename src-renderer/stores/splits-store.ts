import { create } from 'zustand';
import type { SplitDetail, SplitPreview, SplitSummary } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { toFractions, type RatioPercents } from '../lib/ratios.js';
import type { LoadStatus } from './projects-store.js';
import { useToastStore } from './toast-store.js';
import { useDatasetStore } from './dataset-store.js';
import { useProjectsStore } from './projects-store.js';

export interface SplitParams {
  readonly ratios: RatioPercents;
  readonly seed: number;
  readonly stratify: boolean;
}

interface SplitsState {
  readonly projectId: string | null;
  readonly splits: readonly SplitSummary[];
  readonly status: LoadStatus;
  readonly error: string | null;
  readonly selectedIndex: number | null;
  readonly detail: SplitDetail | null;
  readonly detailStatus: LoadStatus;
  readonly preview: SplitPreview | null;
  readonly previewStatus: LoadStatus;
  readonly previewError: string | null;
  readonly creating: boolean;

  open(projectId: string): Promise<void>;
  loadPreview(params: SplitParams): Promise<void>;
  /** Resolves to the new split's index, or null when refused (the reason is toasted). */
  create(name: string, params: SplitParams): Promise<number | null>;
  select(index: number | null): Promise<void>;
  remove(index: number): Promise<void>;
}

/** What the store holds for a project before anything of it is loaded. */
const NO_PROJECT = {
  splits: [],
  status: 'idle',
  error: null,
  selectedIndex: null,
  detail: null,
  detailStatus: 'idle',
  preview: null,
  previewStatus: 'idle',
  previewError: null,
} as const satisfies Partial<SplitsState>;

const toasts = () => useToastStore.getState();
let previewSeq = 0;

export const useSplitsStore = create<SplitsState>()((set, get) => {
  async function loadList(projectId: string): Promise<void> {
    try {
      const list = await client.listSplits({ project_id: projectId });
      if (get().projectId === projectId) set({ splits: list.splits, status: 'ready', error: null });
    } catch (e) {
      if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
    }
  }

  return {
    projectId: null,
    ...NO_PROJECT,
    creating: false,

    async open(projectId) {
      // Another project: nothing of the previous one may show (its preview error included).
      if (get().projectId !== projectId) set({ ...NO_PROJECT, projectId, status: 'loading' });
      await loadList(projectId);
    },

    async loadPreview({ ratios, seed, stratify }) {
      const projectId = get().projectId;
      if (projectId === null) return;
      // Slider drags fire many requests; only the newest answer may land.
      const seq = ++previewSeq;
      set({ previewStatus: 'loading' });
      try {
        const preview = await client.previewSplit({
          project_id: projectId,
          ...toFractions(ratios),
          seed,
          stratify: stratify ? 'true' : 'false',
        });
        if (seq === previewSeq) set({ preview, previewStatus: 'ready', previewError: null });
      } catch (e) {
        if (seq === previewSeq) set({ previewStatus: 'error', previewError: errorMessage(e) });
      }
    },

    async create(name, { ratios, seed, stratify }) {
      const projectId = get().projectId;
      if (projectId === null) return null;
      set({ creating: true });
      try {
        const created = await client.createSplit({
          project_id: projectId,
          name,
          ratios: toFractions(ratios),
          seed,
          stratify,
        });
        toasts().push('success', `Split "${created.name}" created`);
        await loadList(projectId);
        await get().select(created.split_index);
        // Item detail shows split membership and the project list counts splits: make them current.
        void useDatasetStore.getState().refresh();
        void useProjectsStore.getState().load();
        return created.split_index;
      } catch (e) {
        toasts().pushError('Could not create the split', e);
        return null;
      } finally {
        set({ creating: false });
      }
    },

    async select(index) {
      const projectId = get().projectId;
      if (index === null || projectId === null) {
        set({ selectedIndex: null, detail: null, detailStatus: 'idle' });
        return;
      }
      set({ selectedIndex: index, detailStatus: 'loading' });
      try {
        const detail = await client.getSplit({ project_id: projectId, split_index: index });
        if (get().selectedIndex === index) set({ detail, detailStatus: 'ready' });
      } catch (e) {
        if (get().selectedIndex === index) set({ detail: null, detailStatus: 'error' });
        toasts().pushError('Could not load the split', e);
      }
    },

    async remove(index) {
      const projectId = get().projectId;
      if (projectId === null) return;
      try {
        const list = await client.deleteSplit({ project_id: projectId, split_index: index });
        set({ splits: list.splits });
        // Indexes shift after a delete: the selection no longer means the same split.
        await get().select(null);
        toasts().push('info', 'Split deleted');
        void useDatasetStore.getState().refresh();
        void useProjectsStore.getState().load();
      } catch (e) {
        toasts().pushError('Could not delete the split', e);
      }
    },
  };
});
