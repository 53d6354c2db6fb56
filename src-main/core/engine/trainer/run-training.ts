import {
  formatBest,
  formatMetricValue,
  metricPhrase,
} from '../../../../src-shared/format/metric-names.js';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import type { EpochMetrics } from '../../../../src-shared/contract/training.js';
import { activateBackend, selectBackend } from '../backends/index.js';
import { classWeightsFor } from '../config.js';
import { batchCount, epochOrder, makeBatch } from '../data/batches.js';
import { Prng } from '../data/prng.js';
import { initFineTuneFromBackbone } from '../pretrained/fine-tune-init.js';
import { buildModel, type ModelTarget } from '../zoo/index.js';
import { CheckpointPipeline } from './checkpoint-pipeline.js';
import { CheckpointWriter } from './checkpoint-writer.js';
import {
  checkpointFiles,
  loadCheckpoint,
  restoreWeights,
  type TrainingState,
} from './checkpoint.js';
import { Optimizer } from './optimizers.js';
import { prepareData } from './prepare-data.js';
import { ProgressReporter } from './progress.js';
import {
  checkResumable,
  faultHook,
  metricValue,
  nullMetrics,
  usableMetric,
} from './run-helpers.js';
import { earlyStoppingStep, improves, learningRateAt } from './schedule.js';
import { evaluate, metricsOf, recalibrateBatchNorm, type StepModel } from './step.js';
import { createStepper, type Stepper } from './stepper.js';
import type { TrainerEvent, TrainJob, TrainingTestOptions } from './training-runner.js';

export interface TrainingContext {
  readonly emit: (e: TrainerEvent) => void;
  /** Polled between batches (the worker's message handler runs while the loop yields). */
  readonly stopRequested: () => boolean;
  readonly testOptions: TrainingTestOptions;
}

/**
 * Pipelined checkpoints: an epoch's checkpoint files are taken as bytes at the end of the epoch,
 * then written while the next epoch trains; the epoch's event goes out once they are durable.
 * `ASSAY_PIPELINED_CHECKPOINTS=0` (or `pipelined = false`, for tests that stop at an exact
 * batch) writes each checkpoint before training goes on.
 */
export const checkpointTuning = { pipelined: process.env['ASSAY_PIPELINED_CHECKPOINTS'] !== '0' };

/** A checkpoint writer started before its run (by warmUpTrainer), for the next run to take. */
let spareWriter: CheckpointWriter | null = null;

/**
 * Work a trainer thread can do before it knows its job: the checkpoint writer's thread is
 * started, and the wasm backend (the one our kernels are for) is loaded and initialised;
 * selectBackend later finds it ready. Best-effort: a backend that cannot start here is reported
 * by the run's own selection.
 */
export async function warmUpTrainer(): Promise<void> {
  spareWriter ??= CheckpointWriter.start();
  await activateBackend('wasm').catch(() => undefined);
}

/** Ends what warmUpTrainer started and no run took (a thread of its own would keep this one up). */
export async function releaseWarmUp(): Promise<void> {
  const w = spareWriter;
  spareWriter = null;
  await w?.close();
}

/** Lets the thread's message handler run (a stop request arrives that way). */
const yieldToEvents = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * One run, start or resume to the end: exactly one terminal event (`completed`, `stopped` or
 * `failed`) is emitted, or this throws and the worker reports `failed`. Each `epoch` event
 * follows its durable checkpoint; with pipelined checkpoints (see {@link checkpointTuning}) the
 * write of epoch k's overlaps the training of epoch k + 1, one write at a time, and every
 * terminal event waits for the write in flight. A graceful stop finishes the batch in flight,
 * checkpoints `last` mid-epoch (sample order, running sums, PRNG), so resuming continues from
 * the next batch.
 */
