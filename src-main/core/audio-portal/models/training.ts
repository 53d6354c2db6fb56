import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import {
  AUDIO_CLASSES,
  type AudioTrainingConfig,
  type AudioTrainingStatus,
  type PlatformHandlers,
} from '../../../../src-shared/contract/index.js';
import { AppError } from '../../errors.js';
import type { JobKindDecl } from '../../jobs/job-kind.js';
import type { JobRunner } from '../../jobs/job-runner.js';
import { spawnWorker } from '../../jobs/spawn-worker.js';
import { sniffFile } from '../../media/sniff.js';
import type { ServiceContext } from '../../services/context.js';
import { safeJoin } from '../../workspace/layout.js';
import type { AudioTrainingEvents, AudioTrainingUpdate } from '../classifier.js';
import { modelsRoot, type PortalModels } from './audio-models.js';
import type { Performance, TrainMessage, TrainRequest } from './train-protocol.js';
import { statusOf, type Live } from './training-state.js';

/** Fewer clips than this in a class cannot fill a 70/15/15 split's three parts. */
export const MIN_CLIPS_PER_CLASS = 5;

/**
 * The `audio-training` job kind: one POST /api/training/start, driven here over its own worker
 * thread (tfjs never loads in the main thread). Cancel stops the thread; the model set is swapped
 * in only once a run wrote every file, so a cancelled or crashed training leaves the previous one.
 */
export const audioTrainingJobKind = (ctx: ServiceContext): JobKindDecl => ({
  kind: 'audio-training',
  execution: { thread: 'driven', by: 'the audio-portal training thread' },
  resumable: false,
  progressUnit: 'steps',
  cancel: 'graceful',
  crash: { after: 'interrupted', message: 'interrupted: the app stopped during this training' },
  // An unfinished run's model folder (its subject) is never made current: it goes.
  async cleanup(job) {
    if (job.subject_id === null || !job.subject_id.startsWith('run-')) return;
    const root = modelsRoot(ctx.layout.projectDir(job.project_id));
    await rm(path.join(root, path.basename(job.subject_id)), { recursive: true, force: true });
  },
});

export interface AudioTraining extends AudioTrainingEvents {
  start(config: AudioTrainingConfig): Promise<{ job_id: string; split_index: number }>;
  status(): AudioTrainingStatus;
  performance(): Promise<Performance | null>;
  close(): Promise<void>;
}

export interface AudioTrainingDeps {
  readonly ops: PlatformHandlers;
  readonly jobs: JobRunner;
  readonly models: PortalModels;
  readonly projectId: () => string | null;
}

