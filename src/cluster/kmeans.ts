import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/** Options of {@link kMeans}. */
export interface KMeansOptions {
  /** Number of clusters, 1..n. */
  k: number;
  /** Seeded generator for the k-means++ draws (forked as 'kmeans++'). */
  rng: Rng;
  /**
   * `'euclidean'` (default): squared Euclidean distance on the features as given.
   * `'cosine'`: spherical k-means: rows L2-normalised, centroids renormalised after each
   * update, so the nearest centroid is the most cosine-similar one.
   */
  metric?: 'euclidean' | 'cosine';
  /** Most Lloyd iterations (centroid updates); default 50. */
  maxIter?: number;
  /**
   * Stop when the summed squared centroid shift of one update is at most
   * `tol * mean over dims of var(x[:, d])` (scikit-learn's rule); default 1e-4. The run also
   * stops, converged, when no assignment changes.
   */
  tol?: number;
  /** Initial centroids: `'kmeans++'` (default) or a `[k, dim]` tensor (copied; not disposed). */
  init?: 'kmeans++' | tf.Tensor2D;
  /** Rows per distance chunk; bounds memory to `chunk x k` floats (default `max(1, 4M / k)`). */
  chunk?: number;
}

/** What {@link kMeans} returns. */
export interface KMeansResult {
  /** `[k, dim]` centroids (unit rows for `'cosine'`); the caller owns and disposes it. */
  centroids: tf.Tensor2D;
  /** `[n]` cluster index of each row, under `centroids`. */
  assignments: Int32Array;
  /** `[k]` rows per cluster. */
  sizes: Int32Array;
  /** Sum of squared distances of rows to their centroids (on normalised rows for `'cosine'`). */
  inertia: number;
  /** Centroid updates done. */
  iterations: number;
  /** True when the run stopped on `tol` or unchanged assignments, not on `maxIter`. */
  converged: boolean;
  /** Empty clusters re-seeded over the run. */
  reseeded: number;
  seconds: number;
}

/**
 * k-means (Lloyd's algorithm) on a `[n, dim]` feature tensor, with k-means++ seeding (Arthur &
 * Vassilvitskii 2007), the clustering ClusterFit uses to make pseudo-labels (Yan et al. 2020).
 *
 * Each iteration: distances by matrix product, `||x||^2 - 2 x.c + ||c||^2`, in chunks of rows;
 * nearest centroid by argmin; centroids as per-cluster means via `unsortedSegmentSum`. A cluster
 * left empty is re-seeded at the row farthest from its own centroid (taken from a cluster that
 * keeps at least one row), as scikit-learn does. After the last update the rows are assigned
 * once more, so `assignments`, `sizes` and `inertia` describe the returned `centroids`.
 * Deterministic for a given `rng` seed. Leaves no tensors behind but `centroids`.
 */
export function kMeans(x: tf.Tensor2D, opts: KMeansOptions): KMeansResult {
  const t0 = performance.now();
  const [n, dim] = checkFeatures(x, 'kMeans');
  const { k, metric, maxIter, tol, chunk } = checkOptions(opts, n);
  const p = prepare(x, metric, chunk);
  const data = p.data;
  let centroids: tf.Tensor2D | null = null;
  try {
    if (opts.init === undefined || opts.init === 'kmeans++') {
      const idx = tf.tensor1d(kMeansPlusPlusOn(p, k, opts.rng), 'int32');
      centroids = tf.gather(data, idx) as tf.Tensor2D;
      idx.dispose();
    } else {
      const init = opts.init;
      if (init.rank !== 2 || init.shape[0] !== k || init.shape[1] !== dim) {
        throw new RangeError(`kMeans: init must be a [k, dim] = [${k}, ${dim}] tensor, got [${init.shape}]`);
      }
      centroids = metric === 'cosine' ? normalizeRows(init) : (tf.clone(init) as tf.Tensor2D);
    }
    const tolAbs = tol * tf.tidy(() => tf.mean(tf.moments(data, 0).variance).dataSync()[0]);
    let prev: Int32Array | null = null;
    let iterations = 0;
    let reseeded = 0;
    let converged = false;
    let a = assign(p, centroids);
    for (;;) {
      if (prev && equalArrays(a.labels, prev)) {
        converged = true; // the centroids already are the means of these assignments
        break;
      }
      if (iterations >= maxIter) break;
      reseeded += reseedEmpty(a, k);
      const next = updateCentroids(data, a.labels, k, metric);
      const shift = tf.tidy(() => tf.sum(tf.squaredDifference(next, centroids!)).dataSync()[0]);
      centroids.dispose();
      centroids = next;
      iterations++;
      prev = a.labels;
      a = assign(p, centroids);
      if (shift <= tolAbs) {
        converged = true;
        break;
      }
    }
    // The final assignment may (rarely) empty a cluster: re-seed it at a row, which becomes its centroid.
    const moved = reseedEmpty(a, k);
    if (moved > 0) {
      reseeded += moved;
      const fixed = setRows(centroids, data, a.moves);
      centroids.dispose();
      centroids = fixed;
    }
    const sizes = new Int32Array(k);
    for (const l of a.labels) sizes[l]++;
    let inertia = 0;
    for (const d of a.dist) inertia += d;
    const result: KMeansResult = { centroids, assignments: a.labels, sizes, inertia, iterations, converged, reseeded, seconds: (performance.now() - t0) / 1000 };
    centroids = null;
    return result;
  } finally {
    release(p);
    centroids?.dispose();
  }
}

