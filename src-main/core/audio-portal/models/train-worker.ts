/**
 * worker_threads entry of one audio-portal training run (models/training.ts starts it): the
 * clips' features, the chosen families trained on the train subset, the vote weighted on the
 * validation subset, every family scored on the test subset, the model set written to `outDir`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type * as tfl from '@tensorflow/tfjs-layers';
import { selectBackend } from '../../engine/backends/index.js';
import { isFileError } from '../../media/file-error.js';
import type { AudioFamily } from '../classifier.js';
import { decodeMono } from '../decode.js';
import { attackCrops, segmentsOf, toModelRate, windowFeatures } from './features.js';
import { trainForest, type Forest } from './forest.js';
import { agreement, argmax, fitVoteWeights, score } from './metrics.js';
import { judgeWith, NET_FILES, type ModelMeta } from './model-set.js';
import { batchTensor, buildNet, fitNet, fitNorm, serialiseNet } from './nets.js';
import { summaryFeatures } from './summary.js';
import type { FamilyProgress, Performance, TrainMessage, TrainRequest } from './train-protocol.js';

const port = parentPort;
if (!port) throw new Error('train-worker.ts must run in a worker thread');
const post = (m: TrainMessage): void => port.postMessage(m);

class Refused extends Error {}

interface Clip {
  readonly samples: Float32Array;
  readonly label: number;
  readonly subset: 'train' | 'val' | 'test';
}

async function run(req: TrainRequest): Promise<Performance> {
  await selectBackend('auto');
  const nets = req.families.filter((f): f is 'CNN' | 'TRANSFORMER' => f !== 'TRADITIONAL');
  const total = 1 + nets.length * req.epochs + (req.families.includes('TRADITIONAL') ? 1 : 0) + 1;
  let done = 0;
  const progress: Partial<Record<AudioFamily, FamilyProgress>> = {};
  for (const f of req.families) {
    progress[f] = {
      status: 'waiting',
      epoch: 0,
      epochs: f === 'TRADITIONAL' ? 1 : req.epochs,
      loss: null,
      accuracy: null,
      val_loss: null,
      val_accuracy: null,
    };
  }
  const report = (message: string): void =>
    post({ type: 'progress', done, total, message, families: { ...progress } });

  report('computing features');
  const clips: Clip[] = [];
  for (const c of req.clips) {
    try {
      const decoded = await decodeMono(c.file, c.format, req.maxAudioSeconds);
      clips.push({
        samples: toModelRate(decoded.samples, decoded.sampleRate),
        label: c.label,
        subset: c.subset,
      });
    } catch (err) {
      if (isFileError(err)) throw new Refused(`${path.basename(c.file)}: ${err.message}`);
      throw err;
    }
  }
  const train = clips.filter((c) => c.subset === 'train');
  const val = clips.filter((c) => c.subset === 'val');
  const test = clips.filter((c) => c.subset === 'test');
  // Whole events, and their openings as the live stream first hears them.
  const trainSegments = train.flatMap((c) =>
    segmentsOf(c.samples).flatMap((s) =>
      [s, ...attackCrops(s)].map((part) => ({ s: part, label: c.label })),
    ),
  );
  const windows = trainSegments.flatMap(({ s, label }) =>
    windowFeatures(s).map((w) => ({ w, label })),
  );
  const valWindows = val.flatMap((c) =>
    segmentsOf(c.samples).flatMap((s) => windowFeatures(s).map((w) => ({ w, label: c.label }))),
  );
  const norm = fitNorm(windows.map((x) => x.w));
  done++;

  const k = req.classes.length;
  const models: Partial<Record<AudioFamily, tfl.LayersModel>> = {};
  await mkdir(req.outDir, { recursive: true });
  for (const f of nets) {
    progress[f] = { ...progress[f]!, status: 'training' };
    report(`training ${f}`);
    const model = buildNet(f, k, req.seed);
    const x = batchTensor(
      windows.map((w) => w.w),
      norm,
    );
    const vx =
      valWindows.length > 0
        ? batchTensor(
            valWindows.map((w) => w.w),
            norm,
          )
        : null;
    try {
      await fitNet(
        model,
        x,
        windows.map((w) => w.label),
        k,
        vx ? { x: vx, labels: valWindows.map((w) => w.label) } : null,
        {
          epochs: req.epochs,
          batchSize: req.batchSize,
          learningRate: req.learningRate,
          seed: req.seed,
          onEpoch: (epoch, logs) => {
            done++;
            const r = (v: number | undefined): number | null =>
              v === undefined ? null : Math.round(v * 10_000) / 10_000;
            progress[f] = {
              status: epoch === req.epochs ? 'done' : 'training',
              epoch,
              epochs: req.epochs,
              loss: r(logs.loss),
              accuracy: r(logs.acc),
              val_loss: r(logs.val_loss),
              val_accuracy: r(logs.val_acc),
            };
            report(`${f} epoch ${epoch}/${req.epochs}`);
          },
        },
      );
    } finally {
      x.dispose();
      vx?.dispose();
    }
    models[f] = model;
    const s = await serialiseNet(model);
    await writeFile(path.join(req.outDir, `${NET_FILES[f]}.json`), s.json);
    await writeFile(path.join(req.outDir, `${NET_FILES[f]}.bin`), s.weights);
  }
  let forest: Forest | null = null;
  if (req.families.includes('TRADITIONAL')) {
    progress.TRADITIONAL = { ...progress.TRADITIONAL!, status: 'training' };
    report('training TRADITIONAL');
    forest = trainForest(
      trainSegments.map(({ s }) => summaryFeatures(s)),
      trainSegments.map((x) => x.label),
      k,
      req.seed,
    );
    await writeFile(path.join(req.outDir, 'forest.json'), JSON.stringify(forest.toJSON()));
    done++;
    progress.TRADITIONAL = { ...progress.TRADITIONAL, status: 'done', epoch: 1 };
  }

  report('weighting the vote and scoring the test clips');
  const even = Object.fromEntries(req.families.map((f) => [f, 1 / req.families.length]));
  let meta: ModelMeta = {
    version: 1,
    classes: req.classes,
    families: req.families,
    weights: even,
    norm,
    trained_at: req.trainedAt,
  };
  const judge = (set: readonly Clip[]) =>
    set.map((c) => judgeWith(meta, models, forest, c.samples));
  const tune = val.length > 0 ? val : train;
  const tuned = judge(tune);
  const w = fitVoteWeights(
    req.families.map((f) => tuned.map((j) => j.families[f]!)),
    tune.map((c) => c.label),
  );
  meta = { ...meta, weights: Object.fromEntries(req.families.map((f, i) => [f, w[i]!])) };
  const scored = test.length > 0 ? test : tune;
  const judged = judge(scored);
  const truth = scored.map((c) => c.label);
  const picks = Object.fromEntries(
    req.families.map((f) => [f, judged.map((j) => argmax(j.families[f]!))]),
  ) as Record<AudioFamily, number[]>;
  const pairs: Record<string, number> = {};
  req.families.forEach((a, i) =>
    req.families.slice(i + 1).forEach((b) => (pairs[`${a}/${b}`] = agreement(picks[a], picks[b]))),
  );
  const performance: Performance = {
    trained_at: req.trainedAt,
    evaluated_on: test.length > 0 ? 'test' : 'val',
    classes: req.classes,
    clips: scored.length,
    families: Object.fromEntries(req.families.map((f) => [f, score(truth, picks[f], req.classes)])),
    vote: score(
      truth,
      judged.map((j) => argmax(j.vote)),
      req.classes,
    ),
    weights: meta.weights,
    agreement: pairs,
    training: progress,
  };
  await writeFile(path.join(req.outDir, 'performance.json'), `${JSON.stringify(performance)}\n`);
  // meta.json last: a folder without it is an unfinished run and is never loaded.
  await writeFile(path.join(req.outDir, 'meta.json'), `${JSON.stringify(meta)}\n`);
  done = total;
  report('done');
  return performance;
}

run(workerData as TrainRequest).then(
  (performance) => post({ type: 'done', performance }),
  (err: unknown) =>
    post({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      expected: err instanceof Refused,
    }),
);
