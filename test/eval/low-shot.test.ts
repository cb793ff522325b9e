import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { toySet, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { lowShotCurve, lowShotEncoders, nestedShotSubsets, scratchCurve, summarizeLowShot } from '../../src/eval/low-shot';
import { validateMetric } from '../../src/viz/results';

/** `perClass` points per class around class-specific means (`spread` along axis c), with Gaussian noise of std `noise`; labels from `firstLabel`. */
function clusters(perClass: number, classes: number, dim: number, spread: number, seed: number, firstLabel = 0, noise = 1) {
  const rng = new Rng(seed);
  const x = new Float32Array(perClass * classes * dim);
  const y = new Int32Array(perClass * classes);
  for (let i = 0; i < y.length; i++) {
    const c = i % classes;
    y[i] = c + firstLabel;
    for (let j = 0; j < dim; j++) x[i * dim + j] = noise * rng.normal() + (j === c ? spread : 0);
  }
  return { x: tf.tensor2d(x, [y.length, dim]), y };
}

test('nestedShotSubsets: class-balanced, nested, seeded, never an unlabelled example', () => {
  const labels = Int32Array.from({ length: 60 }, (_, i) => (i % 7 === 6 ? -1 : i % 3));
  const subs = nestedShotSubsets(labels, [1, 2, 5, 10], new Rng(1));
  subs.forEach((s, k) => {
    const n = [1, 2, 5, 10][k];
    const counts = [0, 0, 0];
    for (const i of s) {
      assert.ok(labels[i] >= 0, 'labelled');
      counts[labels[i]]++;
    }
    assert.deepEqual(counts, [n, n, n], `${n} per class`);
    assert.deepEqual(Array.from(s), Array.from(s).sort((a, b) => a - b), 'ascending');
    if (k > 0) for (const i of subs[k - 1]) assert.ok(s.includes(i), `subset for ${[1, 2, 5, 10][k - 1]} shots lies inside the one for ${n}`);
  });
  assert.deepEqual(nestedShotSubsets(labels, [1, 2, 5, 10], new Rng(1)).map((s) => Array.from(s)), subs.map((s) => Array.from(s)), 'same seed, same subsets');
  assert.notDeepEqual(Array.from(nestedShotSubsets(labels, [5], new Rng(2))[0]), Array.from(subs[2]), 'another seed, another draw');
  assert.throws(() => nestedShotSubsets(labels, [20], new Rng(1)), /shots = 20 but class 0 has only/);
  assert.throws(() => nestedShotSubsets(labels, [0], new Rng(1)), /positive integers/);
});

test('lowShotCurve, known answers: well-separated clusters give 100% from one label per class; pure noise gives chance', async () => {
  await useCpu();
  const pool = clusters(20, 4, 4, 1, 1, 5, 0.1); // no pure-noise dimension: standardising would blow one up to the signal's scale // labels 5..8: mapped to 0..3 inside
  const testSet = clusters(25, 4, 4, 1, 2, 5, 0.1);
  const points = await lowShotCurve(pool.x, pool.y, testSet.x, testSet.y, { shots: [1, 2, 10], repeats: [3, 2, 1], seed: 1 });
  assert.deepEqual(points.map((p) => [p.shots, p.repeat, p.labels]), [[1, 0, 4], [1, 1, 4], [1, 2, 4], [2, 0, 8], [2, 1, 8], [10, 0, 40]]);
  for (const p of points) {
    assert.equal(p.knn, 1, `kNN with ${p.shots} shots (draw ${p.repeat})`);
    assert.equal(p.linear, 1, `linear with ${p.shots} shots (draw ${p.repeat})`);
  }
  const noise = clusters(50, 4, 6, 0, 3);
  const noiseTest = clusters(250, 4, 6, 0, 4);
  const np = await lowShotCurve(noise.x, noise.y, noiseTest.x, noiseTest.y, { shots: [50], probeSteps: 60 });
  assert.ok(Math.abs(np[0].knn - 0.25) < 0.08 && Math.abs(np[0].linear - 0.25) < 0.08, `chance is 25%: kNN ${np[0].knn}, linear ${np[0].linear}`);
  assert.rejects(() => lowShotCurve(pool.x, pool.y, testSet.x, Int32Array.from(testSet.y, () => 0), { shots: [1] }), /test label 0 is not a class of the pool/);
  assert.rejects(() => lowShotCurve(pool.x, pool.y, testSet.x, testSet.y, { shots: [1, 2], repeats: [1] }), /repeats has 1 entries for 2 shots/);
  tf.dispose([pool.x, testSet.x, noise.x, noiseTest.x]);
});

test('summarizeLowShot: mean and population std over draws, by ascending shots', () => {
  const s = summarizeLowShot([
    { shots: 5, repeat: 0, labels: 10, linear: 0.5, knn: 0.4 },
    { shots: 1, repeat: 0, labels: 2, linear: 0.2, knn: 0.1 },
    { shots: 1, repeat: 1, labels: 2, linear: 0.4, knn: 0.3 },
  ]);
  assert.equal(s.length, 2);
  assert.equal(s[0].shots, 1);
  assert.equal(s[0].draws, 2);
  assert.ok(Math.abs(s[0].linear - 0.3) < 1e-12 && Math.abs(s[0].linear_std - 0.1) < 1e-12);
  assert.ok(Math.abs(s[0].knn - 0.2) < 1e-12 && Math.abs(s[0].knn_std - 0.1) < 1e-12);
  assert.deepEqual([s[1].shots, s[1].linear, s[1].linear_std], [5, 0.5, 0]);
});

test('lowShotEncoders: contract metrics per encoder and shots, no tensor left behind; scratchCurve trains and releases a net per point', async () => {
  await useCpu();
  const pool = toySet(40, 8, 3, 2, 1);
  const testSet = toySet(20, 8, 3, 2, 2);
  const a = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const b = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(2));
  const before = tf.memory().numTensors;
  const r = await lowShotEncoders({ random: a, rotation: b }, pool, testSet, { shots: [1, 5], repeats: [2, 1], probeSteps: 10, seed: 1 });
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.deepEqual(Object.keys(r.metrics).sort(), [
    'random.knn', 'random.knn.shots1', 'random.knn.shots5', 'random.linear', 'random.linear.shots1', 'random.linear.shots5',
    'rotation.knn', 'rotation.knn.shots1', 'rotation.knn.shots5', 'rotation.linear', 'rotation.linear.shots1', 'rotation.linear.shots5',
  ]);
  for (const [k, v] of Object.entries(r.metrics)) validateMetric(k, v);
  assert.equal(r.metrics['random.linear'], r.metrics['random.linear.shots5'], 'the plain metric is the largest shots value');
  assert.equal(r.points.length, 6);
  assert.equal(r.summary.length, 4);
  const s = await scratchCurve(pool, testSet, { shots: [1, 5], widths: [4], steps: 3, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 1 });
  assert.deepEqual(s.map((p) => [p.shots, p.labels]), [[1, 2], [5, 10]]);
  for (const p of s) assert.ok(p.accuracy >= 0 && p.accuracy <= 1);
  assert.equal(tf.memory().numTensors, before, 'scratch runs release their networks');
  a.params.dispose();
  b.params.dispose();
});
