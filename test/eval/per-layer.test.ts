import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { embed } from '../../src/eval/embed';
import { LayerRow, accuracyGapSe, embedBlocks, pairedGapSe, layerPeaks, perLayerCurve, perLayerEvaluation } from '../../src/eval/per-layer';
import { validateMetric } from '../../src/viz/results';

test('embedBlocks: one pass gives, per 1-based block k, exactly embed(layer: k - 1); no leaks', async () => {
  await useCpu();
  const set = toySet(10, 8, 3, 2);
  const net = convNet({ inputChannels: 3, widths: [4, 6, 5] }, new Rng(1));
  const before = tf.memory().numTensors;
  const blocks = embedBlocks(net, set, { batchSize: 3 });
  assert.equal(blocks.length, 3, 'every block by default');
  for (let k = 1; k <= 3; k++) {
    const ref = embed(net, set, { layer: k - 1, pool: 2 });
    assert.deepEqual(blocks[k - 1].shape, ref.shape, `block ${k}: shape`);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(blocks[k - 1], ref))).dataSync()[0]);
    assert.ok(diff < 1e-5, `block ${k}: equals embed(layer: ${k - 1}) (max diff ${diff})`);
    ref.dispose();
  }
  // 8x8 input: block 1 is max-pooled to 4x4, block 2 to 2x2, block 3 stays 2x2; pooled to 2x2 cells.
  assert.deepEqual(blocks.map((b) => b.shape[1]), [4 * 4, 4 * 6, 4 * 5], 'dims: 4 cells x width');
  const some = embedBlocks(net, set, { blocks: [3, 1], pool: 1 });
  assert.deepEqual(some.map((b) => b.shape), [[10, 5], [10, 4]], 'chosen blocks in the given order, pool 1 = global average');
  tf.dispose([...blocks, ...some]);
  assert.equal(tf.memory().numTensors, before, 'only the returned tensors are created');
  assert.throws(() => embedBlocks(net, set, { blocks: [0] }), /blocks are numbered 1..3 \(1-based\), got 0/);
  assert.throws(() => embedBlocks(net, set, { blocks: [4] }), /got 4/);
  assert.throws(() => embedBlocks(net, set, { pool: 0 }), /pool must be a positive integer/);
  net.params.dispose();
});

test('perLayerEvaluation: a row per encoder and block, contract-named metrics the validator accepts, no leaks', async () => {
  await useCpu();
  const train = toySet(24, 8, 3, 2, 1);
  const test = toySet(12, 8, 3, 2, 2);
  const a = convNet({ inputChannels: 3, widths: [4, 6] }, new Rng(1));
  const b = convNet({ inputChannels: 3, widths: [4, 6] }, new Rng(2));
  const before = tf.memory().numTensors;
  const seen: string[] = [];
  const { rows, metrics } = await perLayerEvaluation({ random: a, rotation: b }, train, test, {
    probe: { epochs: 2 },
    knn: { k: 5 },
    onBlock: (r) => seen.push(`${r.encoder}:${r.block}`),
  });
  assert.deepEqual(rows.map((r) => `${r.encoder}:${r.block}`), ['random:1', 'random:2', 'rotation:1', 'rotation:2'], 'encoder-major, blocks 1-based');
  assert.deepEqual(seen, ['random:1', 'random:2', 'rotation:1', 'rotation:2'], 'progress callback per block, with the encoder');
  assert.deepEqual(rows.map((r) => r.dim), [16, 24, 16, 24], 'pooled dims');
  assert.deepEqual(Object.keys(metrics).sort(), [
    'random.knn.block1', 'random.knn.block2', 'random.linear.block1', 'random.linear.block2',
    'rotation.knn.block1', 'rotation.knn.block2', 'rotation.linear.block1', 'rotation.linear.block2',
  ]);
  for (const [k, v] of Object.entries(metrics)) assert.doesNotThrow(() => validateMetric(k, v), `${k} passes the results validator`);
  assert.equal(metrics['rotation.linear.block2'], rows[3].linear, 'metric = row value');
  for (const r of rows) {
    assert.equal(r.linearPredictions.length, test.n, 'a linear prediction per test image');
    const knnAcc = r.knnPredictions.filter((p, i) => p === test.labels[i]).length / test.n;
    assert.equal(r.knn, knnAcc, 'kNN accuracy = accuracy of its predictions');
  }
  assert.equal(tf.memory().numTensors, before, 'evaluation leaves no tensors');
  a.params.dispose();
  b.params.dispose();
});

