import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resizeImage, toChannels, type RawImage } from '../../src/data';

const img = (h: number, w: number, c: number, f: (y: number, x: number, k: number) => number): RawImage => {
  const data = new Uint8Array(h * w * c);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) data[(y * w + x) * c + k] = f(y, x, k);
  return { data, height: h, width: w, channels: c };
};

describe('resizeImage', () => {
  it('bilinear with pixel-centre sampling matches a hand computation', () => {
    // 1x2 [0, 100] -> 1x4: centres at source x = -0.25, 0.25, 0.75, 1.25 -> clamp -> 0, 25, 75, 100
    const r = resizeImage({ data: Uint8Array.from([0, 100]), height: 1, width: 2, channels: 1 }, 1, 4);
    assert.deepEqual(Array.from(r.data), [0, 25, 75, 100], 'upsampled row');
  });

  it('keeps a constant image constant, at any size, both methods', () => {
    const src = img(37, 53, 3, (_y, _x, k) => 50 + 60 * k);
    for (const [h, w] of [[32, 32], [5, 90], [100, 3]]) {
      for (const m of ['bilinear', 'nearest'] as const) {
        const r = resizeImage(src, h, w, m);
        assert.deepEqual([r.height, r.width, r.channels], [h, w, 3], `shape ${m}`);
        assert.ok(r.data.every((v, i) => v === 50 + 60 * (i % 3)), `values ${m} ${h}x${w}`);
      }
    }
  });

  it('averages when shrinking a lot (no aliasing of a fine checkerboard)', () => {
    const board = img(256, 256, 1, (y, x) => ((x + y) % 2 ? 255 : 0));
    const r = resizeImage(board, 8, 8);
    assert.ok(r.data.every((v) => Math.abs(v - 128) <= 1), `all mid grey, got ${Array.from(r.data.slice(0, 8))}`);
  });

  it('nearest picks source pixels', () => {
    const src = img(2, 2, 1, (y, x) => 10 * (2 * y + x));
    assert.deepEqual(Array.from(resizeImage(src, 4, 4, 'nearest').data), [0, 0, 10, 10, 0, 0, 10, 10, 20, 20, 30, 30, 20, 20, 30, 30]);
  });

  it('rejects bad sizes with a RangeError', () => {
    assert.throws(() => resizeImage(img(2, 2, 1, () => 0), 0, 4), RangeError);
    assert.throws(() => resizeImage(img(2, 2, 1, () => 0), 2.5, 4), RangeError);
  });
});

describe('toChannels', () => {
  it('converts between 1, 3 and 4 channels', () => {
    const rgba = { data: Uint8Array.from([255, 0, 0, 7, 0, 0, 255, 9]), height: 1, width: 2, channels: 4 };
    assert.deepEqual(Array.from(toChannels(rgba, 3).data), [255, 0, 0, 0, 0, 255], 'alpha dropped');
    assert.deepEqual(Array.from(toChannels(rgba, 1).data), [76, 29], 'luma of red and blue');
    const grey = { data: Uint8Array.from([3, 250]), height: 1, width: 2, channels: 1 };
    assert.deepEqual(Array.from(toChannels(grey, 3).data), [3, 3, 3, 250, 250, 250], 'grey replicated');
    assert.deepEqual(Array.from(toChannels(toChannels(grey, 3), 1).data), [3, 250], 'round trip exact');
  });
});
