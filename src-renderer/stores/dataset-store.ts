import { create } from 'zustand';
import type { DatasetInfo, DatasetItem, ItemInfo } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { pagesForRange } from '../lib/grid.js';
import type { LoadStatus } from './projects-store.js';
import { useToastStore } from './toast-store.js';

export type SortBy = 'filename' | 'class' | 'size';
export type SortOrder = 'asc' | 'desc';

export interface DatasetQuery {
  readonly search: string;
  readonly filterClass: string | null;
  readonly sortBy: SortBy;
  readonly sortOrder: SortOrder;
}

/** Items are fetched in pages as the grid scrolls; the grid asks for what it is about to show. */
export const PAGE_SIZE = 200;

const DEFAULT_QUERY: DatasetQuery = {
  search: '',
  filterClass: null,
  sortBy: 'filename',
  sortOrder: 'asc',
};

interface DatasetState {
  readonly projectId: string | null;
  readonly info: DatasetInfo | null;
  readonly status: LoadStatus;
  readonly error: string | null;
  readonly query: DatasetQuery;
  /** Items matching the query (from the last page reply). */
  readonly total: number;
  readonly pages: Readonly<Record<number, readonly DatasetItem[]>>;
  /** Bumped whenever the listing restarts, so replies to an old query are dropped. */
  readonly generation: number;
  /**
   * The generation `pages` belong to. The old pages stay on screen until the first reply of a
   * new listing replaces them, so a refresh or a keystroke in the search box does not flash.
   */
  readonly pagesGeneration: number;
  readonly selected: string | null;
  readonly selectedInfo: ItemInfo | null;
  readonly selectedStatus: LoadStatus;

  open(projectId: string): Promise<void>;
  /** Reloads stats and the listing (after an import or a split change). */
  refresh(): Promise<void>;
  setQuery(patch: Partial<DatasetQuery>): void;
  ensureRange(start: number, end: number): void;
  select(filename: string | null): Promise<void>;
  clear(): Promise<boolean>;
}

const inflight = new Set<string>();
const toasts = () => useToastStore.getState();

export const useDatasetStore = create<DatasetState>()((set, get) => {
  async function loadInfo(projectId: string): Promise<void> {
    try {
      const info = await client.getDataset({ project_id: projectId });
      if (get().projectId === projectId) set({ info, status: 'ready', error: null });
    } catch (e) {
      if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
    }
  }

  async function loadPage(page: number): Promise<void> {
    const { projectId, generation, query } = get();
    if (projectId === null) return;
    const key = `${generation}:${page}`;
    if (
      inflight.has(key) ||
      (get().pagesGeneration === generation && get().pages[page] !== undefined)
    )
      return;
    inflight.add(key);
    try {
      const reply = await client.listImages({
        project_id: projectId,
        page,
        page_size: PAGE_SIZE,
        sort_by: query.sortBy,
        sort_order: query.sortOrder,
        search: query.search.trim() || undefined,
        filter_class: query.filterClass ?? undefined,
      });
      if (get().generation !== generation) return;
      const base = get().pagesGeneration === generation ? get().pages : {};
      set({
        total: reply.total,
        pages: { ...base, [page]: reply.items },
        pagesGeneration: generation,
      });
    } catch (e) {
      if (get().generation === generation) toasts().pushError('Could not list the items', e);
    } finally {
      inflight.delete(key);
    }
  }

  function restartListing(): Promise<void> {
    set({ generation: get().generation + 1 });
    return loadPage(1);
  }

  return {
    projectId: null,
    info: null,
    status: 'idle',
    error: null,
    query: DEFAULT_QUERY,
    total: 0,
    pages: {},
    generation: 0,
    pagesGeneration: 0,
    selected: null,
    selectedInfo: null,
    selectedStatus: 'idle',

    async open(projectId) {
      if (get().projectId === projectId && get().status !== 'error') return get().refresh();
      set({
        projectId,
        pages: {},
        total: 0,
        info: null,
        status: 'loading',
        error: null,
        query: DEFAULT_QUERY,
        selected: null,
        selectedInfo: null,
        selectedStatus: 'idle',
      });
      await Promise.all([loadInfo(projectId), restartListing()]);
    },

    async refresh() {
      const { projectId, selected } = get();
      if (projectId === null) return;
      await Promise.all([loadInfo(projectId), restartListing()]);
      if (selected !== null) await get().select(selected);
    },

    setQuery(patch) {
      set({ query: { ...get().query, ...patch } });
      void restartListing();
    },

    ensureRange(start, end) {
      const { total, pages, generation, pagesGeneration } = get();
      // Until the first reply of a listing the total is unknown; restartListing asks for page 1.
      if (generation !== pagesGeneration) return;
      for (const page of pagesForRange(start, end, PAGE_SIZE, total)) {
        if (pages[page] === undefined) void loadPage(page);
      }
    },

    async select(filename) {
      const projectId = get().projectId;
      if (filename === null || projectId === null) {
        set({ selected: null, selectedInfo: null, selectedStatus: 'idle' });
        return;
      }
      set({ selected: filename, selectedStatus: 'loading' });
      try {
        const info = await client.getItemInfo({ project_id: projectId, filename });
        if (get().selected === filename) set({ selectedInfo: info, selectedStatus: 'ready' });
      } catch (e) {
        if (get().selected === filename) set({ selectedInfo: null, selectedStatus: 'error' });
        toasts().pushError(`Could not load ${filename}`, e);
      }
    },

    async clear() {
      const projectId = get().projectId;
      if (projectId === null) return false;
      try {
        const { removed_items } = await client.clearDataset({ project_id: projectId });
        toasts().push('info', `Removed ${removed_items} item${removed_items === 1 ? '' : 's'}`);
        set({ selected: null, selectedInfo: null, selectedStatus: 'idle' });
        await get().refresh();
        return true;
      } catch (e) {
        toasts().pushError('Could not clear the dataset', e);
        return false;
      }
    },
  };
});

/** Selector: the item at a grid index, or undefined while its page is loading. */
export const selectItemAt =
  (index: number) =>
  (s: DatasetState): DatasetItem | undefined =>
    s.pages[Math.floor(index / PAGE_SIZE) + 1]?.[index % PAGE_SIZE];

/** Where an item's thumbnail or file is shown from (an HTTP URL, or assay-media: in Electron). */
export function itemMediaUrl(
  projectId: string,
  filename: string,
  variant: 'file' | 'thumbnail',
): string {
  return client.mediaUrl(projectId, filename, variant);
}
