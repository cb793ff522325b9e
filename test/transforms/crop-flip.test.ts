import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { ImageSet } from '../../src/data/image-set';
import { randomCropFlip } from '../../src/transforms/crop-flip';

const set: ImageSet = {
  name: 'ramp', n: 2, height: 4, width: 4, channels: 1, classNames: ['a'], labels: new Int32Array(2),
  images: Uint8Array.from({ length: 32 }, (_, i) => (i % 16) * 10 + (i >= 16 ? 5 : 0)),
};

test('randomCropFlip without pad or flip is the identity, scaled to [0, 1]', async () => {
  await useCpu();
  const x = randomCropFlip(set, Int32Array.from([1, 0]), new Rng(1), { pad: 0, flip: false });
  assert.deepEqual(x.shape, [2, 4, 4, 1]);
  const v = x.dataSync();
  assert.ok(Math.abs(v[0] - set.images[16] / 255) < 1e-7, 'first row of the batch is image 1');
  assert.ok(Math.abs(v[16] - set.images[0] / 255) < 1e-7, 'second is image 0');
  x.dispose();
});

test('flip mirrors rows; pad shifts with zero fill; same seed, same batch', async () => {
  await useCpu();
  // Find a seed whose first draw flips, then check the mirror exactly.
  const flipped = randomCropFlip(set, Int32Array.from([0]), new Rng(3), { pad: 0 }).dataSync();
  const plain = Array.from(set.images.subarray(0, 16), (b) => b / 255);
  const mirrored = plain.map((_, i) => plain[Math.floor(i / 4) * 4 + (3 - (i % 4))]);
  const got = Array.from(flipped);
  assert.ok(
    got.every((g, i) => Math.abs(g - plain[i]) < 1e-7) || got.every((g, i) => Math.abs(g - mirrored[i]) < 1e-7),
    'either the image or its mirror',
  );
  let sawFlip = false;
  let sawZero = false;
  for (let s = 0; s < 20; s++) {
    const a = Array.from(randomCropFlip(set, Int32Array.from([0]), new Rng(s), { pad: 0 }).dataSync());
    if (a.every((g, i) => Math.abs(g - mirrored[i]) < 1e-7)) sawFlip = true;
    const b = Array.from(randomCropFlip(set, Int32Array.from([0]), new Rng(s), { pad: 2, flip: false }).dataSync());
    if (b.some((g) => g === 0) && b.some((g) => g > 0)) sawZero = true;
  }
  assert.ok(sawFlip, 'some seed flips');
  assert.ok(sawZero, 'some seed shifts in zero fill');
  const r1 = randomCropFlip(set, Int32Array.from([0, 1]), new Rng(9)).dataSync();
  const r2 = randomCropFlip(set, Int32Array.from([0, 1]), new Rng(9)).dataSync();
  assert.deepEqual(Array.from(r1), Array.from(r2), 'deterministic for a seed');
  assert.throws(() => randomCropFlip(set, Int32Array.from([0]), new Rng(1), { pad: -1 }), /pad must be a non-negative integer/);
});
