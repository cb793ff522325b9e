import * as tf from '@tensorflow/tfjs-core';
import { ContrastiveLossOutput, checkShapes, contrastiveLogits } from './info-nce';
import { stopGradient } from './stop-gradient';

/** Options of {@link nceLoss}. */
export interface NceOptions {
  /** Temperature `t` of `exp(sim / t)` (NPID and PIRL: 0.07). */
  temperature: number;
  /**
   * Number of training examples `n` (the noise distribution is uniform, `P_n = 1/n`). Needed only
   * with a fixed `logZ`; with the default batch estimate of Z it cancels out.
   */
  dataSize?: number;
  /**
   * Log of the partition constant Z of `P(i|v) = exp(sim/t) / Z`. Default: estimated from this
   * batch as `log(n · mean exp(s_neg))` (NPID's estimate, Wu et al. 2018, section 3.2, made
   * per batch and held constant for the gradient).
   */
  logZ?: number;
}

/**
 * Noise-contrastive estimation against memory-bank negatives (Gutmann & Hyvärinen 2010; NPID,
 * Wu et al. 2018, eq. 5-6; PIRL, Misra & van der Maaten 2020, eq. 3-4): every pair is a binary
 * "data or noise?" decision with
 * `h(q, v) = P(v|q) / (P(v|q) + K·P_n)`, `P(v|q) = exp(q·v/t) / Z`, `P_n = 1/n`,
 * `L = -mean_i [ log h(q_i, k_i) + Σ_j log(1 - h(q_i, n_j)) ]`.
 * Written as `h = sigmoid(u)`, `u = q·v/t - log Z - log(K/n)`, so it is computed with softplus.
 * @param query     `[b, dim]` (gradients flow here; L2-normalised inside)
 * @param positive  `[b, dim]` the matching memory-bank rows (L2-normalised inside)
 * @param negatives `[K, dim]` unit-vector bank rows of other images
 * @returns mean loss over the batch; `correct` counts rows whose positive beats every negative
 */
export function nceLoss(query: tf.Tensor2D, positive: tf.Tensor2D, negatives: tf.Tensor2D, opts: NceOptions): ContrastiveLossOutput {
  checkShapes('nceLoss', query, positive, negatives, opts.temperature);
  const k = negatives.shape[0];
  if (opts.logZ !== undefined && !(opts.dataSize && opts.dataSize >= 1)) throw new RangeError('nceLoss: a fixed logZ needs dataSize (the number of training examples)');
  return tf.tidy(() => {
    const logits = contrastiveLogits(query, positive, negatives, opts.temperature); // [b, 1+K]
    const neg = tf.slice(logits, [0, 1], [-1, k]);
    // log Z + log(K/n): the batch estimate Z = n · mean(exp(s_neg)) makes it log mean exp(s_neg) + log K.
    const shift =
      opts.logZ !== undefined
        ? tf.scalar(opts.logZ + Math.log(k / opts.dataSize!))
        : stopGradient(tf.add(tf.sub(tf.logSumExp(neg), Math.log(neg.size)), Math.log(k)));
    const u = tf.sub(logits, shift);
    const pos = tf.slice(u, [0, 0], [-1, 1]);
    const negU = tf.slice(u, [0, 1], [-1, k]);
    const perRow = tf.add(tf.squeeze(tf.softplus(tf.neg(pos)), [1]), tf.sum(tf.softplus(negU), 1));
    const loss = tf.mean(perRow) as tf.Scalar;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), 0), 'float32')) as tf.Scalar;
    return { loss, correct };
  });
}
