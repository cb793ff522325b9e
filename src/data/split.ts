import { validateImageSet, imageSize, type ImageSet } from './image-set';
import { Rng } from './rng';

/** Indices of each class's samples, ascending: `result[c]` lists the samples labelled `c`. */
export function classIndices(set: ImageSet): Int32Array[] {
  const counts = new Int32Array(set.classNames.length);
  for (let i = 0; i < set.n; i++) if (set.labels[i] >= 0) counts[set.labels[i]]++;
  const out = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(set.classNames.length);
  for (let i = 0; i < set.n; i++) {
    const l = set.labels[i];
    if (l >= 0) out[l][fill[l]++] = i;
  }
  return out;
}

/**
 * Indices (ascending) of the samples whose class is one of `classes`, given as class indices or
 * class names. An unknown class name or index is a `RangeError` naming `classes`.
 */
export function subsetIndices(set: ImageSet, classes: ReadonlyArray<number | string>): Int32Array {
  const keep = new Uint8Array(set.classNames.length);
  for (const c of classes) {
    const k = typeof c === 'string' ? set.classNames.indexOf(c) : c;
    if (!(Number.isInteger(k) && k >= 0 && k < set.classNames.length)) {
      throw new RangeError(`subsetIndices: classes contains ${JSON.stringify(c)}, which is not a class of ${set.name} (${set.classNames.join(', ')})`);
    }
    keep[k] = 1;
  }
  const out: number[] = [];
  for (let i = 0; i < set.n; i++) if (set.labels[i] >= 0 && keep[set.labels[i]]) out.push(i);
  return Int32Array.from(out);
}

/**
 * A new ImageSet holding copies of the samples at `indices`, in that order (repeats allowed).
 * Class names are kept whole, so labels keep their meaning. An index outside `0..n-1` is a
 * `RangeError` naming `indices`.
 *
 * @param name the new set's name (default `<set.name>[subset]`).
 */
export function subset(set: ImageSet, indices: ArrayLike<number>, name = `${set.name}[subset]`): ImageSet {
  const size = imageSize(set);
  const m = indices.length;
  const images = new Uint8Array(m * size);
  const labels = new Int32Array(m);
  for (let j = 0; j < m; j++) {
    const i = indices[j];
    if (!(Number.isInteger(i) && i >= 0 && i < set.n)) throw new RangeError(`subset: indices[${j}] = ${i} is outside 0..${set.n - 1} of ${set.name}`);
    images.set(set.images.subarray(i * size, (i + 1) * size), j * size);
    labels[j] = set.labels[i];
  }
  return validateImageSet({ ...set, name, images, labels, classNames: [...set.classNames], n: m });
}

/** How many samples {@link stratifiedSample} draws: the same number from each class, or a total. */
export type SampleSize = { perClass: number } | { total: number };

/**
 * Indices (ascending) of a class-balanced random sample, deterministic for a given `rng` state.
 * Only classes present in the set (and labelled samples) take part.
 *
 * - `{perClass: k}` draws `k` samples from each class; a class with fewer is a `RangeError`
 *   naming `perClass`.
 * - `{total: m}` spreads `m` as evenly as the classes allow (remainders go to randomly chosen
 *   classes; a class too small gives its share to the others); `m` larger than the labelled
 *   samples is a `RangeError` naming `total`.
 */
