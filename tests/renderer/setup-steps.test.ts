import { describe, expect, it } from 'vitest';
import { setupSteps, type SetupFacts } from '../../src-renderer/lib/setup-steps.js';

const none: SetupFacts = {
  items: 0,
  splits: 0,
  experiments: 0,
  completedRuns: 0,
  completedEvaluations: 0,
  completedExports: 0,
};

describe('setup checklist', () => {
  it('lists data → split → experiment → run → evaluation → export, data first', () => {
    const steps = setupSteps(none);
    expect(steps.map((s) => s.id)).toEqual([
      'data',
      'split',
      'experiment',
      'run',
      'evaluation',
      'export',
    ]);
    expect(steps.filter((s) => s.current).map((s) => s.id)).toEqual(['data']);
  });

  it('makes "split" current once there is data, and runs start on Experiments', () => {
    const steps = setupSteps({ ...none, items: 12 });
    expect(steps.find((s) => s.current)?.id).toBe('split');
    expect(steps.find((s) => s.id === 'run')?.screen).toBe('experiments');
  });

  it('counts a step done on its own facts, and points at the first one missing', () => {
    const steps = setupSteps({
      ...none,
      items: 1,
      splits: 1,
      experiments: 1,
      completedRuns: 1,
      completedExports: 1,
    });
    expect(steps.find((s) => s.id === 'export')?.done).toBe(true);
    expect(steps.find((s) => s.current)?.id).toBe('evaluation');
  });

  it('has no current step when all are done', () => {
    const all = setupSteps({
      items: 1,
      splits: 1,
      experiments: 1,
      completedRuns: 1,
      completedEvaluations: 1,
      completedExports: 1,
    });
    expect(all.some((s) => s.current)).toBe(false);
  });
});
