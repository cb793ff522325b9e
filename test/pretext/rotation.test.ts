import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { rotate90, rotationBatch, rotateImageBytes } from '../../src/pretext/rotation';

test('rotate90 matches the byte-level reference for k = 0..3 and composes to identity', async () => {
  await useCpu();
  const s = 5;
  const c = 2;
  const img = Uint8Array.from({ length: s * s * c }, (_, i) => (i * 37) % 251);
  const x = tf.tensor4d(Float32Array.from(img), [1, s, s, c]);
  for (let k = 0; k < 4; k++) {
    const r = rotate90(x, k);
    assert.deepEqual(Array.from(r.dataSync()), Array.from(rotateImageBytes(img, s, c, k)), `rotation k=${k}`);
    r.dispose();
  }
  // top-right corner goes to top-left under a counter-clockwise quarter turn
  const r1 = rotateImageBytes(img, s, c, 1);
  assert.equal(r1[0], img[(s - 1) * c], 'CCW: out[0][0] = in[0][s-1]');
  const four = rotate90(rotate90(rotate90(rotate90(x, 1), 1), 1), 1);
  assert.deepEqual(Array.from(four.dataSync()), Array.from(img), 'four quarter turns are the identity');
  tf.dispose([x, four]);
});

test('rotationBatch gives 4B inputs, rotation-major, labels 0..3', async () => {
  await useCpu();
  const x = tf.randomUniform([3, 4, 4, 1]) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const { inputs, labels } = rotationBatch(x);
  assert.deepEqual(inputs.shape, [12, 4, 4, 1], 'inputs shape');
  assert.deepEqual(Array.from(labels.dataSync()), [0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3], 'labels');
  const [second, ref] = tf.tidy(() => [tf.slice(inputs, [4], [1]).dataSync(), rotate90(tf.slice(x, [1], [1]) as tf.Tensor4D, 1).dataSync()]);
  assert.deepEqual(Array.from(second), Array.from(ref), 'image 1 at 90 degrees sits at index B+1');
  tf.dispose([inputs, labels]);
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  x.dispose();
});

test('rotate90 rejects non-square images', async () => {
  await useCpu();
  const x = tf.zeros([1, 4, 5, 3]) as tf.Tensor4D;
  assert.throws(() => rotate90(x, 1), /square/);
  x.dispose();
});
