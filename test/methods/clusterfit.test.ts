import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { clusterFit, pseudoLabelSet } from '../../src/methods/clusterfit';
import { withLabelNoise } from '../../src/methods/noisy-labels';
import { silentProgressSink } from '../../src/train/progress';
import { clusterEncoder } from '../../src/cluster/cluster-encoder';
import { labelNoiseControl, noiseControlMetrics } from '../../src/cluster/label-noise-control';
import { validateMetric } from '../../src/viz/results';

const set = toySet(48, 8, 3, 2);
const optimizer = { name: 'adam' as const, lr: 0.01 };

test('pseudoLabelSet: cluster ids as labels, images shared, a name that identifies the clustering', () => {
  const a = Array.from({ length: 48 }, (_, i) => i % 3);
  const p = pseudoLabelSet(set, a, 3);
  assert.deepEqual(Array.from(p.labels), a, 'labels are the cluster ids');
  assert.deepEqual(p.classNames, ['cluster0', 'cluster1', 'cluster2'], 'classes named by cluster');
  assert.equal(p.images, set.images, 'images shared, not copied');
  assert.equal(set.labels[1], 1, 'the source set keeps its labels');
  const b = pseudoLabelSet(set, a.map((v) => (v + 1) % 3), 3);
  assert.notEqual(p.name, b.name, 'other clusters, another name (so no stale checkpoint is restored)');
  assert.equal(p.name, pseudoLabelSet(set, a, 3).name, 'same clusters, same name');
  assert.throws(() => pseudoLabelSet(set, a.slice(1), 3), /47 assignments for the 48 images/);
  assert.throws(() => pseudoLabelSet(set, a, 2), /assignments\[2\] = 2 is outside 0\.\.1/);
  assert.throws(() => pseudoLabelSet(set, a, 1), /k must be an integer >= 2/);
});

test('withLabelNoise: exactly that fraction wrong, never the true class, spread over classes, seeded', () => {
  const big = { ...toySet(400, 2, 1, 10), name: 'toy10' };
  for (const f of [0, 0.25, 0.5, 0.75, 1]) {
    const noisy = withLabelNoise(big, f, new Rng(3));
    let wrong = 0;
    const seen = new Set<number>();
    for (let i = 0; i < big.n; i++) {
      if (noisy.labels[i] !== big.labels[i]) {
        wrong++;
        seen.add(noisy.labels[i]);
      }
      assert.ok(noisy.labels[i] >= 0 && noisy.labels[i] < 10, 'labels stay valid');
    }
    assert.equal(wrong, Math.round(f * 400), `noise ${f}: ${wrong} of 400 labels changed`);
    if (f > 0) assert.equal(seen.size, 10, `noise ${f}: wrong labels reach every class`);
    assert.match(noisy.name, new RegExp(`\\+noise${f * 100}%`), 'the name records the noise');
    assert.deepEqual(noisy.labels, withLabelNoise(big, f, new Rng(3)).labels, 'same rng, same noise');
  }
  assert.throws(() => withLabelNoise(big, 1.5, new Rng(1)), /fraction must be in \[0, 1\], got 1.5/);
});

test('clusterEncoder: k-means of a frozen encoder for several k, scored against labels, no tensors left', async () => {
  await useCpu();
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const before = tf.memory().numTensors;
  const runs = clusterEncoder(backbone, set, { ks: [2, 4], rng: new Rng(2) });
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.deepEqual(runs.map((r) => r.k), [2, 4], 'one run per k');
  for (const r of runs) {
    assert.equal(r.assignments.length, 48, 'every image assigned');
    assert.ok(r.nmi >= 0 && r.nmi <= 1 && r.purity >= 0.5 && r.purity <= 1, `scores in range (nmi ${r.nmi}, purity ${r.purity})`);
    assert.equal(r.sizes.reduce((a, b) => a + b, 0), 48, 'sizes add up');
  }
  assert.deepEqual(clusterEncoder(backbone, set, { ks: [4], rng: new Rng(2) })[0].assignments, runs[1].assignments, 'seeded');
  backbone.params.dispose();
});

test('ClusterFit training: no tensor leaks across epochs, learns the pseudo-labels, seeded init', async () => {
  await useCpu();
  const before = tf.memory().numTensors;
  const cf = await clusterFit(set, set.labels, 2, { widths: [4, 8], epochs: 4, batchSize: 12, optimizer, seed: 7, progress: silentProgressSink() });
  assert.equal(cf.history.length, 4, 'four epochs');
  assert.equal(cf.history[1].num_tensors, cf.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(cf.head.outDim, 2, 'a k-way head');
  assert.equal(cf.pseudo.classNames.length, 2, 'trained on the pseudo-labelled set');
  const random = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(7));
  const w0 = random.params.entries()[0][1].dataSync();
  const w1 = cf.backbone.params.entries()[0][1].dataSync();
  assert.notDeepEqual(w0, w1, 'the network was trained');
  random.params.dispose();
  cf.backbone.params.dispose();
  cf.head.params.dispose();
  assert.equal(tf.memory().numTensors, before, 'tensors after equal tensors before');
});

test('labelNoiseControl: one row per noise level, contract-valid metrics, every network disposed', async () => {
  await useCpu();
  const before = tf.memory().numTensors;
  const rows = await labelNoiseControl(set, set, {
    levels: [0, 0.5], k: 3, widths: [4, 8], supervisedEpochs: 1, clusterFitEpochs: 1, batchSize: 12, optimizer, seed: 1,
    evaluate: { knn: { k: 5 }, probe: { epochs: 2 } }, progress: silentProgressSink(),
  });
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.deepEqual(rows.map((r) => r.noise), [0, 0.5], 'one row per level');
  for (const r of rows) for (const v of [r.direct_knn, r.direct_linear, r.clusterfit_knn, r.clusterfit_linear]) assert.ok(v >= 0 && v <= 1, `accuracy ${v} in [0, 1]`);
  const m = noiseControlMetrics(rows);
  assert.deepEqual(Object.keys(m).sort(), [
    'clusterfit.knn.noise0', 'clusterfit.knn.noise50', 'clusterfit.linear.noise0', 'clusterfit.linear.noise50',
    'supervised.knn.noise0', 'supervised.knn.noise50', 'supervised.linear.noise0', 'supervised.linear.noise50',
  ]);
  for (const [k, v] of Object.entries(m)) validateMetric(k, v);
});
