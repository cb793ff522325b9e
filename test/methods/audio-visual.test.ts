import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { correspondencePairs } from '../../src/pretext/av-pairs';
import { convNet } from '../../src/models/conv-net';
import { audioVisualTask, correspondenceAccuracy, correspondenceScores, crossModalRetrieval, precisionAtK } from '../../src/methods/audio-visual';
import { train } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

// Toy modalities: "images" 8x8x1 and "spectrograms" 6x10x1, both with two learnable classes.
const images = toySet(32, 8, 1, 2, 1);
const sounds = { ...toySet(24, 8, 1, 2, 2), name: 'toy-sounds' };

function build(seed: number) {
  const rng = new Rng(seed);
  const vision = convNet({ inputChannels: 1, widths: [4, 8] }, rng.fork('v'));
  const audio = convNet({ inputChannels: 1, widths: [4, 8] }, rng.fork('a'));
  const { task, net } = audioVisualTask(vision, audio, images, sounds, rng.fork('av'), { hidden: 8 });
  return { task, net, dispose: () => [vision.params, audio.params, net.head.params].forEach((p) => p.dispose()) };
}

test('audio-visual training: no tensor leaks across epochs; the loss falls; evaluation leaks nothing', async () => {
  await useCpu();
  const m = build(1);
  const before = tf.memory().numTensors;
  const r = await train(m.task, { epochs: 5, batchSize: 6, optimizer: { name: 'adam', lr: 0.02, schedule: 'constant' }, seed: 3, progress: silentProgressSink() });
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'tensors after training equal tensors before');
  assert.ok(r.history[4].loss < r.history[0].loss, `loss falls over 20 steps: ${r.history[0].loss} -> ${r.history[4].loss}`);
  const pairs = correspondencePairs(Int32Array.from({ length: sounds.n }, (_, i) => i), sounds.labels, images.labels, new Rng(9));
  const s = correspondenceScores(m.net, images, sounds, pairs, 7);
  assert.equal(s.length, sounds.n, 'a score per pair (batches of 7)');
  const acc = correspondenceAccuracy(m.net, images, sounds, pairs);
  assert.ok(acc >= 0 && acc <= 1, 'accuracy');
  const ret = crossModalRetrieval(m.net, images, sounds, 'sound-to-image', [0, 1, 2], 5);
  assert.equal(ret.indices.length, 15, 'k results per query');
  assert.ok(ret.indices.every((i) => i >= 0 && i < images.n), 'image indices');
  for (let q = 0; q < 3; q++) for (let j = 1; j < 5; j++) assert.ok(ret.scores[q * 5 + j] <= ret.scores[q * 5 + j - 1], 'best first');
  const back = crossModalRetrieval(m.net, images, sounds, 'image-to-sound', [4], 3);
  assert.ok(back.indices.every((i) => i >= 0 && i < sounds.n), 'sound indices');
  assert.equal(tf.memory().numTensors, before, 'evaluation leaves no tensors');
  m.dispose();
});

test('precisionAtK counts retrieved items of the query class', () => {
  assert.equal(precisionAtK(Int32Array.from([0, 1, 2, 3]), 2, [1, 0], Int32Array.from([1, 0, 0, 0])), 0.75);
  assert.throws(() => precisionAtK(new Int32Array(3), 2, [1, 0], new Int32Array(4)), /3 results for 2 queries/);
});
