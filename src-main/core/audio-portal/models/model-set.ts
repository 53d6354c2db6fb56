/**
 * A trained model set on disk and in memory (worker threads only: it loads tfjs). Files, in one
 * folder per training run: meta.json, cnn.json + cnn.bin, transformer.json + transformer.bin,
 * forest.json, performance.json.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { AudioFamily } from '../classifier.js';
import type { AcousticEvent } from '../onsets.js';
import { segmentsWithEvents, windowFeatures } from './features.js';
import { loadForest, type Forest } from './forest.js';
import { combine } from './metrics.js';
import { deserialiseNet, predictNet, type Norm } from './nets.js';
import { summaryFeatures } from './summary.js';

export interface ModelMeta {
  readonly version: 1;
  readonly classes: readonly string[];
  readonly families: readonly AudioFamily[];
  /** Soft-vote weight per family (sums to 1), fitted on the validation clips. */
  readonly weights: Readonly<Partial<Record<AudioFamily, number>>>;
  readonly norm: Norm;
  readonly trained_at: string;
}

export const NET_FILES: Readonly<Record<'CNN' | 'TRANSFORMER', string>> = {
  CNN: 'cnn',
  TRANSFORMER: 'transformer',
};

export interface ClipJudgement {
  readonly families: Partial<Record<AudioFamily, number[]>>;
  readonly vote: number[];
  /** The acoustic events the judgement was made over (seconds). */
  readonly events: readonly AcousticEvent[];
}

export interface LoadedModels {
  readonly meta: ModelMeta;
  judge(samples: Float32Array): ClipJudgement;
}

const mean = (rows: readonly (readonly number[])[], k: number): number[] => {
  const out = new Array<number>(k).fill(0);
  for (const r of rows) r.forEach((v, i) => (out[i]! += v / rows.length));
  return out;
};

/** Judges a clip at MODEL_RATE: per segment (event), each family's mean over its windows; then the mean over segments. */
export function judgeWith(
  meta: ModelMeta,
  nets: Partial<Record<AudioFamily, tfl.LayersModel>>,
  forest: Forest | null,
  samples: Float32Array,
): ClipJudgement {
  const k = meta.classes.length;
  const { segments, events } = segmentsWithEvents(samples);
  const windows = segments.map((s) => windowFeatures(s));
  const families: Partial<Record<AudioFamily, number[]>> = {};
  for (const f of meta.families) {
    if (f === 'TRADITIONAL') {
      if (forest)
        families[f] = mean(forest.probabilities(segments.map((s) => summaryFeatures(s))), k);
      continue;
    }
    const net = nets[f];
    if (!net) continue;
    const flat = windows.flat();
    const probs = predictNet(net, flat, meta.norm);
    let at = 0;
    const perSegment = windows.map((w) => {
      const rows = probs.slice(at, at + w.length);
      at += w.length;
      return mean(rows, k);
    });
    families[f] = mean(perSegment, k);
  }
  const used = meta.families.filter((f) => families[f]);
  const vote = combine(
    used.map((f) => families[f]!),
    used.map((f) => meta.weights[f] ?? 0),
  );
  return { families, vote, events };
}

export async function loadModels(dir: string): Promise<LoadedModels> {
  const meta = JSON.parse(await readFile(path.join(dir, 'meta.json'), 'utf8')) as ModelMeta;
  const nets: Partial<Record<AudioFamily, tfl.LayersModel>> = {};
  let forest: Forest | null = null;
  for (const f of meta.families) {
    if (f === 'TRADITIONAL') {
      forest = loadForest(
        JSON.parse(await readFile(path.join(dir, 'forest.json'), 'utf8')),
        meta.classes.length,
      );
    } else {
      const base = path.join(dir, NET_FILES[f]);
      nets[f] = await deserialiseNet(
        await readFile(`${base}.json`, 'utf8'),
        await readFile(`${base}.bin`),
      );
    }
  }
  return { meta, judge: (samples) => judgeWith(meta, nets, forest, samples) };
}
