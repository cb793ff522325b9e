import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { rgbPixelToLab, rgbToLab } from '../../src/transforms/lab';
import { abBinCounts, abBins, abToBin, abToBins, annealedMean, binMode, colourTargets, rebalanceWeights } from '../../src/pretext/colourisation';

test('ab bins: a few hundred in-gamut bins on the grid, each reached by some sRGB colour; the lookup gives the nearest', () => {
  const bins = abBins(10);
  assert.ok(bins.q > 200 && bins.q <= 313, `Q = ${bins.q} (Zhang et al.: 313 for their gamut)`);
  assert.equal(abBins(10), bins, 'memoised');
  for (let k = 0; k < bins.q; k++) {
    assert.ok(Math.abs(bins.centres[2 * k] % 10) === 0, 'a centre on the grid');
    assert.ok(Math.abs(bins.centres[2 * k + 1] % 10) === 0, 'b centre on the grid');
  }
  // Every cell's lookup is the nearest bin centre (brute force).
  for (let i = 0; i < bins.cells; i++) {
    for (let j = 0; j < bins.cells; j++) {
      const a = (i - bins.half) * 10;
      const b = (j - bins.half) * 10;
      const d = (k: number) => (bins.centres[2 * k] - a) ** 2 + (bins.centres[2 * k + 1] - b) ** 2;
      let best = Infinity;
      for (let k = 0; k < bins.q; k++) best = Math.min(best, d(k));
      assert.equal(d(bins.lut[i * bins.cells + j]), best, `cell (${a}, ${b})`);
    }
  }
  // Pure primaries fall in the bin whose centre rounds their ab.
  for (const rgb of [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0], [0.5, 0.5, 0.5]]) {
    const [, a, b] = rgbPixelToLab(rgb[0], rgb[1], rgb[2]);
    const k = abToBin(a, b, bins);
    assert.ok(bins.centres[2 * k] === Math.round(a / 10) * 10, `a of rgb(${rgb})`);
    assert.ok(bins.centres[2 * k + 1] === Math.round(b / 10) * 10, `b of rgb(${rgb})`);
  }
  assert.throws(() => abBins(1), /abBins: gridSize must be an integer in 2..64, got 1/);
});

test('abToBins (batched) equals abToBin (per value) on a grid of ab values, out-of-range values included', async () => {
  await useCpu();
  const bins = abBins(10);
  const vals: number[] = [];
  for (let a = -130; a <= 130; a += 7.3) for (let b = -130; b <= 130; b += 6.1) vals.push(a, b);
  const t = tf.tensor3d(vals, [1, vals.length / 2, 2]);
  const got = abToBins(t, bins).dataSync();
  for (let i = 0; i < vals.length / 2; i++) assert.equal(got[i], abToBin(vals[2 * i], vals[2 * i + 1], bins), `ab (${vals[2 * i]}, ${vals[2 * i + 1]})`);
  t.dispose();
});

test('colourTargets average-pools ab over cells and labels each with its bin', async () => {
  await useCpu();
  const bins = abBins(10);
  // A 4x4 image: left half red, right half blue; pooled to 2x2 each cell is pure.
  const px: number[] = [];
  for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) px.push(...(x < 2 ? [1, 0, 0] : [0, 0, 1]));
  const lab = rgbToLab(tf.tensor4d(px, [1, 4, 4, 3]));
  const { ab, bins: labels } = colourTargets(lab, bins, 2);
  assert.deepEqual(ab.shape, [1, 2, 2, 2]);
  assert.deepEqual(labels.shape, [1, 2, 2]);
  const red = rgbPixelToLab(1, 0, 0);
  const blue = rgbPixelToLab(0, 0, 1);
  const abv = ab.dataSync();
  assert.ok(Math.abs(abv[0] - red[1]) < 0.05 && Math.abs(abv[3] - blue[2]) < 0.05, 'pooled ab');
  assert.deepEqual(Array.from(labels.dataSync()), [abToBin(red[1], red[2], bins), abToBin(blue[1], blue[2], bins), abToBin(red[1], red[2], bins), abToBin(blue[1], blue[2], bins)]);
  // A mixed cell averages: 1x1 output of the whole image.
  const whole = colourTargets(lab, bins, 1).ab.dataSync();
  assert.ok(Math.abs(whole[0] - (red[1] + blue[1]) / 2) < 0.05, 'mean a of the two halves');
  assert.throws(() => colourTargets(lab, bins, 3), /outSize must divide the square image side 4x4, got 3/);
  // Counts over a set: 4 pixels a image, 2 red and 2 blue.
  const bytes = Uint8Array.from(px.map((v) => v * 255));
  const set = { name: 'rb', images: bytes, labels: new Int32Array(1), classNames: ['x'], n: 1, height: 4, width: 4, channels: 3 };
  const counts = abBinCounts(set, bins, { outSize: 2 });
  assert.equal(counts.reduce((a, b) => a + b, 0), 4);
  assert.equal(counts[abToBin(red[1], red[2], bins)], 2);
  assert.equal(counts[abToBin(blue[1], blue[2], bins)], 2);
  lab.dispose();
});

