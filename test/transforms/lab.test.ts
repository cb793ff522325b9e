import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { labPixelToRgb, labToRgb, lightnessInput, lightnessSet, rgbPixelToLab, rgbToLab } from '../../src/transforms/lab';

// sRGB (0..255) -> CIE Lab under D65 (2° observer). Primaries, secondaries, white and grey: Bruce
// Lindbloom's colour calculator (sRGB, reference white D65, 7-digit sRGB matrix, our matrix).
// The rest: colorspacious.cspace_convert (with the IEC 61966-2-1 4-digit matrix), as listed in
// Stephen Cobeldick's sRGB_to_CIELab tests; the two matrices differ in the fourth decimal, hence
// the 0.02 tolerance.
const REFERENCE: Array<[number[], number[]]> = [
  [[0, 0, 0], [0, 0, 0]],
  [[255, 255, 255], [100, 0, 0]],
  [[128, 128, 128], [53.585, 0, 0]],
  [[255, 0, 0], [53.2408, 80.0925, 67.2032]],
  [[0, 255, 0], [87.7347, -86.1827, 83.1793]],
  [[0, 0, 255], [32.297, 79.1875, -107.8602]],
  [[255, 255, 0], [97.1393, -21.5537, 94.478]],
  [[0, 255, 255], [91.1132, -48.0875, -14.1312]],
  [[255, 0, 255], [60.3242, 98.2343, -60.8249]],
  [[25.5, 51, 76.5], [20.4773, -0.6478, -18.6355]],
  [[102, 127.5, 153], [52.3232, -2.7423, -16.6604]],
  [[229.5, 204, 178.5], [83.5268, 4.9909, 15.9732]],
  [[76.5, 51, 25.5], [23.6618, 8.3732, 20.5592]],
  [[10.2, 5.1, 2.55], [1.6451, 0.9792, 1.4347]],
];

test('sRGB -> Lab matches reference values under D65 (per pixel and batched)', async () => {
  await useCpu();
  for (const [rgb, lab] of REFERENCE) {
    const got = rgbPixelToLab(rgb[0] / 255, rgb[1] / 255, rgb[2] / 255);
    got.forEach((v, k) => assert.ok(Math.abs(v - lab[k]) < 0.02, `rgb(${rgb}) channel ${'Lab'[k]}: ${v.toFixed(4)} vs ${lab[k]}`));
  }
  const x = tf.tensor4d(REFERENCE.flatMap(([rgb]) => rgb.map((v) => v / 255)), [1, REFERENCE.length, 1, 3]);
  const batched = rgbToLab(x).dataSync();
  REFERENCE.forEach(([rgb, lab], i) => lab.forEach((v, k) => assert.ok(Math.abs(batched[3 * i + k] - v) < 0.03, `batched rgb(${rgb}) ${'Lab'[k]}: ${batched[3 * i + k]} vs ${v}`)));
  x.dispose();
});

test('Lab round trip: every sRGB colour on a 16-step grid comes back within 1/255 (per pixel and batched)', async () => {
  await useCpu();
  const levels = Array.from({ length: 18 }, (_, i) => Math.min(255, i * 15)).concat([1, 3, 10, 254]);
  const colours: number[] = [];
  for (const r of levels) for (const g of levels) for (const b of levels) colours.push(r / 255, g / 255, b / 255);
  let worst = 0;
  for (let i = 0; i < colours.length; i += 3) {
    const back = labPixelToRgb(...rgbPixelToLab(colours[i], colours[i + 1], colours[i + 2]));
    for (let k = 0; k < 3; k++) worst = Math.max(worst, Math.abs(back[k] - colours[i + k]));
  }
  assert.ok(worst < 1 / 255, `per-pixel round-trip error ${worst} (in [0, 1] units) >= 1/255`);
  const n = colours.length / 3;
  const x = tf.tensor4d(colours, [1, n, 1, 3]);
  const back = tf.tidy(() => labToRgb(rgbToLab(x)).dataSync());
  let worstT = 0;
  for (let i = 0; i < colours.length; i++) worstT = Math.max(worstT, Math.abs(back[i] - colours[i]));
  assert.ok(worstT < 1 / 255, `batched round-trip error ${worstT} >= 1/255`);
  x.dispose();
});

test('labToRgb clips out-of-gamut Lab into [0, 1]; bad shapes are named', async () => {
  await useCpu();
  const lab = tf.tensor4d([50, 120, -120, 100, 0, 0, 0, 0, 0], [1, 1, 3, 3]);
  const rgb = labToRgb(lab).dataSync();
  for (const v of rgb) assert.ok(v >= 0 && v <= 1, `clipped ${v}`);
  assert.ok(Math.abs(rgb[3] - 1) < 1e-3 && Math.abs(rgb[6]) < 1e-6, 'white and black');
  assert.throws(() => rgbToLab(tf.zeros([1, 2, 2, 1]) as tf.Tensor4D), /rgbToLab: expected \[batch, h, w, 3\]/);
  lab.dispose();
});

test('lightnessSet holds round(L * 2.55) and equals the on-the-fly lightnessInput', async () => {
  await useCpu();
  const bytes = Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 0, 0, 10, 200, 30, 128, 128, 128, 3, 7, 250]);
  const set = { name: 't', images: bytes, labels: new Int32Array(1), classNames: ['a'], n: 1, height: 2, width: 3, channels: 3 };
  const L = lightnessSet(set);
  assert.equal(L.channels, 1);
  assert.equal(L.name, 't:L');
  for (let p = 0; p < 6; p++) {
    const ref = Math.round(rgbPixelToLab(bytes[3 * p] / 255, bytes[3 * p + 1] / 255, bytes[3 * p + 2] / 255)[0] * 2.55);
    assert.equal(L.images[p], ref, `pixel ${p}`);
  }
  const x = tf.tensor4d(Float32Array.from(bytes, (v) => v / 255), [1, 2, 3, 3]);
  const onTheFly = tf.tidy(() => lightnessInput(rgbToLab(x)).dataSync());
  onTheFly.forEach((v, p) => assert.ok(Math.abs(v * 255 - L.images[p]) < 1e-3, `input ${p}: ${v * 255} vs ${L.images[p]}`));
  assert.equal(lightnessSet(L), L, 'a one-channel set is returned as is');
  x.dispose();
});
