import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { AugmentOptions, augmentBatch } from '../transforms/augment';
import { jigsawTiles, reassembleTiles } from '../pretext/jigsaw';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { projectionHead } from '../models/projection-head';
import { MemoryBank } from '../objectives/memory-bank';
import { nceLoss } from '../objectives/nce';
import { TrainTask } from '../train/train-loop';

/** Options of {@link pirlTask}; defaults are the paper's (Misra & van der Maaten 2020, section 4). */
export interface PirlOptions {
  /** Memory-bank negatives per step (default 4096, capped by the bank minus the batch). */
  negatives?: number;
  /** NCE temperature (default 0.07). */
  temperature?: number;
  /** Weight λ of the jigsaw term; the image term gets 1 - λ (default 0.5, eq. 5). */
  lambda?: number;
  /** Memory-bank momentum (default 0.5). */
  bankMomentum?: number;
  /** Embedding size (default 128). */
  projDim?: number;
  /** Jigsaw tiles per side (default 3) and tile side (default 9: a 30x30 crop in 10x10 cells). */
  grid?: number;
  tileSize?: number;
  /** Augmentation of the image view and of the image the tiles are cut from. */
  views?: AugmentOptions;
}

/** What {@link pirlTask} returns. */
export interface PirlParts {
  task: TrainTask;
  /** f: the image branch's projection head. */
  head: Head;
  /** g: the jigsaw branch's head, on the concatenated tile features `[b, grid² · featureDim]`. */
  tileHead: Head;
  bank: MemoryBank;
  dispose(): void;
}

/** One uniformly random permutation of the `grid²` tiles per image (PIRL draws from all of them). */
function randomTilePermutations(b: number, tiles: number, rng: Rng): Int32Array[] {
  return Array.from({ length: b }, () => rng.permutation(tiles));
}

/**
 * PIRL, Pretext-Invariant Representation Learning (Misra & van der Maaten 2020): the image I and
 * its jigsaw-transformed version I^t should have close embeddings. f is the backbone + a projection
 * head on the (augmented) image; g embeds each of the grid² shuffled tiles with the same backbone,
 * concatenates the tile features and projects them. With m_I the memory-bank row of I and
 * negatives drawn from the bank, the loss is (eq. 5)
 * `L = λ · L_NCE(m_I, g(v_{I^t})) + (1 - λ) · L_NCE(m_I, f(v_I))`,
 * and m_I then moves towards f(v_I) with momentum. `correct` counts jigsaw views whose own
 * bank row beats every negative.
 */
export function pirlTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: PirlOptions = {}): PirlParts {
  const t = opts.temperature ?? 0.07;
  const lambda = opts.lambda ?? 0.5;
  const m = opts.bankMomentum ?? 0.5;
  const projDim = opts.projDim ?? 128;
  const grid = opts.grid ?? 3;
  const tileSize = opts.tileSize ?? 9;
  const wanted = opts.negatives ?? 4096;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`pirlTask: lambda must be in [0, 1], got ${lambda}`);
  if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError(`pirlTask: negatives must be a positive integer, got ${wanted}`);
  const g2 = grid * grid;
  const head = projectionHead(backbone.featureDim, rng.fork('pirl-f'), { outDim: projDim });
  const tileHead = projectionHead(g2 * backbone.featureDim, rng.fork('pirl-g'), { outDim: projDim, hidden: 2 * backbone.featureDim });
  const bank = new MemoryBank(set.n, projDim, rng.fork('pirl-bank'), { datasetSize: set.n, name: 'pirl-bank' });
  const task: TrainTask = {
    name: 'pirl',
    stores: [backbone.params, head.params, tileHead.params, bank.params],
    size: set.n,
    imagesPerExample: 1 + g2,
    step(indices, stepRng) {
      const b = indices.length;
      const k = Math.min(wanted, set.n - b);
      const x = toTensor(set, indices);
      const fI = head.apply(backbone.apply(augmentBatch(x, stepRng.fork('image'), opts.views), { training: true }).features);
      const perms = randomTilePermutations(b, g2, stepRng.fork('perms'));
      const permIndex = Int32Array.from({ length: b }, (_, i) => i);
      const tiles = jigsawTiles(augmentBatch(x, stepRng.fork('jigsaw-view'), opts.views), grid, tileSize, perms, permIndex, stepRng.fork('tiles'));
      const tileFeatures = backbone.apply(tiles, { training: true }).features; // [b * g2, d]
      const gI = tileHead.apply(tf.reshape(tileFeatures, [b, g2 * backbone.featureDim]) as tf.Tensor2D);
      const pos = bank.rows(indices);
      const neg = bank.rows(bank.sampleNegatives(k, stepRng.fork('negatives'), indices));
      const jig = nceLoss(gI, pos, neg, { temperature: t });
      const img = nceLoss(fI, pos, neg, { temperature: t });
      const loss = tf.add(tf.mul(jig.loss, lambda), tf.mul(img.loss, 1 - lambda)) as tf.Scalar;
      bank.momentumUpdate(indices, fI, m);
      return { loss, correct: jig.correct, count: b };
    },
  };
  return { task, head, tileHead, bank, dispose: () => bank.dispose() };
}

