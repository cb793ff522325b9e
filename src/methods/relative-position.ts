import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { randomCropFlip } from '../transforms/crop-flip';
import { PatchGridOptions, relativePositionPatches } from '../pretext/relative-position';
import { PatchColourMode, patchColour } from '../pretext/patch-colour';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { SiameseClassifier, siameseClassifier } from '../models/siamese';
import { crossEntropy } from '../objectives/cross-entropy';
import { TrainTask } from '../train/train-loop';

/** Options of {@link relativePositionTask}: the patch grid, the colour treatment and the head. */
export interface RelativePositionOptions extends PatchGridOptions {
  /** Mirror each image left-right (with probability 1/2) before cutting patches (default true). */
  augment?: boolean;
  /** Per-patch colour treatment against the chromatic-aberration shortcut (default `jitter`). */
  colour?: PatchColourMode;
  /** Strength of the `jitter` colour treatment (default 0.4). */
  colourStrength?: number;
  /** Hidden width of the fusion MLP (default: see `siameseClassifier`). */
  hidden?: number;
}

/**
 * Relative position of patches (Doersch, Gupta & Efros 2015, "Unsupervised Visual
 * Representation Learning by Context Prediction"): for each image, the centre patch of a 3x3
 * grid (with gaps and jitter) and one of its 8 neighbours, drawn uniformly, go through the same
 * backbone; their concatenated features feed an MLP that names the neighbour (8-way). Every
 * patch gets its own colour treatment (`colour`) so the network cannot match colour fringes.
 * The backbone trains on patches and, having global average pooling, embeds whole images later.
 * @returns the task, the fusion head (inDim `2 * featureDim`) and the Siamese model
 */
export function relativePositionTask(
  backbone: Backbone,
  set: ImageSet,
  rng: Rng,
  opts: RelativePositionOptions = {},
): { task: TrainTask; head: Head; model: SiameseClassifier } {
  const model = siameseClassifier(backbone, 2, 8, rng.fork('relative-position-head'), { hidden: opts.hidden });
  const augment = opts.augment ?? true;
  const colour = opts.colour ?? 'jitter';
  const grid: PatchGridOptions = { patch: opts.patch, gap: opts.gap, jitter: opts.jitter };
  const task: TrainTask = {
    name: 'relative_position',
    stores: [backbone.params, model.head.params],
    size: set.n,
    imagesPerExample: 2,
    step(indices, stepRng) {
      const x = randomCropFlip(set, indices, stepRng, { pad: 0, flip: augment });
      const lab = Int32Array.from(indices, () => stepRng.int(8));
      const { patches } = relativePositionPatches(x, lab, stepRng, grid);
      const input = patchColour(patches, colour, stepRng, opts.colourStrength);
      const labels = tf.tensor1d(lab, 'int32');
      const { loss, correct } = crossEntropy(model.apply(input, { training: true }), labels);
      return { loss, correct, count: indices.length };
    },
  };
  return { task, head: model.head, model };
}
