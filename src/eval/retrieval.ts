import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Backbone } from '../models/conv-net';
import { embed, l2Normalize } from './embed';

/** The top-k neighbours of each query, row-major: query q's j-th neighbour at `q * k + j`. */
export interface Neighbours {
  k: number;
  /** `[nQuery * k]` gallery indices, most similar first. */
  indices: Int32Array;
  /** `[nQuery * k]` cosine similarities, in [-1, 1], decreasing within a row. */
  similarities: Float32Array;
}

/**
 * Nearest-neighbour retrieval by cosine similarity (the lecture's retrieval figure; Doersch et al.
 * 2015, figure 4): for every query feature, the `k` most similar gallery features.
 * @param queries `[nQuery, dim]`
 * @param gallery `[nGallery, dim]`
 * @param opts.exclude `[nQuery]` a gallery index to skip per query (e.g. the query itself when the
 *   queries come from the gallery); -1 for none
 * @param opts.chunk query rows per similarity block, bounding memory to `chunk x nGallery` (default 256)
 */
export function cosineNeighbours(queries: tf.Tensor2D, gallery: tf.Tensor2D, k: number, opts: { exclude?: ArrayLike<number>; chunk?: number } = {}): Neighbours {
  const chunk = opts.chunk ?? 256;
  const [nq, dim] = queries.shape;
  const [ng, dimG] = gallery.shape;
  if (dim !== dimG) throw new RangeError(`cosineNeighbours: query dim ${dim} != gallery dim ${dimG}`);
  const skip = opts.exclude !== undefined;
  if (skip && opts.exclude!.length !== nq) throw new RangeError(`cosineNeighbours: exclude has ${opts.exclude!.length} entries for ${nq} queries`);
  if (!Number.isInteger(k) || k < 1 || k + (skip ? 1 : 0) > ng) {
    throw new RangeError(`cosineNeighbours: k must be an integer in 1..${ng - (skip ? 1 : 0)} (the gallery size${skip ? ' less the excluded item' : ''}), got ${k}`);
  }
  const kk = k + (skip ? 1 : 0);
  const vals = new Float32Array(nq * kk);
  const idx = new Int32Array(nq * kk);
  const g = l2Normalize(gallery);
  for (let s = 0; s < nq; s += chunk) {
    const rows = Math.min(chunk, nq - s);
    tf.tidy(() => {
      const q = l2Normalize(tf.slice(queries, [s, 0], [rows, dim]) as tf.Tensor2D);
      const { values, indices } = tf.topk(tf.matMul(q, g, false, true), kk, true);
      vals.set(values.dataSync(), s * kk);
      idx.set(indices.dataSync(), s * kk);
    });
  }
  g.dispose();
  const indices = new Int32Array(nq * k);
  const similarities = new Float32Array(nq * k);
  for (let q = 0; q < nq; q++) {
    let j = 0;
    for (let t = 0; t < kk && j < k; t++) {
      const g = idx[q * kk + t];
      if (skip && g === opts.exclude![q]) continue;
      indices[q * k + j] = g;
      similarities[q * k + j] = vals[q * kk + t];
      j++;
    }
  }
  return { k, indices, similarities };
}

/** Fraction of retrieved neighbours that share their query's label (precision at k), over all queries. */
export function retrievalPrecision(nb: Neighbours, queryLabels: ArrayLike<number>, galleryLabels: ArrayLike<number>): number {
  const nq = nb.indices.length / nb.k;
  if (queryLabels.length !== nq) throw new RangeError(`retrievalPrecision: ${queryLabels.length} query labels for ${nq} queries`);
  let hits = 0;
  for (let q = 0; q < nq; q++) for (let j = 0; j < nb.k; j++) if (galleryLabels[nb.indices[q * nb.k + j]] === queryLabels[q]) hits++;
  return hits / nb.indices.length;
}

/**
 * Retrieval within one set: embed `gallery` once with a frozen backbone, then for each image at
 * `queries` (indices into `gallery`; default all) find its `k` nearest other images (the query
 * itself excluded) by cosine similarity of the final features.
 */
export function retrieve(backbone: Backbone, gallery: ImageSet, k: number, opts: { queries?: Int32Array } = {}): Neighbours {
  const q = opts.queries ?? Int32Array.from({ length: gallery.n }, (_, i) => i);
  for (let j = 0; j < q.length; j++) {
    if (!(Number.isInteger(q[j]) && q[j] >= 0 && q[j] < gallery.n)) throw new RangeError(`retrieve: queries[${j}] = ${q[j]} is outside 0..${gallery.n - 1} of "${gallery.name}"`);
  }
  const fg = embed(backbone, gallery);
  const fq = tf.tidy(() => tf.gather(fg, tf.tensor1d(q, 'int32')) as tf.Tensor2D);
  try {
    return cosineNeighbours(fq, fg, k, { exclude: q });
  } finally {
    fq.dispose();
    fg.dispose();
  }
}

/** The rows of `nb` for the queries at `rows` (e.g. the few shown in a figure out of all queries retrieved). */
export function pickQueries(nb: Neighbours, rows: ArrayLike<number>): Neighbours {
  const nq = nb.indices.length / nb.k;
  const indices = new Int32Array(rows.length * nb.k);
  const similarities = new Float32Array(rows.length * nb.k);
  for (let r = 0; r < rows.length; r++) {
    const q = rows[r];
    if (!(Number.isInteger(q) && q >= 0 && q < nq)) throw new RangeError(`pickQueries: rows[${r}] = ${q} is outside 0..${nq - 1}`);
    indices.set(nb.indices.subarray(q * nb.k, (q + 1) * nb.k), r * nb.k);
    similarities.set(nb.similarities.subarray(q * nb.k, (q + 1) * nb.k), r * nb.k);
  }
  return { k: nb.k, indices, similarities };
}
