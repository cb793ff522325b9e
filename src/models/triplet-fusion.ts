import * as tf from '@tensorflow/tfjs-core';
import type { Backbone, BackboneOutput } from './conv-net';

/**
 * A backbone's features for a fusion head: with `grid` 1, the global-average-pooled last block
 * (`out.features`, `[batch, width]`); with `grid` g > 1, the last block average-pooled to a
 * `g x g` grid of cells and flattened (`[batch, g * g * width]`), which keeps *where* things are:
 * temporal order verification needs positions that a global average discards.
 */
export function pooledFeatures(out: BackboneOutput, grid = 1): tf.Tensor2D {
  if (!(Number.isInteger(grid) && grid >= 1)) throw new RangeError(`pooledFeatures: grid must be a positive integer, got ${grid}`);
  if (grid === 1) return out.features;
  const t = out.taps[out.taps.length - 1];
  const [b, h, w] = t.shape;
  if (h % grid !== 0 || w % grid !== 0) throw new RangeError(`pooledFeatures: grid ${grid} does not divide the last block's ${h}x${w} map`);
  return tf.reshape(tf.avgPool(t, [h / grid, w / grid], [h / grid, w / grid], 'valid'), [b, -1]) as tf.Tensor2D;
}

/** Length of {@link pooledFeatures} for a backbone. */
export function pooledFeatureDim(backbone: Backbone, grid = 1): number {
  return backbone.featureDim * grid * grid;
}

/**
 * A Siamese (weight-sharing) encoder for tuples of frames, Shuffle & Learn's triplet network
 * (Misra, Zitnick & Hebert 2016, fig. 2): the one `backbone` embeds each of `inputs` (each
 * `[batch, h, w, c]`) in a single forward pass over their concatenation (so batch-norm statistics
 * are shared), and the {@link pooledFeatures} are concatenated in input order:
 * `[batch, inputs.length * pooledFeatureDim(backbone, grid)]`. (For global-average features and a
 * head included, see `siameseClassifier`.)
 */
export function tupleFeatures(backbone: Backbone, inputs: tf.Tensor4D[], opts: { training?: boolean; grid?: number } = {}): tf.Tensor2D {
  if (inputs.length === 0) throw new RangeError('tupleFeatures: no inputs');
  const b = inputs[0].shape[0];
  if (inputs.some((x) => x.shape[0] !== b)) throw new RangeError(`tupleFeatures: inputs have batch sizes ${inputs.map((x) => x.shape[0]).join(', ')}; they must agree`);
  // No tf.tidy here: this runs inside the training loop's gradient tape and tidy.
  const x = inputs.length === 1 ? inputs[0] : (tf.concat(inputs, 0) as tf.Tensor4D);
  const f = pooledFeatures(backbone.apply(x, { training: opts.training }), opts.grid ?? 1);
  return inputs.length === 1 ? f : (tf.concat(tf.split(f, inputs.length, 0), 1) as tf.Tensor2D);
}