test('rebalancing weights: expected weight 1 under the smoothed distribution; rare bins weigh more; lambda = 1 is no rebalancing', () => {
  const bins = abBins(10);
  const counts = new Float64Array(bins.q).fill(1);
  const common = abToBin(0, 0, bins);
  const rare = abToBin(60, 60, bins);
  counts[common] = 10000;
  counts[rare] = 0;
  const w = rebalanceWeights(counts, bins, { lambda: 0.5, sigma: 0 });
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = Array.from(counts).reduce((a, c, i) => a + (c / total) * w[i], 0);
  assert.ok(Math.abs(expected - 1) < 1e-5, `E[w] = ${expected}`);
  assert.ok(w[rare] > w[common] * 50, `rare ${w[rare]} vs common ${w[common]}`);
  // Slow reference of eq. 4 without smoothing.
  const ref = Array.from(counts, (c) => 1 / (0.5 * (c / total) + 0.5 / bins.q));
  const z = Array.from(counts).reduce((a, c, i) => a + (c / total) * ref[i], 0);
  ref.forEach((r, i) => assert.ok(Math.abs(r / z - w[i]) < 1e-4 * Math.max(1, r / z), `bin ${i}`));
  for (const v of rebalanceWeights(counts, bins, { lambda: 1 })) assert.ok(Math.abs(v - 1) < 1e-5, 'lambda 1: all weights 1');
  // Smoothing spreads mass to neighbours of the common bin: they weigh less than far-away bins.
  const ws = rebalanceWeights(counts, bins, { lambda: 0.5, sigma: 5 });
  assert.ok(ws[abToBin(10, 0, bins)] < ws[abToBin(50, -50, bins)], 'smoothed neighbour of the common bin weighs less');
  assert.throws(() => rebalanceWeights(counts, bins, { lambda: 2 }), /lambda must be in \[0, 1\], got 2/);
  assert.throws(() => rebalanceWeights([1, 2], bins), /2 counts for \d+ bins/);
});

test('annealed mean: T = 1 is the mean of the bin centres under softmax, small T tends to the mode', async () => {
  await useCpu();
  const bins = abBins(10);
  const logits = new Float32Array(2 * bins.q).fill(0);
  const k1 = abToBin(40, 20, bins);
  const k2 = abToBin(-30, 50, bins);
  logits[k1] = 3; // pixel 0: peaked at k1
  logits[bins.q + k2] = 1; // pixel 1: mildly peaked at k2
  const t = tf.tensor4d(logits, [1, 1, 2, bins.q]);
  const mean = annealedMean(t, bins, 1).dataSync();
  // Slow reference: softmax then weighted sum.
  for (let p = 0; p < 2; p++) {
    const z = Array.from(logits.subarray(p * bins.q, (p + 1) * bins.q));
    const e = z.map(Math.exp);
    const s = e.reduce((a, b) => a + b, 0);
    const a = e.reduce((acc, v, k) => acc + (v / s) * bins.centres[2 * k], 0);
    const b = e.reduce((acc, v, k) => acc + (v / s) * bins.centres[2 * k + 1], 0);
    assert.ok(Math.abs(mean[2 * p] - a) < 1e-3 && Math.abs(mean[2 * p + 1] - b) < 1e-3, `pixel ${p}: (${mean[2 * p]}, ${mean[2 * p + 1]}) vs (${a}, ${b})`);
  }
  const cold = annealedMean(t, bins, 0.01).dataSync();
  const mode = binMode(t, bins).dataSync();
  assert.deepEqual(Array.from(mode), [40, 20, -30, 50]);
  cold.forEach((v, i) => assert.ok(Math.abs(v - mode[i]) < 1e-3, `cold ${v} vs mode ${mode[i]}`));
  // The paper's T = 0.38 lies between the mean and the mode.
  const warm = annealedMean(t, bins, 0.38).dataSync();
  const toMode = (v: ArrayLike<number>) => Math.hypot(v[0] - 40, v[1] - 20);
  assert.ok(toMode(cold) < toMode(warm) && toMode(warm) < toMode(mean), `distance to the mode: T=0.01 ${toMode(cold)}, T=0.38 ${toMode(warm)}, T=1 ${toMode(mean)}`);
  assert.throws(() => annealedMean(t, bins, 0), /T must be positive/);
  t.dispose();
});
