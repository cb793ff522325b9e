import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchIndices, Rng } from '../../src/data';

describe('batchIndices', () => {
  it('covers every index once per epoch, in seeded order', () => {
    const rng = new Rng(5);
    const e1 = batchIndices(10, 4, rng);
    const e2 = batchIndices(10, 4, rng);
    assert.deepEqual(e1.map((b) => b.length), [4, 4, 2], 'batch sizes, last one short');
    assert.deepEqual(e1.flatMap((b) => Array.from(b)).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'a permutation');
    assert.notDeepEqual(e1.map((b) => Array.from(b)), e2.map((b) => Array.from(b)), 'next epoch, new order');
    const again = new Rng(5);
    assert.deepEqual(batchIndices(10, 4, again).map((b) => Array.from(b)), e1.map((b) => Array.from(b)), 'same seed, same epoch');
  });

  it('dropLast and no shuffle', () => {
    assert.deepEqual(batchIndices(10, 4, new Rng(1), { dropLast: true }).map((b) => b.length), [4, 4], 'short batch dropped');
    assert.deepEqual(batchIndices(5, 2, new Rng(1), { shuffle: false }).map((b) => Array.from(b)), [[0, 1], [2, 3], [4]], 'in order');
  });

  it('rejects bad sizes with a RangeError naming the parameter', () => {
    assert.throws(() => batchIndices(10, 0, new Rng(1)), (e: unknown) => e instanceof RangeError && /batchSize must be a positive integer/.test(e.message));
    assert.throws(() => batchIndices(10, -2, new Rng(1)), /batchSize/);
    assert.throws(() => batchIndices(0, 2, new Rng(1)), /n must be a positive integer/);
    assert.throws(() => batchIndices(10, 11, new Rng(1)), /batchSize = 11 is larger than the data \(n = 10\)/);
  });
});
