import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import {
  RELATIVE_POSITIONS,
  drawPatchPairs,
  pairLabel,
  patchGrid,
  patchPairBytes,
  relativePositionLabel,
  relativePositionPatches,
} from '../../src/pretext/relative-position';
import { drawChannelMaps, patchColour } from '../../src/pretext/patch-colour';

test('each of the 8 relative positions: without jitter the query sits exactly one grid step from the centre', () => {
  const [h, w] = [20, 20];
  const opts = { patch: 4, gap: 2, jitter: 0 };
  const stride = 6;
  for (let k = 0; k < 8; k++) {
    const labels = new Int32Array(5).fill(k);
    const pairs = drawPatchPairs(5, h, w, labels, new Rng(k), opts);
    const [dy, dx] = RELATIVE_POSITIONS[k];
    for (let b = 0; b < 5; b++) {
      assert.equal(pairs.queryY[b] - pairs.anchorY[b], dy * stride, `label ${k}: dy`);
      assert.equal(pairs.queryX[b] - pairs.anchorX[b], dx * stride, `label ${k}: dx`);
      assert.equal(pairLabel(pairs, b, stride), k, `label ${k}: recovered from the corners`);
    }
    assert.equal(relativePositionLabel(dy, dx), k, `relativePositionLabel inverts RELATIVE_POSITIONS[${k}]`);
  }
  assert.throws(() => relativePositionLabel(0, 0), /other than \(0, 0\)/);
});

test('with jitter every pair keeps its label, a gap of at least gap - 2*jitter, and stays inside the image', () => {
  const [h, w] = [32, 32];
  const opts = { patch: 7, gap: 3, jitter: 1 };
  const g = patchGrid(h, w, opts);
  const n = 800;
  const labels = Int32Array.from({ length: n }, (_, i) => i % 8);
  const pairs = drawPatchPairs(n, h, w, labels, new Rng(3), opts);
  const seenJitter = new Set<number>();
  for (let b = 0; b < n; b++) {
    assert.equal(pairLabel(pairs, b, g.stride), labels[b], `pair ${b}: label`);
    for (const v of [pairs.anchorY[b], pairs.anchorX[b], pairs.queryY[b], pairs.queryX[b]]) assert.ok(v >= 0 && v + 7 <= 32, `pair ${b}: inside`);
    const [dy, dx] = RELATIVE_POSITIONS[labels[b]];
    // gap along the axis the neighbour lies on
    if (dy) assert.ok(Math.abs(pairs.queryY[b] - pairs.anchorY[b]) - 7 >= 1, `pair ${b}: vertical gap >= 1`);
    if (dx) assert.ok(Math.abs(pairs.queryX[b] - pairs.anchorX[b]) - 7 >= 1, `pair ${b}: horizontal gap >= 1`);
    seenJitter.add(pairs.queryY[b] - pairs.anchorY[b] - dy * g.stride);
  }
  assert.deepEqual([...seenJitter].sort((a, b) => a - b), [-2, -1, 0, 1, 2], 'relative jitter covers -2..2');
});

test('relativePositionPatches matches the byte reference and does not leak', async () => {
  await useCpu();
  const [batch, h, w, c] = [8, 32, 32, 3];
  const pixels = Float32Array.from({ length: batch * h * w * c }, (_, i) => (i * 7) % 997);
  const labels = Int32Array.from({ length: batch }, (_, i) => i);
  const x = tf.tensor4d(pixels, [batch, h, w, c]);
  const before = tf.memory().numTensors;
  const { patches, pairs } = relativePositionPatches(x, labels, new Rng(9));
  assert.deepEqual(patches.shape, [16, 8, 8, 3], 'default patch 8: [2*batch, 8, 8, c]');
  const ref = patchPairBytes(pixels, [batch, h, w, c], pairs);
  assert.deepEqual(Array.from(patches.dataSync()), Array.from(ref), 'tensor patches = byte reference');
  // row 2b is the anchor: its first value is pixel (anchorY, anchorX) of image b
  for (let b = 0; b < batch; b++) assert.equal(ref[2 * b * 64 * 3], pixels[((b * h + pairs.anchorY[b]) * w + pairs.anchorX[b]) * c], `anchor of ${b}`);
  patches.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  x.dispose();
});

test('patch grid rejects geometry that does not fit, naming the parameter', () => {
  assert.throws(() => patchGrid(32, 32, { patch: 10, gap: 3, jitter: 1 }), /3\*patch \+ 2\*gap \+ 2\*jitter = 38/);
  assert.throws(() => patchGrid(32, 32, { patch: 4, gap: 0, jitter: 2 }), /jitter must be an integer in 0\.\.1/);
  assert.throws(() => patchGrid(32, 32, { patch: 0 }), /patch must be a positive integer/);
  assert.throws(() => drawPatchPairs(2, 32, 32, [0, 8], new Rng(1)), /labels\[1\] = 8/);
});

test('patchColour: none copies, grey is luminance, drop keeps one channel, jitter stays in [0, 1]', async () => {
  await useCpu();
  const n = 6;
  const x = tf.randomUniform([n, 3, 3, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const xs = x.dataSync();
  const before = tf.memory().numTensors;
  const none = patchColour(x, 'none', new Rng(1));
  assert.deepEqual(Array.from(none.dataSync()), Array.from(xs), 'none');
  const greyT = patchColour(x, 'grey', new Rng(1));
  const grey = greyT.dataSync();
  for (let i = 0; i < n * 9; i++) {
    const y = 0.299 * xs[3 * i] + 0.587 * xs[3 * i + 1] + 0.114 * xs[3 * i + 2];
    for (let k = 0; k < 3; k++) assert.ok(Math.abs(grey[3 * i + k] - y) < 1e-5, 'grey');
  }
  const maps = drawChannelMaps(n, 3, 'drop', new Rng(2));
  const dropT = patchColour(x, 'drop', new Rng(2));
  const drop = dropT.dataSync();
  for (let p = 0; p < n; p++) {
    const kept = [0, 1, 2].filter((k) => maps.gain[p * 3 + k] === 1);
    assert.equal(kept.length, 1, `patch ${p}: one channel kept`);
    for (let i = 0; i < 9; i++) {
      const o = (p * 9 + i) * 3;
      assert.ok(Math.abs(drop[o + kept[0]] - xs[o + kept[0]]) < 1e-6, 'kept channel unchanged');
      for (const k of [0, 1, 2]) if (k !== kept[0]) assert.ok(Math.abs(drop[o + k] - 0.5) < 0.06, 'dropped channel ~ 0.5');
    }
  }
  const jitT = patchColour(x, 'jitter', new Rng(3), 0.9);
  const jit = jitT.dataSync();
  assert.ok(jit.every((v) => v >= 0 && v <= 1), 'jitter clipped to [0, 1]');
  assert.equal(tf.memory().numTensors, before + 4, 'only the four returned tensors remain');
  tf.dispose([none, greyT, dropT, jitT]);
  x.dispose();
  assert.throws(() => patchColour(x, 'sepia' as never, new Rng(1)), /mode must be one of/);
});
