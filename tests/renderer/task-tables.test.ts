// The renderer's per-task choices are the main process's: one table in src-shared, read by both.
import { describe, expect, it } from 'vitest';
import { Task } from '../../src-shared/contract/projects.js';
import {
  allowedArchitectures,
  allowedMetrics,
  defaultExperimentConfig,
  mediaOfTask,
} from '../../src-main/core/engine/config.js';
import {
  architecturesFor,
  inputKindFor,
  monitorOptions,
} from '../../src-renderer/lib/experiment-draft.js';

describe('task tables', () => {
  it.each(Task.options)('%s: the editor offers what the server accepts, default first', (task) => {
    expect(architecturesFor(task)).toEqual(allowedArchitectures(task));
    expect(architecturesFor(task)[0]).toBe(defaultExperimentConfig(task).architecture);
    expect(inputKindFor(task)).toBe(mediaOfTask(task));
    expect(monitorOptions(task)).toEqual(allowedMetrics(task));
  });
});
