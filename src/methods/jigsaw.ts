import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { randomCropFlip } from '../transforms/crop-flip';
import { hammingPermutations, jigsawTiles } from '../pretext/jigsaw';
import { PatchColourMode, patchColour } from '../pretext/patch-colour';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { SiameseClassifier, siameseClassifier } from '../models/siamese';
import { crossEntropy } from '../objectives/cross-entropy';
import { TrainTask } from '../train/train-loop';

/** Options of {@link jigsawTask}. */
export interface JigsawTaskOptions {
  /** The permutation set, or its size for a maximal-Hamming-distance set drawn from `rng` (default 100). */
  permutations?: Int32Array[] | number;
  /** Tiles per side (default 3). */
  grid?: number;
  /** Side of a tile in pixels (default 9: a 30x30 crop of a CIFAR image in 10x10 cells, 1 pixel of jitter). */
  tileSize?: number;
  /** Side of the random crop cut into cells (default: the largest multiple of `grid` in the image). */
  crop?: number;
  /** Mirror each image left-right (with probability 1/2) before cutting (default true). */
  augment?: boolean;
  /** Per-tile colour treatment (default `jitter`). */
  colour?: PatchColourMode;
  /** Strength of the `jitter` colour treatment (default 0.4). */
  colourStrength?: number;
  /** Hidden width of the fusion MLP (default: see `siameseClassifier`). */
  hidden?: number;
  /**
   * Permutation curriculum (default 0: none): over the first `curriculum` fraction of the run,
   * puzzles are drawn from a growing prefix of the set (see {@link activePermutations}), from
   * `min(10, size)` up to the whole set; the head is always `size`-way. A greedy maximal-Hamming
   * set's prefix is itself a well-spread set, so the network meets far-apart permutations first.
   */
  curriculum?: number;
}

/**
 * How many permutations of a `size`-permutation set are drawn from at fraction `progress` in [0, 1)
 * of a run with a `curriculum`-fraction curriculum: `min(10, size)` at the start, growing
 * geometrically to `size` at `progress = curriculum`, `size` after it (and always when
 * `curriculum` is 0).
 */
export function activePermutations(size: number, progress: number, curriculum: number): number {
  if (!(Number.isInteger(size) && size >= 2)) throw new RangeError(`activePermutations: size must be an integer >= 2, got ${size}`);
  if (!(curriculum >= 0 && curriculum <= 1)) throw new RangeError(`activePermutations: curriculum must be a fraction of the run in [0, 1], got ${curriculum}`);
  const start = Math.min(10, size);
  if (curriculum === 0 || progress >= curriculum) return size;
  const f = Math.max(0, progress) / curriculum;
  return Math.min(size, Math.max(start, Math.round(start * (size / start) ** f)));
}

/**
 * Jigsaw puzzles (Noroozi & Favaro 2016, "Unsupervised Learning of Visual Representations by
 * Solving Jigsaw Puzzles"): each image's random crop is cut into `grid x grid` tiles (each at a
 * random offset in its cell), shuffled by a permutation drawn uniformly from the set, and the
 * shared-weight backbone embeds every tile; the concatenation (in shuffled order) feeds an MLP
 * that names the permutation (`permutations.length`-way).
 * @returns the task, the fusion head, the Siamese model and the permutation set used
 */
export function jigsawTask(
  backbone: Backbone,
  set: ImageSet,
  rng: Rng,
  opts: JigsawTaskOptions = {},
): { task: TrainTask; head: Head; model: SiameseClassifier; permutations: Int32Array[] } {
  const grid = opts.grid ?? 3;
  const p = opts.permutations ?? 100;
  const perms = typeof p === 'number' ? hammingPermutations(p, rng.fork('jigsaw-permutations'), { tiles: grid * grid }) : p;
  if (perms.length < 2) throw new RangeError(`jigsawTask: the permutation set needs at least 2 permutations, got ${perms.length}`);
  const tileSize = opts.tileSize ?? 9;
  const g2 = grid * grid;
  const model = siameseClassifier(backbone, g2, perms.length, rng.fork('jigsaw-head'), { hidden: opts.hidden });
  const augment = opts.augment ?? true;
  const colour = opts.colour ?? 'jitter';
  const curriculum = opts.curriculum ?? 0;
  activePermutations(perms.length, 0, curriculum); // checks the option now, not at the first step
  const task: TrainTask = {
    name: 'jigsaw',
    stores: [backbone.params, model.head.params],
    size: set.n,
    imagesPerExample: g2,
    step(indices, stepRng, at) {
      const x = randomCropFlip(set, indices, stepRng, { pad: 0, flip: augment });
      const active = at && curriculum > 0 ? activePermutations(perms.length, at.step / at.totalSteps, curriculum) : perms.length;
      const permIndex = Int32Array.from(indices, () => stepRng.int(active));
      const tiles = jigsawTiles(x, grid, tileSize, perms, permIndex, stepRng, { crop: opts.crop });
      const input = patchColour(tiles, colour, stepRng, opts.colourStrength);
      const labels = tf.tensor1d(permIndex, 'int32');
      const { loss, correct } = crossEntropy(model.apply(input, { training: true }), labels);
      return { loss, correct, count: indices.length };
    },
  };
  return { task, head: model.head, model, permutations: perms };
}
