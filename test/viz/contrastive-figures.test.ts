import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { histogramFigure, historiesByRun, interleaveImages, jigsawPairImages, nearFarPatchImages } from '../../src/viz/contrastive-figures';

test('histogram figure: one overlaid trace per series', () => {
  const f = histogramFigure({ a: [1, 2, 3], b: Float32Array.from([0.5]) }, { title: 't', xTitle: 'x' });
  assert.deepEqual(f.data.map((t) => t.name), ['a', 'b']);
  assert.deepEqual(f.data[1].x, [0.5]);
  assert.equal(f.layout.barmode, 'overlay');
  assert.throws(() => histogramFigure({}), /at least one series/);
});

test('histories by run: one column per run, padded with null', () => {
  const c = historiesByRun({ a: [{ knn: 0.1 }, { knn: 0.2 }], b: [{ knn: 0.3 }] }, 'knn');
  assert.deepEqual(c, { epoch: [1, 2], a: [0.1, 0.2], b: [0.3, null] });
});

test('interleaved images and example grids have the promised sizes', async () => {
  await useCpu();
  const a = tf.zeros([2, 2, 2, 1]) as tf.Tensor4D;
  const b = tf.ones([2, 2, 2, 1]) as tf.Tensor4D;
  assert.deepEqual(Array.from(interleaveImages([a, b])), [0, 0, 0, 0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  const set = toySet(3, 12, 3, 2);
  const nf = nearFarPatchImages(set, 6, new Rng(1));
  assert.equal(nf.bytes.length, 3 * 3 * 6 * 6 * 3);
  assert.equal(nf.captions.length, 9);
  const jp = jigsawPairImages(set, new Rng(1), { grid: 3, tileSize: 4 });
  assert.equal(jp.side, 12);
  assert.equal(jp.bytes.length, 2 * 3 * 12 * 12 * 3);
  // With 4-pixel tiles in 4-pixel cells, "in place" is the image itself.
  const first = jp.bytes.subarray(0, 12 * 12 * 3);
  const orig = set.images.subarray(0, 12 * 12 * 3);
  let maxDiff = 0;
  first.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - orig[i]))));
  assert.ok(maxDiff <= 1, 'tiles in place reproduce the image');
});