test('perLayerCurve pivots to one row per block; layerPeaks finds the peak and the last-block drop', () => {
  const row = (encoder: string, block: number, linear: number): LayerRow => ({ encoder, block, dim: 4, knn: linear / 2, linear, linearTrain: 1, knnPredictions: new Int32Array(4), linearPredictions: Int32Array.from([block, 1, 2, 3]), seconds: 0 });
  const rows = [row('random', 1, 0.3), row('random', 2, 0.35), row('random', 3, 0.4), row('rotation', 3, 0.38), row('rotation', 1, 0.32), row('rotation', 2, 0.45)];
  assert.deepEqual(perLayerCurve(rows), [
    { block: 1, random: 0.3, rotation: 0.32 },
    { block: 2, random: 0.35, rotation: 0.45 },
    { block: 3, random: 0.4, rotation: 0.38 },
  ]);
  assert.deepEqual(perLayerCurve(rows, 'knn')[1], { block: 2, random: 0.175, rotation: 0.225 }, 'kNN values');
  const peaks = layerPeaks(rows);
  assert.deepEqual(peaks[0], { encoder: 'random', peakBlock: 3, peak: 0.4, lastBlock: 3, last: 0.4, drop: 0, dropSe: NaN }, 'random: peak at the last block');
  assert.equal(peaks[1].peakBlock, 2, 'rotation peaks at block 2');
  assert.ok(Math.abs(peaks[1].drop - 0.07) < 1e-12, 'rotation: 7 points lost at the last block');
  // With labels [2, 1, 2, 0]: block 2 predicts [2, 1, 2, 3] (3 right), block 3 [3, 1, 2, 3] (2 right): d = [1, 0, 0, 0].
  const withSe = layerPeaks(rows, 'linear', Int32Array.from([2, 1, 2, 0]));
  assert.ok(Math.abs(withSe[1].dropSe - pairedGapSe(Int32Array.from([2, 1, 2, 3]), Int32Array.from([3, 1, 2, 3]), Int32Array.from([2, 1, 2, 0]))) < 1e-15, 'paired SE of the drop');
});

test('accuracyGapSe: binomial standard error of a difference; bad input named', () => {
  assert.ok(Math.abs(accuracyGapSe(0.5, 0.5, 1000) - Math.sqrt(0.5 / 1000)) < 1e-12, '0.5 vs 0.5 on 1,000 images');
  assert.equal(accuracyGapSe(0, 1, 10), 0, 'certain outcomes have no noise');
  assert.throws(() => accuracyGapSe(0.5, 1.5, 10), /accuracies must be in \[0, 1\], got 1.5/);
  assert.throws(() => accuracyGapSe(0.5, 0.5, 0), /n must be a positive integer, got 0/);
});

test('pairedGapSe: standard error of the mean per-image difference; shared right and wrong answers cancel', () => {
  const labels = Int32Array.from([0, 1, 2, 3]);
  // d = [1, 0, 0, 0]: mean 1/4, mean of squares 1/4, variance 3/16, SE sqrt(3/16 / 4).
  assert.ok(Math.abs(pairedGapSe(Int32Array.from([0, 1, 2, 0]), Int32Array.from([1, 1, 2, 0]), labels) - Math.sqrt(3 / 64)) < 1e-15);
  assert.equal(pairedGapSe(labels, labels, labels), 0, 'identical predictions: no noise');
  // The same two accuracies (3/4 vs 1/2), unpaired, are noisier.
  const a = Int32Array.from([0, 1, 2, 0]);
  const b = Int32Array.from([0, 1, 0, 0]);
  assert.ok(pairedGapSe(a, b, labels) < accuracyGapSe(0.75, 0.5, 4), 'paired <= unpaired here');
  assert.throws(() => pairedGapSe(a, Int32Array.from([1]), labels), /need two prediction arrays of the labels' length 4, got 4 and 1/);
});
