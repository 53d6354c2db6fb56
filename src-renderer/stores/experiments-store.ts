import { create } from 'zustand';
import type {
  Architecture,
  Experiment,
  ExperimentConfigInput,
} from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { errorMessage } from '../lib/errors.js';
import type { LoadStatus } from './projects-store.js';
import { useToastStore } from './toast-store.js';

export interface NewExperiment {
  readonly name: string;
  readonly split_index: number;
  readonly architecture: Architecture;
}

export interface ExperimentChanges {
  readonly name: string;
  readonly split_index: number;
  readonly config: ExperimentConfigInput;
}

interface ExperimentsState {
  readonly projectId: string | null;
  /** In creation order (the server's). */
  readonly experiments: readonly Experiment[];
  readonly status: LoadStatus;
  readonly error: string | null;
  readonly creating: boolean;
  readonly saving: boolean;
  /** Why the last save was refused (the server's words), shown in the editor; null otherwise. */
  readonly saveError: string | null;

  open(projectId: string): Promise<void>;
  /**
   * Creates an experiment with the task's defaults (plus the chosen architecture); the server
   * resolves every other setting, and the editor then shows them. Null when refused (toasted).
   */
  create(input: NewExperiment): Promise<Experiment | null>;
  /** PATCHes name, split and config; resolves to false when refused (reason in saveError). */
  save(expId: string, changes: ExperimentChanges): Promise<boolean>;
  clearSaveError(): void;
  remove(expId: string): Promise<boolean>;
}

const toasts = () => useToastStore.getState();

export const useExperimentsStore = create<ExperimentsState>()((set, get) => {
  function replace(updated: Experiment): void {
    set({ experiments: get().experiments.map((e) => (e.id === updated.id ? updated : e)) });
  }

  return {
    projectId: null,
    experiments: [],
    status: 'idle',
    error: null,
    creating: false,
    saving: false,
    saveError: null,

    async open(projectId) {
      if (get().projectId !== projectId) {
        set({ projectId, experiments: [], status: 'loading', error: null, saveError: null });
      }
      try {
        const experiments = await client.listExperiments({ project_id: projectId });
        if (get().projectId === projectId) set({ experiments, status: 'ready', error: null });
      } catch (e) {
        if (get().projectId === projectId) set({ status: 'error', error: errorMessage(e) });
      }
    },

    async create({ name, split_index, architecture }) {
      const projectId = get().projectId;
      if (projectId === null) return null;
      set({ creating: true });
      try {
        const created = await client.createExperiment({
          project_id: projectId,
          name,
          split_index,
          config: { architecture },
        });
        if (get().projectId === projectId) set({ experiments: [...get().experiments, created] });
        toasts().push('success', `Experiment "${created.name}" created`);
        return created;
      } catch (e) {
        toasts().pushError('Could not create the experiment', e);
        return null;
      } finally {
        set({ creating: false });
      }
    },

    async save(expId, changes) {
      const projectId = get().projectId;
      if (projectId === null) return false;
      set({ saving: true, saveError: null });
      try {
        const updated = await client.updateExperiment({
          project_id: projectId,
          exp_id: expId,
          ...changes,
        });
        replace(updated);
        toasts().push('success', 'Experiment saved');
        return true;
      } catch (e) {
        set({ saveError: errorMessage(e) });
        return false;
      } finally {
        set({ saving: false });
      }
    },

    clearSaveError() {
      set({ saveError: null });
    },

    async remove(expId) {
      const projectId = get().projectId;
      if (projectId === null) return false;
      try {
        await client.deleteExperiment({ project_id: projectId, exp_id: expId });
        set({ experiments: get().experiments.filter((e) => e.id !== expId) });
        toasts().push('info', 'Experiment deleted');
        return true;
      } catch (e) {
        toasts().pushError('Could not delete the experiment', e);
        return false;
      }
    },
  };
});

/** Selector: the experiment with this id, if loaded. */
export const selectExperiment =
  (id: string | undefined) =>
  (s: ExperimentsState): Experiment | undefined =>
    id === undefined ? undefined : s.experiments.find((e) => e.id === id);
