import * as tfl from '@tensorflow/tfjs-layers';
import { deriveSeed } from '../../splits/prng.js';

/** Name of the softmax layer every classifier ends in; the trainer takes the loss on its input. */
export const PROBS_LAYER = 'probs';

/**
 * Layers with fixed names and seeded initialisers: the same config and seed build the same
 * weights on any backend (tf's seeded random ops run in JS), and stable names keep checkpoints
 * and exported graphs readable. Each layer's seed derives from (seed, layer name).
 */
export class LayerKit {
  constructor(private readonly seed: number) {}

  private init(name: string): ReturnType<typeof tfl.initializers.glorotUniform> {
    return tfl.initializers.glorotUniform({ seed: deriveSeed(this.seed, name) });
  }

  conv(
    name: string,
    filters: number,
    kernelSize: number,
    opts: { strides?: number; activation?: 'relu' | 'linear'; useBias?: boolean } = {},
    inputShape?: readonly number[],
  ): tfl.layers.Layer {
    return tfl.layers.conv2d({
      name,
      filters,
      kernelSize,
      strides: opts.strides ?? 1,
      padding: 'same',
      activation: opts.activation ?? 'relu',
      useBias: opts.useBias ?? true,
      kernelInitializer: this.init(name),
      biasInitializer: 'zeros',
      ...(inputShape ? { inputShape: [...inputShape] } : {}),
    });
  }

  depthwise(name: string, strides: number): tfl.layers.Layer {
    return tfl.layers.depthwiseConv2d({
      name,
      kernelSize: 3,
      strides,
      padding: 'same',
      useBias: false,
      depthwiseInitializer: this.init(name),
    });
  }

  dense(
    name: string,
    units: number,
    activation: 'relu' | 'linear',
    inputShape?: readonly number[],
  ): tfl.layers.Layer {
    return tfl.layers.dense({
      name,
      units,
      activation,
      kernelInitializer: this.init(name),
      biasInitializer: 'zeros',
      ...(inputShape ? { inputShape: [...inputShape] } : {}),
    });
  }

  /** Momentum 0.9 (PyTorch's 0.1): Keras' 0.99 leaves the moving statistics near their start after the few hundred steps small datasets give. */
  batchNorm(name: string): tfl.layers.Layer {
    return tfl.layers.batchNormalization({ name, momentum: 0.9, epsilon: 1e-3 });
  }

  /** Dropout's mask is drawn by the trainer from its own PRNG (see trainer/forward.ts). */
  dropout(name: string, rate: number): tfl.layers.Layer {
    return tfl.layers.dropout({ name, rate });
  }

  /** The classifier's end: `logits` (linear) then the `probs` softmax. */
  classifierHead(model: tfl.Sequential, numClasses: number, dropout: number): void {
    if (dropout > 0) model.add(this.dropout('head_dropout', dropout));
    model.add(this.dense('logits', numClasses, 'linear'));
    model.add(tfl.layers.activation({ name: PROBS_LAYER, activation: 'softmax' }));
  }
}
