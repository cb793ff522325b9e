import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { toTensor } from '../data/to-tensor';
import { Backbone } from '../models/conv-net';
import { KnnOptions, accuracy, knnClassify } from './knn';
import { LinearProbeOptions, linearProbe } from './linear-probe';

/**
 * Blocks are numbered from 1 here and in metric names: block k is the output of the backbone's
 * k-th conv block (after its ReLU and max-pool), `taps[k - 1]` of `Backbone.apply` and
 * `embed(..., { layer: k - 1 })`. Metric `rotation.linear.block1` is the first block's probe.
 */

/** Options of {@link perLayerProbes} and {@link perLayerEvaluation}. */
export interface PerLayerOptions {
  /** Blocks to probe, 1-based (default every block of the backbone). */
  blocks?: number[];
  /** Spatial grid each block's output is average-pooled to (default 2: `[n, 4 * width_k]` features, as `embed`). */
  pool?: number;
  /** Images per forward pass (default 256). */
  batchSize?: number;
  knn?: KnnOptions;
  probe?: LinearProbeOptions;
  /** Called after each block of each encoder is measured (e.g. a progress line). */
  onBlock?: (row: LayerRow) => void;
}

/** One block of one encoder: accuracies are fractions in [0, 1]. */
export interface LayerRow {
  encoder: string;
  /** 1-based block number. */
  block: number;
  /** Feature dimension probed: `pool^2 * width` of the block. */
  dim: number;
  knn: number;
  linear: number;
  /** Linear-probe accuracy on its own training features. */
  linearTrain: number;
  /** Predicted class of every test image, `[nTest]`, by kNN and by the linear probe (for paired comparisons). */
  knnPredictions: Int32Array;
  linearPredictions: Int32Array;
  seconds: number;
}

function checkBlocks(backbone: Backbone, blocks: number[] | undefined): number[] {
  const n = backbone.config.widths.length;
  const bs = blocks ?? Array.from({ length: n }, (_, i) => i + 1);
  if (bs.length === 0) throw new RangeError('perLayer: blocks must name at least one block');
  for (const b of bs) {
    if (!Number.isInteger(b) || b < 1 || b > n) throw new RangeError(`perLayer: blocks are numbered 1..${n} (1-based), got ${b}`);
  }
  return bs;
}

/**
 * Embed `set` at several blocks in one forward pass per batch (batch norm in inference mode):
 * block k's output `[batch, h_k, w_k, width_k]` is average-pooled to `pool x pool` cells and
 * flattened, exactly as `embed(backbone, set, { layer: k - 1, pool })`.
 * @param blocks 1-based block numbers (default all)
 * @returns one `[n, pool^2 * width_k]` tensor per entry of `blocks`; the caller owns them
 */
export function embedBlocks(backbone: Backbone, set: ImageSet, opts: { blocks?: number[]; pool?: number; batchSize?: number } = {}): tf.Tensor2D[] {
  const blocks = checkBlocks(backbone, opts.blocks);
  const pool = opts.pool ?? 2;
  if (!Number.isInteger(pool) || pool < 1) throw new RangeError(`embedBlocks: pool must be a positive integer, got ${pool}`);
  const bs = opts.batchSize ?? 256;
  if (!Number.isInteger(bs) || bs < 1) throw new RangeError(`embedBlocks: batchSize must be a positive integer, got ${bs}`);
  if (set.n === 0) throw new RangeError(`embedBlocks: no images to embed in "${set.name}"`);
  const parts: tf.Tensor2D[][] = blocks.map(() => []);
  for (let s = 0; s < set.n; s += bs) {
    const idx = Int32Array.from({ length: Math.min(set.n, s + bs) - s }, (_, i) => s + i);
    const pooled = tf.tidy(() => {
      const { taps } = backbone.apply(toTensor(set, idx), { training: false });
      return blocks.map((b) => {
        const t = taps[b - 1];
        const [, h, w] = t.shape;
        const ph = Math.max(1, Math.floor(h / pool));
        const pw = Math.max(1, Math.floor(w / pool));
        return tf.reshape(tf.avgPool(t, [ph, pw], [ph, pw], 'valid'), [idx.length, -1]) as tf.Tensor2D;
      });
    });
    pooled.forEach((p, j) => parts[j].push(p));
  }
  return parts.map((ps) => {
    const all = tf.concat(ps, 0) as tf.Tensor2D;
    tf.dispose(ps);
    return all;
  });
}

/**
 * Per-layer probes of one frozen backbone (Zhang, Isola & Efros 2017; Goyal et al. 2019,
 * "Scaling and benchmarking self-supervised visual representation learning"): for each block,
 * weighted kNN (cosine, k=200, t=0.1 by default) and a linear probe on that block's pooled
 * features, trained on `bank` and measured on `test`. Pretext features are expected to peak
 * before the last block, which specialises to the pretext task.
 * @returns one row per block (encoder `''`), in the order of `opts.blocks`
 */
