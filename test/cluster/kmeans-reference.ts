import { Rng } from '../../src/data/rng';

/**
 * Slow plain-loop references for kMeans / kMeansPlusPlus: float64, one row at a time, the same
 * rules (D^2 seeding with the same draws; Lloyd with farthest-row re-seeding; scikit-learn's tol;
 * stop on unchanged assignments; a final assignment after the last update).
 */
export function refNormalize(x: number[][]): number[][] {
  return x.map((r) => {
    const n = Math.sqrt(r.reduce((s, v) => s + v * v, 0)) + 1e-12;
    return r.map((v) => v / n);
  });
}

const sqDist = (a: number[], b: number[]) => a.reduce((s, v, d) => s + (v - b[d]) ** 2, 0);

export function refKMeansPlusPlus(x: number[][], k: number, rngIn: Rng): number[] {
  const rng = rngIn.fork('kmeans++');
  const n = x.length;
  const minD = new Array<number>(n).fill(Infinity);
  const chosen: number[] = [];
  let next = rng.int(n);
  for (let c = 0; c < k; c++) {
    chosen.push(next);
    if (c === k - 1) break;
    let total = 0;
    for (let i = 0; i < n; i++) {
      minD[i] = Math.min(minD[i], sqDist(x[i], x[next]));
      total += minD[i];
    }
    const r = rng.next() * total;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      acc += minD[i];
      if (acc > r && minD[i] > 0) { next = i; break; }
    }
  }
  return chosen;
}

export function refKMeans(x: number[][], init: number[][], opts: { maxIter: number; tol: number; cosine?: boolean }) {
  const data = opts.cosine ? refNormalize(x) : x;
  const n = data.length;
  const dim = data[0].length;
  const k = init.length;
  let c = opts.cosine ? refNormalize(init) : init.map((r) => [...r]);
  const means = Array.from({ length: dim }, (_, d) => data.reduce((s, r) => s + r[d], 0) / n);
  const meanVar = means.reduce((s, m, d) => s + data.reduce((t, r) => t + (r[d] - m) ** 2, 0) / n, 0) / dim;
  const tolAbs = opts.tol * meanVar;
  const assign = () => {
    const labels = new Array<number>(n);
    const dist = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bd = Infinity;
      for (let j = 0; j < k; j++) {
        const d = sqDist(data[i], c[j]);
        if (d < bd) { bd = d; best = j; }
      }
      labels[i] = best;
      dist[i] = bd;
    }
    return { labels, dist };
  };
  let a = assign();
  let prev: number[] | null = null;
  let iterations = 0;
  let converged = false;
  for (;;) {
    if (prev && a.labels.every((l, i) => l === prev![i])) { converged = true; break; }
    if (iterations >= opts.maxIter) break;
    const counts = new Array<number>(k).fill(0);
    for (const l of a.labels) counts[l]++;
    if (counts.some((v) => v === 0)) throw new Error('refKMeans: an empty cluster (the reference does not re-seed; use separable data)');
    let next = Array.from({ length: k }, () => new Array<number>(dim).fill(0));
    for (let i = 0; i < n; i++) for (let d = 0; d < dim; d++) next[a.labels[i]][d] += data[i][d] / counts[a.labels[i]];
    if (opts.cosine) next = refNormalize(next);
    const shift = next.reduce((s, r, j) => s + sqDist(r, c[j]), 0);
    c = next;
    iterations++;
    prev = a.labels;
    a = assign();
    if (shift <= tolAbs) { converged = true; break; }
  }
  return { centroids: c, assignments: a.labels, inertia: a.dist.reduce((s, v) => s + v, 0), iterations, converged };
}
