import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { augmentBatch, drawAugmentParams } from '../../src/transforms/augment';

const img = (b: number, s: number, c: number, seed = 1) => {
  const r = new Rng(seed);
  return tf.tensor4d(Float32Array.from({ length: b * s * s * c }, () => r.next()), [b, s, s, c]);
};
const off = { scale: [1, 1] as [number, number], ratio: [1, 1] as [number, number], flip: 0, jitterProb: 0, greyProb: 0 };

test('shapes and value range, colour and grey, with and without resizing', async () => {
  await useCpu();
  for (const c of [3, 1]) {
    const x = img(5, 12, c);
    const y = augmentBatch(x, new Rng(1));
    assert.deepEqual(y.shape, [5, 12, 12, c], `c=${c}: same shape`);
    const v = y.dataSync();
    assert.ok(v.every((t) => t >= 0 && t <= 1 && Number.isFinite(t)), `c=${c}: values in [0, 1]`);
    const z = augmentBatch(x, new Rng(1), { outSize: 8 });
    assert.deepEqual(z.shape, [5, 8, 8, c], `c=${c}: outSize`);
    [x, y, z].forEach((t) => t.dispose());
  }
});

test('same seed, same views; another seed, other views', async () => {
  await useCpu();
  const x = img(4, 10, 3);
  const a = augmentBatch(x, new Rng(7)).dataSync();
  const b = augmentBatch(x, new Rng(7)).dataSync();
  const c = augmentBatch(x, new Rng(8)).dataSync();
  assert.deepEqual(Array.from(a), Array.from(b), 'deterministic per seed');
  assert.notDeepEqual(Array.from(a), Array.from(c), 'seed matters');
});

test('with every transform off it is the identity; flip 1 mirrors; grey 1 greys', async () => {
  await useCpu();
  const x = img(3, 8, 3);
  const id = augmentBatch(x, new Rng(1), off);
  assert.ok(tf.max(tf.abs(tf.sub(id, x))).dataSync()[0] < 1e-5, 'identity');
  const fl = augmentBatch(x, new Rng(1), { ...off, flip: 1 });
  assert.ok(tf.max(tf.abs(tf.sub(fl, tf.reverse(x, 2)))).dataSync()[0] < 1e-5, 'left-right mirror');
  const g = augmentBatch(x, new Rng(1), { ...off, greyProb: 1 });
  const gv = g.arraySync() as number[][][][];
  const xv = x.arraySync() as number[][][][];
  const luma = 0.299 * xv[1][2][3][0] + 0.587 * xv[1][2][3][1] + 0.114 * xv[1][2][3][2];
  for (let k = 0; k < 3; k++) assert.ok(Math.abs(gv[1][2][3][k] - luma) < 1e-5, `grey channel ${k} is the luma`);
});

test('crop boxes stay inside the image, cover the requested area, and parameters are range-checked', () => {
  const p = drawAugmentParams(200, 32, 32, new Rng(3), { scale: [0.2, 1], flip: 0.5 });
  let mirrored = 0;
  for (let i = 0; i < 200; i++) {
    const [y1, x1, y2, x2] = p.boxes.subarray(4 * i, 4 * i + 4);
    const [lo, hi] = [Math.min(x1, x2), Math.max(x1, x2)];
    assert.ok(y1 >= 0 && y2 <= 1 + 1e-6 && lo >= 0 && hi <= 1 + 1e-6, `box ${i} inside`);
    const area = (y2 - y1) * (hi - lo);
    assert.ok(area >= 0.2 - 1e-6 && area <= 1 + 1e-6, `box ${i} area ${area}`);
    if (x1 > x2) mirrored++;
  }
  assert.ok(mirrored > 70 && mirrored < 130, `about half mirrored (${mirrored})`);
  assert.throws(() => drawAugmentParams(1, 8, 8, new Rng(1), { scale: [0, 1] }), /scale must satisfy/);
  assert.throws(() => drawAugmentParams(1, 8, 8, new Rng(1), { greyProb: 2 }), /greyProb must be a probability/);
});

test('colour jitter keeps a grey image grey under hue rotation', async () => {
  await useCpu();
  const g = tf.tile(tf.tensor4d([0.2, 0.5, 0.8, 0.4], [1, 2, 2, 1]), [1, 1, 1, 3]) as tf.Tensor4D;
  const y = augmentBatch(g, new Rng(2), { ...off, jitterProb: 1, jitter: 0, hue: 0.5 });
  assert.ok(tf.max(tf.abs(tf.sub(y, g))).dataSync()[0] < 1e-3, 'hue rotation leaves grey pixels alone');
});
