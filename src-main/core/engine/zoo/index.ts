import type * as tfl from '@tensorflow/tfjs-layers';
import type { ExperimentConfig } from '../../../../src-shared/contract/training.js';
import { invariant } from '../../errors.js';
import {
  audioCnn,
  fineTuneHead,
  mlp,
  mobilenetLite,
  smallCnn,
  speechEmbeddingHead,
  transferHead,
} from './architectures.js';

export { PROBS_LAYER } from './layers.js';
export { scaledChannels } from './architectures.js';

export type ModelTarget =
  | { readonly inputShape: readonly number[]; readonly numClasses: number }
  | { readonly inputShape: readonly number[]; readonly outputs: number };

/**
 * The architecture named by `config`, with seeded initial weights (`config.seed`): the same
 * config and target build bit-identical weights. Classifiers end in a `logits` dense layer and a
 * `probs` softmax; regressors in a linear `output` layer.
 */
export function buildModel(config: ExperimentConfig, target: ModelTarget): tfl.Sequential {
  const seed = config.seed;
  const dropout = config.dropout;
  if (config.architecture === 'mlp') {
    invariant(target.inputShape.length === 1, 'mlp takes a feature vector');
    const outputs = 'outputs' in target ? target.outputs : target.numClasses;
    return mlp({
      inputFeatures: target.inputShape[0] as number,
      hidden: config.hidden_layers,
      outputs,
      dropout,
      seed,
    });
  }
  invariant('numClasses' in target, `${config.architecture} is a classifier`);
  if (config.architecture === 'mobilenet-v2-transfer' && config.fine_tune) {
    return fineTuneHead({
      inputShape: target.inputShape,
      numClasses: target.numClasses,
      dropout,
      seed,
    });
  }
  if (config.architecture === 'mobilenet-v2-transfer') {
    invariant(target.inputShape.length === 1, 'the transfer head takes pooled features');
    return transferHead({
      inputFeatures: target.inputShape[0] as number,
      numClasses: target.numClasses,
      dropout,
      seed,
    });
  }
  if (config.architecture === 'speech-embedding-head') {
    return speechEmbeddingHead({
      inputShape: target.inputShape,
      numClasses: target.numClasses,
      dropout,
      seed,
    });
  }
  invariant(target.inputShape.length === 3, `${config.architecture} takes [h, w, c] inputs`);
  const spec = {
    inputShape: target.inputShape as unknown as [number, number, number],
    numClasses: target.numClasses,
    dropout,
    seed,
  };
  switch (config.architecture) {
    case 'small-cnn':
      return smallCnn(spec);
    case 'mobilenet-lite':
      return mobilenetLite({ ...spec, widthMultiplier: config.width_multiplier });
    case 'audio-cnn':
      return audioCnn(spec);
  }
}
