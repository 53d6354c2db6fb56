/**
 * worker_threads entry for one training run. The trainer's modules (tfjs, the zoo, our kernels)
 * and the wasm backend load as soon as the thread starts, while it waits for its job: a thread
 * started ahead of its run (see `prewarmTrainer` in training-runner.ts) has them ready when the
 * job arrives. Runs the one `{ type: 'job' }` the parent posts, posts `TrainerEvent`s, and
 * finishes gracefully when the parent posts `{ type: 'stop' }`.
 */
import { parentPort } from 'node:worker_threads';
import type { TrainerEvent, TrainJob, TrainingTestOptions } from './training-runner.js';

export type WorkerCommand =
  { type: 'job'; job: TrainJob; testOptions: TrainingTestOptions } | { type: 'stop' };

if (!parentPort) throw new Error('training-worker.ts must run in a worker thread');
const port = parentPort;

const trainer = (async () => {
  const m = await import('./run-training.js');
  await m.warmUpTrainer();
  return m;
})();
// Awaited by the job; until one comes, a failure to load is its business, not the thread's.
trainer.catch(() => undefined);

let stopRequested = false;
let started = false;
const emit = (e: TrainerEvent): void => port.postMessage(e);

port.on('message', (m: WorkerCommand | null) => {
  if (m?.type === 'stop') stopRequested = true;
  else if (m?.type === 'job' && !started) {
    started = true;
    void run(m.job, m.testOptions);
  }
});

async function run(job: TrainJob, testOptions: TrainingTestOptions): Promise<void> {
  try {
    const { runTraining } = await trainer;
    await runTraining(job, { emit, stopRequested: () => stopRequested, testOptions });
  } catch (err) {
    emit({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  } finally {
    await trainer.then((m) => m.releaseWarmUp()).catch(() => undefined);
    // Let the thread end even though the parent's port is still open.
    port.close();
  }
}
