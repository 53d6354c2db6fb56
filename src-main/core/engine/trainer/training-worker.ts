/**
 * worker_threads entry for one training run. Receives `{ job, testOptions }` as workerData, posts
 * `TrainerEvent`s, and finishes gracefully when the parent posts `{ type: 'stop' }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTraining } from './run-training.js';
import type { TrainerEvent, TrainJob, TrainingTestOptions } from './training-runner.js';

export interface TrainingWorkerData {
  readonly job: TrainJob;
  readonly testOptions: TrainingTestOptions;
}

export type WorkerCommand = { type: 'stop' };

const port = parentPort;
if (!port) throw new Error('training-worker.ts must run in a worker thread');

let stopRequested = false;
port.on('message', (m: unknown) => {
  if ((m as WorkerCommand | null)?.type === 'stop') stopRequested = true;
});

const { job, testOptions } = workerData as TrainingWorkerData;
const emit = (e: TrainerEvent): void => port.postMessage(e);

try {
  await runTraining(job, { emit, stopRequested: () => stopRequested, testOptions });
} catch (err) {
  emit({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
} finally {
  // Let the thread end even though the parent's port is still open.
  port.close();
}
