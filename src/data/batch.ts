import type { Rng } from './rng';

/** Options for {@link batchIndices}. */
export interface BatchOptions {
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Shuffle the order (default true); `false` gives 0..n-1 in order. */
  shuffle?: boolean;
}

/**
 * One epoch of mini-batches over `n` samples: a seeded permutation of `0..n-1` cut into batches
 * of `batchSize` (the last one smaller unless `dropLast`). Call it once per epoch with the same
 * `rng` for a fresh order each epoch; the same seed gives the same epochs.
 *
 * `n` or `batchSize` not a positive integer, or `batchSize > n`, is a `RangeError` naming the
 * parameter.
 */
export function batchIndices(n: number, batchSize: number, rng: Rng, opts: BatchOptions = {}): Int32Array[] {
  if (!(Number.isInteger(n) && n > 0)) throw new RangeError(`batchIndices: n must be a positive integer, got ${n}`);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batchIndices: batchSize must be a positive integer, got ${batchSize}`);
  if (batchSize > n) throw new RangeError(`batchIndices: batchSize = ${batchSize} is larger than the data (n = ${n}); use a smaller batchSize`);
  let order: Int32Array;
  if (opts.shuffle === false) {
    order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
  } else {
    order = rng.permutation(n);
  }
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) {
    const b = order.subarray(s, Math.min(n, s + batchSize));
    if (b.length < batchSize && opts.dropLast) break;
    out.push(b);
  }
  return out;
}
