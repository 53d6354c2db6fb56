import type { MediaKind, Task } from '../../../src-shared/contract/index.js';

/**
 * Which media a project's task takes. Tables are only data for regression, and a regression project
 * trains on tables only: without this, any comma-separated text file (a text file named .wav, say)
 * would enter an image or audio dataset as a "table".
 */
export function kindRefusal(task: Task, kind: MediaKind): string | null {
  if (task === 'regression') {
    return kind === 'table'
      ? null
      : `a regression project takes CSV tables only, not ${kind} files`;
  }
  return kind === 'table'
    ? `CSV tables are taken by regression projects only (this project is ${task})`
    : null;
}
