import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/**
 * Relative position of patches (Doersch, Gupta & Efros 2015, "Unsupervised Visual Representation
 * Learning by Context Prediction"): lay a 3x3 grid of patches over the image, with gaps between
 * them and a random jitter of each patch, so that no edge or line continues from one patch into
 * the next; the anchor is the centre patch, the query one of its 8 neighbours, and the network
 * answers which neighbour it is (8-way classification).
 */

/** The 8 neighbours of the centre of a 3x3 grid as `[dy, dx]`, row-major; label k means `RELATIVE_POSITIONS[k]`. */
export const RELATIVE_POSITIONS: readonly (readonly [number, number])[] = [
  [-1, -1], [-1, 0], [-1, 1],
  [0, -1], /* anchor */ [0, 1],
  [1, -1], [1, 0], [1, 1],
];

/** Short names of the 8 positions, for figures. */
export const RELATIVE_POSITION_NAMES = ['up-left', 'up', 'up-right', 'left', 'right', 'down-left', 'down', 'down-right'] as const;

/** The label of a neighbour at grid offset `(dy, dx)`, each in -1..1 and not both 0. */
export function relativePositionLabel(dy: number, dx: number): number {
  const k = RELATIVE_POSITIONS.findIndex(([y, x]) => y === dy && x === dx);
  if (k < 0) throw new RangeError(`relativePositionLabel: (dy, dx) must be a neighbour offset in -1..1 other than (0, 0), got (${dy}, ${dx})`);
  return k;
}

/** Geometry of the patch grid; defaults suit 32x32 CIFAR images. */
export interface PatchGridOptions {
  /** Side of a square patch in pixels (default 8). */
  patch?: number;
  /** Gap between neighbouring patches before jitter, in pixels (default 3). */
  gap?: number;
  /**
   * Each patch moves independently by up to this many pixels in y and in x (default 1), so the
   * gap between neighbours varies in `gap - 2 * jitter .. gap + 2 * jitter`. Must be less than
   * half of `patch + gap`, so the label stays unambiguous.
   */
  jitter?: number;
}

/** Where the two patches of each pair are cut, top-left corners, `[batch]` each. */
export interface PatchPairs {
  patch: number;
  anchorY: Int32Array;
  anchorX: Int32Array;
  queryY: Int32Array;
  queryX: Int32Array;
}

/** Check the grid fits an `h x w` image; returns the filled-in geometry. */
export function patchGrid(height: number, width: number, opts: PatchGridOptions = {}): Required<PatchGridOptions> & { stride: number; extent: number } {
  const patch = opts.patch ?? 8;
  const gap = opts.gap ?? 3;
  const jitter = opts.jitter ?? 1;
  if (!Number.isInteger(patch) || patch < 1) throw new RangeError(`relative position: patch must be a positive integer, got ${patch}`);
  if (!Number.isInteger(gap) || gap < 0) throw new RangeError(`relative position: gap must be a non-negative integer, got ${gap}`);
  const stride = patch + gap;
  if (!Number.isInteger(jitter) || jitter < 0 || 2 * jitter >= stride) {
    throw new RangeError(`relative position: jitter must be an integer in 0..${Math.ceil(stride / 2) - 1} (below half of patch + gap = ${stride}), got ${jitter}`);
  }
  const extent = 2 * stride + patch + 2 * jitter;
  if (extent > Math.min(height, width)) {
    throw new RangeError(`relative position: the 3x3 grid spans 3*patch + 2*gap + 2*jitter = ${extent} pixels, more than the ${height}x${width} image; use smaller patch, gap or jitter`);
  }
  return { patch, gap, jitter, stride, extent };
}

/**
 * Draw the patch pairs of a batch: a random grid position per image (the whole 3x3 grid with
 * its jitter stays inside the image), the centre patch as anchor and the neighbour `labels[b]`
 * as query, each jittered independently.
 * @param labels `[batch]` positions 0..7 (indices into {@link RELATIVE_POSITIONS})
 */
