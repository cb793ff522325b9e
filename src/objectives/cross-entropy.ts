import * as tf from '@tensorflow/tfjs-core';

/**
 * Softmax cross-entropy of `[batch, classes]` logits against `[batch]` int32 class indices,
 * with the number of correct arg-max predictions.
 * @returns `loss` (mean over the batch) and `correct` (a scalar count)
 */
export function crossEntropy(logits: tf.Tensor2D, labels: tf.Tensor1D): { loss: tf.Scalar; correct: tf.Scalar } {
  if (logits.shape[0] !== labels.shape[0]) throw new RangeError(`crossEntropy: ${logits.shape[0]} logits rows for ${labels.shape[0]} labels`);
  const k = logits.shape[1];
  const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, k), logits) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar;
  return { loss, correct };
}