export function createAudioTraining(ctx: ServiceContext, deps: AudioTrainingDeps): AudioTraining {
  const listeners = new Set<(u: AudioTrainingUpdate) => void>();
  let live: Live | null = null;
  /** Set by close: a run stopped by the app's exit stays `running`, and the next start marks it interrupted. */
  let closing = false;

  const emit = (): void => {
    if (!live) return;
    const update: AudioTrainingUpdate = {
      progress: live.total === 0 ? 0 : live.done / live.total,
      status: live.status,
      metrics: { ...live.families },
    };
    for (const l of listeners) l(update);
  };

  /** The split to train on: the latest when it places every clip, else a new seeded 70/15/15. */
  async function splitFor(projectId: string, itemIds: readonly number[], seed: number) {
    const latest = ctx.store.splits.list(projectId).at(-1);
    if (latest) {
      const a = ctx.store.splits.assignments(latest);
      if (itemIds.every((id) => (a.get(id) ?? 'none') !== 'none')) return { split: latest, a };
    }
    const created = await deps.ops.createSplit({
      project_id: projectId,
      name: `audio-portal training ${ctx.now().toISOString()}`,
      ratios: { train: 0.7, val: 0.15, test: 0.15 },
      seed,
      stratify: true,
    });
    const split = ctx.store.splits.get(projectId, created.split_index)!;
    return { split, a: ctx.store.splits.assignments(split) };
  }

  return {
    onUpdate(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    async start(config) {
      if (live?.status === 'training') {
        throw new AppError(
          'conflict',
          `A training is already running (job ${live.jobId}); wait for it or cancel it`,
        );
      }
      const projectId = deps.projectId();
      const rows =
        projectId === null
          ? []
          : ctx.store.items.list(projectId, {
              page: 1,
              pageSize: Number.MAX_SAFE_INTEGER,
              sortBy: 'filename',
              sortOrder: 'asc',
              mediaKind: 'audio',
            }).rows;
      const counts = AUDIO_CLASSES.map(
        (c) => [c, rows.filter((r) => r.class_name === c).length] as const,
      );
      const short = counts.filter(([, n]) => n < MIN_CLIPS_PER_CLASS);
      if (projectId === null || short.length > 0) {
        const list = short.map(([c, n]) => `${c} has ${n}`).join(', ');
        throw new AppError(
          'bad_request',
          `Too few recordings to train: every class needs at least ${MIN_CLIPS_PER_CLASS} (${list}); upload more with POST /api/dataset/upload`,
        );
      }
      const labelled = rows.filter((r) =>
        (AUDIO_CLASSES as readonly string[]).includes(r.class_name ?? ''),
      );
      const { split, a } = await splitFor(
        projectId,
        labelled.map((r) => r.id),
        config.seed,
      );
      const clips: TrainRequest['clips'][number][] = [];
      for (const r of labelled) {
        const subset = a.get(r.id);
        if (subset !== 'train' && subset !== 'val' && subset !== 'test') continue;
        const file = safeJoin(ctx.layout.projectDir(projectId), r.blob_path);
        const sniffed = await sniffFile(file).catch(() => null);
        if (sniffed?.kind !== 'audio') continue;
        clips.push({
          file,
          format: sniffed.format,
          label: AUDIO_CLASSES.indexOf(r.class_name as never),
          subset,
        });
      }
      const projectDir = ctx.layout.projectDir(projectId);
      const at = ctx.now();
      const runName = `run-${at.toISOString().replace(/[:.]/g, '-')}`;
      const outDir = path.join(modelsRoot(projectDir), runName);
      const request: TrainRequest = {
        outDir,
        classes: AUDIO_CLASSES,
        families: config.families,
        epochs: config.epochs,
        batchSize: config.batch_size,
        learningRate: config.learning_rate,
        seed: config.seed,
        maxAudioSeconds: ctx.limits.maxAudioSeconds,
        trainedAt: at.toISOString(),
        clips,
      };
      let worker: Worker | null = null;
      let cancelled = false;
      /** The thread said how it ended (its exit afterwards is expected). */
      let reported = false;
      const control = deps.jobs.open('audio-training', {
        projectId,
        subjectId: runName,
        message: 'starting',
        cancel: () => {
          cancelled = true;
          void worker?.terminate();
        },
      });
      const state: Live = {
        jobId: control.id,
        worker: null,
        status: 'training',
        done: 0,
        total: 0,
        message: 'starting',
        families: {},
        error: null,
        startedAt: at.toISOString(),
        finishedAt: null,
        startedMs: Date.now(),
      };
      live = state;
      control.start('computing features');
      worker = spawnWorker(import.meta.url, 'train-worker', request);
      state.worker = worker;
      let ended = false;
      const end = (status: 'completed' | 'failed' | 'cancelled', error: string | null): void => {
        if (ended || closing) return;
        ended = true;
        state.status = status;
        state.error = error;
        // The status reads this message: the last progress line ("training TRADITIONAL") is over.
        state.message = status === 'completed' ? 'completed' : (error ?? status);
        state.finishedAt = ctx.now().toISOString();
        state.worker = null;
        if (status === 'completed') state.done = state.total;
        // An unfinished run's folder goes before the job ends: a finished job leaves no debris.
        const cleared =
          status === 'completed'
            ? Promise.resolve()
            : rm(outDir, { recursive: true, force: true }).catch((err: unknown) =>
                ctx.logger.warn({ err, outDir }, 'could not remove an unfinished model folder'),
              );
        void cleared.then(() => {
          control.finish(status, {
            message: state.message,
            error,
            result: status === 'completed' ? { run: runName, split_index: split.index } : null,
          });
          emit();
        });
      };
      worker.on('message', (m: TrainMessage) => {
        if (m.type === 'progress') {
          Object.assign(state, {
            done: m.done,
            total: m.total,
            message: m.message,
            families: m.families,
          });
          control.progress({ done: m.done, total: m.total, message: m.message });
          emit();
        } else if (m.type === 'done') {
          reported = true;
          deps.models.swap(projectDir, outDir).then(
            () => end('completed', null),
            (err: unknown) =>
              end('failed', `Training failed: the new models did not load (${String(err)})`),
          );
        } else {
          reported = true;
          ctx.logger.warn({ error: m.message }, 'audio training failed');
          end(
            'failed',
            `Training failed: ${m.expected ? m.message : 'the training could not be completed'}`,
          );
        }
      });
      worker.on('error', (err) => end('failed', `Training failed: ${err.message}`));
      worker.on('exit', (code) => {
        if (reported) return;
        if (cancelled) end('cancelled', 'Training cancelled');
        else end('failed', `Training failed: the training thread stopped (exit code ${code})`);
      });
      emit();
      return { job_id: control.id, split_index: split.index };
    },

    // After a restart the last training is known from its job row alone (interrupted, or ended).
    status: () =>
      statusOf(live, live ? undefined : ctx.store.jobs.list({ kind: 'audio-training' }, 1, 0)[0]),

    async performance() {
      const projectId = deps.projectId();
      if (projectId === null) return null;
      const root = modelsRoot(ctx.layout.projectDir(projectId));
      try {
        const ptr = JSON.parse(await readFile(path.join(root, 'current.json'), 'utf8')) as {
          run: string;
        };
        const file = path.join(root, path.basename(ptr.run), 'performance.json');
        return JSON.parse(await readFile(file, 'utf8')) as Performance;
      } catch {
        return null;
      }
    },

    async close() {
      closing = true;
      await live?.worker?.terminate();
    },
  };
}
