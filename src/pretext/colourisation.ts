import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { toTensor } from '../data/to-tensor';
import { rgbPixelToLab, rgbToLab } from '../transforms/lab';

/**
 * Colourisation as classification (Zhang, Isola & Efros 2016, "Colorful image colorization",
 * section 2.1): the ab plane of CIE Lab is cut into a grid of `gridSize` x `gridSize` cells, and
 * the cells that sRGB colours can reach are the Q classes ("in-gamut bins"; Q = 313 in the paper's
 * gamut, a few fewer for sRGB). A pixel's label is the bin nearest its (a, b).
 */
export interface AbBins {
  /** Side of a bin in ab units (the paper: 10). */
  gridSize: number;
  /** Number of in-gamut bins Q. */
  q: number;
  /** `[q * 2]` bin centres (a, b), row-major over (a, b), multiples of `gridSize`. */
  centres: Float32Array;
  /** Grid cells per axis: centres `(k - half) * gridSize` for k in 0..cells-1. */
  cells: number;
  half: number;
  /** `[cells * cells]`: for every grid cell (a-major), the index of the nearest in-gamut bin. */
  lut: Int32Array;
}

const binCache = new Map<number, AbBins>();

/**
 * The in-gamut ab bins of sRGB at `gridSize` (default 10, the paper's): every bin that an sRGB
 * colour (sampled on a 86^3 grid of the cube, steps of 3/255) falls in, whatever its lightness.
 * Memoised per grid size.
 */
export function abBins(gridSize = 10): AbBins {
  if (!(Number.isInteger(gridSize) && gridSize >= 2 && gridSize <= 64)) throw new RangeError(`abBins: gridSize must be an integer in 2..64, got ${gridSize}`);
  const cached = binCache.get(gridSize);
  if (cached) return cached;
  const half = Math.ceil(110 / gridSize); // sRGB's a and b lie within ±110
  const cells = 2 * half + 1;
  const cellOf = (v: number) => Math.min(cells - 1, Math.max(0, Math.floor(v / gridSize + 0.5) + half));
  const hit = new Uint8Array(cells * cells);
  for (let r = 0; r <= 255; r += 3) {
    for (let g = 0; g <= 255; g += 3) {
      for (let b = 0; b <= 255; b += 3) {
        const [, A, B] = rgbPixelToLab(r / 255, g / 255, b / 255);
        hit[cellOf(A) * cells + cellOf(B)] = 1;
      }
    }
  }
  const cellIndex: number[] = [];
  hit.forEach((h, i) => h && cellIndex.push(i));
  const q = cellIndex.length;
  const centres = new Float32Array(q * 2);
  cellIndex.forEach((c, k) => {
    centres[2 * k] = (Math.floor(c / cells) - half) * gridSize;
    centres[2 * k + 1] = ((c % cells) - half) * gridSize;
  });
  const lut = new Int32Array(cells * cells);
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      const a = (i - half) * gridSize;
      const b = (j - half) * gridSize;
      let best = 0;
      let bestD = Infinity;
      for (let k = 0; k < q; k++) {
        const d = (centres[2 * k] - a) ** 2 + (centres[2 * k + 1] - b) ** 2;
        if (d < bestD) [best, bestD] = [k, d];
      }
      lut[i * cells + j] = best;
    }
  }
  const bins: AbBins = { gridSize, q, centres, cells, half, lut };
  binCache.set(gridSize, bins);
  return bins;
}

/** The bin of one (a, b): the nearest in-gamut bin to the grid cell (a, b) rounds to. The reference for {@link abToBins}. */
export function abToBin(a: number, b: number, bins: AbBins): number {
  const cell = (v: number) => Math.min(bins.cells - 1, Math.max(0, Math.floor(v / bins.gridSize + 0.5) + bins.half));
  return bins.lut[cell(a) * bins.cells + cell(b)];
}

/**
 * Quantise ab values to bin indices, batched.
 * @param ab `[..., 2]` (a, b)
 * @returns `[...]` int32 bin indices in 0..q-1
 */
export function abToBins(ab: tf.Tensor, bins: AbBins): tf.Tensor {
  if (ab.shape[ab.rank - 1] !== 2) throw new Error(`abToBins: expected [..., 2] ab values, got [${ab.shape}]`);
  return tf.tidy(() => {
    const cell = tf.clipByValue(tf.add(tf.floor(tf.add(tf.div(ab, bins.gridSize), 0.5)), bins.half), 0, bins.cells - 1);
    const [ca, cb] = tf.split(cell, 2, ab.rank - 1);
    const idx = tf.cast(tf.add(tf.mul(ca, bins.cells), cb), 'int32');
    return tf.gather(tf.tensor1d(bins.lut, 'int32'), tf.reshape(idx, ab.shape.slice(0, -1)));
  });
}

/**
 * The colourisation targets of a batch at `outSize` x `outSize` (the paper predicts at a quarter of
 * the input resolution): ab average-pooled over `h / outSize` square cells, and its bin.
 * @param lab `[batch, h, w, 3]` Lab images, `h = w` a multiple of `outSize`
 * @returns `ab` `[batch, outSize, outSize, 2]` and `bins` `[batch, outSize, outSize]` int32
 */
