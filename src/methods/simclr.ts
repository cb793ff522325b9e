import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { AugmentOptions, augmentBatch } from '../transforms/augment';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { projectionHead } from '../models/projection-head';
import { ntXent } from '../objectives/nt-xent';
import { TrainTask } from '../train/train-loop';

/** Options of {@link simclrTask}. */
export interface SimclrOptions {
  /** NT-Xent temperature (default 0.2). */
  temperature?: number;
  /** Projection size (default 128). */
  projDim?: number;
  /** The augmentation of both views (default: {@link augmentBatch}'s SimCLR recipe). */
  views?: AugmentOptions;
}

/**
 * Two augmented views of the images at `indices`, drawn from independent streams of `rng`.
 * @returns `[2b, h, w, c]`: rows 0..b-1 the first views, rows b..2b-1 the second views
 */
export function twoViews(set: ImageSet, indices: Int32Array, rng: Rng, views: AugmentOptions = {}): tf.Tensor4D {
  return tf.tidy(() => {
    const x = toTensor(set, indices);
    return tf.concat([augmentBatch(x, rng.fork('view1'), views), augmentBatch(x, rng.fork('view2'), views)], 0) as tf.Tensor4D;
  });
}

/**
 * SimCLR (Chen, Kornblith, Norouzi & Hinton 2020, "A simple framework for contrastive learning of
 * visual representations", Algorithm 1): two augmented views of every image go through the same
 * backbone and projection head; NT-Xent pulls each pair together against the other 2b - 2 views
 * of the batch, so the number of negatives is set by the batch size. Both views share one
 * forward pass (batch-norm statistics over all 2b views). Returns the projection head.
 */
export function simclrTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: SimclrOptions = {}): { task: TrainTask; head: Head } {
  const t = opts.temperature ?? 0.2;
  if (!(t > 0)) throw new RangeError(`simclrTask: temperature must be positive, got ${t}`);
  const head = projectionHead(backbone.featureDim, rng.fork('simclr-head'), { outDim: opts.projDim ?? 128 });
  const task: TrainTask = {
    name: 'simclr',
    stores: [backbone.params, head.params],
    size: set.n,
    imagesPerExample: 2,
    step(indices, stepRng) {
      const b = indices.length;
      const x = twoViews(set, indices, stepRng, opts.views);
      const z = head.apply(backbone.apply(x, { training: true }).features);
      const { loss, correct } = ntXent(tf.slice(z, [0, 0], [b, -1]), tf.slice(z, [b, 0], [b, -1]), t);
      return { loss, correct, count: 2 * b };
    },
  };
  return { task, head };
}