export function stratifiedSample(set: ImageSet, size: SampleSize, rng: Rng): Int32Array {
  const byClass = classIndices(set).map((ix, c) => ({ c, ix })).filter((g) => g.ix.length > 0);
  const quota = new Map<number, number>();
  if ('perClass' in size) {
    checkCount('stratifiedSample', 'perClass', size.perClass);
    for (const g of byClass) {
      if (g.ix.length < size.perClass) {
        throw new RangeError(`stratifiedSample: perClass = ${size.perClass} but class "${set.classNames[g.c]}" of ${set.name} has only ${g.ix.length} samples`);
      }
      quota.set(g.c, size.perClass);
    }
  } else {
    checkCount('stratifiedSample', 'total', size.total);
    const labelled = byClass.reduce((s, g) => s + g.ix.length, 0);
    if (size.total > labelled) throw new RangeError(`stratifiedSample: total = ${size.total} is more than the ${labelled} labelled samples of ${set.name}`);
    for (const g of byClass) quota.set(g.c, 0);
    let remaining = size.total;
    while (remaining > 0) {
      const open = byClass.filter((g) => quota.get(g.c)! < g.ix.length);
      const share = Math.floor(remaining / open.length);
      if (share === 0) {
        const order = rng.permutation(open.length);
        for (let k = 0; k < remaining; k++) quota.set(open[order[k]].c, quota.get(open[order[k]].c)! + 1);
        remaining = 0;
      } else {
        for (const g of open) {
          const add = Math.min(share, g.ix.length - quota.get(g.c)!);
          quota.set(g.c, quota.get(g.c)! + add);
          remaining -= add;
        }
      }
    }
  }
  const out: number[] = [];
  for (const g of byClass) out.push(...pick(g.ix, quota.get(g.c)!, rng));
  return Int32Array.from(out).sort();
}

/**
 * A seeded, stratified train/test split of sample indices: in each class (and among unlabelled
 * samples) `round(count * testFraction)` samples go to test. Both lists ascending.
 * `testFraction` outside (0, 1), or a split that would leave either side empty, is a
 * `RangeError` naming `testFraction`.
 */
export function trainTestIndices(set: ImageSet, testFraction: number, rng: Rng): { train: Int32Array; test: Int32Array } {
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`trainTestSplit: testFraction must be in (0, 1), got ${testFraction}`);
  const groups = classIndices(set).map((ix) => Array.from(ix));
  const unlabelled: number[] = [];
  for (let i = 0; i < set.n; i++) if (set.labels[i] < 0) unlabelled.push(i);
  groups.push(unlabelled);
  const train: number[] = [];
  const test: number[] = [];
  for (const g of groups) {
    const order = rng.permutation(g.length);
    const nTest = Math.round(g.length * testFraction);
    for (let k = 0; k < g.length; k++) (k < nTest ? test : train).push(g[order[k]]);
  }
  if (train.length === 0 || test.length === 0) {
    throw new RangeError(`trainTestSplit: testFraction = ${testFraction} leaves the ${train.length === 0 ? 'train' : 'test'} split of ${set.name} (${set.n} samples) empty`);
  }
  return { train: Int32Array.from(train).sort(), test: Int32Array.from(test).sort() };
}

/**
 * Split a set into train and test ImageSets (see {@link trainTestIndices}), named
 * `<base>/train` and `<base>/test` where `base` is the set's name without a trailing `/all`.
 */
export function trainTestSplit(set: ImageSet, testFraction: number, rng: Rng): { train: ImageSet; test: ImageSet } {
  const { train, test } = trainTestIndices(set, testFraction, rng);
  const base = set.name.replace(/\/all$/, '');
  return { train: subset(set, train, `${base}/train`), test: subset(set, test, `${base}/test`) };
}

function pick(ix: Int32Array, k: number, rng: Rng): number[] {
  const a = Array.from(ix);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i]; a[i] = a[j]; a[j] = t;
  }
  return a.slice(0, k);
}

function checkCount(fn: string, param: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`${fn}: ${param} must be a positive integer, got ${v}`);
}

/**
 * The class-balanced CIFAR-10 subset every notebook draws: `stratifiedSample(full, {total},
 * new Rng(seed).fork(split))`, named `cifar10/<split>[<total>]`. The same call gives the same
 * images and name, so a checkpoint trained on it in one notebook is restored in another.
 */
export function cifarSubset(full: ImageSet, total: number, seed: number, split: 'train' | 'test' = 'train'): ImageSet {
  return subset(full, stratifiedSample(full, { total }, new Rng(seed).fork(split)), `cifar10/${split}[${total}]`);
}
