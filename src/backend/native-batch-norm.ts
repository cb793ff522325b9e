import * as tf from '@tensorflow/tfjs-core';
import { BATCH_NORM_TRAIN, hasKernel } from './native-kernels';

/**
 * Training-mode batch normalisation over all axes but the last as one kernel,
 * SelfsupBatchNormTrain (native, on the wasm backend when selfsup's addon is built), with its
 * one-kernel gradient (Ioffe & Szegedy 2015, section 3):
 *
 *   y = γ (x - μ) / sqrt(σ² + ε) + β,   μ, σ² the batch mean and biased variance per channel
 *
 * and with `relu`, `max(y, 0)` in the same pass (and its gradient in the batch norm's). The same
 * values as `batchNormTrain` in src/models/batch-norm.ts, which calls this first.
 *
 * @param x     `[..., C]` float32 activations
 * @param gamma `[C]` scale
 * @param beta  `[C]` shift
 * @returns `y` (x's shape) and the batch `mean` and `variance` (`[C]`), or null when the active
 *   backend has no such kernel (then compose it from tfjs ops)
 */
export function fusedBatchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon: number,
  relu = false,
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } | null {
  const c = x.shape[x.rank - 1];
  if (x.rank < 2 || x.size === 0 || [x, gamma, beta].some((t) => t.dtype !== 'float32')) return null;
  if (gamma.rank !== 1 || beta.rank !== 1 || gamma.shape[0] !== c || beta.shape[0] !== c) return null;
  if (!hasKernel(BATCH_NORM_TRAIN)) return null;
  const [y, mean, variance] = tf.engine().runKernel(
    BATCH_NORM_TRAIN,
    { x, gamma, beta } as unknown as tf.NamedTensorMap,
    { epsilon, relu } as unknown as tf.NamedAttrMap,
  ) as tf.Tensor[];
  return { y, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
}
