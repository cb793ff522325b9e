import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, maxRelError } from '../helpers';
import { initBackend } from '../../src/backend';
import { Rng } from '../../src/data/rng';
import { kMeans, kMeansPlusPlus } from '../../src/cluster/kmeans';
import { adjustedRandIndex, nmi } from '../../src/cluster/metrics';
import { refKMeans, refKMeansPlusPlus } from './kmeans-reference';

/** `perBlob` Gaussian points (std `std`) around each of `k` random centres drawn with std `spread`, in `dim` dims. */
function blobs(k: number, perBlob: number, dim: number, spread: number, std: number, seed: number): { x: number[][]; labels: number[] } {
  const rng = new Rng(seed);
  const centres = Array.from({ length: k }, () => Array.from({ length: dim }, () => spread * rng.normal()));
  const x: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < k * perBlob; i++) {
    const c = i % k;
    x.push(centres[c].map((v) => v + std * rng.normal()));
    labels.push(c);
  }
  return { x, labels };
}

test('separable blobs are recovered exactly (euclidean and cosine), k-means++ seeded', async () => {
  await useCpu();
  const { x, labels } = blobs(6, 30, 8, 20, 1, 1);
  for (const metric of ['euclidean', 'cosine'] as const) {
    const t = tf.tensor2d(x);
    const r = kMeans(t, { k: 6, rng: new Rng(2), metric });
    assert.equal(nmi(r.assignments, labels), 1, `${metric}: NMI 1 (the same partition up to renaming)`);
    assert.equal(adjustedRandIndex(r.assignments, labels), 1, `${metric}: ARI 1`);
    assert.ok(r.converged, `${metric}: converged`);
    assert.deepEqual(Array.from(r.sizes).sort(), new Array(6).fill(30), `${metric}: six clusters of 30`);
    if (metric === 'cosine') {
      const norms = tf.norm(r.centroids, 'euclidean', 1).arraySync() as number[];
      assert.ok(norms.every((v) => Math.abs(v - 1) < 1e-5), 'cosine: unit centroids');
    }
    r.centroids.dispose();
    t.dispose();
  }
});

test('k-means++ seeding draws the same rows as a plain-loop reference', async () => {
  await useCpu();
  const { x } = blobs(5, 40, 6, 3, 1, 3);
  const t = tf.tensor2d(x);
  for (const seed of [1, 2, 3]) {
    const got = Array.from(kMeansPlusPlus(t, 8, new Rng(seed)));
    assert.deepEqual(got, refKMeansPlusPlus(x, 8, new Rng(seed)), `seed ${seed}: same indices`);
    assert.equal(new Set(got).size, 8, `seed ${seed}: distinct rows`);
  }
  t.dispose();
});

test('Lloyd iterations match a slow plain-loop reference (euclidean and cosine, chunked)', async () => {
  await useCpu();
  const { x } = blobs(5, 40, 6, 3, 1, 4); // overlapping blobs: several iterations to converge
  for (const cosine of [false, true]) {
    const t = tf.tensor2d(x);
    const idx = kMeansPlusPlus(t, 5, new Rng(5), cosine ? 'cosine' : 'euclidean');
    const init = tf.gather(t, tf.tensor1d(idx, 'int32')) as tf.Tensor2D;
    const ref = refKMeans(x, init.arraySync(), { maxIter: 50, tol: 1e-4, cosine });
    for (const chunk of [7, 1000]) {
      const r = kMeans(t, { k: 5, rng: new Rng(5), init, metric: cosine ? 'cosine' : 'euclidean', chunk });
      const where = `${cosine ? 'cosine' : 'euclidean'}, chunk ${chunk}`;
      assert.ok(ref.iterations >= 2, `${where}: the reference takes several iterations (${ref.iterations})`);
      assert.deepEqual(Array.from(r.assignments), ref.assignments, `${where}: same assignments`);
      assert.equal(r.iterations, ref.iterations, `${where}: same number of iterations`);
      assert.equal(r.converged, ref.converged, `${where}: same convergence`);
      assert.ok(maxRelError(r.centroids.dataSync(), ref.centroids.flat(), 1e-2) < 1e-4, `${where}: same centroids`);
      assert.ok(Math.abs(r.inertia - ref.inertia) / ref.inertia < 1e-4, `${where}: inertia ${r.inertia} vs ${ref.inertia}`);
      r.centroids.dispose();
    }
    // The default init is k-means++ with the same rng: same run.
    const d = kMeans(t, { k: 5, rng: new Rng(5), metric: cosine ? 'cosine' : 'euclidean' });
    assert.deepEqual(Array.from(d.assignments), ref.assignments, 'default init = kMeansPlusPlus rows');
    d.centroids.dispose();
    init.dispose();
    t.dispose();
  }
});

