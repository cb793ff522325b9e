import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { knnClassify, knnAccuracy, accuracy } from '../../src/eval/knn';
import { linearProbe } from '../../src/eval/linear-probe';

/** Plain-loop weighted kNN: the slow reference. */
function knnReference(bank: number[][], labels: number[], queries: number[][], k: number, t: number, classes: number): number[] {
  const norm = (v: number[]) => { const n = Math.hypot(...v) || 1; return v.map((x) => x / n); };
  const b = bank.map(norm);
  return queries.map((q0) => {
    const q = norm(q0);
    const sims = b.map((r, i) => ({ s: r.reduce((a, x, j) => a + x * q[j], 0), i }));
    sims.sort((u, v) => v.s - u.s);
    const votes = new Array(classes).fill(0);
    for (const { s, i } of sims.slice(0, k)) votes[labels[i]] += Math.exp(s / t);
    return votes.indexOf(Math.max(...votes));
  });
}

test('knnClassify matches a plain-loop reference on random data', async () => {
  await useCpu();
  const rng = new Rng(11);
  const bank = Array.from({ length: 60 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const labels = bank.map(() => rng.int(3));
  const queries = Array.from({ length: 25 }, () => Array.from({ length: 5 }, () => rng.normal()));
  for (const [k, t] of [[1, 0.1], [7, 0.1], [200, 0.5]]) {
    const ref = knnReference(bank, labels, queries, Math.min(k, 60), t, 3);
    const b = tf.tensor2d(bank);
    const q = tf.tensor2d(queries);
    const ours = knnClassify(b, Int32Array.from(labels), q, { k, t, numClasses: 3, chunk: 10 });
    assert.deepEqual(Array.from(ours), ref, `k=${k} t=${t}`);
    tf.dispose([b, q]);
  }
});

test('kNN on separated clusters is exact; accuracy counts matches', async () => {
  await useCpu();
  const centres = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const rng = new Rng(3);
  const pts = (n: number) => Array.from({ length: n }, (_, i) => ({ y: i % 3, x: centres[i % 3].map((c) => c + 0.1 * rng.normal()) }));
  const tr = pts(30);
  const te = pts(12);
  const b = tf.tensor2d(tr.map((p) => p.x));
  const q = tf.tensor2d(te.map((p) => p.x));
  const before = tf.memory().numTensors;
  assert.equal(knnAccuracy(b, Int32Array.from(tr.map((p) => p.y)), q, Int32Array.from(te.map((p) => p.y)), { k: 5 }), 1);
  assert.equal(tf.memory().numTensors, before, 'knn leaves no tensors');
  assert.equal(accuracy([1, 2, 3, 4], [1, 2, 0, 0]), 0.5);
  assert.throws(() => knnClassify(b, new Int32Array(3), q), /3 bank labels for 30 bank features/);
  assert.throws(() => knnClassify(b, Int32Array.from(tr.map((p) => p.y)), q, { k: 0 }), /k must be a positive integer/);
  tf.dispose([b, q]);
});

test('linear probe separates linearly separable data and not a random labelling', async () => {
  await useCpu();
  const rng = new Rng(5);
  const make = (n: number) => {
    const x: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < n; i++) {
      const v = Array.from({ length: 32 }, () => rng.normal());
      x.push(v);
      y.push(v[0] + 0.5 * v[1] > 0 ? 1 : 0);
    }
    return { x: tf.tensor2d(x), y: Int32Array.from(y) };
  };
  const tr = make(1000);
  const te = make(200);
  const before = tf.memory().numTensors;
  const r = await linearProbe(tr.x, tr.y, te.x, te.y, { epochs: 100, seed: 1 });
  assert.ok(r.accuracy > 0.9, `separable data: test accuracy ${r.accuracy}`);
  const shuffled = Int32Array.from(tr.y, () => rng.int(2));
  const r2 = await linearProbe(tr.x, shuffled, te.x, te.y, { epochs: 100, seed: 1 });
  assert.ok(r2.accuracy < 0.75, `random labels do not transfer: ${r2.accuracy}`);
  assert.equal(tf.memory().numTensors, before, 'probe leaves no tensors');
  tf.dispose([tr.x, te.x]);
});
