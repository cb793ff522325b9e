import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';

/**
 * Masks of the context-encoder pretext task (Pathak et al. 2016, "Context encoders: feature
 * learning by inpainting", section 3.3): hide a region of the image and predict it from the rest.
 * `centre`: one central square (the paper: a quarter of the image area); `random-blocks`: several
 * smaller, possibly overlapping squares at random places, covering about `coverage` of the image
 * (the paper found these give better features: no fixed boundary to latch on to).
 */
export type MaskKind = 'centre' | 'random-blocks';

/** Options of {@link inpaintingMask}. */
export interface MaskOptions {
  kind: MaskKind;
  /** Side of the centre square (default half the image side: a quarter of the area). */
  hole?: number;
  /** Side of each random block (default a quarter of the image side). */
  blockSize?: number;
  /** Fraction of pixels the random blocks cover at least (default 0.25, as the centre square). */
  coverage?: number;
}

export const MASK_KINDS: readonly MaskKind[] = ['centre', 'random-blocks'];

/**
 * The centre-square mask of an `h x w` image: 1 where hidden.
 * @returns `[h * w]` bytes, row-major
 */
export function centreMask(h: number, w: number, hole = Math.floor(Math.min(h, w) / 2)): Uint8Array {
  if (!(Number.isInteger(hole) && hole >= 1 && hole <= Math.min(h, w))) throw new RangeError(`centreMask: hole must be an integer in 1..${Math.min(h, w)}, got ${hole}`);
  const m = new Uint8Array(h * w);
  const y0 = Math.floor((h - hole) / 2);
  const x0 = Math.floor((w - hole) / 2);
  for (let y = y0; y < y0 + hole; y++) m.fill(1, y * w + x0, y * w + x0 + hole);
  return m;
}

/**
 * A random-blocks mask: squares of side `blockSize` at uniform random positions (inside the
 * image), added until at least `coverage` of the pixels are hidden.
 * @returns `[h * w]` bytes, 1 where hidden
 */
export function randomBlockMask(h: number, w: number, rng: Rng, blockSize = Math.max(1, Math.floor(Math.min(h, w) / 4)), coverage = 0.25): Uint8Array {
  if (!(Number.isInteger(blockSize) && blockSize >= 1 && blockSize <= Math.min(h, w))) throw new RangeError(`randomBlockMask: blockSize must be an integer in 1..${Math.min(h, w)}, got ${blockSize}`);
  if (!(coverage > 0 && coverage <= 0.9)) throw new RangeError(`randomBlockMask: coverage must be in (0, 0.9], got ${coverage}`);
  const m = new Uint8Array(h * w);
  let hidden = 0;
  const target = coverage * h * w;
  while (hidden < target) {
    const y0 = rng.int(h - blockSize + 1);
    const x0 = rng.int(w - blockSize + 1);
    for (let y = y0; y < y0 + blockSize; y++) {
      for (let x = x0; x < x0 + blockSize; x++) {
        if (!m[y * w + x]) {
          m[y * w + x] = 1;
          hidden++;
        }
      }
    }
  }
  return m;
}

/** One mask of the given kind; `rng` is used by `random-blocks` only. */
export function inpaintingMask(h: number, w: number, rng: Rng, opts: MaskOptions): Uint8Array {
  switch (opts.kind) {
    case 'centre':
      return centreMask(h, w, opts.hole);
    case 'random-blocks':
      return randomBlockMask(h, w, rng, opts.blockSize, opts.coverage);
    default:
      throw new RangeError(`inpaintingMask: kind must be one of ${MASK_KINDS.join(', ')}, got "${(opts as { kind: string }).kind}"`);
  }
}

/** Per-channel mean of a set's pixels in [0, 1] (the fill of hidden regions). */
export function channelMeans(set: ImageSet): number[] {
  const c = set.channels;
  const sums = new Float64Array(c);
  for (let i = 0; i < set.images.length; i++) sums[i % c] += set.images[i];
  const px = set.images.length / c;
  return Array.from(sums, (s) => (px ? s / px / 255 : 0.5));
}

/**
 * The inpainting batch: each image of `x` gets a fresh mask (drawn from `rng`, one per image) and
 * its hidden pixels are replaced by `fill` (the dataset's mean colour, as in the paper).
 * @param x `[batch, h, w, c]` in [0, 1]
 * @param fill `[c]` values
 * @returns `inputs` `[batch, h, w, c]` (masked images), `mask` `[batch, h, w, 1]` (1 = hidden), `targets` = x
 */
export function inpaintingBatch(x: tf.Tensor4D, rng: Rng, opts: MaskOptions, fill: number[]): { inputs: tf.Tensor4D; mask: tf.Tensor4D; targets: tf.Tensor4D } {
  const [n, h, w, c] = x.shape;
  if (fill.length !== c) throw new RangeError(`inpaintingBatch: fill has ${fill.length} values for ${c} channels`);
  const m = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) m.set(inpaintingMask(h, w, rng, opts), i * h * w);
  return tf.tidy(() => {
    const mask = tf.tensor4d(m, [n, h, w, 1]);
    const inputs = tf.add(tf.mul(x, tf.sub(1, mask)), tf.mul(mask, tf.tensor1d(fill))) as tf.Tensor4D;
    return { inputs, mask, targets: x.clone() };
  });
}

/**
 * The masked versions of a set's images as bytes (for figures): masks drawn from `new Rng(seed)`,
 * hidden pixels set to `fill`.
 * @returns `set.n * h * w * c` bytes
 */
export function maskedImageBytes(set: ImageSet, opts: MaskOptions, fill: number[], seed = 0): Uint8Array {
  const out = set.images.slice();
  const rng = new Rng(seed);
  const { height: h, width: w, channels: c } = set;
  if (fill.length !== c) throw new RangeError(`maskedImageBytes: fill has ${fill.length} values for ${c} channels`);
  for (let i = 0; i < set.n; i++) {
    const m = inpaintingMask(h, w, rng, opts);
    for (let p = 0; p < h * w; p++) if (m[p]) for (let k = 0; k < c; k++) out[(i * h * w + p) * c + k] = Math.round(fill[k] * 255);
  }
  return out;
}
