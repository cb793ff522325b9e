import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { randomValues } from '../backend/compare';
import { maskedSquaredError, pixelCrossEntropy } from '../../src/objectives/dense-losses';

test('pixelCrossEntropy equals a plain-loop weighted per-pixel cross-entropy, and counts correct pixels', async () => {
  await useCpu();
  const [b, h, w, q] = [2, 3, 2, 5];
  const z = randomValues(b * h * w * q, 1).map((v) => 3 * v);
  const labels = Int32Array.from({ length: b * h * w }, (_, i) => (i * 7) % q);
  const cw = Float32Array.from([0.5, 1, 2, 4, 0.25]);
  let ref = 0;
  let refPlain = 0;
  let correct = 0;
  for (let p = 0; p < b * h * w; p++) {
    const row = Array.from(z.subarray(p * q, (p + 1) * q));
    const m = Math.max(...row);
    const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
    ref += cw[labels[p]] * (lse - row[labels[p]]);
    refPlain += lse - row[labels[p]];
    if (row.indexOf(m) === labels[p]) correct++;
  }
  const logits = tf.tensor4d(z, [b, h, w, q]);
  const lab = tf.tensor3d(labels, [b, h, w], 'int32');
  const out = pixelCrossEntropy(logits, lab, tf.tensor1d(cw));
  assert.ok(Math.abs(out.loss.dataSync()[0] - ref / (b * h * w)) < 1e-5, `weighted ${out.loss.dataSync()[0]} vs ${ref / (b * h * w)}`);
  assert.equal(out.correct.dataSync()[0], correct);
  const plain = pixelCrossEntropy(logits, lab);
  assert.ok(Math.abs(plain.loss.dataSync()[0] - refPlain / (b * h * w)) < 1e-5, 'unweighted');
  // The gradient equals tfjs's own weighted softmax cross-entropy's.
  const weightsT = tf.tensor1d(cw);
  const g = tf.grad((z: tf.Tensor) => pixelCrossEntropy(z as tf.Tensor4D, lab, weightsT).loss)(logits).dataSync();
  const gRef = tf.grad((z: tf.Tensor) => tf.mean(tf.mul(
    tf.losses.softmaxCrossEntropy(tf.oneHot(tf.reshape(lab, [-1]) as tf.Tensor1D, q), tf.reshape(z, [-1, q]), undefined, 0, tf.Reduction.NONE),
    tf.gather(weightsT, tf.reshape(lab, [-1])),
  )))(logits).dataSync();
  g.forEach((v, i) => assert.ok(Math.abs(v - gRef[i]) < 1e-6, `gradient ${i}: ${v} vs ${gRef[i]}`));
  assert.throws(() => pixelCrossEntropy(logits, tf.zeros([2, 3, 3], 'int32') as tf.Tensor3D), /labels \[2,3,3\] do not match logits \[2,3,2,5\]/);
});

test('maskedSquaredError equals a plain loop: mean over hidden pixels of the channel-summed squared error, plus the weighted visible mean', async () => {
  await useCpu();
  const [b, h, w, c] = [2, 4, 3, 3];
  const pv = randomValues(b * h * w * c, 2);
  const tv = randomValues(b * h * w * c, 3);
  const mv = Float32Array.from({ length: b * h * w }, (_, i) => (i % 3 === 0 ? 1 : i % 5 === 0 ? 0.5 : 0));
  let inS = 0;
  let inW = 0;
  let outS = 0;
  let outW = 0;
  for (let p = 0; p < b * h * w; p++) {
    let se = 0;
    for (let k = 0; k < c; k++) se += (pv[p * c + k] - tv[p * c + k]) ** 2;
    inS += mv[p] * se;
    inW += mv[p];
    outS += (1 - mv[p]) * se;
    outW += 1 - mv[p];
  }
  const [pred, target, mask] = [tf.tensor4d(pv, [b, h, w, c]), tf.tensor4d(tv, [b, h, w, c]), tf.tensor4d(mv, [b, h, w, 1])];
  assert.ok(Math.abs(maskedSquaredError(pred, target, mask).dataSync()[0] - inS / inW) < 1e-5, 'hidden only');
  assert.ok(Math.abs(maskedSquaredError(pred, target, mask, 0.1).dataSync()[0] - (inS / inW + (0.1 * outS) / outW)) < 1e-5, 'plus visible');
  assert.throws(() => maskedSquaredError(pred, target, tf.zeros([b, h, w, 3]) as tf.Tensor4D), /mask \[2,4,3,3\] must be \[2,4,3,1\]/);
});

test('pixelCrossEntropy gives the same loss and gradient on wasm as on cpu', async () => {
  const { initBackend } = await import('../../src/backend');
  const { onBoth, relativeError } = await import('../backend/compare');
  await initBackend({ prefer: 'wasm', quiet: true });
  const q = 7;
  const inputs = {
    z: { shape: [2, 3, 3, q], values: randomValues(2 * 9 * q, 4) },
    y: { shape: [2, 3, 3], values: Int32Array.from({ length: 18 }, (_, i) => (i * 5) % q), dtype: 'int32' as const },
    w: { shape: [q], values: Float32Array.from({ length: q }, (_, i) => 0.5 + i / 4) },
  };
  const { wasm, cpu } = await onBoth(inputs, ({ z, y, w }) => {
    const f = (t: tf.Tensor) => pixelCrossEntropy(t as tf.Tensor4D, y as tf.Tensor3D, w as tf.Tensor1D).loss;
    return [f(z), tf.grad(f)(z)];
  });
  assert.ok(relativeError(wasm[0], cpu[0]) < 1e-5, `loss: wasm ${wasm[0][0]} vs cpu ${cpu[0][0]}`);
  assert.ok(relativeError(wasm[1], cpu[1]) < 1e-5, 'gradient: wasm vs cpu');
});
