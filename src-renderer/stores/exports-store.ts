import { create } from 'zustand';
import type { Export, ExportFormat, OperationInput } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import type { LoadStatus } from './projects-store.js';
import { createSettlePoller, upsertBy } from './settle-poller.js';
import { useToastStore } from './toast-store.js';

interface ExportsState {
  readonly projectId: string | null;
  /** The project's exports, newest first. */
  readonly exports: readonly Export[];
  readonly formats: readonly ExportFormat[];
  readonly status: LoadStatus;
  readonly error: string | null;
  readonly creating: boolean;
  /** Exports with a delete in flight. */
  readonly deleting: Readonly<Record<string, true>>;

  open(projectId: string): Promise<void>;
  /** Resolves to the new export, or null when refused (its reason is toasted). */
  create(input: Omit<OperationInput<'createExport'>, 'project_id'>): Promise<Export | null>;
  remove(exportId: string): Promise<void>;
  leave(): void;
}

/** Exports report no events: unfinished ones are polled at this pace until they settle. */
const POLL_MS = 500;
const toasts = () => useToastStore.getState();

const settled = (x: Export) => x.status === 'completed' || x.status === 'failed';

export const useExportsStore = create<ExportsState>()((set, get) => {
  const upsert = (x: Export): void =>
    set({ exports: upsertBy(get().exports, x, (e) => e.export_id) });
  const poller = createSettlePoller<Export>({
    intervalMs: POLL_MS,
    pending: () => get().exports.filter((x) => !settled(x)),
    refresh: (projectId, x) => client.getExport({ project_id: projectId, export_id: x.export_id }),
    isCurrent: (projectId) => get().projectId === projectId,
    onFresh: (fresh) => {
      upsert(fresh);
      if (fresh.status === 'failed') {
        toasts().push('error', `Export failed: ${fresh.message ?? 'no reason given'}`);
      }
    },
  });
  const poll = poller.start;
  const stopPolling = poller.stop;

  return {
    projectId: null,
    exports: [],
    formats: [],
    status: 'idle',
    error: null,
    creating: false,
    deleting: {},

    async open(projectId) {
      stopPolling();
      set({ projectId, status: 'loading', error: null });
      try {
        const [list, formats] = await Promise.all([
          client.listExports({ project_id: projectId }),
          client.listExportFormats({}),
        ]);
        if (get().projectId !== projectId) return;
        const exports = [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));
        set({ exports, formats, status: 'ready' });
        poll(projectId);
      } catch (e) {
        if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
      }
    },

    async create(input) {
      const projectId = get().projectId;
      if (projectId === null || get().creating) return null;
      set({ creating: true });
      try {
        const x = await client.createExport({ project_id: projectId, ...input });
        if (get().projectId !== projectId) return null;
        upsert(x);
        poll(projectId);
        return x;
      } catch (e) {
        toasts().pushError('Could not start the export', e);
        return null;
      } finally {
        set({ creating: false });
      }
    },

    async remove(exportId) {
      const projectId = get().projectId;
      if (projectId === null || get().deleting[exportId] === true) return;
      set({ deleting: { ...get().deleting, [exportId]: true } });
      try {
        await client.deleteExport({ project_id: projectId, export_id: exportId });
        set({ exports: get().exports.filter((x) => x.export_id !== exportId) });
      } catch (e) {
        toasts().pushError('Could not delete the export', e);
      } finally {
        const deleting = { ...get().deleting };
        delete deleting[exportId];
        set({ deleting });
      }
    },

    leave() {
      stopPolling();
      set({ projectId: null, exports: [], status: 'idle' });
    },
  };
});
