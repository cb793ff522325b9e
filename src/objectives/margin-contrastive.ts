import * as tf from '@tensorflow/tfjs-core';

/**
 * The contrastive loss of a Siamese network (Hadsell, Chopra & LeCun 2006, eq. 4; Chopra et al.
 * 2005): related pairs are pulled together, unrelated pairs pushed at least `margin` apart,
 * `L = mean_i [ y_i · d_i² + (1 - y_i) · max(0, margin - d_i)² ] / 2`, `d_i = ||a_i - b_i||`.
 * @param a `[n, dim]` embeddings of the first items
 * @param b `[n, dim]` embeddings of the second items
 * @param related `[n]` 1 for a related pair, 0 for an unrelated one
 */
export function marginContrastiveLoss(a: tf.Tensor2D, b: tf.Tensor2D, related: ArrayLike<number>, margin: number): tf.Scalar {
  if (!(margin > 0)) throw new RangeError(`marginContrastiveLoss: margin must be positive, got ${margin}`);
  if (a.shape.join() !== b.shape.join() || a.shape[0] !== related.length) {
    throw new RangeError(`marginContrastiveLoss: a [${a.shape}], b [${b.shape}] and related (${related.length}) must agree`);
  }
  return tf.tidy(() => {
    const y = tf.tensor1d(Float32Array.from(related));
    const d2 = tf.sum(tf.square(tf.sub(a, b)), 1);
    const d = tf.sqrt(tf.add(d2, 1e-12));
    const push = tf.square(tf.relu(tf.sub(margin, d)));
    return tf.div(tf.mean(tf.add(tf.mul(y, d2), tf.mul(tf.sub(1, y), push))), 2) as tf.Scalar;
  });
}
