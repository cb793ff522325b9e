import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { centreMask, channelMeans, inpaintingBatch, inpaintingMask, randomBlockMask } from '../../src/pretext/inpainting';

test('centre mask: a centred square of side hole (default half the side: a quarter of the area)', () => {
  const m = centreMask(8, 8);
  const rows = Array.from({ length: 8 }, (_, y) => Array.from(m.subarray(y * 8, y * 8 + 8)).join(''));
  assert.deepEqual(rows, ['00000000', '00000000', '00111100', '00111100', '00111100', '00111100', '00000000', '00000000']);
  const odd = centreMask(5, 7, 3);
  assert.equal(odd.reduce((a, b) => a + b, 0), 9);
  assert.equal(odd[1 * 7 + 2], 1, 'top-left of the hole at (1, 2)');
  assert.equal(odd[1 * 7 + 1], 0);
  assert.throws(() => centreMask(8, 8, 9), /hole must be an integer in 1..8, got 9/);
});

test('random blocks: squares of blockSize cover at least the coverage, differ per draw, repeat with the seed', () => {
  for (let seed = 0; seed < 50; seed++) {
    const m = randomBlockMask(16, 16, new Rng(seed), 4, 0.25);
    const hidden = m.reduce((a, b) => a + b, 0);
    assert.ok(hidden >= 64 && hidden < 64 + 16, `seed ${seed}: ${hidden} hidden pixels, at least a quarter and at most one block more`);
    // Every hidden pixel lies in some fully hidden 4x4 square.
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        if (!m[y * 16 + x]) continue;
        let inBlock = false;
        for (let y0 = Math.max(0, y - 3); y0 <= Math.min(12, y) && !inBlock; y0++) {
          for (let x0 = Math.max(0, x - 3); x0 <= Math.min(12, x) && !inBlock; x0++) {
            let all = true;
            for (let yy = y0; yy < y0 + 4; yy++) for (let xx = x0; xx < x0 + 4; xx++) all &&= m[yy * 16 + xx] === 1;
            inBlock = all;
          }
        }
        assert.ok(inBlock, `seed ${seed}: pixel (${y}, ${x}) belongs to a hidden block`);
      }
    }
  }
  assert.deepEqual(randomBlockMask(16, 16, new Rng(3), 4), randomBlockMask(16, 16, new Rng(3), 4), 'same seed, same mask');
  assert.notDeepEqual(randomBlockMask(16, 16, new Rng(3), 4), randomBlockMask(16, 16, new Rng(4), 4), 'another seed, another mask');
  assert.throws(() => randomBlockMask(8, 8, new Rng(1), 0), /blockSize must be an integer in 1..8, got 0/);
  assert.throws(() => inpaintingMask(8, 8, new Rng(1), { kind: 'ring' as 'centre' }), /kind must be one of centre, random-blocks, got "ring"/);
});

test('inpaintingBatch: hidden pixels hold the fill, visible ones the image; a fresh mask per image', async () => {
  await useCpu();
  const n = 3;
  const x = tf.randomUniform([n, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
  const fill = [0.1, 0.2, 0.3];
  const { inputs, mask, targets } = inpaintingBatch(x, new Rng(2), { kind: 'random-blocks', blockSize: 2 }, fill);
  assert.deepEqual(mask.shape, [n, 8, 8, 1]);
  const xv = x.dataSync();
  const iv = inputs.dataSync();
  const mv = mask.dataSync();
  for (let p = 0; p < n * 64; p++) {
    for (let c = 0; c < 3; c++) {
      const want = mv[p] ? fill[c] : xv[3 * p + c];
      assert.ok(Math.abs(iv[3 * p + c] - want) < 1e-6, `pixel ${p} channel ${c}`);
    }
  }
  assert.notDeepEqual(Array.from(mv.subarray(0, 64)), Array.from(mv.subarray(64, 128)), 'images get different masks');
  assert.deepEqual(Array.from(targets.dataSync()), Array.from(xv), 'targets are the clean images');
  // Replay: the same rng stream gives the same masks, and the centre mask needs none.
  const again = inpaintingBatch(x, new Rng(2), { kind: 'random-blocks', blockSize: 2 }, fill);
  assert.deepEqual(Array.from(again.mask.dataSync()), Array.from(mv));
  assert.throws(() => inpaintingBatch(x, new Rng(1), { kind: 'centre' }, [0.5]), /fill has 1 values for 3 channels/);
  tf.dispose([x, inputs, mask, targets, again.inputs, again.mask, again.targets]);
});

test('channelMeans: per-channel mean in [0, 1]', () => {
  const set = { name: 's', images: Uint8Array.from([0, 255, 51, 255, 255, 153]), labels: new Int32Array(2), classNames: ['a'], n: 2, height: 1, width: 1, channels: 3 };
  assert.deepEqual(channelMeans(set).map((v) => +v.toFixed(3)), [0.5, 1, 0.4]);
});
