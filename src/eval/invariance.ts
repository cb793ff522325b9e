import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { AugmentOptions, augmentBatch } from '../transforms/augment';
import { jigsawTiles, reassembleTiles } from '../pretext/jigsaw';
import { rotate90 } from '../pretext/rotation';
import { Backbone } from '../models/conv-net';

/**
 * The transforms whose invariance {@link invarianceScores} measures, by the names the results
 * contract uses (`<encoder>.invariance.<transform>`):
 * - `jigsaw`: the centred 3x3-tile crop with its tiles shuffled by a random non-identity
 *   permutation (compared with the same crop, tiles in place; PIRL's I^t, Misra & van der Maaten 2020);
 * - `rotation`: a turn by 90, 180 or 270 degrees, drawn per image (Gidaris et al. 2018);
 * - `colour_jitter`: brightness, contrast, saturation (0.4) and hue (0.1) jitter, always applied;
 * - `crop`: a random resized crop of 20-100% of the area, aspect 3:4 to 4:3, no mirror;
 * - `greyscale`: the image turned grey (luma), kept as 3 channels.
 * The last three are SimCLR's augmentations (`augmentBatch`) with one part switched on.
 */
export const INVARIANCE_TRANSFORMS = ['jigsaw', 'rotation', 'colour_jitter', 'crop', 'greyscale'] as const;

/** A transform of {@link INVARIANCE_TRANSFORMS}. */
export type InvarianceTransform = (typeof INVARIANCE_TRANSFORMS)[number];

const NO_AUGMENT: AugmentOptions = { scale: [1, 1], ratio: [1, 1], flip: 0, jitterProb: 0, greyProb: 0 };
const AUGMENT_ONLY: Record<'colour_jitter' | 'crop' | 'greyscale', AugmentOptions> = {
  colour_jitter: { ...NO_AUGMENT, jitterProb: 1 },
  crop: { ...NO_AUGMENT, scale: [0.2, 1], ratio: [3 / 4, 4 / 3] },
  greyscale: { ...NO_AUGMENT, greyProb: 1 },
};

/** Check a transform name; throws a RangeError listing the known ones. */
export function checkTransform(name: string): InvarianceTransform {
  if (!(INVARIANCE_TRANSFORMS as readonly string[]).includes(name)) {
    throw new RangeError(`unknown invariance transform "${name}"; known: ${INVARIANCE_TRANSFORMS.join(', ')}`);
  }
  return name as InvarianceTransform;
}

/** A uniformly random permutation of 0..n-1 that is not the identity (n >= 2). */
function nonIdentityPermutation(n: number, rng: Rng): Int32Array {
  for (;;) {
    const p = Int32Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [p[i], p[j]] = [p[j], p[i]];
    }
    if (p.some((v, i) => v !== i)) return p;
  }
}

/**
 * A batch and its transformed version, pixel for pixel comparable: `reference` is what the
 * encoder sees untransformed (the images themselves, or for `jigsaw` the centred crop with the
 * tiles in place) and `transformed` is `t(reference)`. Every random choice comes from `rng`.
 * @param x `[b, h, w, c]` images in [0, 1] (square for `rotation`; at least 3x3 pixels for `jigsaw`)
 * @returns two `[b, h', w', c]` tensors (the caller owns them)
 */