test('an empty cluster is re-seeded at the farthest row; every cluster ends non-empty', async () => {
  await useCpu();
  const { x } = blobs(3, 20, 4, 10, 1, 6);
  const t = tf.tensor2d(x);
  const init = tf.tensor2d([x[0], x[1], x[2], new Array(4).fill(1000)]); // the last centroid attracts nothing
  const r = kMeans(t, { k: 4, rng: new Rng(1), init });
  assert.ok(r.reseeded >= 1, `re-seeded ${r.reseeded}`);
  assert.ok(Array.from(r.sizes).every((s) => s > 0), `sizes ${r.sizes}`);
  assert.equal(r.sizes.reduce((a, b) => a + b, 0), 60, 'every row assigned');
  assert.ok(Math.max(...(r.centroids.arraySync() as number[][]).flat().map(Math.abs)) < 100, 'no centroid left far away');
  r.centroids.dispose();
  init.dispose();
  t.dispose();
});

test('seeded, iteration cap and tolerance, no tensors left behind, bad input named', async () => {
  await useCpu();
  const { x } = blobs(8, 25, 5, 2, 1, 7);
  const t = tf.tensor2d(x);
  const before = tf.memory().numTensors;
  const a = kMeans(t, { k: 8, rng: new Rng(9) });
  const b = kMeans(t, { k: 8, rng: new Rng(9) });
  assert.deepEqual(a.assignments, b.assignments, 'same seed, same clusters');
  assert.deepEqual(a.centroids.dataSync(), b.centroids.dataSync(), 'same seed, same centroids');
  const capped = kMeans(t, { k: 8, rng: new Rng(9), maxIter: 1 });
  assert.equal(capped.iterations, 1, 'maxIter caps the updates');
  assert.equal(capped.converged, false, 'stopped by the cap, not converged');
  const loose = kMeans(t, { k: 8, rng: new Rng(9), tol: 1e9 });
  assert.ok(loose.iterations === 1 && loose.converged, 'a huge tol stops after one update');
  assert.ok(a.iterations > 1 && a.inertia <= capped.inertia, `more iterations lower the inertia (${a.inertia} <= ${capped.inertia})`);
  for (const r of [a, b, capped, loose]) r.centroids.dispose();
  assert.equal(tf.memory().numTensors, before, 'kMeans leaves no tensors behind');
  assert.throws(() => kMeans(t, { k: 201, rng: new Rng(1) }), /k must be an integer in 1\.\.200/);
  assert.throws(() => kMeans(t, { k: 0, rng: new Rng(1) }), /k must be an integer/);
  assert.throws(() => kMeans(t, { k: 2, rng: new Rng(1), metric: 'manhattan' as 'cosine' }), /metric must be 'euclidean' or 'cosine'/);
  assert.throws(() => kMeans(t, { k: 2, rng: new Rng(1), tol: -1 }), /tol must be >= 0/);
  const bad = tf.zeros([3, 5]) as tf.Tensor2D;
  assert.throws(() => kMeans(t, { k: 2, rng: new Rng(1), init: bad }), /init must be a \[k, dim\] = \[2, 5\] tensor/);
  assert.throws(() => kMeans(tf.zeros([4]) as unknown as tf.Tensor2D, { k: 2, rng: new Rng(1) }), /x must be a \[n, dim\] tensor/);
  bad.dispose();
  assert.equal(tf.memory().numTensors, before + 1, 'a throwing call leaves nothing behind either (the one left is the test input)');
  t.dispose();
});

test('duplicate rows: k-means++ never picks a row twice', async () => {
  await useCpu();
  const x = [[0, 0], [0, 0], [0, 0], [1, 1], [1, 1]];
  const t = tf.tensor2d(x);
  const idx = Array.from(kMeansPlusPlus(t, 4, new Rng(1)));
  assert.equal(new Set(idx).size, 4, `distinct rows ${idx}`);
  const r = kMeans(t, { k: 2, rng: new Rng(1) });
  assert.equal(nmi(r.assignments, [0, 0, 0, 1, 1]), 1, 'two groups of duplicates');
  r.centroids.dispose();
  t.dispose();
});

test('the wasm backend (the notebooks\') gives the same clusters as cpu and leaves no tensors', async () => {
  const { x } = blobs(5, 40, 6, 3, 1, 4);
  await useCpu();
  const t = tf.tensor2d(x);
  const onCpu = kMeans(t, { k: 5, rng: new Rng(5), chunk: 64 });
  const cpuCentroids = onCpu.centroids.dataSync().slice();
  onCpu.centroids.dispose();
  t.dispose();
  await initBackend({ prefer: 'wasm', quiet: true });
  const w = tf.tensor2d(x);
  const before = tf.memory().numTensors;
  const onWasm = kMeans(w, { k: 5, rng: new Rng(5), chunk: 64 });
  assert.deepEqual(onWasm.assignments, onCpu.assignments, 'same assignments');
  assert.equal(onWasm.iterations, onCpu.iterations, 'same iterations');
  assert.ok(maxRelError(onWasm.centroids.dataSync(), cpuCentroids, 1e-2) < 1e-4, 'same centroids');
  onWasm.centroids.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors left on wasm');
  w.dispose();
});
