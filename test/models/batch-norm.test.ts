import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, maxRelError } from '../helpers';
import { batchNormTrain, batchNormInfer } from '../../src/models/batch-norm';

/** Plain batch norm written with autodiff-able ops: the slow reference. */
function reference(x: tf.Tensor, g: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const mean = tf.mean(x, axes);
  const v = tf.mean(tf.square(tf.sub(x, mean)), axes);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(v, 1e-5))), g), b);
}

test('batchNormTrain: value and gradients match autodiff of the plain formula', async () => {
  await useCpu();
  for (const shape of [[4, 3, 3, 5], [6, 7]]) {
    const c = shape[shape.length - 1];
    const x = tf.randomNormal(shape, 1, 2, 'float32', 3);
    const g = tf.randomNormal([c], 1, 0.3, 'float32', 4);
    const b = tf.randomNormal([c], 0, 0.3, 'float32', 5);
    const w = tf.randomNormal(shape, 0, 1, 'float32', 6); // a loss that weights outputs unevenly
    const lossOf = (f: (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.Tensor) => (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) =>
      tf.sum(tf.mul(f(xx, gg, bb), w)) as tf.Scalar;
    const ours = tf.grads(lossOf((xx, gg, bb) => batchNormTrain(xx, gg as tf.Tensor1D, bb as tf.Tensor1D).y))([x, g, b]);
    const ref = tf.grads(lossOf(reference))([x, g, b]);
    ['dx', 'dgamma', 'dbeta'].forEach((name, i) => {
      const e = maxRelError(ours[i].dataSync(), ref[i].dataSync());
      assert.ok(e < 1e-4, `${name} for shape [${shape}]: relative error ${e}`);
    });
    const y = batchNormTrain(x, g as tf.Tensor1D, b as tf.Tensor1D);
    const yr = reference(x, g, b);
    assert.ok(maxRelError(y.y.dataSync(), yr.dataSync()) < 1e-4, `value for shape [${shape}]`);
    tf.dispose([x, g, b, w, ...ours, ...ref, y.y, y.mean, y.variance, yr]);
  }
});

test('batchNormInfer with the batch statistics equals batchNormTrain', async () => {
  await useCpu();
  const x = tf.randomNormal([8, 2, 2, 3], 0, 1, 'float32', 9);
  const g = tf.tensor1d([1, 2, 0.5]);
  const b = tf.tensor1d([0, 1, -1]);
  const t = batchNormTrain(x, g, b);
  const i = batchNormInfer(x, g, b, t.mean, t.variance);
  assert.ok(maxRelError(i.dataSync(), t.y.dataSync()) < 1e-4);
  tf.dispose([x, g, b, t.y, t.mean, t.variance, i]);
});
