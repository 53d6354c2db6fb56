import type { Task } from './projects.js';
import type { Architecture } from './training.js';

/**
 * The per-task tables both the main process (engine defaults, validation) and the renderer
 * (the experiment editor) read, so the two can never drift apart.
 */

/** What a task's items are, which decides the architectures, inputs and augmentations that fit. */
export type MediaOfTask = 'image' | 'audio' | 'table';

export const MEDIA_OF_TASK: Readonly<Record<Task, MediaOfTask>> = {
  classification: 'image',
  inspection: 'image',
  'audio-classification': 'audio',
  'wake-word': 'audio',
  regression: 'table',
};

/** Architectures each task can train, first = default. */
export const ARCHITECTURES_BY_TASK: Readonly<Record<Task, readonly Architecture[]>> = {
  // Transfer learning first (DESIGN §4): pretrained features get small image sets right.
  classification: ['mobilenet-v2-transfer', 'small-cnn', 'mobilenet-lite'],
  inspection: ['mobilenet-v2-transfer', 'small-cnn', 'mobilenet-lite'],
  'audio-classification': ['audio-cnn', 'speech-embedding-head'],
  // The embedding head of DESIGN §4 comes with the wake-word workflow; until then a log-mel CNN.
  'wake-word': ['audio-cnn'],
  regression: ['mlp'],
};

/** Metrics early stopping and the best checkpoint can watch (what the trainer measures). */
export const CLASSIFICATION_METRICS = ['val_loss', 'val_accuracy', 'loss', 'accuracy'] as const;
export const REGRESSION_METRICS = ['val_loss', 'loss', 'val_mae', 'val_mse'] as const;

export function metricsOfTask(task: Task): readonly string[] {
  return MEDIA_OF_TASK[task] === 'table' ? REGRESSION_METRICS : CLASSIFICATION_METRICS;
}
