import { create } from 'zustand';
import type {
  OperationInput,
  EvalItemResult,
  Evaluation,
} from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import { cellQuery, type EvalCell } from '../lib/evaluation-traces.js';
import type { LoadStatus } from './projects-store.js';
import { createSettlePoller, upsertBy } from './settle-poller.js';
import { useToastStore } from './toast-store.js';

export type { EvalCell };

interface EvaluationState {
  readonly projectId: string | null;
  /** The project's evaluations, newest first. */
  readonly evaluations: readonly Evaluation[];
  readonly status: LoadStatus;
  readonly error: string | null;
  /** The evaluation shown under the form. */
  readonly selectedId: string | null;
  readonly starting: boolean;
  readonly cell: EvalCell | null;
  /** The open cell's items on the current gallery page, with the cell's total. */
  readonly cellItems: readonly EvalItemResult[];
  readonly cellTotal: number;
  readonly cellPage: number;
  readonly pageStatus: LoadStatus;

  open(projectId: string): Promise<void>;
  start(input: Omit<OperationInput<'createEvaluation'>, 'project_id'>): Promise<void>;
  select(evalId: string): void;
  remove(evalId: string): Promise<void>;
  openCell(cell: EvalCell | null, page?: number): Promise<void>;
  leave(): void;
}

/** Evaluations report no events: an unfinished one is polled at this pace until it settles. */
const POLL_MS = 500;
export const GALLERY_PAGE_SIZE = 24;
const toasts = () => useToastStore.getState();

const NO_CELL = {
  cell: null,
  cellItems: [],
  cellTotal: 0,
  cellPage: 1,
  pageStatus: 'idle',
} as const;

const settled = (e: Evaluation) => e.status === 'completed' || e.status === 'failed';

export const useEvaluationStore = create<EvaluationState>()((set, get) => {
  const upsert = (ev: Evaluation): void =>
    set({ evaluations: upsertBy(get().evaluations, ev, (e) => e.eval_id) });
  const poller = createSettlePoller<Evaluation>({
    intervalMs: POLL_MS,
    pending: () => get().evaluations.filter((e) => !settled(e)),
    refresh: (projectId, e) => client.getEvaluation({ project_id: projectId, eval_id: e.eval_id }),
    isCurrent: (projectId) => get().projectId === projectId,
    onFresh: (fresh) => {
      upsert(fresh);
      if (fresh.status === 'failed')
        toasts().push('error', `Evaluation failed: ${fresh.message ?? ''}`);
    },
  });
  const poll = poller.start;
  const stopPolling = poller.stop;

  return {
    projectId: null,
    evaluations: [],
    status: 'idle',
    error: null,
    selectedId: null,
    starting: false,
    ...NO_CELL,

    async open(projectId) {
      stopPolling();
      set({ projectId, status: 'loading', error: null, ...NO_CELL });
      try {
        const list = await client.listEvaluations({ project_id: projectId });
        if (get().projectId !== projectId) return;
        const evaluations = [...list].sort((a, b) => b.created_at.localeCompare(a.created_at));
        set({
          evaluations,
          status: 'ready',
          selectedId: get().selectedId ?? evaluations[0]?.eval_id ?? null,
        });
        poll(projectId);
      } catch (e) {
        if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
      }
    },

    async start(input) {
      const projectId = get().projectId;
      if (projectId === null || get().starting) return;
      set({ starting: true });
      try {
        const ev = await client.createEvaluation({ project_id: projectId, ...input });
        if (get().projectId !== projectId) return;
        upsert(ev);
        set({ selectedId: ev.eval_id, ...NO_CELL });
        poll(projectId);
      } catch (e) {
        toasts().pushError('Could not start the evaluation', e);
      } finally {
        set({ starting: false });
      }
    },

    select(evalId) {
      set({ selectedId: evalId, ...NO_CELL });
    },

    async remove(evalId) {
      const projectId = get().projectId;
      if (projectId === null) return;
      try {
        await client.deleteEvaluation({ project_id: projectId, eval_id: evalId });
        const evaluations = get().evaluations.filter((e) => e.eval_id !== evalId);
        set({
          evaluations,
          ...(get().selectedId === evalId
            ? { selectedId: evaluations[0]?.eval_id ?? null, ...NO_CELL }
            : {}),
        });
      } catch (e) {
        toasts().pushError('Could not delete the evaluation', e);
      }
    },

    async openCell(cell, page = 1) {
      const { projectId, selectedId } = get();
      if (cell === null || projectId === null || selectedId === null) {
        set({ ...NO_CELL });
        return;
      }
      set({ cell, cellPage: page, pageStatus: 'loading' });
      try {
        const result = await client.getEvaluationResults({
          project_id: projectId,
          eval_id: selectedId,
          ...cellQuery(cell.trueClass, cell.predictedClass),
          sort_by: 'confidence',
          page,
          page_size: GALLERY_PAGE_SIZE,
        });
        if (get().cell !== cell) return;
        set({ cellItems: result.items, cellTotal: result.total, pageStatus: 'ready' });
      } catch (e) {
        if (get().cell === cell) set({ pageStatus: 'error' });
        toasts().pushError('Could not load the items', e);
      }
    },

    leave() {
      stopPolling();
      set({ projectId: null, evaluations: [], status: 'idle', ...NO_CELL });
    },
  };
});
