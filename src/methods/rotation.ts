import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { randomCropFlip } from '../transforms/crop-flip';
import { rotate90, rotationBatch } from '../pretext/rotation';
import { toTensor } from '../data/to-tensor';
import { Backbone } from '../models/conv-net';
import { Head, linearHead } from '../models/linear-head';
import { mlpHead } from '../models/mlp-head';
import { crossEntropy } from '../objectives/cross-entropy';
import { TrainTask } from '../train/train-loop';

/**
 * Rotation prediction (Gidaris, Singh & Komodakis 2018, "Unsupervised representation learning
 * by predicting image rotations"): every image is shown at 0, 90, 180 and 270 degrees and the
 * network classifies which rotation it sees (4-way). Labels come from the data itself.
 * The task optimises the backbone and a 4-way head (linear, or a 2-layer MLP with `head: 'mlp'`);
 * `head` is returned for inspection.
 */
export function rotationTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: { augment?: boolean; head?: 'linear' | 'mlp' } = {}): { task: TrainTask; head: Head } {
  if (set.height !== set.width) throw new Error(`rotationTask: "${set.name}" images are ${set.height}x${set.width}; rotation needs square images`);
  const head =
    opts.head === 'mlp'
      ? mlpHead(backbone.featureDim, backbone.featureDim * 2, 4, rng.fork('rotation-head'))
      : linearHead(backbone.featureDim, 4, rng.fork('rotation-head'));
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

/**
 * Predicted rotation of every image of `set` in each of its four rotations, image-major:
 * entry `4 * i + k` is the prediction for image i turned by `ROTATIONS[k]` (the layout
 * `rotationGridFigure` takes).
 */
export function predictRotationGrid(backbone: Backbone, head: Head, set: ImageSet): Int32Array {
  const x = toTensor(set);
  const out = new Int32Array(set.n * 4);
  for (let k = 0; k < 4; k++) {
    const r = rotate90(x, k);
    const p = predictRotation(backbone, head, r);
    r.dispose();
    p.forEach((v, i) => (out[4 * i + k] = v));
  }
  x.dispose();
  return out;
}
