import type * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { loadMobileNetV2Full } from './mobilenet-v2.js';

/**
 * Starts a fine-tuning run's `ft_block_13_expand` from MobileNetV2's own `block_13_expand` with
 * `block_13_expand_BN` folded in (kernel·γ/√(σ²+ε), bias β − μ·γ/√(σ²+ε)): before any step the
 * trained part computes exactly the frozen backbone's `block_13_expand_relu`.
 */
export async function initFineTuneFromBackbone(model: tfl.LayersModel): Promise<void> {
  const full = await loadMobileNetV2Full();
  try {
    const conv = full.model.getLayer('block_13_expand');
    const bn = full.model.getLayer('block_13_expand_BN');
    const eps = Number(bn.getConfig()['epsilon'] ?? 1e-3);
    const [kernel] = conv.getWeights();
    const [gamma, beta, mean, variance] = bn.getWeights();
    const folded = tf.tidy(() => {
      const scale = tf.div(gamma as tf.Tensor, tf.sqrt(tf.add(variance as tf.Tensor, eps)));
      return [
        tf.mul(kernel as tf.Tensor, scale),
        tf.sub(beta as tf.Tensor, tf.mul(mean as tf.Tensor, scale)),
      ];
    });
    model.getLayer('ft_block_13_expand').setWeights(folded);
    tf.dispose(folded);
  } finally {
    full.model.dispose();
  }
}
