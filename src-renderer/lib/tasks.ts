import type { Task } from '../../src-shared/contract/projects.js';

export const TASK_LABELS: Readonly<Record<Task, string>> = {
  classification: 'Image classification',
  'audio-classification': 'Audio classification',
  'wake-word': 'Wake word',
  inspection: 'Visual inspection',
  regression: 'Tabular regression',
};

export const TASKS = Object.keys(TASK_LABELS) as Task[];

/** What a project's items are called in sentences ("No sounds yet"). */
export function itemNoun(task: Task | undefined): string {
  switch (task) {
    case 'audio-classification':
    case 'wake-word':
      return 'sounds';
    case 'regression':
      return 'tables';
    case 'classification':
    case 'inspection':
    case undefined:
      return 'images';
  }
}
