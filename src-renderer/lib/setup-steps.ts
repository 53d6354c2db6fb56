import type { Screen } from './route.js';

/** The counts that say how far a project has come, each from its own list. */
export interface SetupFacts {
  readonly items: number;
  readonly splits: number;
  readonly experiments: number;
  readonly completedRuns: number;
  readonly completedEvaluations: number;
  readonly completedExports: number;
}

export type SetupStepId = 'data' | 'split' | 'experiment' | 'run' | 'evaluation' | 'export';

export interface SetupStep {
  readonly id: SetupStepId;
  readonly label: string;
  /** Where the step is done. */
  readonly screen: Screen;
  readonly done: boolean;
  /** The first step not done yet: the one a person does next. */
  readonly current: boolean;
}

const STEPS: readonly (readonly [SetupStepId, string, Screen, (f: SetupFacts) => boolean])[] = [
  ['data', 'Data', 'dataset', (f) => f.items > 0],
  ['split', 'Split', 'splits', (f) => f.splits > 0],
  ['experiment', 'Experiment', 'experiments', (f) => f.experiments > 0],
  ['run', 'Run', 'experiments', (f) => f.completedRuns > 0],
  ['evaluation', 'Evaluation', 'evaluation', (f) => f.completedEvaluations > 0],
  ['export', 'Export', 'export', (f) => f.completedExports > 0],
];

/**
 * The project's set-up as a checklist, data → split → experiment → run → evaluation → export. A
 * step counts as done on its own facts (a project may have an export and no evaluation); the
 * current step is the first one not done, and none is current once all are.
 */
export function setupSteps(facts: SetupFacts): readonly SetupStep[] {
  const done = STEPS.map(([, , , test]) => test(facts));
  const current = done.indexOf(false);
  return STEPS.map(([id, label, screen], i) => ({
    id,
    label,
    screen,
    done: done[i] === true,
    current: i === current,
  }));
}
