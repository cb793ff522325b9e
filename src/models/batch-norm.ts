import * as tf from '@tensorflow/tfjs-core';
import { fusedBatchNormTrain } from '../backend/native-batch-norm';

/**
 * Batch normalisation over all axes but the last (NHWC or [batch, dim]), in training mode,
 * with a hand-written backward pass (Ioffe & Szegedy 2015, section 3):
 *
 *   x̂ = (x - μ) / sqrt(σ² + ε),  y = γ x̂ + β
 *   dx = γ / sqrt(σ² + ε) · (dy - mean(dy) - x̂ · mean(dy · x̂))
 *
 * Every reduction and broadcast is along the channel axis, so the gradient never materialises
 * the per-channel scale at full activation size (tfjs-core's FusedBatchNorm gradient tiles it,
 * which costs a quarter of a training step on the wasm backend).
 *
 * @param x     `[..., C]` activations
 * @param gamma `[C]` scale
 * @param beta  `[C]` shift
 * @param opts.relu return `relu(y)` (one pass fewer each way with the native kernel)
 * @returns the normalised output and the batch mean and (biased) variance, each `[C]`
 */
export function batchNormTrain(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  epsilon = 1e-5,
  opts: { relu?: boolean } = {},
): { y: tf.Tensor; mean: tf.Tensor1D; variance: tf.Tensor1D } {
  // one native kernel each way where the backend has it (wasm + selfsup's addon), same values
  const fused = fusedBatchNormTrain(x, gamma, beta, epsilon, opts.relu ?? false);
  if (fused != null) return fused;
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.tidy(() => {
    const m = tf.moments(x, axes);
    return { mean: m.mean as tf.Tensor1D, variance: m.variance as tf.Tensor1D };
  });
  const forward = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xIn, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const rstd = tf.rsqrt(tf.add(variance, epsilon));
    const xhat = tf.mul(tf.sub(xIn, mean), rstd);
    const y = tf.add(tf.mul(xhat, g), b);
    save([xhat, rstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xh, rs, gm] = saved;
        const dBeta = tf.sum(dy, axes);
        const dyXhat = tf.mul(dy, xh);
        const dGamma = tf.sum(dyXhat, axes);
        const count = xh.size / xh.shape[xh.rank - 1];
        const dx = tf.mul(
          tf.mul(gm, rs),
          tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xh, tf.div(dGamma, count))),
        );
        return [dx, dGamma, dBeta];
      },
    };
  });
  const y = forward(x, gamma, beta);
  return { y: opts.relu ? tf.relu(y) : y, mean, variance };
}

/** Batch normalisation with fixed (running) statistics, for evaluation. Shapes as in {@link batchNormTrain}. */
export function batchNormInfer(
  x: tf.Tensor,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  mean: tf.Tensor1D,
  variance: tf.Tensor1D,
  epsilon = 1e-5,
): tf.Tensor {
  return tf.tidy(() => {
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(variance, epsilon)));
    return tf.add(tf.mul(x, scale), tf.sub(beta, tf.mul(mean, scale)));
  });
}
