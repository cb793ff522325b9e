import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { infoNce } from '../../src/objectives/info-nce';
import { ntXent } from '../../src/objectives/nt-xent';
import { nceLoss } from '../../src/objectives/nce';

// ---- slow plain-loop references ----
const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i], 0);
const unit = (a: number[]) => {
  const n = Math.hypot(...a);
  return a.map((v) => v / n);
};
const softplus = (x: number) => Math.log(1 + Math.exp(x));

function infoNceRef(q: number[][], k: number[][], neg: number[][], t: number): number {
  let total = 0;
  for (let i = 0; i < q.length; i++) {
    const qi = unit(q[i]);
    const pos = Math.exp(dot(qi, unit(k[i])) / t);
    let den = pos;
    for (const n of neg) den += Math.exp(dot(qi, n) / t);
    total += -Math.log(pos / den);
  }
  return total / q.length;
}

function ntXentRef(z1: number[][], z2: number[][], t: number): number {
  const z = [...z1, ...z2].map(unit);
  const b = z1.length;
  let total = 0;
  for (let i = 0; i < 2 * b; i++) {
    const j = i < b ? i + b : i - b;
    let den = 0;
    for (let k = 0; k < 2 * b; k++) if (k !== i) den += Math.exp(dot(z[i], z[k]) / t);
    total += -Math.log(Math.exp(dot(z[i], z[j]) / t) / den);
  }
  return total / (2 * b);
}

/** NCE with h = P/(P + K/n), P = exp(s/t)/Z (Wu et al. 2018 eq. 5). Z fixed, or the batch estimate n·mean(exp(s_neg/t)). */
function nceRef(q: number[][], k: number[][], neg: number[][], t: number, n: number, fixedZ?: number): number {
  const K = neg.length;
  let Z = fixedZ;
  if (Z === undefined) {
    let s = 0;
    for (const qi of q) for (const v of neg) s += Math.exp(dot(unit(qi), v) / t);
    Z = (n * s) / (q.length * K);
  }
  const h = (s: number) => {
    const P = Math.exp(s / t) / Z!;
    return P / (P + K / n);
  };
  let total = 0;
  for (let i = 0; i < q.length; i++) {
    const qi = unit(q[i]);
    let l = -Math.log(h(dot(qi, unit(k[i]))));
    for (const v of neg) l -= Math.log(1 - h(dot(qi, v)));
    total += l;
  }
  return total / q.length;
}

const randn = (rows: number, cols: number, rng: Rng) => Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));

test('InfoNCE equals the plain-loop reference', async () => {
  await useCpu();
  const rng = new Rng(1);
  const q = randn(5, 8, rng), k = randn(5, 8, rng), neg = randn(7, 8, rng).map(unit);
  for (const t of [0.07, 0.2, 1]) {
    const out = infoNce(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(neg), t);
    const got = out.loss.dataSync()[0];
    const want = infoNceRef(q, k, neg, t);
    assert.ok(Math.abs(got - want) < 1e-4 * Math.max(1, want), `t=${t}: ${got} vs ${want}`);
  }
  // Positive identical to the query and negatives orthogonal: the positive wins every row.
  const e = tf.slice(tf.eye(4), [0, 0], [2, 4]) as tf.Tensor2D;
  const out = infoNce(e, e, tf.slice(tf.eye(4), [2, 0], [2, 4]) as tf.Tensor2D, 0.1);
  assert.equal(out.correct.dataSync()[0], 2, 'both rows correct');
  assert.throws(() => infoNce(e, e, e, 0), /temperature must be positive/);
});

test('NT-Xent equals the plain-loop reference, for several batch sizes', async () => {
  await useCpu();
  const rng = new Rng(2);
  for (const b of [2, 3, 6]) {
    const z1 = randn(b, 5, rng), z2 = randn(b, 5, rng);
    for (const t of [0.1, 0.5]) {
      const got = ntXent(tf.tensor2d(z1), tf.tensor2d(z2), t).loss.dataSync()[0];
      const want = ntXentRef(z1, z2, t);
      assert.ok(Math.abs(got - want) < 1e-4 * Math.max(1, want), `b=${b} t=${t}: ${got} vs ${want}`);
    }
  }
  const one = tf.ones([1, 3]) as tf.Tensor2D;
  assert.throws(() => ntXent(one, one, 0.5), /at least 2 images/);
});

test('NCE equals the plain-loop reference, with a fixed Z and with the batch estimate', async () => {
  await useCpu();
  const rng = new Rng(3);
  const q = randn(4, 6, rng), k = randn(4, 6, rng), neg = randn(9, 6, rng).map(unit);
  const n = 1000;
  for (const t of [0.07, 0.5]) {
    const got = nceLoss(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(neg), { temperature: t }).loss.dataSync()[0];
    const want = nceRef(q, k, neg, t, n); // n cancels with the batch estimate
    assert.ok(Math.abs(got - want) < 1e-3 * Math.max(1, want), `batch Z, t=${t}: ${got} vs ${want}`);
    const Z = 37.5;
    const got2 = nceLoss(tf.tensor2d(q), tf.tensor2d(k), tf.tensor2d(neg), { temperature: t, logZ: Math.log(Z), dataSize: n }).loss.dataSync()[0];
    const want2 = nceRef(q, k, neg, t, n, Z);
    assert.ok(Math.abs(got2 - want2) < 1e-3 * Math.max(1, want2), `fixed Z, t=${t}: ${got2} vs ${want2}`);
  }
  assert.ok(Math.abs(softplus(0) - Math.log(2)) < 1e-12);
  const x = tf.tensor2d(q);
  assert.throws(() => nceLoss(x, x, tf.tensor2d(neg), { temperature: 0.1, logZ: 1 }), /needs dataSize/);
});

test('each loss falls within 20 gradient steps on a toy problem', async () => {
  await useCpu();
  // Toy instance discrimination: 8 "images" = fixed random vectors; two noisy views of each;
  // a learnable linear encoder [12 -> 6].
  const rng = new Rng(4);
  const base = tf.tensor2d(randn(8, 12, rng));
  const noise = () => tf.mul(tf.randomNormal([8, 12], 0, 0.3, 'float32', rng.seed32()), 1);
  const negatives = tf.tensor2d(randn(16, 6, rng).map(unit));
  const losses = {
    infoNce: (a: tf.Tensor2D, b: tf.Tensor2D) => infoNce(a, b, negatives, 0.2).loss,
    ntXent: (a: tf.Tensor2D, b: tf.Tensor2D) => ntXent(a, b, 0.2).loss,
    nce: (a: tf.Tensor2D, b: tf.Tensor2D) => nceLoss(a, b, negatives, { temperature: 0.2 }).loss,
  };
  for (const [name, loss] of Object.entries(losses)) {
    const w = tf.variable(tf.randomNormal([12, 6], 0, 0.3, 'float32', 11));
    const opt = tf.train.adam(0.05);
    const values: number[] = [];
    for (let s = 0; s < 20; s++) {
      const l = opt.minimize(() => {
        const v1 = tf.matMul(tf.add(base, noise()), w) as tf.Tensor2D;
        const v2 = tf.matMul(tf.add(base, noise()), w) as tf.Tensor2D;
        return loss(v1, v2);
      }, true) as tf.Scalar;
      values.push(l.dataSync()[0]);
      l.dispose();
    }
    const first = (values[0] + values[1]) / 2;
    const last = (values[18] + values[19]) / 2;
    assert.ok(last < 0.8 * first, `${name}: loss ${first.toFixed(3)} -> ${last.toFixed(3)} in 20 steps`);
    w.dispose();
    opt.dispose();
  }
});
