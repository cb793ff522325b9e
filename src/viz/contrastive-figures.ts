import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { drawNearFarPatches, nearFarPatchBatch } from '../pretext/near-far-patches';
import { jigsawTiles, reassembleTiles } from '../pretext/jigsaw';
import { COLORWAY, Figure } from './figures';

/**
 * Overlaid histograms, one per named series (e.g. embedding distances per encoder), as
 * fractions of each series so series of different sizes compare.
 */
export function histogramFigure(series: Record<string, ArrayLike<number>>, opts: { title?: string; xTitle?: string; yTitle?: string; bins?: number } = {}): Figure {
  const names = Object.keys(series);
  if (names.length === 0) throw new Error('histogramFigure: give at least one series');
  return {
    data: names.map((name, i) => ({
      type: 'histogram',
      name,
      x: Array.from(series[name]),
      histnorm: 'probability',
      opacity: 0.6,
      nbinsx: opts.bins ?? 40,
      marker: { color: COLORWAY[i % COLORWAY.length] },
    })),
    layout: {
      template: 'none',
      barmode: 'overlay',
      font: { family: 'Helvetica Neue, Helvetica, Arial, sans-serif', size: 14, color: '#222' },
      margin: { l: 64, r: 24, t: opts.title ? 56 : 24, b: 56 },
      ...(opts.title ? { title: { text: opts.title, x: 0.02, xanchor: 'left' } } : {}),
      xaxis: { title: { text: opts.xTitle ?? '' }, showline: true, linecolor: '#888', ticks: 'outside', automargin: true },
      yaxis: { title: { text: opts.yTitle ?? 'fraction' }, showline: true, linecolor: '#888', gridcolor: '#e8e8e8', ticks: 'outside', automargin: true },
      legend: { bgcolor: 'rgba(255,255,255,0.8)' },
    },
  };
}

/**
 * One column per run from per-epoch histories, for a side-by-side line figure:
 * `{ [x]: 1..n, <run>: history[i][column] }` (a run with fewer epochs gets null at the end).
 */
export function historiesByRun(histories: Record<string, Array<Record<string, number>>>, column: string, x = 'epoch'): Record<string, Array<number | null>> {
  const n = Math.max(0, ...Object.values(histories).map((h) => h.length));
  const out: Record<string, Array<number | null>> = { [x]: Array.from({ length: n }, (_, i) => i + 1) };
  for (const [run, h] of Object.entries(histories)) out[run] = Array.from({ length: n }, (_, i) => (i < h.length && column in h[i] ? h[i][column] : null));
  return out;
}

/** Images `[b, h, w, c]` in [0, 1] as bytes 0..255 (for `showImages`). */
export function imageBytes(x: tf.Tensor): Uint8Array {
  const v = x.dataSync();
  return Uint8Array.from(v, (t) => Math.max(0, Math.min(255, Math.round(t * 255))));
}

/**
 * Interleave several `[b, h, w, c]` batches image by image (image 0 of each, then image 1 of
 * each, ...) as bytes, for a grid with one row per image: `showImages(bytes, b * k, h, w, c, ..., { cols: k })`.
 */
export function interleaveImages(batches: tf.Tensor4D[]): Uint8Array {
  if (batches.length === 0) throw new Error('interleaveImages: give at least one batch');
  const shape = batches[0].shape;
  if (batches.some((t) => t.shape.join() !== shape.join())) throw new RangeError('interleaveImages: every batch must have the same shape');
  const g = tf.tidy(() => tf.reshape(tf.stack(batches, 1), [shape[0] * batches.length, shape[1], shape[2], shape[3]]));
  const out = imageBytes(g);
  g.dispose();
  return out;
}

/**
 * Anchor, near and far patch of each image of `set` (as `drawNearFarPatches` draws them), as
 * bytes in rows of three with captions, for `showImages(bytes, 3 * set.n, patch, patch, c, captions, { cols: 3 })`.
 */
export function nearFarPatchImages(set: ImageSet, patch: number, rng: Rng): { bytes: Uint8Array; captions: string[] } {
  const x = toTensor(set);
  const all = nearFarPatchBatch(x, drawNearFarPatches(set.n, set.height, set.width, patch, rng), patch);
  const parts = tf.split(all, 3, 0) as tf.Tensor4D[];
  const bytes = interleaveImages(parts);
  [x, all, ...parts].forEach((t) => t.dispose());
  const captions = Array.from({ length: 3 * set.n }, (_, i) => ['anchor', 'near: related', 'far: unrelated'][i % 3]);
  return { bytes, captions };
}

/**
 * Each image of `set` with its tiles in place and shuffled by a random permutation (PIRL's I and
 * I^t), as bytes in rows of two with captions: `showImages(bytes, 2 * set.n, side, side, c, captions, { cols: 2 })`.
 */
export function jigsawPairImages(set: ImageSet, rng: Rng, opts: { grid?: number; tileSize?: number } = {}): { bytes: Uint8Array; captions: string[]; side: number } {
  const grid = opts.grid ?? 3;
  const tileSize = opts.tileSize ?? 9;
  const g2 = grid * grid;
  const perms = [Int32Array.from({ length: g2 }, (_, i) => i), ...Array.from({ length: set.n }, () => rng.permutation(g2))];
  const ident = new Int32Array(set.n);
  const shuffled = Int32Array.from({ length: set.n }, (_, i) => i + 1);
  const pair = tf.tidy(() => {
    const x = toTensor(set);
    const tiles = jigsawTiles(x, grid, tileSize, perms, shuffled, rng, { jitter: false });
    // Undoing the puzzle puts the tiles in place; reading them as unshuffled leaves them shuffled.
    return [reassembleTiles(tiles, grid, perms, shuffled), reassembleTiles(tiles, grid, perms, ident)] as tf.Tensor4D[];
  });
  const bytes = interleaveImages(pair);
  pair.forEach((t) => t.dispose());
  const captions = Array.from({ length: 2 * set.n }, (_, i) => (i % 2 === 0 ? 'I (tiles in place)' : 'jigsaw(I)'));
  return { bytes, captions, side: grid * tileSize };
}
