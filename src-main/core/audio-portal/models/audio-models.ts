import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { AudioClass } from '../../../../src-shared/contract/index.js';
import { AppError } from '../../errors.js';
import { spawnWorker } from '../../jobs/spawn-worker.js';
import { writeFileAtomic } from '../../workspace/atomic-write.js';
import type {
  AudioClassifier,
  AudioFamily,
  AudioModels,
  ClassProbabilities,
  FamilyOutput,
  Verdict,
} from '../classifier.js';
import { MODEL_RATE, WINDOW_SAMPLES } from './features.js';
import type { InferCommand, InferReply } from './infer-protocol.js';

/** `<project>/audio-portal/models`: one folder per training, and `current.json` naming the live one. */
export const modelsRoot = (projectDir: string): string =>
  path.join(projectDir, 'audio-portal', 'models');

export interface PortalModels extends AudioModels {
  /** Makes the set in `dir` current (the pointer written atomically), then tells the listeners. */
  swap(projectDir: string, dir: string): Promise<void>;
  /** How many family models are loaded and ready (what /health counts in `models_loaded`). */
  loadedModels(): number;
  close(): Promise<void>;
}

type Pending = { resolve: (r: InferReply) => void; reject: (e: Error) => void };

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const r3 = (x: number): number => Math.round(x * 1000) / 1000;

/** The portal's models over one inference thread, started on first use and kept. */
export function createPortalModels(projectDir: () => string | null): PortalModels {
  const listeners = new Set<() => void>();
  const pending = new Map<number, Pending>();
  let worker: Worker | null = null;
  let nextId = 1;
  const loaded = new Map<string, Promise<AudioClassifier>>();
  /** Per loaded set: its families, once it is ready. */
  const ready = new Map<string, number>();

  const thread = (): Worker => {
    if (worker) return worker;
    const w = spawnWorker(import.meta.url, 'infer-worker', null);
    w.on('message', (m: InferReply) => {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (pending.size === 0) w.unref();
      p?.resolve(m);
    });
    const fail = (why: string): void => {
      if (worker === w) worker = null;
      loaded.clear();
      ready.clear();
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new Error(why));
      }
    };
    w.on('error', (err) => fail(`the audio model thread failed: ${err.message}`));
    w.on('exit', (code) => fail(`the audio model thread stopped (exit code ${code})`));
    w.unref();
    worker = w;
    return w;
  };

  const ask = (cmd: InferCommand, transfer: ArrayBuffer[] = []): Promise<InferReply> =>
    new Promise((resolve, reject) => {
      const w = thread();
      pending.set(cmd.id, { resolve, reject });
      w.ref();
      w.postMessage(cmd, transfer);
    });

  const classifierFor = async (dir: string): Promise<AudioClassifier> => {
    const r = await ask({ type: 'load', id: nextId++, dir });
    if (r.type !== 'loaded') {
      throw new AppError(
        'internal',
        `the trained models could not be loaded: ${r.type === 'error' ? r.message : r.type}`,
      );
    }
    const classes = r.classes as readonly AudioClass[];
    const probs = (p: readonly number[]): ClassProbabilities =>
      Object.fromEntries(classes.map((c, i) => [c, r4(p[i] ?? 0)])) as ClassProbabilities;
    const best = (p: readonly number[]): number => p.reduce((b, v, i) => (v > p[b]! ? i : b), 0);
    const classifyAt = async (samples: Float32Array, sampleRate: number): Promise<Verdict> => {
      const copy = samples.slice();
      const j = await ask({ type: 'classify', id: nextId++, dir, samples: copy, sampleRate }, [
        copy.buffer,
      ]);
      if (j.type !== 'judged')
        throw new AppError(
          'internal',
          `classification failed: ${j.type === 'error' ? j.message : j.type}`,
        );
      const families: Partial<Record<AudioFamily, FamilyOutput>> = {};
      const votes: Partial<Record<AudioFamily, AudioClass>> = {};
      for (const f of r.families) {
        const p = j.families[f];
        if (!p) continue;
        families[f] = { label: classes[best(p)]!, probabilities: probs(p) };
        votes[f] = classes[best(p)]!;
      }
      const top = best(j.vote);
      return {
        predicted_label: classes[top]!,
        confidence: r4(j.vote[top] ?? 0),
        all_probabilities: probs(j.vote),
        model_votes: votes,
        families,
        events: j.events.map((e) => ({ onset: r3(e.onset), offset: r3(e.offset) })),
      };
    };
    return {
      sampleRate: MODEL_RATE,
      windowSamples: WINDOW_SAMPLES,
      families: r.families,
      classify: (mono) => classifyAt(mono, MODEL_RATE),
      classifyAt,
    };
  };

  const currentDir = async (): Promise<string | null> => {
    const dir = projectDir();
    if (dir === null) return null;
    try {
      const ptr = JSON.parse(
        await readFile(path.join(modelsRoot(dir), 'current.json'), 'utf8'),
      ) as { run?: unknown };
      return typeof ptr.run === 'string'
        ? path.join(modelsRoot(dir), path.basename(ptr.run))
        : null;
    } catch {
      return null;
    }
  };

  const get = (dir: string): Promise<AudioClassifier> => {
    let p = loaded.get(dir);
    if (!p) {
      p = classifierFor(dir);
      loaded.set(dir, p);
      p.then(
        (c) => {
          if (loaded.get(dir) === p) ready.set(dir, c.families.length);
        },
        () => loaded.delete(dir),
      );
    }
    return p;
  };

  return {
    async current() {
      const dir = await currentDir();
      return dir === null ? null : get(dir);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async swap(projDir, dir) {
      // Loaded before the pointer moves: a caller never meets a half-ready set.
      await get(dir);
      await writeFileAtomic(
        path.join(modelsRoot(projDir), 'current.json'),
        `${JSON.stringify({ run: path.basename(dir) })}\n`,
      );
      for (const other of loaded.keys()) {
        if (other === dir) continue;
        loaded.delete(other);
        ready.delete(other);
      }
      for (const l of listeners) l();
    },
    loadedModels: () => [...ready.values()].reduce((a, b) => a + b, 0),
    async close() {
      const w = worker;
      worker = null;
      await w?.terminate();
    },
  };
}
