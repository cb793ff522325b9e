import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { toLabelTensor, toTensor } from '../../src/data';
import { toySet } from './fixtures';

describe('toTensor', () => {
  it('gives float32 [b,h,w,c] in [0,1] for the chosen indices, and owns no hidden tensors', async () => {
    await tf.setBackend('cpu');
    const set = toySet([2, 2]);
    set.images[3 * 6] = 255;
    const before = tf.memory().numTensors;
    const x = toTensor(set, [3, 1]);
    const y = toLabelTensor(set, [3, 1]);
    assert.deepEqual([x.shape, x.dtype, y.shape, y.dtype], [[2, 2, 3, 1], 'float32', [2], 'int32'], 'shapes and types');
    const v = await x.data();
    assert.equal(v[0], 1, '255 -> 1');
    assert.ok(Math.abs(v[1] - 3 / 255) < 1e-7, '3 -> 3/255');
    assert.ok(Math.abs(v[6] - 1 / 255) < 1e-7, 'second image is sample 1');
    assert.deepEqual(Array.from(await y.data()), [1, 0], 'labels');
    const all = toTensor(set);
    assert.deepEqual(all.shape, [4, 2, 3, 1], 'all samples by default');
    tf.dispose([x, y, all]);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
    assert.throws(() => toTensor(set, [4]), (e: unknown) => e instanceof RangeError && /indices\[0\] = 4/.test(e.message));
    assert.throws(() => toTensor(set, []), /indices is empty/);
  });
});