export function transformPair(x: tf.Tensor4D, transform: InvarianceTransform, rng: Rng): { reference: tf.Tensor4D; transformed: tf.Tensor4D } {
  const t = checkTransform(transform);
  const [b, h, w] = x.shape;
  if (t === 'jigsaw') {
    const grid = 3;
    const cell = Math.floor(Math.min(h, w) / grid);
    if (cell < 1) throw new RangeError(`transformPair: jigsaw needs images of at least 3x3 pixels, got ${h}x${w}`);
    const perms = [Int32Array.from({ length: grid * grid }, (_, i) => i), ...Array.from({ length: b }, () => nonIdentityPermutation(grid * grid, rng))];
    const ident = new Int32Array(b);
    const shuffled = Int32Array.from({ length: b }, (_, i) => i + 1);
    return tf.tidy(() => {
      const inPlace = jigsawTiles(x, grid, cell, perms, ident, rng, { jitter: false });
      const moved = jigsawTiles(x, grid, cell, perms, shuffled, rng, { jitter: false });
      // reassembling the shuffled tiles as if unshuffled leaves them where the permutation put them
      return { reference: reassembleTiles(inPlace, grid, perms, ident), transformed: reassembleTiles(moved, grid, perms, ident) };
    });
  }
  if (t === 'rotation') {
    const k = Int32Array.from({ length: b }, () => 1 + rng.int(3));
    return tf.tidy(() => {
      const all = tf.concat([1, 2, 3].map((r) => rotate90(x, r)), 0);
      const pick = tf.tensor1d(Int32Array.from(k, (r, i) => (r - 1) * b + i), 'int32');
      return { reference: x.clone(), transformed: tf.gather(all, pick) as tf.Tensor4D };
    });
  }
  return { reference: x.clone(), transformed: augmentBatch(x, rng, AUGMENT_ONLY[t]) };
}

/** One transform's invariance, from {@link invarianceScores}. */
export interface InvarianceRow {
  transform: InvarianceTransform;
  /** Mean cosine similarity of f(x) and f(t(x)) over the images. */
  positive: number;
  /** Mean cosine similarity of f(x) and f(y) over random pairs of different images. */
  negative: number;
  /**
   * `(positive - negative) / (1 - negative)`: 1 when t leaves the features unchanged, 0 when
   * t(x) is as far from x as an unrelated image is, negative when further (NaN if all images
   * share one feature direction, `negative` = 1).
   */
  score: number;
}

/** Options of {@link invarianceScores}. */
export interface InvarianceOptions {
  /** Transforms to measure (default all of {@link INVARIANCE_TRANSFORMS}). */
  transforms?: readonly string[];
  /** Images per forward pass (default 256). */
  batchSize?: number;
}

/** `[b, d]` L2-normalised features of `x` (inference mode), as a flat Float32Array. */
function unitFeatures(backbone: Backbone, x: tf.Tensor4D): Float32Array {
  return tf.tidy(() => {
    const f = backbone.apply(x, { training: false }).features;
    return tf.div(f, tf.add(tf.norm(f, 'euclidean', 1, true), 1e-12)).dataSync() as Float32Array;
  });
}

function dot(a: Float32Array, i: number, b: Float32Array, j: number, d: number): number {
  let s = 0;
  for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
  return s;
}

/**
 * How invariant a frozen backbone's features are to each transform: for every image x of `set`,
 * the cosine similarity of f(x) and f(t(x)) (`positive`), against the mean cosine similarity of
 * f(x) and f(y) for unrelated images (`negative`: n random pairs of different images, a random
 * cycle through the set) as the scale, combined as `(positive - negative) / (1 - negative)`.
 * The scale matters: ReLU features of any two images have a positive cosine, so a raw
 * similarity says little by itself (the lecture's invariance axis, Misra & van der Maaten 2020,
 * fig. 1; the measure is in the spirit of Goodfellow et al. 2009, "Measuring invariances in
 * deep networks"). Each transform draws from its own stream `rng.fork(transform)`, so adding a
 * transform does not change the others' numbers. Leaves no tensors behind.
 * @param set at least 2 images
 */
