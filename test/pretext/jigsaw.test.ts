import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import {
  allPermutations,
  drawJigsawOffsets,
  factorial,
  hammingDistance,
  hammingPermutations,
  invertPermutation,
  jigsawTiles,
  jigsawTilesBytes,
  minPairwiseHamming,
  randomPermutations,
  reassembleTileBytes,
  reassembleTiles,
} from '../../src/pretext/jigsaw';

test('allPermutations lists n! distinct permutations in lexicographic order', () => {
  for (const n of [1, 2, 3, 4, 5]) {
    const all = allPermutations(n);
    assert.equal(all.length, factorial(n) * n, `n=${n}: n! rows`);
    const keys = new Set<string>();
    for (let r = 0; r < factorial(n); r++) {
      const p = Array.from(all.subarray(r * n, r * n + n));
      assert.deepEqual([...p].sort(), Array.from({ length: n }, (_, i) => i), `n=${n} row ${r} is a permutation`);
      keys.add(p.join(','));
    }
    assert.equal(keys.size, factorial(n), `n=${n}: rows distinct`);
  }
  assert.deepEqual(Array.from(allPermutations(3)), [0, 1, 2, 0, 2, 1, 1, 0, 2, 1, 2, 0, 2, 0, 1, 2, 1, 0], 'lexicographic for n=3');
});

test('hammingPermutations: distinct, seeded, and its minimum pairwise distance beats a random set of the same size', () => {
  for (const count of [10, 30, 100]) {
    const h = hammingPermutations(count, new Rng(7), { candidates: 40320 * 3 });
    const again = hammingPermutations(count, new Rng(7), { candidates: 40320 * 3 });
    assert.deepEqual(h.map((p) => Array.from(p)), again.map((p) => Array.from(p)), `count=${count}: same seed, same set`);
    assert.equal(new Set(h.map((p) => p.join(','))).size, count, `count=${count}: distinct`);
    const hMin = minPairwiseHamming(h);
    let rMin = 0;
    for (let s = 0; s < 5; s++) rMin = Math.max(rMin, minPairwiseHamming(randomPermutations(count, new Rng(100 + s))));
    assert.ok(hMin > rMin, `count=${count}: greedy min distance ${hMin} > best of 5 random sets ${rMin}`);
  }
});

test('hammingPermutations over all 9! candidates reaches the known minimum distances', () => {
  // exhaustive small cases: for 4 tiles, 4 permutations can be pairwise 4 apart (a Latin square)
  const four = hammingPermutations(4, new Rng(1), { tiles: 4 });
  assert.equal(minPairwiseHamming(four), 4, '4 tiles, 4 perms: a Latin square');
  const all24 = hammingPermutations(24, new Rng(1), { tiles: 4 });
  assert.equal(new Set(all24.map((p) => p.join(','))).size, 24, 'count = n! takes every permutation');
  const h = hammingPermutations(100, new Rng(3));
  assert.ok(minPairwiseHamming(h) >= 6, `100 perms of 9 tiles: min distance ${minPairwiseHamming(h)} >= 6`);
});

test('hammingPermutations rejects bad arguments with the accepted range', () => {
  assert.throws(() => hammingPermutations(0, new Rng(1)), /count must be an integer in 1\.\./);
  assert.throws(() => hammingPermutations(25, new Rng(1), { tiles: 4 }), /count must be an integer in 1\.\.24/);
  assert.throws(() => hammingPermutations(5, new Rng(1), { tiles: 11 }), /tiles must be an integer in 2\.\.10/);
  assert.throws(() => hammingPermutations(5, new Rng(1), { candidates: 10 ** 7 }), /candidates must be an integer/);
  assert.throws(() => invertPermutation([0, 0, 1]), /not a permutation/);
});

test('hammingDistance and invertPermutation', () => {
  assert.equal(hammingDistance([0, 1, 2, 3], [0, 1, 2, 3]), 0);
  assert.equal(hammingDistance([0, 1, 2, 3], [1, 0, 2, 3]), 2);
  const p = [2, 0, 3, 1];
  const q = invertPermutation(p);
  for (let i = 0; i < 4; i++) assert.equal(q[p[i]], i, 'q[p[i]] = i');
});