export async function perLayerProbes(backbone: Backbone, bank: ImageSet, test: ImageSet, opts: PerLayerOptions = {}): Promise<Omit<LayerRow, 'encoder'>[]> {
  const blocks = checkBlocks(backbone, opts.blocks);
  const numClasses = Math.max(bank.classNames.length, test.classNames.length);
  const eo = { blocks, pool: opts.pool, batchSize: opts.batchSize };
  const fb = embedBlocks(backbone, bank, eo);
  let ft: tf.Tensor2D[] = [];
  try {
    ft = embedBlocks(backbone, test, eo);
    const rows: Omit<LayerRow, 'encoder'>[] = [];
    for (let j = 0; j < blocks.length; j++) {
      const t0 = performance.now();
      const knnPredictions = knnClassify(fb[j], bank.labels, ft[j], { numClasses, ...opts.knn });
      const p = await linearProbe(fb[j], bank.labels, ft[j], test.labels, { numClasses, ...opts.probe });
      rows.push({
        block: blocks[j], dim: fb[j].shape[1], knn: accuracy(knnPredictions, test.labels), linear: p.accuracy, linearTrain: p.trainAccuracy,
        knnPredictions, linearPredictions: p.predictions, seconds: (performance.now() - t0) / 1000,
      });
      opts.onBlock?.({ encoder: '', ...rows[rows.length - 1] });
    }
    return rows;
  } finally {
    tf.dispose([...fb, ...ft]);
  }
}

/**
 * {@link perLayerProbes} for several encoders on the same bank and test images.
 * @returns the rows (encoder-major) and the results contract's metrics
 *   `"<encoder>.linear.block<k>"` and `"<encoder>.knn.block<k>"` (k 1-based)
 */
export async function perLayerEvaluation(
  encoders: Record<string, Backbone>,
  bank: ImageSet,
  test: ImageSet,
  opts: PerLayerOptions = {},
): Promise<{ rows: LayerRow[]; metrics: Record<string, number> }> {
  const rows: LayerRow[] = [];
  const metrics: Record<string, number> = {};
  for (const [encoder, backbone] of Object.entries(encoders)) {
    const onBlock = opts.onBlock ? (r: LayerRow) => opts.onBlock!({ ...r, encoder }) : undefined;
    for (const r of await perLayerProbes(backbone, bank, test, { ...opts, onBlock })) {
      rows.push({ encoder, ...r });
      metrics[`${encoder}.linear.block${r.block}`] = r.linear;
      metrics[`${encoder}.knn.block${r.block}`] = r.knn;
    }
  }
  return { rows, metrics };
}

/**
 * Pivot {@link LayerRow}s to one row per block with one column per encoder (the value
 * `'linear'` or `'knn'`), the shape `lineFigure(curve, { x: 'block', ys: encoders })` draws.
 */
export function perLayerCurve(rows: LayerRow[], value: 'linear' | 'knn' = 'linear'): Array<Record<string, number>> {
  const byBlock = new Map<number, Record<string, number>>();
  for (const r of rows) {
    if (!byBlock.has(r.block)) byBlock.set(r.block, { block: r.block });
    byBlock.get(r.block)![r.encoder] = r[value];
  }
  return [...byBlock.keys()].sort((a, b) => a - b).map((b) => byBlock.get(b)!);
}

/** Summary of one encoder's per-layer curve. */
export interface LayerPeak {
  encoder: string;
  /** 1-based block with the highest value (the earliest on a tie). */
  peakBlock: number;
  peak: number;
  /** The last probed block and its value. */
  lastBlock: number;
  last: number;
  /** `peak - last`: how much the last block loses against the best one (0 when the last is best). */
  drop: number;
  /** Paired standard error of `drop` on the same test images ({@link pairedGapSe}; NaN without `testLabels`). */
  dropSe: number;
}

/**
 * Where each encoder's curve peaks and how far its last block falls below the peak.
 * @param testLabels the test set's labels, for the paired standard error of each drop
 */
export function layerPeaks(rows: LayerRow[], value: 'linear' | 'knn' = 'linear', testLabels?: Int32Array): LayerPeak[] {
  const encoders = [...new Set(rows.map((r) => r.encoder))];
  return encoders.map((encoder) => {
    const rs = rows.filter((r) => r.encoder === encoder).sort((a, b) => a.block - b.block);
    let best = rs[0];
    for (const r of rs) if (r[value] > best[value]) best = r;
    const last = rs[rs.length - 1];
    const pred = value === 'linear' ? 'linearPredictions' : 'knnPredictions';
    const dropSe = testLabels ? pairedGapSe(best[pred], last[pred], testLabels) : NaN;
    return { encoder, peakBlock: best.block, peak: best[value], lastBlock: last.block, last: last[value], drop: best[value] - last[value], dropSe };
  });
}

/**
 * Standard error of the difference of two accuracies `a` and `b`, each measured on `n` test
 * images (binomial, treated as independent: `sqrt(a(1-a)/n + b(1-b)/n)`). A gap under about two
 * of these is within the noise of the test set's size.
 */
export function accuracyGapSe(a: number, b: number, n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`accuracyGapSe: n must be a positive integer, got ${n}`);
  for (const p of [a, b]) if (!(p >= 0 && p <= 1)) throw new RangeError(`accuracyGapSe: accuracies must be in [0, 1], got ${p}`);
  return Math.sqrt((a * (1 - a)) / n + (b * (1 - b)) / n);
}

/**
 * Paired standard error of the accuracy difference of two classifiers on the same `labels`
 * (`[n]` each): with d_i = [a_i correct] - [b_i correct], `sqrt((mean(d^2) - mean(d)^2) / n)`.
 * Tighter than {@link accuracyGapSe} because images both get right (or wrong) cancel out.
 */
export function pairedGapSe(a: Int32Array, b: Int32Array, labels: Int32Array): number {
  const n = labels.length;
  if (n === 0 || a.length !== n || b.length !== n) throw new RangeError(`pairedGapSe: need two prediction arrays of the labels' length ${n}, got ${a.length} and ${b.length}`);
  let sum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    const d = (a[i] === labels[i] ? 1 : 0) - (b[i] === labels[i] ? 1 : 0);
    sum += d;
    sq += d * d;
  }
  const mean = sum / n;
  return Math.sqrt(Math.max(0, sq / n - mean * mean) / n);
}
