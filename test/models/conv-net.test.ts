import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { linearHead } from '../../src/models/linear-head';
import { mlpHead } from '../../src/models/mlp-head';

test('convNet: feature and tap shapes, parameter count of the benchmark CNN, seeded init', async () => {
  await useCpu();
  const net = convNet({ inputChannels: 3 }, new Rng(1));
  assert.equal(net.featureDim, 128);
  // conv weights 3*3*(3*32 + 32*64 + 64*128) + batch-norm scale and shift 2*(32+64+128)
  assert.equal(net.params.count(), 9 * (96 + 2048 + 8192) + 2 * 224, 'trainable parameters');
  const x = tf.randomUniform([2, 32, 32, 3]) as tf.Tensor4D;
  const out = net.apply(x);
  assert.deepEqual(out.features.shape, [2, 128], 'GAP features');
  assert.deepEqual(out.taps.map((t) => t.shape), [[2, 16, 16, 32], [2, 8, 8, 64], [2, 8, 8, 128]], 'a tap after each block');
  tf.dispose([out.features, ...out.taps]);
  const mid = tf.memory().numTensors;
  tf.tidy(() => net.apply(x).features).dispose();
  assert.equal(tf.memory().numTensors, mid, 'a tidied forward pass leaves no tensors');
  const again = convNet({ inputChannels: 3 }, new Rng(1));
  assert.deepEqual(Array.from(again.params.get('block0/conv').dataSync()), Array.from(net.params.get('block0/conv').dataSync()), 'same seed, same weights');
  assert.throws(() => net.apply(tf.zeros([1, 8, 8, 1]) as tf.Tensor4D), /expected \[batch, h, w, 3\] input, got \[1,8,8,1\]/);
  assert.throws(() => convNet({ inputChannels: 0 }, new Rng(1)), /inputChannels must be a positive integer/);
  assert.throws(() => convNet({ inputChannels: 1, widths: [8, -2] }, new Rng(1)), /widths must be positive integers/);
  [net, again].forEach((n) => n.params.dispose());
  x.dispose();
});

test('training mode updates the batch-norm running statistics; inference mode does not', async () => {
  await useCpu();
  const net = convNet({ inputChannels: 1, widths: [4] }, new Rng(2));
  const x = tf.add(tf.mul(tf.randomNormal([8, 6, 6, 1], 0, 1, 'float32', 1), 0.2), 0.7) as tf.Tensor4D;
  const m0 = Array.from(net.params.get('block0/mean').dataSync());
  tf.tidy(() => net.apply(x).features);
  assert.deepEqual(Array.from(net.params.get('block0/mean').dataSync()), m0, 'inference leaves running mean');
  tf.tidy(() => net.apply(x, { training: true }).features);
  assert.notDeepEqual(Array.from(net.params.get('block0/mean').dataSync()), m0, 'training moves running mean');
  net.params.dispose();
  x.dispose();
});

test('heads: linear and MLP shapes and argument checks', async () => {
  await useCpu();
  const x = tf.randomNormal([5, 12]) as tf.Tensor2D;
  const lin = linearHead(12, 4, new Rng(1));
  const mlp = mlpHead(12, 24, 4, new Rng(1));
  const [a, b] = [lin.apply(x), mlp.apply(x)];
  assert.deepEqual(a.shape, [5, 4]);
  assert.deepEqual(b.shape, [5, 4]);
  assert.equal(mlp.params.count(), 12 * 24 + 24 + 24 * 4 + 4);
  assert.throws(() => linearHead(0, 4, new Rng(1)), /inDim must be a positive integer/);
  assert.throws(() => mlpHead(3, 0, 4, new Rng(1)), /hidden must be a positive integer/);
  tf.dispose([x, a, b]);
  lin.params.dispose();
  mlp.params.dispose();
});
