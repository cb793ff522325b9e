import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { Backbone } from './conv-net';
import { Head } from './linear-head';
import { mlpHead } from './mlp-head';

/**
 * A Siamese classifier with late fusion: one backbone with shared weights embeds each of the
 * `parts` inputs of an example (2 patches for relative position, Doersch et al. 2015; 9 tiles for
 * jigsaw, Noroozi & Favaro 2016), the `parts` feature vectors are concatenated in order, and an
 * MLP head classifies the concatenation.
 */
export interface SiameseClassifier {
  readonly backbone: Backbone;
  /** The fusion head, `[batch, parts * featureDim] -> [batch, classes]`. */
  readonly head: Head;
  readonly parts: number;
  /**
   * @param x `[batch * parts, h, w, c]`, part-major per example: rows `b*parts .. b*parts + parts - 1`
   *   are example b's parts in order
   * @returns `[batch, classes]` logits
   */
  apply(x: tf.Tensor4D, opts?: { training?: boolean }): tf.Tensor2D;
}

/**
 * Build a {@link SiameseClassifier} over `backbone` (which it does not own: dispose the backbone's
 * and the head's params separately).
 * @param hidden width of the head's hidden layer (default `2 * parts * featureDim`, at most 1024)
 */
export function siameseClassifier(backbone: Backbone, parts: number, classes: number, rng: Rng, opts: { hidden?: number } = {}): SiameseClassifier {
  if (!Number.isInteger(parts) || parts < 1) throw new RangeError(`siameseClassifier: parts must be a positive integer, got ${parts}`);
  const inDim = parts * backbone.featureDim;
  const hidden = opts.hidden ?? Math.min(1024, 2 * inDim);
  const head = mlpHead(inDim, hidden, classes, rng.fork('siamese-head'));
  return {
    backbone,
    head,
    parts,
    apply(x, o = {}) {
      if (x.shape[0] % parts !== 0) throw new RangeError(`siameseClassifier.apply: ${x.shape[0]} inputs is not a multiple of parts = ${parts}`);
      const f = backbone.apply(x, o).features;
      return head.apply(tf.reshape(f, [x.shape[0] / parts, inDim]) as tf.Tensor2D);
    },
  };
}
