import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-pixel softmax cross-entropy with optional class weights (Zhang et al. 2016, eq. 2:
 * `L = -(1/N) Σ_pixels v(y) log softmax(z)_y`, here averaged over the N pixels), and the number of
 * pixels whose arg-max is right.
 *
 * Written as one custom-gradient op, `dL/dz = v(y) (softmax(z) - onehot(y)) / N`, on the backend's
 * Softmax kernel: tfjs's softmaxCrossEntropy takes two element-wise `exp` passes over all
 * `N x q` logits (forward and backward), which on the wasm backend cost more than the rest of a
 * colourisation step. The forward value clamps the picked probability at 1e-30 (a loss of at most 69
 * per pixel); the gradient is exact.
 * @param logits `[batch, h, w, q]`
 * @param labels `[batch, h, w]` int32 class indices in 0..q-1
 * @param classWeights `[q]` weight of each target class (default all 1: plain cross-entropy)
 * @returns `loss` (scalar) and `correct` (scalar count over the `batch * h * w` pixels)
 */
export function pixelCrossEntropy(logits: tf.Tensor4D, labels: tf.Tensor3D, classWeights?: tf.Tensor1D): { loss: tf.Scalar; correct: tf.Scalar } {
  const [b, h, w, q] = logits.shape;
  if (labels.shape.join() !== [b, h, w].join()) throw new RangeError(`pixelCrossEntropy: labels [${labels.shape}] do not match logits [${logits.shape}]`);
  if (classWeights && classWeights.shape[0] !== q) throw new RangeError(`pixelCrossEntropy: ${classWeights.shape[0]} class weights for ${q} classes`);
  const n = b * h * w;
  const flatLogits = tf.reshape(logits, [n, q]) as tf.Tensor2D;
  const flatLabels = tf.reshape(labels, [n]) as tf.Tensor1D;
  // int32 then cast: tfjs-backend-wasm 4.22's OneHot writes the int bits of 1 into a float32 output (1.4e-45)
  const oneHot = tf.cast(tf.oneHot(flatLabels, q), 'float32');
  const pixelWeights = classWeights ? tf.gather(classWeights, flatLabels) : tf.ones([n]);
  const ce = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const z = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const p = tf.softmax(z);
    const picked = tf.sum(tf.mul(p, oneHot), 1);
    const value = tf.div(tf.sum(tf.mul(tf.neg(tf.log(tf.maximum(picked, 1e-30))), pixelWeights)), n);
    save([p, oneHot, pixelWeights]); // the gradient may only use saved tensors: the forward pass is tidied
    return {
      value,
      gradFunc: (dy: tf.Tensor, [ps, oh, pw]: tf.Tensor[]) => tf.mul(tf.sub(ps, oh), tf.mul(tf.expandDims(pw, 1), tf.div(dy, n))),
    };
  });
  const loss = ce(flatLogits) as tf.Scalar;
  const correct = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(flatLogits, 1), flatLabels), 'float32')) as tf.Scalar);
  return { loss, correct };
}

/**
 * Squared error weighted by a mask (Pathak et al. 2016, eq. 1, the reconstruction loss of context
 * encoders): the mean over the hidden pixels of `Σ_c (pred - target)²`, plus `outsideWeight` times
 * the same mean over the visible pixels. A fractional mask (e.g. an average-pooled one) weights each
 * pixel by how much of it was hidden.
 * @param pred `[batch, h, w, c]`
 * @param target `[batch, h, w, c]`
 * @param mask `[batch, h, w, 1]` in [0, 1], 1 = hidden
 */
export function maskedSquaredError(pred: tf.Tensor4D, target: tf.Tensor4D, mask: tf.Tensor4D, outsideWeight = 0): tf.Scalar {
  if (pred.shape.join() !== target.shape.join()) throw new RangeError(`maskedSquaredError: pred [${pred.shape}] vs target [${target.shape}]`);
  if (mask.shape.join() !== [...pred.shape.slice(0, 3), 1].join()) throw new RangeError(`maskedSquaredError: mask [${mask.shape}] must be [${pred.shape.slice(0, 3)},1]`);
  if (!(outsideWeight >= 0)) throw new RangeError(`maskedSquaredError: outsideWeight must be >= 0, got ${outsideWeight}`);
  const se = tf.sum(tf.squaredDifference(pred, target), 3, true);
  const inside = tf.div(tf.sum(tf.mul(se, mask)), tf.maximum(tf.sum(mask), 1e-6));
  if (outsideWeight === 0) return inside as tf.Scalar;
  const out = tf.sub(1, mask);
  const outside = tf.div(tf.sum(tf.mul(se, out)), tf.maximum(tf.sum(out), 1e-6));
  return tf.add(inside, tf.mul(outside, outsideWeight)) as tf.Scalar;
}
