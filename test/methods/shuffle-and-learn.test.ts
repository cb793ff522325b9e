import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import type { ImageSet } from '../../src/data/image-set';
import { movingMnist } from '../../src/data/moving-mnist';
import { sampleTriples, sampleWindows } from '../../src/pretext/shuffle-and-learn';
import { convNet } from '../../src/models/conv-net';
import { pooledFeatures, tupleFeatures } from '../../src/models/triplet-fusion';
import { orderTrainingData, orderVerificationAccuracy, predictOrder, shuffleAndLearnTask } from '../../src/methods/shuffle-and-learn';
import { train } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

/** Tiny "Moving MNIST": 28x28 digits that are bright squares, on a 28+8 canvas, 12x12 frames. */
function toyVideo(sequences: number, seed: number) {
  const images = new Uint8Array(4 * 784);
  for (let k = 0; k < 4; k++) for (let r = 6 + k; r < 22; r++) for (let c = 6; c < 22 - k; c++) images[k * 784 + r * 28 + c] = 255;
  const digits: ImageSet = { name: 'squares', images, labels: Int32Array.from([0, 1, 2, 3]), classNames: ['0', '1', '2', '3'], n: 4, height: 28, width: 28, channels: 1 };
  return movingMnist(digits, { sequences, length: 10, size: 36, outputSize: 12, step: 0.3 }, new Rng(seed));
}

test('tupleFeatures: one shared pass, features concatenated in input order; pooledFeatures keeps a grid', async () => {
  await useCpu();
  const bb = convNet({ inputChannels: 1, widths: [4, 6] }, new Rng(1));
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const a = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const b = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 2) as tf.Tensor4D;
    const f = tupleFeatures(bb, [a, b], { grid: 2 });
    assert.deepEqual(f.shape, [3, 2 * 4 * 6], '[batch, parts * grid^2 * width]');
    const fb = pooledFeatures(bb.apply(b), 2);
    const diff = tf.max(tf.abs(tf.sub(tf.slice(f, [0, 24], [3, 24]), fb))).dataSync()[0];
    assert.ok(diff < 1e-5, `second part is b's features (max diff ${diff})`);
    const gap = pooledFeatures(bb.apply(a), 1);
    assert.deepEqual(gap.shape, [3, 6], 'grid 1: global average');
  });
  assert.equal(tf.memory().numTensors, before, 'no tensors left');
  bb.params.dispose();
});

test('shuffle-and-learn training: no tensor leaks across epochs; evaluation helpers leak nothing', async () => {
  await useCpu();
  const mm = toyVideo(6, 1);
  const windows = sampleWindows(mm, { count: 24, span: 6 }, new Rng(2));
  const bb = convNet({ inputChannels: 1, widths: [4, 8] }, new Rng(3));
  const { task, net } = shuffleAndLearnTask(bb, mm.frames, windows.frames, new Rng(4), { grid: 2, hidden: 8 });
  const before = tf.memory().numTensors;
  const r = await train(task, { epochs: 4, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 5, progress: silentProgressSink() });
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'tensors after training equal tensors before');
  assert.ok(r.history.every((h) => Number.isFinite(h.loss) && h.accuracy >= 0 && h.accuracy <= 1), 'loss and accuracy reported');
  const t = sampleTriples(windows.frames, new Rng(6));
  const p = predictOrder(net, mm.frames, t.frames, 5);
  assert.equal(p.length, 24, 'one probability per triple (in batches of 5)');
  assert.ok(p.every((v) => v >= 0 && v <= 1), 'probabilities');
  const acc = orderVerificationAccuracy(net, mm.frames, t.frames, t.labels);
  assert.ok(acc >= 0 && acc <= 1, 'accuracy in [0, 1]');
  assert.equal(tf.memory().numTensors, before, 'evaluation leaves no tensors');
  bb.params.dispose();
  net.head.params.dispose();
});

test('same seed, same order network', async () => {
  await useCpu();
  const run = async () => {
    const mm = toyVideo(4, 1);
    const windows = sampleWindows(mm, { count: 16, span: 6 }, new Rng(2));
    const bb = convNet({ inputChannels: 1, widths: [4] }, new Rng(3));
    const { task, net } = shuffleAndLearnTask(bb, mm.frames, windows.frames, new Rng(4), { grid: 1, hidden: 4 });
    const r = await train(task, { epochs: 1, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 5, progress: silentProgressSink() });
    const w = Array.from(net.head.params.get('w1').dataSync());
    bb.params.dispose();
    net.head.params.dispose();
    return { loss: r.history[0].loss, w };
  };
  assert.deepEqual(await run(), await run());
});

test('orderTrainingData: sources share one frame set; windows stay inside their own source', () => {
  const a = toyVideo(3, 1);
  const b = toyVideo(2, 2);
  const d = orderTrainingData([{ video: a, count: 10 }, { video: { ...b, name: 'other' }, count: 7 }], { span: 5 }, new Rng(1));
  assert.equal(d.frames.n, 50, 'all frames');
  assert.equal(d.windows.length, 17 * 5, 'all windows');
  assert.deepEqual(d.sources.map((s) => [s.firstFrame, s.firstWindow, s.windows]), [[0, 0, 10], [30, 10, 7]], 'offsets');
  for (let w = 0; w < 17; w++) {
    const f = Array.from(d.windows.subarray(w * 5, w * 5 + 5));
    assert.ok(w < 10 ? f.every((x) => x < 30) : f.every((x) => x >= 30), `window ${w} in its source`);
  }
  assert.deepEqual(d.frames.images.subarray(30 * 144), b.frames.images, 'second source copied after the first');
});
