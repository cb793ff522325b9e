/**
 * Agreement between two partitions of the same n items (e.g. k-means clusters vs class labels).
 * Pure functions on plain arrays of non-negative integer ids; ids need not be contiguous.
 */

/** Counts of a partition pair: `table[i][j]` items with `a` id `aIds[i]` and `b` id `bIds[j]`. */
export interface Contingency {
  table: number[][];
  aIds: number[];
  bIds: number[];
  /** Row sums (items per `a` id) and column sums (items per `b` id). */
  aSizes: number[];
  bSizes: number[];
  n: number;
}

/** The contingency table of two partitions (ids sorted ascending). */
export function contingency(a: ArrayLike<number>, b: ArrayLike<number>): Contingency {
  checkPair(a, b, 'contingency');
  const aIds = [...new Set(Array.from(a))].sort((x, y) => x - y);
  const bIds = [...new Set(Array.from(b))].sort((x, y) => x - y);
  const ai = new Map(aIds.map((v, i) => [v, i]));
  const bi = new Map(bIds.map((v, i) => [v, i]));
  const table = aIds.map(() => new Array<number>(bIds.length).fill(0));
  for (let t = 0; t < a.length; t++) table[ai.get(a[t])!][bi.get(b[t])!]++;
  const aSizes = table.map((row) => row.reduce((s, v) => s + v, 0));
  const bSizes = bIds.map((_, j) => table.reduce((s, row) => s + row[j], 0));
  return { table, aIds, bIds, aSizes, bSizes, n: a.length };
}

/**
 * Normalised mutual information, `I(A; B) / ((H(A) + H(B)) / 2)` (the arithmetic-mean
 * normalisation, scikit-learn's default; Strehl & Ghosh 2002 use the geometric mean), natural
 * logs. 1 for identical partitions up to renaming, near 0 for independent ones. When both
 * partitions have one cluster it is 1; when only one has, 0.
 */
export function nmi(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const c = contingency(a, b);
  const ha = entropy(c.aSizes, c.n);
  const hb = entropy(c.bSizes, c.n);
  if (ha === 0 && hb === 0) return 1;
  let mi = 0;
  for (let i = 0; i < c.aIds.length; i++) {
    for (let j = 0; j < c.bIds.length; j++) {
      const nij = c.table[i][j];
      if (nij > 0) mi += (nij / c.n) * Math.log((nij * c.n) / (c.aSizes[i] * c.bSizes[j]));
    }
  }
  const denom = (ha + hb) / 2;
  return denom > 0 ? Math.min(1, Math.max(0, mi / denom)) : 0;
}

/**
 * Adjusted Rand index (Hubert & Arabie 1985): the Rand index of pair agreements, corrected for
 * chance, `(sum_ij C(n_ij,2) - E) / ((sum_i C(a_i,2) + sum_j C(b_j,2)) / 2 - E)` with
 * `E = sum_i C(a_i,2) sum_j C(b_j,2) / C(n,2)`. 1 for identical partitions, about 0 for
 * independent ones, negative below chance. Degenerate cases (every item alone in both, or
 * one cluster in both) give 1, as in scikit-learn.
 */
export function adjustedRandIndex(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const c = contingency(a, b);
  const pairs = (m: number) => (m * (m - 1)) / 2;
  let sumIJ = 0;
  for (const row of c.table) for (const v of row) sumIJ += pairs(v);
  const sumA = c.aSizes.reduce((s, v) => s + pairs(v), 0);
  const sumB = c.bSizes.reduce((s, v) => s + pairs(v), 0);
  const total = pairs(c.n);
  if (total === 0) return 1;
  const expected = (sumA * sumB) / total;
  const max = (sumA + sumB) / 2;
  if (max === expected) return 1;
  return (sumIJ - expected) / (max - expected);
}

/** One cluster's make-up, from {@link clusterPurity}. */
export interface ClusterMakeup {
  cluster: number;
  size: number;
  /** The most frequent label in the cluster (the smallest on a tie). */
  majority: number;
  /** Fraction of the cluster carrying `majority`. */
  purity: number;
}

/**
 * Purity of a clustering against labels: the fraction of items whose label is their cluster's
 * majority label (1 when every cluster is one class; rises with the number of clusters).
 * Also each cluster's size, majority label and purity, in cluster-id order.
 */
export function clusterPurity(clusters: ArrayLike<number>, labels: ArrayLike<number>): { purity: number; clusters: ClusterMakeup[] } {
  const c = contingency(clusters, labels);
  let agree = 0;
  const out = c.aIds.map((cluster, i) => {
    let best = 0;
    for (let j = 1; j < c.bIds.length; j++) if (c.table[i][j] > c.table[i][best]) best = j;
    agree += c.table[i][best];
    return { cluster, size: c.aSizes[i], majority: c.bIds[best], purity: c.table[i][best] / c.aSizes[i] };
  });
  return { purity: agree / c.n, clusters: out };
}

function entropy(sizes: number[], n: number): number {
  let h = 0;
  for (const s of sizes) if (s > 0) h -= (s / n) * Math.log(s / n);
  return h;
}

function checkPair(a: ArrayLike<number>, b: ArrayLike<number>, fn: string): void {
  if (a.length !== b.length) throw new RangeError(`${fn}: the partitions label ${a.length} and ${b.length} items; they must label the same items`);
  if (a.length === 0) throw new RangeError(`${fn}: the partitions are empty`);
  for (const [name, p] of [['a', a], ['b', b]] as const) {
    for (let i = 0; i < p.length; i++) {
      if (!Number.isInteger(p[i]) || p[i] < 0) throw new RangeError(`${fn}: ${name}[${i}] = ${p[i]} is not a non-negative integer id`);
    }
  }
}
