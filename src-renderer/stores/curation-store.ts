import { create } from 'zustand';
import type { LastItemChange } from '../../src-shared/contract/index.js';
import { client } from '../client/index.js';
import { NO_PICK, pickAt, type PickModifiers, type PickState } from '../lib/multi-select.js';
import { selectItemAt, useDatasetStore } from './dataset-store.js';
import { useToastStore } from './toast-store.js';

type Change = LastItemChange['change'];

interface CurationState extends PickState {
  readonly projectId: string | null;
  /** What Undo would revert; null when there is nothing to undo. */
  readonly lastChange: Change;
  readonly busy: boolean;
  open(projectId: string): Promise<void>;
  click(index: number, mods: PickModifiers): void;
  clearPicks(): void;
  /** Moves the items to a class; null (or blank) takes their class away. */
  relabel(filenames: readonly string[], className: string | null): Promise<boolean>;
  remove(filenames: readonly string[]): Promise<boolean>;
  undo(): Promise<boolean>;
}

const toasts = () => useToastStore.getState();
const filenameAt = (i: number): string | undefined =>
  selectItemAt(i)(useDatasetStore.getState())?.filename;

export const useCurationStore = create<CurationState>()((set, get) => {
  const loadLast = async (projectId: string): Promise<void> => {
    try {
      const { change } = await client.getLastItemChange({ project_id: projectId });
      if (get().projectId === projectId) set({ lastChange: change });
    } catch {
      // Undo is offered only when the server says what it would revert.
      if (get().projectId === projectId) set({ lastChange: null });
    }
  };

  /** Runs one change, then shows the dataset as it is now. */
  const change = async (label: string, fn: (projectId: string) => Promise<string>) => {
    const projectId = get().projectId;
    if (projectId === null || get().busy) return false;
    set({ busy: true });
    try {
      toasts().push('success', await fn(projectId));
      await Promise.all([useDatasetStore.getState().refresh(), loadLast(projectId)]);
      return true;
    } catch (e) {
      toasts().pushError(label, e);
      return false;
    } finally {
      set({ busy: false });
    }
  };

  return {
    ...NO_PICK,
    projectId: null,
    lastChange: null,
    busy: false,

    async open(projectId) {
      if (get().projectId !== projectId) set({ ...NO_PICK, projectId, lastChange: null });
      await loadLast(projectId);
    },

    click(index, mods) {
      set(pickAt(get(), index, filenameAt, mods));
    },

    clearPicks() {
      set(NO_PICK);
    },

    relabel(filenames, className) {
      return change('Could not change the class', async (project_id) => {
        const trimmed = className?.trim() ?? '';
        const res = await client.relabelItems({
          project_id,
          filenames: [...filenames],
          class_name: trimmed === '' ? null : trimmed,
        });
        return res.message;
      });
    },

    async remove(filenames) {
      const ok = await change('Could not delete', async (project_id) => {
        const res = await client.deleteItems({ project_id, filenames: [...filenames] });
        return res.message;
      });
      if (ok) {
        set(NO_PICK);
        const { selected, select } = useDatasetStore.getState();
        if (selected !== null && filenames.includes(selected)) void select(null);
      }
      return ok;
    },

    undo() {
      return change('Could not undo', async (project_id) => {
        const res = await client.undoItemChange({ project_id });
        return res.message;
      });
    },
  };
});
