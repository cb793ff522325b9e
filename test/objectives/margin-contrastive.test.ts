import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { marginContrastiveLoss } from '../../src/objectives/margin-contrastive';
import { drawNearFarPatches, nearFarPatchBatch } from '../../src/pretext/near-far-patches';

test('margin contrastive loss equals the plain-loop reference', async () => {
  await useCpu();
  const rng = new Rng(1);
  const a = Array.from({ length: 6 }, () => [rng.normal(), rng.normal(), rng.normal()].map((v) => v * 0.4));
  const b = Array.from({ length: 6 }, () => [rng.normal(), rng.normal(), rng.normal()].map((v) => v * 0.4));
  const y = [1, 0, 1, 0, 0, 1];
  const m = 1.2;
  let ref = 0;
  for (let i = 0; i < 6; i++) {
    const d = Math.hypot(a[i][0] - b[i][0], a[i][1] - b[i][1], a[i][2] - b[i][2]);
    ref += y[i] ? d * d : Math.max(0, m - d) ** 2;
  }
  ref /= 12;
  const got = marginContrastiveLoss(tf.tensor2d(a), tf.tensor2d(b), y, m).dataSync()[0];
  assert.ok(Math.abs(got - ref) < 1e-5, `${got} vs ${ref}`);
  assert.throws(() => marginContrastiveLoss(tf.tensor2d(a), tf.tensor2d(b), y, 0), /margin must be positive/);
});

test('near/far patches: inside the image, near within the shift, far at least `far` away, exhaustively on small images', async () => {
  await useCpu();
  for (const [size, patch] of [[8, 4], [12, 6], [32, 16]]) {
    const r = size - patch;
    const p = drawNearFarPatches(300, size, size, patch, new Rng(size));
    const near = Math.max(1, Math.floor(patch / 4));
    const far = Math.ceil(r / 2);
    for (let b = 0; b < 300; b++) {
      for (const v of [p.anchorY[b], p.anchorX[b], p.nearY[b], p.nearX[b], p.farY[b], p.farX[b]]) assert.ok(v >= 0 && v <= r, 'inside');
      assert.ok(Math.abs(p.nearY[b] - p.anchorY[b]) <= near && Math.abs(p.nearX[b] - p.anchorX[b]) <= near, 'near');
      assert.ok(Math.max(Math.abs(p.farY[b] - p.anchorY[b]), Math.abs(p.farX[b] - p.anchorX[b])) >= far, `far (${size}/${patch}, image ${b})`);
    }
  }
  // The cut patches are the image's pixels at those corners.
  const img = tf.tensor4d(Float32Array.from({ length: 2 * 8 * 8 }, (_, i) => i), [2, 8, 8, 1]);
  const p = drawNearFarPatches(2, 8, 8, 4, new Rng(3));
  const out = nearFarPatchBatch(img, p, 4).arraySync() as number[][][][];
  const v = img.arraySync() as number[][][][];
  for (let b = 0; b < 2; b++) {
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) {
      assert.equal(out[b][y][x][0], v[b][p.anchorY[b] + y][p.anchorX[b] + x][0], 'anchor pixel');
      assert.equal(out[2 + b][y][x][0], v[b][p.nearY[b] + y][p.nearX[b] + x][0], 'near pixel');
      assert.equal(out[4 + b][y][x][0], v[b][p.farY[b] + y][p.farX[b] + x][0], 'far pixel');
    }
  }
});