export function colourTargets(lab: tf.Tensor4D, bins: AbBins, outSize: number): { ab: tf.Tensor4D; bins: tf.Tensor3D } {
  const [, h, w] = lab.shape;
  if (!(Number.isInteger(outSize) && outSize >= 1 && h % outSize === 0 && w === h)) {
    throw new RangeError(`colourTargets: outSize must divide the square image side ${h}x${w}, got ${outSize}`);
  }
  return tf.tidy(() => {
    const k = h / outSize;
    let ab = tf.slice(lab, [0, 0, 0, 1], [-1, -1, -1, 2]) as tf.Tensor4D;
    if (k > 1) ab = tf.avgPool(ab, k, k, 'valid');
    return { ab, bins: abToBins(ab, bins) as tf.Tensor3D };
  });
}

/**
 * Histogram of the colourisation targets over (up to `maxImages` of) a colour set: how often
 * each bin is a pixel's label, at the training resolution `outSize`. The empirical distribution p
 * of the class-rebalancing weights.
 * @returns `[q]` counts
 */
export function abBinCounts(set: ImageSet, bins: AbBins, opts: { outSize: number; maxImages?: number; batchSize?: number }): Float64Array {
  if (set.channels !== 3) throw new Error(`abBinCounts: "${set.name}" has ${set.channels} channels; need 3 (sRGB)`);
  const n = Math.min(set.n, opts.maxImages ?? set.n);
  const bs = opts.batchSize ?? 256;
  const counts = new Float64Array(bins.q);
  for (let s = 0; s < n; s += bs) {
    const idx = Int32Array.from({ length: Math.min(bs, n - s) }, (_, i) => s + i);
    const t = tf.tidy(() => colourTargets(rgbToLab(toTensor(set, idx)), bins, opts.outSize).bins);
    for (const v of t.dataSync()) counts[v]++;
    t.dispose();
  }
  return counts;
}

/**
 * Class-rebalancing weights (Zhang et al. 2016, eq. 3-4): with p the empirical bin distribution
 * smoothed by a Gaussian of `sigma` ab units (default 5), `w ∝ ((1 - λ) p̃ + λ / Q)^-1`, scaled so
 * that `Σ p̃ w = 1` (the expected weight of a pixel is 1). `lambda` (default 0.5) mixes in the
 * uniform distribution: 0 is full rebalancing, 1 none. Rare, saturated colours get large weights,
 * so that the loss is not won by predicting the common desaturated ones.
 * @param counts `[q]` bin counts, e.g. from {@link abBinCounts}
 * @returns `[q]` weights
 */
export function rebalanceWeights(counts: ArrayLike<number>, bins: AbBins, opts: { lambda?: number; sigma?: number } = {}): Float32Array {
  const lambda = opts.lambda ?? 0.5;
  const sigma = opts.sigma ?? 5;
  if (!(lambda >= 0 && lambda <= 1)) throw new RangeError(`rebalanceWeights: lambda must be in [0, 1], got ${lambda}`);
  if (!(sigma >= 0)) throw new RangeError(`rebalanceWeights: sigma must be >= 0, got ${sigma}`);
  if (counts.length !== bins.q) throw new RangeError(`rebalanceWeights: ${counts.length} counts for ${bins.q} bins`);
  const q = bins.q;
  let total = 0;
  for (let i = 0; i < q; i++) total += counts[i];
  if (!(total > 0)) throw new RangeError('rebalanceWeights: counts are all zero');
  const smooth = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    if (sigma === 0) {
      smooth[i] = counts[i] / total;
      continue;
    }
    let s = 0;
    for (let j = 0; j < q; j++) {
      const d2 = (bins.centres[2 * i] - bins.centres[2 * j]) ** 2 + (bins.centres[2 * i + 1] - bins.centres[2 * j + 1]) ** 2;
      s += (counts[j] / total) * Math.exp(-d2 / (2 * sigma * sigma));
    }
    smooth[i] = s;
  }
  const z = smooth.reduce((a, b) => a + b, 0);
  for (let i = 0; i < q; i++) smooth[i] /= z;
  const w = new Float64Array(q);
  for (let i = 0; i < q; i++) w[i] = 1 / ((1 - lambda) * smooth[i] + lambda / q);
  let expected = 0;
  for (let i = 0; i < q; i++) expected += smooth[i] * w[i];
  return Float32Array.from(w, (v) => v / expected);
}

/**
 * Decode per-pixel bin logits to ab with the annealed mean (Zhang et al. 2016, eq. 5): the mean
 * of the bin centres under `softmax(logits / T)`. T = 1 is the mean of the predicted distribution
 * (greyish, like regression), T -> 0 its mode (vivid but patchy); the paper uses T = 0.38.
 * @param logits `[..., q]`
 * @returns `[..., 2]`
 */
export function annealedMean(logits: tf.Tensor, bins: AbBins, T = 0.38): tf.Tensor {
  if (!(T > 0)) throw new RangeError(`annealedMean: T must be positive, got ${T}`);
  if (logits.shape[logits.rank - 1] !== bins.q) throw new Error(`annealedMean: logits have ${logits.shape[logits.rank - 1]} classes, bins ${bins.q}`);
  return tf.tidy(() => {
    const p = tf.softmax(tf.reshape(tf.div(logits, T), [-1, bins.q]));
    return tf.reshape(tf.matMul(p, tf.tensor2d(bins.centres, [bins.q, 2])), [...logits.shape.slice(0, -1), 2]);
  });
}

/** Decode per-pixel bin logits to the centre of the most probable bin (the mode). `[..., q]` -> `[..., 2]`. */
export function binMode(logits: tf.Tensor, bins: AbBins): tf.Tensor {
  return tf.tidy(() => tf.gather(tf.tensor2d(bins.centres, [bins.q, 2]), tf.argMax(logits, -1)));
}