/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007): the first centre a uniformly drawn row, each
 * next one a row drawn with probability proportional to its squared distance to the nearest
 * centre chosen so far (D^2 sampling). Rows are L2-normalised first for `'cosine'`.
 * @param x `[n, dim]` features
 * @returns `[k]` row indices of the initial centres
 */
export function kMeansPlusPlus(x: tf.Tensor2D, k: number, rng: Rng, metric: 'euclidean' | 'cosine' = 'euclidean'): Int32Array {
  const [n] = checkFeatures(x, 'kMeansPlusPlus');
  checkOptions({ k, rng, metric }, n);
  const p = prepare(x, metric, 0);
  try {
    return kMeansPlusPlusOn(p, k, rng);
  } finally {
    release(p);
  }
}

/**
 * The features in the forms the passes use: `data` `[n, dim]` (normalised for cosine), a CPU
 * copy `rows`, squared norms `xx`, and row chunks `[rows, 1]`-augmented for the assignment
 * product (none when `chunk` is 0). (Chunks are built from the CPU copy: `tf.slice` of a large
 * tensor copies all of it on the wasm backend.)
 */
interface Prepared {
  data: tf.Tensor2D;
  rows: Float32Array;
  xx: Float32Array;
  chunks: Array<{ start: number; aug: tf.Tensor2D }>;
}

function prepare(x: tf.Tensor2D, metric: 'euclidean' | 'cosine', chunk: number): Prepared {
  const [n, dim] = x.shape;
  const data = metric === 'cosine' ? normalizeRows(x) : tf.clone(x);
  const rows = data.dataSync() as Float32Array;
  const xx = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let d = i * dim; d < (i + 1) * dim; d++) s += rows[d] * rows[d];
    xx[i] = s;
  }
  const chunks: Prepared['chunks'] = [];
  for (let s = 0; chunk > 0 && s < n; s += chunk) {
    const e = Math.min(n, s + chunk);
    const aug = new Float32Array((e - s) * (dim + 1));
    for (let i = s; i < e; i++) {
      aug.set(rows.subarray(i * dim, (i + 1) * dim), (i - s) * (dim + 1));
      aug[(i - s) * (dim + 1) + dim] = 1;
    }
    chunks.push({ start: s, aug: tf.tensor2d(aug, [e - s, dim + 1]) });
  }
  return { data, rows, xx, chunks };
}

function release(p: Prepared): void {
  p.data.dispose();
  for (const c of p.chunks) c.aug.dispose();
}

function kMeansPlusPlusOn(p: Prepared, k: number, rngIn: Rng): Int32Array {
  const rng = rngIn.fork('kmeans++');
  const { data, rows, xx } = p;
  const [n, dim] = data.shape;
  const chosen = new Int32Array(k);
  const minD = new Float64Array(n).fill(Infinity);
  let next = rng.int(n);
  for (let c = 0; c < k; c++) {
    chosen[c] = next;
    if (c === k - 1) break;
    // Squared distances of every row to the new centre: ||x||^2 - 2 x.c + ||c||^2.
    const dotT = tf.tidy(() => tf.matMul(data, tf.tensor2d(rows.subarray(next * dim, (next + 1) * dim), [dim, 1])));
    const dot = dotT.dataSync() as Float32Array;
    dotT.dispose();
    const cc = xx[next];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, xx[i] - 2 * dot[i] + cc);
      if (d < minD[i]) minD[i] = d;
      total += minD[i];
    }
    if (!(total > 0)) {
      // Every row coincides with a centre: take the first row not chosen yet.
      const taken = new Set(chosen.subarray(0, c + 1));
      next = 0;
      while (taken.has(next)) next++;
      continue;
    }
    const r = rng.next() * total;
    let acc = 0;
    next = -1;
    for (let i = 0; i < n; i++) {
      acc += minD[i];
      if (acc > r && minD[i] > 0) {
        next = i;
        break;
      }
    }
    if (next < 0) for (let i = n - 1; i >= 0; i--) if (minD[i] > 0) { next = i; break; } // rounding at the end of the sum
  }
  return chosen;
}

/** Nearest centroid of each row (labels) and its squared distance (dist), plus any re-seed moves. */
interface Assignment {
  labels: Int32Array;
  dist: Float32Array;
  /** Rows moved into empty clusters by {@link reseedEmpty}: `[cluster, row]` pairs. */
  moves: Array<[number, number]>;
}