test('each of the 24 permutations of a 2x2 puzzle: tiles are the right cells and the inverse reassembles the crop', async () => {
  await useCpu();
  const grid = 2;
  const s = 6; // crop 6 -> cells of 3
  const c = 2;
  const perms = Array.from({ length: 24 }, (_, r) => Int32Array.from(allPermutations(4).subarray(r * 4, r * 4 + 4)));
  const batch = perms.length;
  const pixels = Float32Array.from({ length: batch * s * s * c }, (_, i) => i % 9973);
  const permIndex = Int32Array.from({ length: batch }, (_, b) => b);
  const off = drawJigsawOffsets(batch, s, s, grid, 3, new Rng(1), { jitter: false });
  const tiles = jigsawTilesBytes(pixels, [batch, s, s, c], grid, 3, perms, permIndex, off);
  // tile i of image b is cell perms[b][i]: its top-left value
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < 4; i++) {
      const cell = perms[b][i];
      const y = Math.floor(cell / 2) * 3;
      const x = (cell % 2) * 3;
      assert.equal(tiles[((b * 4 + i) * 9) * c], pixels[((b * s + y) * s + x) * c], `perm ${b} position ${i} holds cell ${cell}`);
    }
  }
  const back = reassembleTileBytes(tiles, batch, grid, 3, c, perms, permIndex);
  assert.deepEqual(Array.from(back), Array.from(pixels), 'bytes: every inverse reassembles the image');
  const x = tf.tensor4d(pixels, [batch, s, s, c]);
  const t = jigsawTiles(x, grid, 3, perms, permIndex, new Rng(1), { jitter: false });
  assert.deepEqual(Array.from(t.dataSync()), Array.from(tiles), 'tensor tiles match the byte reference');
  const r = reassembleTiles(t, grid, perms, permIndex);
  assert.deepEqual(Array.from(r.dataSync()), Array.from(pixels), 'tensor: every inverse reassembles the image');
  tf.dispose([x, t, r]);
});

test('jigsawTiles with jitter on a 3x3 grid matches the byte reference, stays inside each cell, and does not leak', async () => {
  await useCpu();
  const perms = hammingPermutations(10, new Rng(2), { candidates: 5000 });
  const batch = 10;
  const [h, w, c] = [11, 12, 3];
  const pixels = Float32Array.from({ length: batch * h * w * c }, (_, i) => (i * 31) % 1009);
  const permIndex = Int32Array.from({ length: batch }, (_, b) => b);
  const off = drawJigsawOffsets(batch, h, w, 3, 2, new Rng(5));
  assert.equal(off.crop, 9, 'default crop: largest multiple of grid that fits');
  for (let k = 0; k < off.tileY.length; k++) assert.ok(off.tileY[k] >= 0 && off.tileY[k] <= 1 && off.tileX[k] <= 1, 'tile inside its cell');
  for (let b = 0; b < batch; b++) assert.ok(off.cropY[b] <= 2 && off.cropX[b] <= 3, 'crop inside the image');
  const ref = jigsawTilesBytes(pixels, [batch, h, w, c], 3, 2, perms, permIndex, off);
  const x = tf.tensor4d(pixels, [batch, h, w, c]);
  const before = tf.memory().numTensors;
  const t = jigsawTiles(x, 3, 2, perms, permIndex, new Rng(5));
  assert.deepEqual(t.shape, [batch * 9, 2, 2, c], 'shape [batch*9, t, t, c]');
  assert.deepEqual(Array.from(t.dataSync()), Array.from(ref), 'tensor tiles match the byte reference');
  t.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  x.dispose();
  assert.throws(() => jigsawTiles(x, 3, 4, perms, permIndex, new Rng(1)), /tileSize must be an integer in 1\.\.3/);
  assert.throws(() => jigsawTiles(x, 3, 2, perms, Int32Array.from([11, 0, 0, 0, 0, 0, 0, 0, 0, 0]), new Rng(1)), /permIndex\[0\] = 11/);
});