export function invarianceScores(backbone: Backbone, set: ImageSet, rng: Rng, opts: InvarianceOptions = {}): InvarianceRow[] {
  const transforms = (opts.transforms ?? INVARIANCE_TRANSFORMS).map(checkTransform);
  const bs = opts.batchSize ?? 256;
  if (!Number.isInteger(bs) || bs < 1) throw new RangeError(`invarianceScores: batchSize must be a positive integer, got ${bs}`);
  if (set.n < 2) throw new RangeError(`invarianceScores: need at least 2 images to compare unrelated pairs, "${set.name}" has ${set.n}`);
  const n = set.n;
  // a random cycle through the set: image order[i] is paired with order[i + 1]
  const order = Int32Array.from({ length: n }, (_, i) => i);
  const pairRng = rng.fork('pairs');
  for (let i = n - 1; i > 0; i--) {
    const j = pairRng.int(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return transforms.map((t) => {
    const tRng = rng.fork(t);
    let ref = new Float32Array(0);
    let d = 0; // the feature length (a toy encoder's may depend on the input size)
    let positive = 0;
    for (let s = 0; s < n; s += bs) {
      const idx = Int32Array.from({ length: Math.min(bs, n - s) }, (_, i) => s + i);
      const x = toTensor(set, idx);
      const pair = transformPair(x, t, tRng.fork(`batch${s}`));
      x.dispose();
      const fa = unitFeatures(backbone, pair.reference);
      const fb = unitFeatures(backbone, pair.transformed);
      pair.reference.dispose();
      pair.transformed.dispose();
      if (s === 0) {
        d = fa.length / idx.length;
        ref = new Float32Array(n * d);
      }
      ref.set(fa, s * d);
      for (let i = 0; i < idx.length; i++) positive += dot(fa, i, fb, i, d);
    }
    positive /= n;
    let negative = 0;
    for (let i = 0; i < n; i++) negative += dot(ref, order[i], ref, order[(i + 1) % n], d);
    negative /= n;
    const score = 1 - negative > 1e-6 ? (positive - negative) / (1 - negative) : NaN;
    return { transform: t, positive, negative, score };
  });
}

/** Mean of the finite scores of some {@link InvarianceRow}s (NaN if none). */
export function meanInvariance(rows: InvarianceRow[]): number {
  const v = rows.map((r) => r.score).filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
}

/** One encoder's place in the invariance-vs-performance plane. */
export interface PlanePoint {
  encoder: string;
  /** Mean invariance score (x axis). */
  invariance: number;
  /** Linear-probe accuracy (y axis). */
  linear: number;
}

/** The lecture's ordering on one axis: mean of the pretext encoders, ClusterFit, PIRL. */
export interface OrderOnAxis {
  pretext: number;
  clusterfit: number;
  pirl: number;
  /** pretext < clusterfit < pirl. */
  holds: boolean;
}

/** Encoders the lecture's figure calls pretext tasks. */
export const PRETEXT_ENCODERS = ['rotation', 'relative_position', 'jigsaw', 'colourisation', 'inpainting'];

/**
 * Does the lecture's order (Misra's slide "pretext < ClusterFit < PIRL", both in invariance and
 * in accuracy) hold for these measurements? The pretext value is the mean over the
 * {@link PRETEXT_ENCODERS} present. Undefined when the points lack pretext encoders, ClusterFit or PIRL.
 */
export function lectureOrder(points: PlanePoint[]): { invariance: OrderOnAxis; linear: OrderOnAxis } | undefined {
  const pre = points.filter((p) => PRETEXT_ENCODERS.includes(p.encoder));
  const cf = points.find((p) => p.encoder === 'clusterfit');
  const pirl = points.find((p) => p.encoder === 'pirl');
  if (!pre.length || !cf || !pirl) return undefined;
  const axis = (k: 'invariance' | 'linear'): OrderOnAxis => {
    const pretext = pre.reduce((a, p) => a + p[k], 0) / pre.length;
    return { pretext, clusterfit: cf[k], pirl: pirl[k], holds: pretext < cf[k] && cf[k] < pirl[k] };
  };
  return { invariance: axis('invariance'), linear: axis('linear') };
}

/**
 * Spearman rank correlation of two equally long series (ties get their mean rank); NaN for
 * fewer than 3 values or a constant series.
 */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`spearman: series of ${a.length} and ${b.length} values`);
  const n = a.length;
  if (n < 3) return NaN;
  const rank = (v: ArrayLike<number>) => {
    const ix = Array.from({ length: n }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(n);
    for (let s = 0; s < n; ) {
      let e = s;
      while (e + 1 < n && v[ix[e + 1]] === v[ix[s]]) e++;
      for (let k = s; k <= e; k++) r[ix[k]] = (s + e) / 2;
      s = e + 1;
    }
    return r;
  };
  const ra = rank(a);
  const rb = rank(b);
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : NaN;
}