function assign(p: Prepared, centroids: tf.Tensor2D): Assignment {
  const n = p.data.shape[0];
  const labels = new Int32Array(n);
  const dist = new Float32Array(n);
  // argmin_c ||x - c||^2 = argmax_c (x.c - ||c||^2 / 2): one matrix product of [x, 1] with
  // [C^T; -||c||^2 / 2]. (Transposed in memory once: matMul with transposeB is ~20x slower on wasm.)
  const cAug = tf.tidy(() => tf.concat([tf.transpose(centroids), tf.reshape(tf.mul(tf.sum(tf.square(centroids), 1), -0.5), [1, -1])], 0));
  try {
    for (const { start, aug } of p.chunks) {
      const [l, m] = tf.tidy(() => {
        const score = tf.matMul(aug, cAug);
        return [tf.argMax(score, 1), tf.max(score, 1)];
      });
      labels.set(l.dataSync() as Int32Array, start);
      const best = m.dataSync() as Float32Array;
      for (let i = 0; i < best.length; i++) dist[start + i] = Math.max(0, p.xx[start + i] - 2 * best[i]);
      l.dispose();
      m.dispose();
    }
  } finally {
    cAug.dispose();
  }
  return { labels, dist, moves: [] };
}

/**
 * Give each empty cluster the row farthest from its centroid among clusters that keep at least
 * one row (scikit-learn's relocation); updates `a` in place and returns how many were re-seeded.
 */
function reseedEmpty(a: Assignment, k: number): number {
  const sizes = new Int32Array(k);
  for (const l of a.labels) sizes[l]++;
  const empty: number[] = [];
  for (let j = 0; j < k; j++) if (sizes[j] === 0) empty.push(j);
  if (empty.length === 0) return 0;
  const order = Array.from(a.dist.keys()).sort((i, j) => a.dist[j] - a.dist[i] || i - j);
  let p = 0;
  for (const j of empty) {
    while (sizes[a.labels[order[p]]] < 2) p++; // n >= k guarantees a donor
    const row = order[p++];
    sizes[a.labels[row]]--;
    a.labels[row] = j;
    a.dist[row] = 0;
    sizes[j] = 1;
    a.moves.push([j, row]);
  }
  return empty.length;
}

/** Per-cluster means of the rows (renormalised for cosine); every cluster must be non-empty. */
function updateCentroids(data: tf.Tensor2D, labels: Int32Array, k: number, metric: 'euclidean' | 'cosine'): tf.Tensor2D {
  const counts = new Float32Array(k);
  for (const l of labels) counts[l]++;
  return tf.tidy(() => {
    const sums = tf.unsortedSegmentSum(data, tf.tensor1d(labels, 'int32'), k) as tf.Tensor2D;
    const means = tf.div(sums, tf.tensor2d(counts, [k, 1])) as tf.Tensor2D;
    return metric === 'cosine' ? normalizeRows(means) : means;
  });
}

/** A copy of `centroids` with row `j` replaced by `data` row `i` for each `[j, i]` of `moves`. */
function setRows(centroids: tf.Tensor2D, data: tf.Tensor2D, moves: Array<[number, number]>): tf.Tensor2D {
  const k = centroids.shape[0];
  const fromData = new Float32Array(k);
  const rows = new Int32Array(k);
  for (const [j, i] of moves) {
    fromData[j] = 1;
    rows[j] = i;
  }
  return tf.tidy(() => {
    const mask = tf.tensor2d(fromData, [k, 1]);
    const picked = tf.gather(data, tf.tensor1d(rows, 'int32'));
    return tf.add(tf.mul(centroids, tf.sub(1, mask)), tf.mul(picked, mask)) as tf.Tensor2D;
  });
}

function normalizeRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}

function equalArrays(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function checkFeatures(x: tf.Tensor, fn: string): [number, number] {
  if (x.rank !== 2) throw new RangeError(`${fn}: x must be a [n, dim] tensor, got shape [${x.shape}]`);
  if (x.dtype !== 'float32') throw new RangeError(`${fn}: x must be float32, got ${x.dtype}`);
  const [n, dim] = x.shape as [number, number];
  if (n < 1 || dim < 1) throw new RangeError(`${fn}: x is empty ([${n}, ${dim}])`);
  return [n, dim];
}

function checkOptions(opts: Partial<KMeansOptions>, n: number): Required<Pick<KMeansOptions, 'k' | 'metric' | 'maxIter' | 'tol' | 'chunk'>> {
  const k = opts.k as number;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`kMeans: k must be an integer in 1..${n} (the number of rows), got ${k}`);
  if (!(opts.rng instanceof Rng)) throw new RangeError('kMeans: rng must be an Rng (seeded generator)');
  const metric = opts.metric ?? 'euclidean';
  if (metric !== 'euclidean' && metric !== 'cosine') throw new RangeError(`kMeans: metric must be 'euclidean' or 'cosine', got ${JSON.stringify(metric)}`);
  const maxIter = opts.maxIter ?? 50;
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new RangeError(`kMeans: maxIter must be a non-negative integer, got ${maxIter}`);
  const tol = opts.tol ?? 1e-4;
  if (!(tol >= 0)) throw new RangeError(`kMeans: tol must be >= 0, got ${tol}`);
  const chunk = opts.chunk ?? Math.max(1, Math.floor(4_194_304 / k));
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`kMeans: chunk must be a positive integer, got ${chunk}`);
  return { k, metric, maxIter, tol, chunk };
}
