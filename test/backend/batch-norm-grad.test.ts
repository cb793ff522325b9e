import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, registerBatchNormGrad, restoreCoreBatchNormGrad } from '../../src/backend';
import { Inputs, onBoth, rand, relativeError } from './compare';

before(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
});

/** Gradients of a batch-norm loss w.r.t. x, scale and offset, with mean/variance from moments (so their gradients flow too). */
function bnGrads(t: Record<string, tf.Tensor>, eps: number): tf.Tensor[] {
  const axes = t.x.shape.slice(0, -1).map((_, i) => i);
  const f = (x: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) => {
    const { mean, variance } = tf.moments(x, axes);
    return tf.sum(tf.mul(tf.batchNorm(x, mean, variance, offset, scale, eps), t.w));
  };
  return tf.grads(f)([t.x, t.scale, t.offset]);
}

/** Gradients w.r.t. all five FusedBatchNorm inputs given directly (mean and variance as leaves). */
function directGrads(t: Record<string, tf.Tensor>, eps: number): tf.Tensor[] {
  const f = (x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, scale: tf.Tensor, offset: tf.Tensor) =>
    tf.sum(tf.mul(tf.batchNorm(x, mean, variance, offset, scale, eps), t.w));
  return tf.grads(f)([t.x, t.mean, t.variance, t.scale, t.offset]);
}

const CASES: Array<{ x: number[]; eps: number }> = [
  { x: [4, 6, 6, 5], eps: 1e-3 },
  { x: [2, 3, 3, 8], eps: 1e-5 },
  { x: [16, 6], eps: 1e-3 },
  { x: [3, 4, 7], eps: 1e-2 },
];

for (const [i, c] of CASES.entries()) {
  const channels = c.x[c.x.length - 1];
  const inputs: Inputs = {
    x: rand(c.x, 200 + i),
    w: rand(c.x, 210 + i),
    scale: { shape: [channels], values: rand([channels], 220 + i).values.map((v) => 1 + 0.5 * v) },
    offset: rand([channels], 230 + i),
    mean: { shape: [channels], values: rand([channels], 240 + i).values.map((v) => 0.1 * v) },
    variance: { shape: [channels], values: rand([channels], 250 + i).values.map((v) => 0.5 + 0.4 * v) },
  };

  test(`selfsup's FusedBatchNorm gradient equals tfjs-core's, on wasm and cpu: x [${c.x}]`, async () => {
    for (const fn of [bnGrads, directGrads]) {
      restoreCoreBatchNormGrad();
      const core = await onBoth(inputs, (t) => fn(t, c.eps));
      registerBatchNormGrad();
      const ours = await onBoth(inputs, (t) => fn(t, c.eps));
      ours.cpu.forEach((g, k) => {
        const label = `${fn.name} input ${k}`;
        assert.ok(relativeError(g, core.cpu[k]) < 1e-4, `${label} cpu: ${relativeError(g, core.cpu[k])}`);
        assert.ok(relativeError(ours.wasm[k], core.cpu[k]) < 1e-4, `${label} wasm: ${relativeError(ours.wasm[k], core.cpu[k])}`);
      });
    }
  });
}

test('the replaced gradient builds no Tile and saves the full-size work', async () => {
  registerBatchNormGrad();
  const x = tf.randomNormal([8, 4, 4, 16]);
  const prof = await tf.profile(() =>
    tf.grad((a: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.sum(tf.square(tf.batchNorm(a, mean, variance, tf.zeros([16]), tf.ones([16]), 1e-3)));
    })(x),
  );
  assert.ok(!prof.kernelNames.includes('Tile'), `kernels: ${prof.kernelNames.join(', ')}`);
  tf.dispose([x, prof.result as tf.Tensor]);
});
