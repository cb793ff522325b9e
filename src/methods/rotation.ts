import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { randomCropFlip } from '../transforms/crop-flip';
import { rotationBatch } from '../pretext/rotation';
import { Backbone } from '../models/conv-net';
import { Head, linearHead } from '../models/linear-head';
import { crossEntropy } from '../objectives/cross-entropy';
import { TrainTask } from '../train/train-loop';

/**
 * Rotation prediction (Gidaris, Singh & Komodakis 2018, "Unsupervised representation learning
 * by predicting image rotations"): every image is shown at 0, 90, 180 and 270 degrees and the
 * network classifies which rotation it sees (4-way). Labels come from the data itself.
 * The task optimises the backbone and a 4-way linear head; `head` is returned for inspection.
 */
export function rotationTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: { augment?: boolean } = {}): { task: TrainTask; head: Head } {
  if (set.height !== set.width) throw new Error(`rotationTask: "${set.name}" images are ${set.height}x${set.width}; rotation needs square images`);
  const head = linearHead(backbone.featureDim, 4, rng.fork('rotation-head'));
  const augment = opts.augment ?? true;
  const task: TrainTask = {
    name: 'rotation',
    stores: [backbone.params, head.params],
    size: set.n,
    imagesPerExample: 4,
    step(indices, stepRng) {
      const x = randomCropFlip(set, indices, stepRng, augment ? {} : { pad: 0, flip: false });
      const { inputs, labels } = rotationBatch(x);
      const { features } = backbone.apply(inputs, { training: true });
      const { loss, correct } = crossEntropy(head.apply(features), labels);
      return { loss, correct, count: labels.shape[0] };
    },
  };
  return { task, head };
}

/**
 * Predicted rotation (0..3) of each image of `x` `[batch, s, s, c]`, for figures.
 * @returns `[batch]` predicted indices into ROTATIONS
 */
export function predictRotation(backbone: Backbone, head: Head, x: tf.Tensor4D): Int32Array {
  const p = tf.tidy(() => tf.argMax(head.apply(backbone.apply(x).features), 1));
  const out = Int32Array.from(p.dataSync());
  p.dispose();
  return out;
}