export function drawPatchPairs(batch: number, height: number, width: number, labels: ArrayLike<number>, rng: Rng, opts: PatchGridOptions = {}): PatchPairs {
  const g = patchGrid(height, width, opts);
  if (labels.length !== batch) throw new RangeError(`drawPatchPairs: ${labels.length} labels for a batch of ${batch}`);
  const out: PatchPairs = {
    patch: g.patch,
    anchorY: new Int32Array(batch),
    anchorX: new Int32Array(batch),
    queryY: new Int32Array(batch),
    queryX: new Int32Array(batch),
  };
  const jit = () => (g.jitter ? rng.int(2 * g.jitter + 1) - g.jitter : 0);
  for (let b = 0; b < batch; b++) {
    const k = labels[b];
    if (!Number.isInteger(k) || k < 0 || k > 7) throw new RangeError(`drawPatchPairs: labels[${b}] = ${k} is outside 0..7`);
    // top-left of the grid's (jitter-free) top-left patch
    const oy = g.jitter + rng.int(height - g.extent + 1);
    const ox = g.jitter + rng.int(width - g.extent + 1);
    const [dy, dx] = RELATIVE_POSITIONS[k];
    out.anchorY[b] = oy + g.stride + jit();
    out.anchorX[b] = ox + g.stride + jit();
    out.queryY[b] = oy + (1 + dy) * g.stride + jit();
    out.queryX[b] = ox + (1 + dx) * g.stride + jit();
  }
  return out;
}

/** The label a pair's corners imply: the sign of the query's offset from the anchor, rounded to grid steps. */
export function pairLabel(pairs: PatchPairs, b: number, stride: number): number {
  const dy = Math.round((pairs.queryY[b] - pairs.anchorY[b]) / stride);
  const dx = Math.round((pairs.queryX[b] - pairs.anchorX[b]) / stride);
  return relativePositionLabel(dy, dx);
}

/** Flat NHWC source index of every value of the `[batch*2, patch, patch, c]` pair batch (anchor, query per image). */
export function patchPairSourceIndex(shape: [number, number, number, number], pairs: PatchPairs): Int32Array {
  const [batch, h, w, c] = shape;
  const p = pairs.patch;
  const idx = new Int32Array(batch * 2 * p * p * c);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    for (const [ys, xs] of [[pairs.anchorY, pairs.anchorX], [pairs.queryY, pairs.queryX]]) {
      if (ys[b] < 0 || xs[b] < 0 || ys[b] + p > h || xs[b] + p > w) throw new RangeError(`patchPairSourceIndex: patch at (${ys[b]}, ${xs[b]}) of image ${b} leaves the ${h}x${w} image`);
      for (let y = 0; y < p; y++) {
        const base = ((b * h + ys[b] + y) * w + xs[b]) * c;
        for (let k = 0; k < p * c; k++) idx[o++] = base + k;
      }
    }
  }
  return idx;
}

/**
 * The relative-position pretext batch on tensors.
 * @param images `[batch, h, w, c]`
 * @param labels `[batch]` the neighbour (0..7) each query is taken from
 * @returns `[batch * 2, patch, patch, c]`, pair-major: row `2b` is image b's anchor (centre), row
 *   `2b + 1` its query; and the pair geometry used.
 */
export function relativePositionPatches(images: tf.Tensor4D, labels: ArrayLike<number>, rng: Rng, opts: PatchGridOptions = {}): { patches: tf.Tensor4D; pairs: PatchPairs } {
  const [batch, h, w, c] = images.shape;
  const pairs = drawPatchPairs(batch, h, w, labels, rng, opts);
  const idx = patchPairSourceIndex([batch, h, w, c], pairs);
  const p = pairs.patch;
  const patches = tf.tidy(() => tf.reshape(tf.gather(tf.reshape(images, [-1]), tf.tensor1d(idx, 'int32')), [batch * 2, p, p, c]) as tf.Tensor4D);
  return { patches, pairs };
}

/**
 * Slow byte-level reference of {@link relativePositionPatches}, plain loops over the same pairs.
 * @returns `[batch * 2, patch, patch, c]` values, anchor then query per image
 */
export function patchPairBytes<T extends Uint8Array | Float32Array>(pixels: T, shape: [number, number, number, number], pairs: PatchPairs): T {
  const [batch, h, w, c] = shape;
  const p = pairs.patch;
  const out = new (pixels.constructor as { new (n: number): T })(batch * 2 * p * p * c);
  for (let b = 0; b < batch; b++) {
    const corners = [[pairs.anchorY[b], pairs.anchorX[b]], [pairs.queryY[b], pairs.queryX[b]]];
    corners.forEach(([y0, x0], j) => {
      for (let y = 0; y < p; y++) {
        for (let x = 0; x < p; x++) {
          for (let k = 0; k < c; k++) out[(((2 * b + j) * p + y) * p + x) * c + k] = pixels[((b * h + y0 + y) * w + x0 + x) * c + k];
        }
      }
    });
  }
  return out;
}