export async function runTraining(job: TrainJob, ctx: TrainingContext): Promise<void> {
  const { config } = job;
  const log = (level: 'info' | 'warn' | 'error', message: string): void =>
    ctx.emit({ type: 'log', level, message });
  const progress = new ProgressReporter(
    (p) => ctx.emit({ type: 'progress', progress: p }),
    config.epochs,
  );
  const root = path.join(job.runDir, 'checkpoints');
  progress.phase('preparing', 0);

  const loaded = job.resume ? await loadCheckpoint(root, 'last') : null;
  if (job.resume && !loaded) log('info', 'no checkpoint was written yet: training from the start');
  if (loaded) checkResumable(loaded, job);

  const backend = await selectBackend(config.backend, config.device);
  for (const s of backend.skipped) log('info', `backend ${s.name} passed over: ${s.reason}`);
  ctx.emit({
    type: 'started',
    backend: backend.name,
    device: backend.device,
    resumedFromEpoch: loaded?.state.epochs_completed ?? 0,
  });
  if (loaded?.state.finished) {
    ctx.emit({
      type: 'completed',
      reason: loaded.state.finished,
      message: 'the run had already finished',
    });
    return;
  }

  const data = await prepareData(
    job,
    loaded?.state.meta ?? null,
    (done, total) => progress.preparing(done, total),
    ctx.stopRequested,
  );
  if (ctx.stopRequested()) {
    ctx.emit({ type: 'stopped' });
    return;
  }
  const { train, val, head } = data;
  if (train.n === 0) throw new Error('the train subset is empty: nothing to train on');
  const target: ModelTarget =
    head === 'regression'
      ? { inputShape: data.inputShape, outputs: 1 }
      : { inputShape: data.inputShape, numClasses: job.classes.length };
  const model = buildModel(config, target);
  // A resumed run's weights come from its checkpoint below; a new one starts from MobileNetV2's.
  if (config.architecture === 'mobilenet-v2-transfer' && config.fine_tune) {
    await initFineTuneFromBackbone(model);
  }
  const weightsPerClass =
    head === 'classification' && config.class_weights !== 'none'
      ? classWeightsFor(config.class_weights, job.classes, Array.from(train.y))
      : null;
  let stepper: Stepper | null = null;
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const optimizer = Optimizer.fromConfig(config, vars);
  const step: StepModel = {
    model,
    vars,
    inputShape: data.inputShape,
    head,
    numClasses: job.classes.length,
    classWeights: weightsPerClass ? tf.tensor1d(weightsPerClass) : null,
  };
  // Its thread starts now and is up by the end of the first epoch.
  const writer = spareWriter ?? CheckpointWriter.start();
  spareWriter = null;
  const checkpoints = new CheckpointPipeline<TrainingState>({
    root,
    writer,
    files: (s) => {
      stepper?.sync?.();
      return checkpointFiles(model, optimizer, s);
    },
    emit: ctx.emit,
    hook: faultHook(ctx.testOptions),
  });
  const settle = (): Promise<boolean> => checkpoints.settle();
  try {
    const monitor = usableMetric(config.early_stopping.monitor, val !== null, log);
    const bestMetric = usableMetric(config.best_metric, val !== null, log);

    let state: TrainingState = loaded?.state ?? {
      run_id: job.runId,
      config,
      meta: data.meta,
      epochs_completed: 0,
      partial: null,
      lr_schedule: { epoch: 0, learning_rate: learningRateAt(config, 0) },
      early_stopping: { metric: monitor, value: null, epoch: 0, wait: 0 },
      best: { metric: bestMetric, value: null, epoch: 0 },
      prng: Prng.fromSeed(config.seed).state(),
      history: [],
      finished: null,
    };
    if (loaded) {
      restoreWeights(model, loaded.weights);
      optimizer.setState(loaded.optimizer);
    }
    const prng = Prng.fromState(state.prng);
    const bs = Math.min(config.batch_size, train.n);
    stepper = await createStepper({
      step,
      optimizer,
      config,
      target,
      classWeights: weightsPerClass,
      backend: backend.name,
      maxBatch: bs,
      log,
    });
    const batches = batchCount(train.n, bs);
    log(
      'info',
      `${loaded ? `resuming at epoch ${state.epochs_completed + 1}` : 'training'} ${config.architecture} on ${backend.name} (${backend.device}): ` +
        `${train.n} training and ${val?.n ?? 0} validation samples, ${batches} batches of up to ${bs} per epoch`,
    );
    let valSeconds = 0;

    for (let epoch = state.epochs_completed; epoch < config.epochs; epoch++) {
      const lr = learningRateAt(config, epoch);
      const partial = state.partial?.epoch === epoch ? state.partial : null;
      const order = partial ? [...partial.order] : epochOrder(train.n, prng);
      const sums = [partial?.sums['a'] ?? 0, partial?.sums['b'] ?? 0];
      let seconds = partial?.seconds ?? 0;
      let samples = Math.min(train.n, (partial?.batch ?? 0) * bs);
      progress.phase('training', epoch + 1, batches);

      for (let b = partial?.batch ?? 0; b < batches; b++) {
        if (checkpoints.failed) return;
        if (ctx.stopRequested()) {
          const stopState: TrainingState = {
            ...state,
            partial: {
              epoch,
              batch: b,
              order,
              sums: { a: sums[0] as number, b: sums[1] as number },
              seconds,
            },
            lr_schedule: { epoch, learning_rate: lr },
            prng: prng.state(),
          };
          if (!(await settle()) || !(await checkpoints.writeNow(['last'], stopState, epoch))) {
            return;
          }
          ctx.emit({ type: 'stopped' });
          return;
        }
        const t0 = performance.now();
        const batch = makeBatch(train, order.slice(b * bs, (b + 1) * bs), {
          augment: data.augment,
          prng,
          normalization: data.normalization,
        });
        const r = await stepper.step(batch, lr, prng);
        if (!Number.isFinite(r[0])) {
          if (!(await settle())) return;
          ctx.emit({
            type: 'failed',
            message: `the loss became ${r[0]} in epoch ${epoch + 1}, batch ${b + 1}: training diverged; try a lower learning rate`,
          });
          return;
        }
        sums[0] = (sums[0] as number) + (r[0] as number);
        sums[1] = (sums[1] as number) + (r[1] as number);
        seconds += (performance.now() - t0) / 1000;
        samples += batch.size;
        const sps = samples / Math.max(seconds, 1e-9);
        const remaining = train.n - samples + (config.epochs - epoch - 1) * train.n;
        progress.training(
          epoch + 1,
          b + 1,
          batches,
          sps,
          remaining / sps + (config.epochs - epoch) * valSeconds,
        );
        await yieldToEvents();
      }

      progress.phase('validating', epoch + 1, batches);
      const v0 = performance.now();
      // A stepper that evaluates itself needs no sync here (recalibration only acts on batch norm).
      if (!stepper.evaluate) stepper.sync?.();
      recalibrateBatchNorm(step, train, order, bs, data.normalization);
      const valMetrics = val
        ? metricsOf(
            head,
            'val_',
            stepper.evaluate?.(val, bs, data.normalization) ??
              evaluate(step, val, bs, data.normalization),
            val.n,
            data.targetStd,
          )
        : nullMetrics(head);
      valSeconds = (performance.now() - v0) / 1000;
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        ...metricsOf(head, '', sums, train.n, data.targetStd),
        ...valMetrics,
        lr,
        duration_seconds: seconds + valSeconds,
        samples_per_second: train.n / Math.max(seconds, 1e-9),
      } as EpochMetrics;
      const bestValue = metricValue(metrics, bestMetric);
      const isBest = bestValue !== null && improves(bestMetric, bestValue, state.best.value);
      const es = earlyStoppingStep(
        config.early_stopping,
        state.early_stopping,
        metricValue(metrics, monitor),
        epoch + 1,
      );
      state = {
        ...state,
        epochs_completed: epoch + 1,
        partial: null,
        lr_schedule: { epoch, learning_rate: lr },
        early_stopping: es.state,
        best: isBest ? { metric: bestMetric, value: bestValue, epoch: epoch + 1 } : state.best,
        prng: prng.state(),
        history: [...state.history, metrics],
        finished: es.stop ? 'early_stopped' : epoch + 1 === config.epochs ? 'finished' : null,
      };
      progress.phase('checkpointing', epoch + 1, batches);
      // Taken before waiting for the previous write, which goes on meanwhile.
      const files = await checkpoints.snapshot(state);
      if (!(await settle())) return;
      if (files instanceof Error) return checkpoints.fail(files, epoch + 1);
      checkpoints.start(isBest ? ['best', 'last'] : ['last'], files, epoch + 1, () =>
        ctx.emit({ type: 'epoch', metrics, isBest }),
      );
      if (!checkpointTuning.pipelined && !(await settle())) return;
      if (es.stop) {
        if (!(await settle())) return;
        ctx.emit({
          type: 'completed',
          reason: 'early_stopped',
          message: `${metricPhrase(monitor)} did not improve for ${config.early_stopping.patience} epochs (best ${formatMetricValue(monitor, es.state.value)} at epoch ${es.state.epoch}); stopped after epoch ${epoch + 1}`,
        });
        return;
      }
      if (ctx.stopRequested() && epoch + 1 < config.epochs) {
        if (!(await settle())) return;
        ctx.emit({ type: 'stopped' });
        return;
      }
    }
    if (!(await settle())) return;
    progress.phase('done', config.epochs, batches);
    ctx.emit({
      type: 'completed',
      reason: 'finished',
      message: `trained ${config.epochs} epochs; ${formatBest(state.best)}`,
    });
  } finally {
    // A write in flight finishes (and reports its epoch) before the thread reports anything else.
    await checkpoints.drain();
    await writer.close();
    await stepper?.close();
    // Frees the backend's memory when this runs in a long-lived thread (tests run it inline).
    model.dispose();
    optimizer.dispose();
    step.classWeights?.dispose();
  }
}
