import { audioInputOf, imageInputOf, mediaOfTask } from '../config.js';
import { audioAugment, type Augment, imageAugment } from '../data/augment.js';
import { type Dataset, fitScalar, type Normalization } from '../data/batches.js';
import { logMelFor } from '../features/audio.js';
import { type FeatureSpec, featureShape, loadFeatures } from '../features/cache.js';
import { fitStandardizer, readTables, splitRows, takeRows } from '../features/table.js';
import type { ModelMeta } from './checkpoint.js';
import { prepareTransferData } from './prepare-pretrained.js';
import type { Head } from './step.js';
import type { TrainItem, TrainJob } from './training-runner.js';

export interface PreparedData {
  readonly head: Head;
  readonly train: Dataset;
  /** Null when the split has no validation items. */
  readonly val: Dataset | null;
  readonly inputShape: readonly number[];
  readonly augment: Augment | null;
  /** Scalar scaling applied per batch (audio); tables are standardised up front. */
  readonly normalization: Normalization | null;
  readonly targetStd: number;
  readonly meta: ModelMeta;
}

/**
 * Features and labels for a run, from the feature cache (items) or the tables. Normalisation is
 * fitted on the training subset only; a resumed run reuses the checkpoint's (`restored`), so it
 * scales exactly as before.
 */
export async function prepareData(
  job: TrainJob,
  restored: ModelMeta | null,
  onProgress: (done: number, total: number) => void,
  cancelled: () => boolean,
): Promise<PreparedData> {
  const { config, data } = job;
  if (data.kind === 'table') {
    const table = await readTables(data.tables, data.targetColumn);
    const cols = table.featureNames.length;
    const rows = splitRows(table.rows, data.ratios, data.seed);
    if (rows.train.length === 0) throw new Error('the split leaves no table rows to train on');
    const fitted = fitStandardizer(table.x, cols, rows.train);
    const st = restored ? (restored.normalization as { mean: number[]; std: number[] }) : fitted;
    const yAll = Float32Array.from(table.y);
    const ySt = restored?.target_normalization ?? targetStandardizer(yAll, rows.train);
    const subset = (idx: readonly number[]): Dataset => ({
      x: takeRows(table.x, cols, idx, st),
      y: Float32Array.from(idx, (r) => ((yAll[r] as number) - ySt.mean) / ySt.std),
      n: idx.length,
      sampleSize: cols,
    });
    return {
      head: 'regression',
      train: subset(rows.train),
      val: rows.val.length > 0 ? subset(rows.val) : null,
      inputShape: [cols],
      augment: null,
      normalization: null,
      targetStd: ySt.std,
      meta: {
        task: job.task,
        architecture: config.architecture,
        classes: [],
        input_shape: [cols],
        features: { kind: 'table', columns: table.featureNames, target: table.targetName },
        normalization: { mean: st.mean, std: st.std },
        target_normalization: ySt,
      },
    };
  }

  const media = mediaOfTask(job.task);
  if (media !== data.mediaKind) {
    throw new Error(
      `a ${job.task} project trains on ${media}, the job holds ${data.mediaKind} items`,
    );
  }
  if (job.classes.length < 2) {
    throw new Error(
      `classification needs at least two classes; this project has ${job.classes.length}`,
    );
  }
  if (config.architecture === 'mobilenet-v2-transfer') {
    return prepareTransferData(job, onProgress, cancelled);
  }
  const spec: FeatureSpec =
    data.mediaKind === 'image'
      ? { kind: 'image', input: imageInputOf(config.input) }
      : config.architecture === 'speech-embedding-head'
        ? { kind: 'speech-embedding', input: audioInputOf(config.input) }
        : { kind: 'audio', input: audioInputOf(config.input) };
  const shape = featureShape(spec);
  const sampleSize = shape[0] * shape[1] * shape[2];
  const total = data.train.length + data.val.length;
  const load = async (items: readonly TrainItem[], offset: number): Promise<Dataset> => {
    for (const it of items) {
      if (!(it.label >= 0 && it.label < job.classes.length)) {
        throw new Error(
          `item ${it.key} has label ${it.label}, outside the ${job.classes.length} classes`,
        );
      }
    }
    const x = await loadFeatures(items, spec, job.cacheDir, {
      onProgress: (d) => onProgress(offset + d, total),
      cancelled,
    });
    return { x, y: Float32Array.from(items, (i) => i.label), n: items.length, sampleSize };
  };
  const train = await load(data.train, 0);
  const val = data.val.length > 0 ? await load(data.val, data.train.length) : null;
  let normalization: Normalization | null = null;
  let augment: Augment | null;
  if (spec.kind === 'audio') {
    const r = restored?.normalization;
    normalization = r ? { mean: Number(r.mean), std: Number(r.std) } : fitScalar(train.x);
    augment = audioAugment(
      config.augmentation,
      shape[0],
      shape[1],
      logMelFor(spec.input).noisePowerPerBand,
    );
  } else if (spec.kind === 'image') {
    augment = imageAugment(config.augmentation, shape);
  } else {
    // Speech embeddings are computed once per clip and not augmented.
    augment = null;
  }
  return {
    head: 'classification',
    train,
    val,
    inputShape: shape,
    augment,
    normalization,
    targetStd: 1,
    meta: {
      task: job.task,
      architecture: config.architecture,
      classes: [...job.classes],
      input_shape: shape,
      features: spec,
      normalization: normalization ?? { mean: 0, std: 1 },
      target_normalization: null,
    },
  };
}

function targetStandardizer(
  y: Float32Array,
  rows: readonly number[],
): { mean: number; std: number } {
  const st = fitStandardizer(y, 1, rows);
  return { mean: st.mean[0] as number, std: st.std[0] as number };
}
