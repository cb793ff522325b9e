import * as tf from '@tensorflow/tfjs-core';

/** What a contrastive loss returns: the mean loss and how often the positive scored highest. */
export interface ContrastiveLossOutput {
  /** Scalar mean loss over the batch. */
  loss: tf.Scalar;
  /** Scalar count of rows whose positive has the highest similarity (instance-discrimination accuracy). */
  correct: tf.Scalar;
}

/** Row-wise L2 normalisation of `[n, dim]`. */
export function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}

/**
 * Contrastive logits `[b, 1 + K]`: column 0 is `q_i · k_i / t` (the positive), columns 1..K are
 * `q_i · n_j / t` against the shared negatives. `query` and `positive` are L2-normalised here;
 * `negatives` are taken as they are (a memory bank or queue holds unit vectors).
 * @param query     `[b, dim]`
 * @param positive  `[b, dim]`
 * @param negatives `[K, dim]`
 */
export function contrastiveLogits(query: tf.Tensor2D, positive: tf.Tensor2D, negatives: tf.Tensor2D, temperature: number): tf.Tensor2D {
  checkShapes('contrastiveLogits', query, positive, negatives, temperature);
  return tf.tidy(() => {
    const q = normalizeRows(query);
    const k = normalizeRows(positive);
    const pos = tf.sum(tf.mul(q, k), 1, true); // [b, 1]
    const neg = tf.matMul(q, negatives, false, true); // [b, K]
    return tf.div(tf.concat([pos, neg], 1), temperature) as tf.Tensor2D;
  });
}

/**
 * InfoNCE (van den Oord et al. 2018, eq. 4; MoCo, He et al. 2020, eq. 1): a (K+1)-way softmax
 * classification of the positive among K negatives,
 * `L = -mean_i log( exp(q_i·k_i/t) / (exp(q_i·k_i/t) + Σ_j exp(q_i·n_j/t)) )`.
 * With a memory bank's sampled rows as negatives it is NPID's non-parametric softmax
 * (Wu et al. 2018, eq. 2) over a sample of the instances.
 * @param query     `[b, dim]` (gradients flow here)
 * @param positive  `[b, dim]` the matching keys (MoCo: key encoder; NPID: bank rows)
 * @param negatives `[K, dim]` unit vectors (a queue or sampled bank rows)
 * @param temperature `t` > 0 (MoCo 0.07-0.2)
 */
export function infoNce(query: tf.Tensor2D, positive: tf.Tensor2D, negatives: tf.Tensor2D, temperature: number): ContrastiveLossOutput {
  return tf.tidy(() => {
    const logits = contrastiveLogits(query, positive, negatives, temperature);
    const lse = tf.logSumExp(logits, 1);
    const pos = tf.squeeze(tf.slice(logits, [0, 0], [-1, 1]), [1]);
    const loss = tf.mean(tf.sub(lse, pos)) as tf.Scalar;
    const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), 0), 'float32')) as tf.Scalar;
    return { loss, correct };
  });
}

export function checkShapes(fn: string, query: tf.Tensor2D, positive: tf.Tensor2D, negatives: tf.Tensor2D, temperature: number): void {
  if (!(temperature > 0)) throw new RangeError(`${fn}: temperature must be positive, got ${temperature}`);
  if (query.rank !== 2 || positive.rank !== 2 || negatives.rank !== 2) throw new RangeError(`${fn}: query, positive and negatives must be 2-D`);
  if (query.shape[0] !== positive.shape[0] || query.shape[1] !== positive.shape[1]) {
    throw new RangeError(`${fn}: query [${query.shape}] and positive [${positive.shape}] must have the same shape`);
  }
  if (negatives.shape[1] !== query.shape[1]) throw new RangeError(`${fn}: negatives have dim ${negatives.shape[1]}, query has ${query.shape[1]}`);
}
