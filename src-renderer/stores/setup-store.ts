import { create } from 'zustand';
import { client } from '../client/index.js';
import type { SetupFacts } from '../lib/setup-steps.js';

interface SetupState {
  /** The facts of `projectId`; null until they are loaded, or when they could not be. */
  readonly projectId: string | null;
  readonly facts: SetupFacts | null;
  /** Re-reads the counts; the header calls it on every screen change, so it stays current. */
  load(projectId: string): Promise<void>;
}

export const useSetupStore = create<SetupState>()((set, get) => ({
  projectId: null,
  facts: null,

  async load(projectId) {
    if (get().projectId !== projectId) set({ projectId, facts: null });
    try {
      const p = { project_id: projectId };
      const [dataset, splits, experiments, runs, evaluations, exports] = await Promise.all([
        client.getDataset(p),
        client.listSplits(p),
        client.listExperiments(p),
        client.listRuns(p),
        client.listEvaluations(p),
        client.listExports(p),
      ]);
      if (get().projectId !== projectId) return;
      set({
        facts: {
          items: dataset.total_items,
          splits: splits.splits.length,
          experiments: experiments.length,
          completedRuns: runs.filter((r) => r.status === 'completed').length,
          completedEvaluations: evaluations.filter((e) => e.status === 'completed').length,
          completedExports: exports.filter((x) => x.status === 'completed').length,
        },
      });
    } catch {
      // The checklist is a guide: when a count cannot be read it is left out, not an error.
      if (get().projectId === projectId) set({ facts: null });
    }
  },
}));
