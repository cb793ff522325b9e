import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classIndices, Rng, stratifiedSample, subset, subsetIndices, trainTestIndices, trainTestSplit } from '../../src/data';
import { toySet } from './fixtures';

const counts = (labels: ArrayLike<number>, k: number) => {
  const c = new Array(k).fill(0);
  for (let i = 0; i < labels.length; i++) c[labels[i]]++;
  return c;
};

describe('splits', () => {
  const set = toySet([30, 20, 50]);

  it('classIndices and subsetIndices', () => {
    assert.deepEqual(classIndices(set).map((x) => x.length), [30, 20, 50], 'per-class counts');
    assert.deepEqual(Array.from(subsetIndices(set, ['c1'])), Array.from({ length: 20 }, (_, i) => 30 + i), 'by name');
    assert.equal(subsetIndices(set, [0, 2]).length, 80, 'by index');
    assert.throws(() => subsetIndices(set, ['nope']), (e: unknown) => e instanceof RangeError && /classes/.test(e.message));
  });

  it('subset copies the chosen samples', () => {
    const s = subset(set, [5, 40, 5], 'mine');
    assert.deepEqual([s.n, s.name, Array.from(s.labels)], [3, 'mine', [0, 1, 0]], 'shape, name, labels');
    assert.deepEqual(Array.from(s.images.subarray(6, 12)), new Array(6).fill(40), 'pixels of sample 40');
    assert.throws(() => subset(set, [100]), (e: unknown) => e instanceof RangeError && /indices\[0\] = 100/.test(e.message));
  });

  it('stratifiedSample perClass: balanced, sorted, deterministic', () => {
    const a = stratifiedSample(set, { perClass: 10 }, new Rng(7));
    const b = stratifiedSample(set, { perClass: 10 }, new Rng(7));
    const c = stratifiedSample(set, { perClass: 10 }, new Rng(8));
    assert.deepEqual(Array.from(a), Array.from(b), 'same seed, same sample');
    assert.notDeepEqual(Array.from(a), Array.from(c), 'other seed, other sample');
    assert.deepEqual(counts(Array.from(a, (i) => set.labels[i]), 3), [10, 10, 10], 'balanced');
    assert.ok(a.every((v, i) => i === 0 || a[i - 1] < v), 'ascending, no repeats');
    assert.throws(() => stratifiedSample(set, { perClass: 21 }, new Rng(1)), (e: unknown) => e instanceof RangeError && /perClass = 21 .* "c1" .* only 20/.test(e.message));
    assert.throws(() => stratifiedSample(set, { perClass: 0 }, new Rng(1)), /perClass must be a positive integer/);
  });

  it('stratifiedSample total: spread evenly, small classes give way', () => {
    const s = stratifiedSample(set, { total: 31 }, new Rng(1));
    const c = counts(Array.from(s, (i) => set.labels[i]), 3);
    assert.equal(s.length, 31, 'total');
    assert.ok(Math.max(...c) - Math.min(...c) <= 1, `even: ${c}`);
    const big = counts(Array.from(stratifiedSample(set, { total: 90 }, new Rng(1)), (i) => set.labels[i]), 3);
    assert.deepEqual(big, [30, 20, 40], 'class c1 full, the rest shared');
    assert.throws(() => stratifiedSample(set, { total: 101 }, new Rng(1)), (e: unknown) => e instanceof RangeError && /total = 101/.test(e.message));
  });

  it('trainTestSplit: stratified, disjoint, complete, deterministic', () => {
    const { train, test } = trainTestIndices(set, 0.2, new Rng(3));
    assert.deepEqual(counts(Array.from(test, (i) => set.labels[i]), 3), [6, 4, 10], 'test has 20% of each class');
    assert.deepEqual([...train, ...test].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i), 'partition of all samples');
    assert.deepEqual(Array.from(trainTestIndices(set, 0.2, new Rng(3)).test), Array.from(test), 'deterministic');
    const sets = trainTestSplit({ ...set, name: 'pets/all' }, 0.2, new Rng(3));
    assert.deepEqual([sets.train.name, sets.test.name, sets.train.n, sets.test.n], ['pets/train', 'pets/test', 80, 20], 'named sets');
    assert.throws(() => trainTestIndices(set, 0, new Rng(1)), (e: unknown) => e instanceof RangeError && /testFraction/.test(e.message));
    assert.throws(() => trainTestIndices(set, 1.5, new Rng(1)), RangeError);
    assert.throws(() => trainTestIndices(toySet([1, 1]), 0.2, new Rng(1)), /leaves the test split .* empty/);
  });
});
