import {
  backboneFeatureSize,
  loadBackboneFeatures,
  modelCacheDirFor,
} from '../features/backbone.js';
import {
  FINE_TUNE_INPUT,
  FINE_TUNE_SHAPE,
  MOBILENET_INPUT,
  MOBILENET_V2,
  POOLED_FEATURES,
} from '../pretrained/mobilenet-v2.js';
import type { Dataset } from '../data/batches.js';
import type { PreparedData } from './prepare-data.js';
import type { TrainItem, TrainJob } from './training-runner.js';

/**
 * mobilenet-v2-transfer's data: each item's pooled MobileNetV2 features [576] from the feature cache
 * (computed on first use, the backbone converted on first use), the labels, and the meta of the
 * whole model (pixels in, probabilities out) that an export rebuilds. No augmentation: the
 * features are computed once per item, the way Teachable Machine trains its heads.
 */
export async function prepareTransferData(
  job: TrainJob,
  onProgress: (done: number, total: number) => void,
  cancelled: () => boolean,
): Promise<PreparedData> {
  const { data } = job;
  if (data.kind !== 'items' || data.mediaKind !== 'image') {
    throw new Error('mobilenet-v2-transfer trains on images');
  }
  const modelCacheDir = job.modelCacheDir ?? modelCacheDirFor(job.cacheDir);
  const fineTune = job.config.fine_tune === true;
  const output = fineTune ? FINE_TUNE_INPUT : 'pooled';
  const size = backboneFeatureSize(output);
  const total = data.train.length + data.val.length;
  for (const it of [...data.train, ...data.val]) {
    if (!(it.label >= 0 && it.label < job.classes.length)) {
      throw new Error(
        `item ${it.key} has label ${it.label}, outside the ${job.classes.length} classes`,
      );
    }
  }
  const load = async (
    items: readonly TrainItem[],
    offset: number,
  ): Promise<{ set: Dataset; sourceHash: string }> => {
    const { features, backbone } = await loadBackboneFeatures(items, job.cacheDir, modelCacheDir, {
      onProgress: (d) => onProgress(offset + d, total),
      cancelled,
      output,
    });
    const set = {
      x: features,
      y: Float32Array.from(items, (i) => i.label),
      n: items.length,
      sampleSize: size,
    };
    return { set, sourceHash: backbone.sourceHash };
  };
  const train = await load(data.train, 0);
  const val = data.val.length > 0 ? await load(data.val, data.train.length) : null;
  return {
    head: 'classification',
    train: train.set,
    val: val?.set ?? null,
    inputShape: fineTune ? [...FINE_TUNE_SHAPE] : [POOLED_FEATURES],
    augment: null,
    normalization: null,
    targetStd: 1,
    meta: {
      task: job.task,
      architecture: job.config.architecture,
      classes: [...job.classes],
      input_shape: [MOBILENET_INPUT.height, MOBILENET_INPUT.width, MOBILENET_INPUT.channels],
      features: { kind: 'image', input: { ...MOBILENET_INPUT } },
      normalization: { mean: 0, std: 1 },
      target_normalization: null,
      backbone: {
        id: MOBILENET_V2,
        source_sha256: train.sourceHash,
        output: fineTune ? FINE_TUNE_INPUT : 'block_13_expand_relu_pooled',
      },
    },
  };
}
