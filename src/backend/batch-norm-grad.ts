import * as tf from '@tensorflow/tfjs-core';

/**
 * A gradient for FusedBatchNorm (what `tf.batchNorm` runs) that never builds a full-size copy of
 * a per-channel tensor. With `r = rsqrt(variance + eps)`, `g = scale` (1 if absent) and sums over
 * the axes that `mean` broadcasts along:
 *
 *   dx = dy * (r g)                      dOffset = S1 = sum(dy)
 *   dScale = r S2                        dMean = -r g S1
 *   dVariance = -1/2 r^3 g S2            with S2 = sum(dy * (x - mean))
 *
 * the same values as tfjs-core's own gradient, which instead tiles `r` to the full activation shape
 * (the Tile alone was a quarter of a wasm training step) and multiplies and sums full-size
 * tensors once per output. Full-size work here: two multiplies, one subtract, two sums.
 * When `variance`, `scale` or `offset` differ in shape from `mean`, tfjs-core's gradient is used.
 *
 * Inputs as the FusedBatchNorm kernel: `x: [N, H, W, C]`, `mean`, `variance`, `scale?`,
 * `offset?` all `[C]` (or broadcastable to x); attr `varianceEpsilon`.
 */
export function fusedBatchNormGradConfig(fallback: tf.GradConfig | undefined): tf.GradConfig {
  return {
    kernelName: tf.FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale', 'offset'],
    gradFunc: (dy, saved, attrs) => {
      const [x, mean, variance, scale, offset] = saved as Array<tf.Tensor | undefined>;
      const grad = dy as tf.Tensor;
      const uniform = [variance, scale, offset].every((t) => t == null || tf.util.arraysEqual(t.shape, mean!.shape));
      if (!uniform && fallback != null) return fallback.gradFunc(dy, saved.slice(0, 4), attrs);
      const eps = (attrs as unknown as tf.FusedBatchNormAttrs).varianceEpsilon;
      const axes = tf.backend_util.getReductionAxes(mean!.shape, x!.shape);
      const reduce = (t: tf.Tensor) => tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, mean!.shape);
      const r = tf.rsqrt(tf.add(variance!, eps));
      const rg = scale == null ? r : tf.mul(r, scale);
      // Computed now, not in the thunks: the engine runs each thunk in its own tidy, so a sum
      // shared between two of them would be disposed after the first. The tidy frees the
      // full-size temporaries at once; s1 and s2 are as small as `mean`.
      const [s1, s2] = tf.tidy(() => [reduce(grad), reduce(tf.mul(grad, tf.sub(x!, mean!)))]);
      return {
        x: () => tf.mul(grad, rg),
        mean: () => tf.mul(tf.neg(rg), s1),
        variance: () => tf.mul(tf.mul(tf.mul(rg, tf.square(r)), -0.5), s2),
        scale: () => tf.mul(r, s2),
        offset: () => tf.clone(s1),
      };
    },
  };
}

/**
 * Replaces tfjs-core's FusedBatchNorm gradient by {@link fusedBatchNormGradConfig} (for every
 * backend: gradients are registered globally). Idempotent; needs tfjs-core's gradients registered
 * first (see `registerCoreGradients`); the registered config keeps tfjs-core's as `replaced`, its
 * fallback.
 */
export function registerBatchNormGrad(): void {
  const current = tf.getGradient(tf.FusedBatchNorm) as (tf.GradConfig & { replaced?: tf.GradConfig }) | undefined;
  if (current?.replaced != null) return;
  tf.registerGradient({ ...fusedBatchNormGradConfig(current), replaced: current } as tf.GradConfig);
}

/**
 * Puts tfjs-core's own FusedBatchNorm gradient back (for benchmarks and comparisons); a later
 * {@link registerBatchNormGrad} replaces it again. No-op when it is not replaced.
 */
export function restoreCoreBatchNormGrad(): void {
  const current = tf.getGradient(tf.FusedBatchNorm) as (tf.GradConfig & { replaced?: tf.GradConfig }) | undefined;
  if (current?.replaced != null) tf.registerGradient(current.replaced);
}
