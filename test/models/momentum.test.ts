import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { freezeParams, momentumCopy, momentumUpdate } from '../../src/models/momentum';
import { projectionHead } from '../../src/models/projection-head';

test('momentum copy: same values, nothing trainable, every variable still saved', async () => {
  await useCpu();
  const q = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const k = momentumCopy(() => convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(99)), q.params);
  assert.deepEqual(k.params.trainableList(), [], 'key encoder has no trainable variables');
  assert.equal(k.params.entries().length, q.params.entries().length, 'all variables kept as state');
  for (const [name, v] of q.params.entries()) assert.deepEqual(Array.from(k.params.get(name).dataSync()), Array.from(v.dataSync()), `${name} copied`);
  assert.ok(k.params.entries().every(([, v]) => !v.trainable), 'variables flagged non-trainable');
  q.params.dispose();
  k.params.dispose();
});

test('momentum update: theta_k <- m theta_k + (1 - m) theta_q on trainable variables only', async () => {
  await useCpu();
  const q = convNet({ inputChannels: 1, widths: [2] }, new Rng(1));
  const k = freezeParams(convNet({ inputChannels: 1, widths: [2] }, new Rng(2)).params);
  const before = Object.fromEntries(k.entries().map(([n, v]) => [n, Array.from(v.dataSync())]));
  q.params.get('block0/mean').assign(tf.fill([2], 5));
  momentumUpdate(k, q.params, 0.9);
  for (const [name, v] of q.params.trainable) {
    const qv = v.dataSync();
    const kv = k.get(name).dataSync();
    before[name].forEach((b, i) => assert.ok(Math.abs(kv[i] - (0.9 * b + 0.1 * qv[i])) < 1e-6, `${name}[${i}]`));
  }
  assert.deepEqual(Array.from(k.get('block0/mean').dataSync()), before['block0/mean'], 'running statistics are not averaged');
  momentumUpdate(k, q.params, 0);
  assert.deepEqual(Array.from(k.get('block0/conv').dataSync()), Array.from(q.params.get('block0/conv').dataSync()), 'm = 0 copies');
  assert.throws(() => momentumUpdate(k, q.params, 1.5), /momentum must be in \[0, 1\]/);
  q.params.dispose();
  k.dispose();
});

test('projection head outputs unit vectors of the requested size', async () => {
  await useCpu();
  const h = projectionHead(8, new Rng(1), { outDim: 5 });
  const z = h.apply(tf.randomNormal([3, 8], 0, 1, 'float32', 1) as tf.Tensor2D);
  assert.deepEqual(z.shape, [3, 5]);
  const n = tf.norm(z, 'euclidean', 1).dataSync();
  n.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-5, 'unit norm'));
  h.params.dispose();
});