/**
 * How invariant a backbone's features are to the jigsaw transform: for each image, the cosine
 * distance between the features of its tiles stitched back in place and of the same tiles
 * stitched in a random order (`same`), and, as the scale, between the in-place features of
 * different images (`other`, image i against image i+1). Tiles are cut without jitter, so the
 * two versions differ only in the tiles' order.
 * @returns `same` `[n]` distances and the mean distance between different images
 */
export function jigsawDistances(backbone: Backbone, set: ImageSet, rng: Rng, opts: { grid?: number; tileSize?: number; batchSize?: number } = {}): { same: Float32Array; other: number } {
  const grid = opts.grid ?? 3;
  const tileSize = opts.tileSize ?? 9;
  const bs = opts.batchSize ?? 256;
  const g2 = grid * grid;
  const same = new Float32Array(set.n);
  const inPlace: tf.Tensor2D[] = [];
  for (let s = 0; s < set.n; s += bs) {
    const idx = Int32Array.from({ length: Math.min(bs, set.n - s) }, (_, i) => s + i);
    const b = idx.length;
    const perms = [Int32Array.from({ length: g2 }, (_, i) => i), ...randomTilePermutations(b, g2, rng.fork(`perm:${s}`))];
    const [fa, d] = tf.tidy(() => {
      const x = toTensor(set, idx);
      const ident = new Int32Array(b);
      const shuffled = Int32Array.from({ length: b }, (_, i) => i + 1);
      const tilesA = jigsawTiles(x, grid, tileSize, perms, ident, rng, { jitter: false });
      const tilesB = jigsawTiles(x, grid, tileSize, perms, shuffled, rng, { jitter: false });
      const a = backbone.apply(reassembleTiles(tilesA, grid, perms, ident), { training: false }).features;
      // reassembling tilesB as if unshuffled leaves them in their shuffled positions
      const j = backbone.apply(reassembleTiles(tilesB, grid, perms, ident), { training: false }).features;
      const na = tf.div(a, tf.add(tf.norm(a, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
      const nj = tf.div(j, tf.add(tf.norm(j, 'euclidean', 1, true), 1e-12));
      return [na, tf.sub(1, tf.sum(tf.mul(na, nj), 1))];
    });
    same.set(d.dataSync() as Float32Array, s);
    d.dispose();
    inPlace.push(fa);
  }
  const all = tf.concat(inPlace, 0);
  inPlace.forEach((t) => t.dispose());
  const other = tf.tidy(() => {
    const shifted = tf.concat([tf.slice(all, [1, 0], [-1, -1]), tf.slice(all, [0, 0], [1, -1])], 0);
    return tf.mean(tf.sub(1, tf.sum(tf.mul(all, shifted), 1))).dataSync()[0];
  });
  all.dispose();
  return { same, other };
}
