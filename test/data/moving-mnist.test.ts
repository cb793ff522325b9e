import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { movingMnist, positionLabels } from '../../src/data/moving-mnist';
import type { ImageSet } from '../../src/data/image-set';

/** Ten 28x28 "digits": a filled 20x20 square (class k has brightness 100 + 15k). */
function digits(): ImageSet {
  const images = new Uint8Array(10 * 784);
  for (let k = 0; k < 10; k++) for (let r = 4; r < 24; r++) for (let c = 4; c < 24; c++) images[k * 784 + r * 28 + c] = 100 + 15 * k;
  return { name: 'squares', images, labels: Int32Array.from({ length: 10 }, (_, k) => k), classNames: '0123456789'.split(''), n: 10, height: 28, width: 28, channels: 1 };
}

test('digits stay in the 64x64 frame for long sequences; frames are the max of the drawn digits', () => {
  const src = digits();
  const mm = movingMnist(src, { sequences: 30, length: 60, step: 0.3 }, new Rng(1));
  assert.equal(mm.frames.n, 30 * 60, 'frames');
  assert.deepEqual([mm.frames.height, mm.frames.width, mm.frames.channels], [64, 64, 1], 'frame shape');
  assert.deepEqual(Array.from(mm.starts.subarray(0, 3)), [0, 60, 120], 'sequence offsets');
  let bounced = 0;
  for (let s = 0; s < 30; s++) {
    for (let t = 0; t < 60; t++) {
      const frame = mm.frames.images.subarray((s * 60 + t) * 4096, (s * 60 + t + 1) * 4096);
      const expect = new Uint8Array(4096);
      for (let d = 0; d < 2; d++) {
        const p = ((s * 60 + t) * 2 + d) * 2;
        const [y, x] = [mm.positions[p], mm.positions[p + 1]];
        assert.ok(y >= 0 && y <= 36 && x >= 0 && x <= 36, `digit ${d} of sequence ${s} at frame ${t} is at (${y}, ${x}), outside 0..36`);
        if (t > 1) {
          const q = p - 4;
          const dy = y - mm.positions[q];
          const before = mm.positions[q] - mm.positions[q - 4];
          if (dy !== 0 && before !== 0 && Math.sign(dy) !== Math.sign(before)) bounced++;
        }
        const img = src.images.subarray(mm.sources[s * 2 + d] * 784, mm.sources[s * 2 + d] * 784 + 784);
        for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) expect[(y + r) * 64 + x + c] = Math.max(expect[(y + r) * 64 + x + c], img[r * 28 + c]);
      }
      assert.deepEqual(frame, expect, `sequence ${s} frame ${t} is the max of its two digits`);
    }
  }
  assert.ok(bounced > 30, `digits bounce off the borders (${bounced} reversals)`);
  assert.ok(mm.digitLabels.every((l, i) => l === src.labels[mm.sources[i]]), 'digit labels match their sources');
  assert.ok(mm.frames.labels.every((l) => l === -1), 'two-digit frames are unlabelled');
});

test('seeded: same seed same sequences, another seed others; one digit labels its frames; downscaling averages', () => {
  const src = digits();
  const a = movingMnist(src, { sequences: 4, length: 5 }, new Rng(7));
  const b = movingMnist(src, { sequences: 4, length: 5 }, new Rng(7));
  const c = movingMnist(src, { sequences: 4, length: 5 }, new Rng(8));
  assert.deepEqual(a.frames.images, b.frames.images, 'same seed, same frames');
  assert.notDeepEqual(a.frames.images, c.frames.images, 'another seed, other frames');
  const one = movingMnist(src, { sequences: 3, length: 4, digits: 1 }, new Rng(2));
  for (let f = 0; f < 12; f++) assert.equal(one.frames.labels[f], one.digitLabels[Math.floor(f / 4)], `frame ${f} labelled with its digit`);
  const big = movingMnist(src, { sequences: 2, length: 3 }, new Rng(3));
  const small = movingMnist(src, { sequences: 2, length: 3, outputSize: 32 }, new Rng(3));
  assert.equal(small.frames.height, 32);
  for (let f = 0; f < 6; f++) {
    for (const [r, cc] of [[0, 0], [10, 17], [31, 31]]) {
      const at = (y: number, x: number) => big.frames.images[f * 4096 + y * 64 + x];
      const mean = (at(2 * r, 2 * cc) + at(2 * r + 1, 2 * cc) + at(2 * r, 2 * cc + 1) + at(2 * r + 1, 2 * cc + 1)) / 4;
      assert.equal(small.frames.images[f * 1024 + r * 32 + cc], Math.round(mean), `2x2 area mean at frame ${f} (${r}, ${cc})`);
    }
  }
  assert.throws(() => movingMnist(src, { sequences: 1, outputSize: 30 }, new Rng(1)), /outputSize 30 must divide size 64/);
  assert.throws(() => movingMnist({ ...src, height: 32, width: 32, images: new Uint8Array(10 * 1024) }, { sequences: 1 }, new Rng(1)), /28x28x1/);
});

test('positionLabels: each frame labelled by the 3x3 cell of its digit\'s centre, found from the pixels', () => {
  const mm = movingMnist(digits(), { sequences: 20, length: 30, digits: 1, step: 0.3 }, new Rng(3));
  const pos = positionLabels(mm, 3);
  assert.equal(pos.n, mm.frames.n);
  assert.equal(pos.classNames.length, 9);
  const seen = new Set<number>();
  for (let i = 0; i < pos.n; i++) {
    // Centre of the bright square from the pixels (square spans digit rows/cols 4..23: centre at +14).
    const img = mm.frames.images.subarray(i * 4096, (i + 1) * 4096);
    let sy = 0, sx = 0, m = 0;
    for (let r = 0; r < 64; r++) for (let c = 0; c < 64; c++) if (img[r * 64 + c] > 0) { sy += r; sx += c; m++; }
    const cy = sy / m + 0.5, cx = sx / m + 0.5;
    const expect = Math.min(2, Math.floor((cy * 3) / 64)) * 3 + Math.min(2, Math.floor((cx * 3) / 64));
    assert.equal(pos.labels[i], expect, `frame ${i}: centre (${cy}, ${cx})`);
    seen.add(expect);
  }
  assert.equal(seen.size, 9, 'every cell occurs');
  assert.throws(() => positionLabels(movingMnist(digits(), { sequences: 2 }, new Rng(1))), /one digit per sequence/);
  assert.throws(() => positionLabels(mm, 1), /cells must be/);
});
