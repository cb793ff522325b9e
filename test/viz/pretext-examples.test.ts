import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { toySet } from '../helpers';
import { greyscaleBytes, maskedPatchBytes, pretextPairsFigure, relativePositionBytes } from '../../src/viz/pretext-examples';
import { lowShotFigure } from '../../src/viz/low-shot-figure';

test('greyscaleBytes: BT.601 luma in all three channels', () => {
  assert.deepEqual(Array.from(greyscaleBytes(Uint8Array.from([255, 0, 0, 0, 255, 0, 10, 10, 10]))), [76, 76, 76, 150, 150, 150, 10, 10, 10]);
});

test('maskedPatchBytes: the input has a grey hole where the label keeps the pixels, and the reverse', () => {
  const img = Uint8Array.from({ length: 4 * 4 }, (_, i) => i); // 4x4, 1 channel
  const { input, label } = maskedPatchBytes(img, 4, 4, 1, 1, 2, 2);
  for (let y = 0; y < 4; y++) {
    for (let x = 0; x < 4; x++) {
      const inHole = y >= 1 && y < 3 && x >= 2;
      assert.equal(input[y * 4 + x], inHole ? 128 : img[y * 4 + x], `input (${y}, ${x})`);
      assert.equal(label[y * 4 + x], inHole ? img[y * 4 + x] : 128, `label (${y}, ${x})`);
    }
  }
  assert.throws(() => maskedPatchBytes(img, 4, 4, 1, 3, 3, 2), /does not fit/);
});

test('relativePositionBytes: the input shows the centre cell and neighbour k, the label keeps those two cells undimmed', () => {
  const s = 12;
  const img = Uint8Array.from({ length: s * s }, (_, i) => 3 * (Math.floor(Math.floor(i / s) / 4) * 3 + Math.floor((i % s) / 4)) + 1); // value = cell id
  for (let k = 0; k < 8; k++) {
    const cellOfK = k < 4 ? k : k + 1;
    const { input, label } = relativePositionBytes(img, s, 1, k);
    const values = new Set(Array.from(input));
    assert.deepEqual([...values].sort((a, b) => a - b), [3 * 4 + 1, 3 * cellOfK + 1, 128].sort((a, b) => a - b), `k=${k}: centre and neighbour patches on grey`);
    for (let i = 0; i < s * s; i++) {
      const cell = Math.floor(Math.floor(i / s) / 4) * 3 + Math.floor((i % s) / 4);
      assert.equal(label[i] === img[i], cell === 4 || cell === cellOfK, `k=${k}, pixel ${i}`);
    }
  }
  assert.throws(() => relativePositionBytes(img, s, 1, 8), /k must be 0..7/);
});

test('pretextPairsFigure: one row per task, an (input, label) pair per image, captions saying which is which', () => {
  const set = toySet(3, 8, 3, 2);
  const fig = pretextPairsFigure(set, [0, 1, 2], new Rng(1));
  assert.equal(fig.data.length, 4 * 3 * 2);
  const captions = (fig.layout.annotations ?? []).map((a) => String(a.text));
  assert.equal(captions.filter((c) => c.endsWith(': input')).length, 12);
  assert.equal(captions.filter((c) => c.startsWith('label: ')).length, 12);
  assert.ok(captions.some((c) => /^label: turned (90|180|270)°$/.test(c)));
  assert.throws(() => pretextPairsFigure(toySet(2, 8, 1, 2), [0], new Rng(1)), /square RGB/);
});

test('lowShotFigure: a line per encoder plus extras, log x at the measured shots, error bars where draws vary', () => {
  const pts = [
    { encoder: 'random', shots: 1, linear: 0.3, linear_std: 0.05, knn: 0.25, knn_std: 0.04 },
    { encoder: 'random', shots: 10, linear: 0.5, linear_std: 0, knn: 0.4, knn_std: 0 },
    { encoder: 'rotation', shots: 1, linear: 0.35, linear_std: 0, knn: 0.3, knn_std: 0 },
    { encoder: 'rotation', shots: 10, linear: 0.55, linear_std: 0, knn: 0.45, knn_std: 0 },
  ];
  const fig = lowShotFigure(pts, { extra: { scratch: [{ shots: 10, accuracy: 0.2 }] }, names: { random: 'random init' } });
  assert.deepEqual(fig.data.map((t) => t.name), ['random init', 'rotation', 'scratch']);
  assert.deepEqual(fig.data[0].y, [0.3, 0.5]);
  assert.deepEqual(fig.data[2].y, [null, 0.2]);
  assert.deepEqual((fig.data[0].error_y as { array: number[] }).array, [0.05, 0]);
  assert.equal(fig.data[1].error_y, undefined, 'no error bars where every std is 0');
  assert.equal(fig.layout.xaxis?.type, 'log');
  assert.deepEqual(fig.layout.xaxis?.tickvals, [1, 10]);
  assert.deepEqual(lowShotFigure(pts, { evaluation: 'knn' }).data[1].y, [0.3, 0.45]);
});
