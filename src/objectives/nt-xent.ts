import * as tf from '@tensorflow/tfjs-core';
import { ContrastiveLossOutput, normalizeRows } from './info-nce';

/**
 * NT-Xent, the normalised temperature-scaled cross-entropy of SimCLR (Chen et al. 2020, eq. 1):
 * the 2b views `z = [z1; z2]` are L2-normalised; for each view i its positive is the other view
 * of the same image and its negatives are the other 2b - 2 views of the batch (in-batch
 * negatives, so their number grows with the batch size):
 * `ℓ(i, j) = -log( exp(sim(z_i, z_j)/t) / Σ_{k≠i} exp(sim(z_i, z_k)/t) )`, averaged over all 2b views.
 * @param z1 `[b, dim]` projections of the first views
 * @param z2 `[b, dim]` projections of the second views (row i: same image as z1's row i)
 * @param temperature `t` > 0 (SimCLR: 0.5 on CIFAR-10, 0.1 on ImageNet)
 * @returns mean loss over the 2b views; `correct` counts views whose positive is their most similar other view
 */
export function ntXent(z1: tf.Tensor2D, z2: tf.Tensor2D, temperature: number): ContrastiveLossOutput {
  if (!(temperature > 0)) throw new RangeError(`ntXent: temperature must be positive, got ${temperature}`);
  if (z1.rank !== 2 || z1.shape.join() !== z2.shape.join()) throw new RangeError(`ntXent: z1 [${z1.shape}] and z2 [${z2.shape}] must be [b, dim] of the same shape`);
  const b = z1.shape[0];
  if (b < 2) throw new RangeError(`ntXent: needs a batch of at least 2 images for in-batch negatives, got ${b}`);
  const target = Int32Array.from({ length: 2 * b }, (_, i) => (i < b ? i + b : i - b));
  return tf.tidy(() => {
    const z = normalizeRows(tf.concat([z1, z2], 0) as tf.Tensor2D);
    const sim = tf.div(tf.matMul(z, z, false, true), temperature);
    const logits = tf.sub(sim, tf.mul(tf.eye(2 * b), 1e9)); // a view is not its own negative
    const labels = tf.tensor1d(target, 'int32');
    const pos = tf.sum(tf.mul(logits, tf.oneHot(labels, 2 * b)), 1);
    const loss = tf.mean(tf.sub(tf.logSumExp(logits, 1), pos)) as tf.Scalar;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar;
    return { loss, correct };
  });
}
