import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { embed } from '../../src/eval/embed';
import { compareEncoders, knnMonitor } from '../../src/eval/compare';

test('embed: final and per-block features, batched the same as unbatched, no leaks', async () => {
  await useCpu();
  const set = toySet(10, 8, 3, 2);
  const net = convNet({ inputChannels: 3, widths: [4, 6] }, new Rng(1));
  const before = tf.memory().numTensors;
  const all = embed(net, set, { batchSize: 100 });
  const batched = embed(net, set, { batchSize: 3 });
  assert.deepEqual(all.shape, [10, 6], 'final features: [n, last width]');
  const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(all, batched))).dataSync()[0]);
  assert.ok(diff < 1e-5, `batch size does not change features (max diff ${diff})`);
  const block0 = embed(net, set, { layer: 0, pool: 2 });
  assert.deepEqual(block0.shape, [10, 4 * 4], 'block 0 pooled to 2x2 cells of 4 channels');
  const some = embed(net, set, { indices: Int32Array.from([3, 7]) });
  assert.deepEqual(some.shape, [2, 6]);
  tf.dispose([all, batched, block0, some]);
  assert.equal(tf.memory().numTensors, before, 'embed leaves only what it returns');
  assert.throws(() => embed(net, set, { layer: 5 }), /layer must be 'final' or a block index 0..1, got 5/);
  assert.throws(() => embed(net, set, { batchSize: 0 }), /batchSize must be a positive integer/);
  net.params.dispose();
});

test('compareEncoders gives one row per encoder and contract-named metrics; the monitor measures kNN', async () => {
  await useCpu();
  const train = toySet(24, 8, 3, 2, 1);
  const test = toySet(12, 8, 3, 2, 2);
  const a = convNet({ inputChannels: 3, widths: [4] }, new Rng(1));
  const b = convNet({ inputChannels: 3, widths: [4] }, new Rng(2));
  const before = tf.memory().numTensors;
  const { rows, metrics } = await compareEncoders({ random: a, rotation: b }, train, test, { probe: { epochs: 3 }, knn: { k: 5 } });
  assert.deepEqual(rows.map((r) => r.encoder), ['random', 'rotation']);
  assert.deepEqual(Object.keys(metrics).sort(), ['random.knn', 'random.linear', 'rotation.knn', 'rotation.linear']);
  for (const v of Object.values(metrics)) assert.ok(v >= 0 && v <= 1, `accuracy ${v} in [0, 1]`);
  const monitor = knnMonitor(train, test, 8, 1)!;
  const m = await monitor(1, a);
  assert.ok(m.knn >= 0 && m.knn <= 1, 'monitor returns a kNN accuracy');
  assert.equal(knnMonitor(train, test, 0, 1), undefined, 'size 0 turns the monitor off');
  assert.equal(tf.memory().numTensors, before, 'evaluation leaves no tensors');
  a.params.dispose();
  b.params.dispose();
});
