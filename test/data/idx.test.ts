import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DataError, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx, readIdxImageSet } from '../../src/data';
import { makeIdx, makeIdxPair, put, tempDir } from './helpers';

describe('IDX', () => {
  for (const gz of [true, false]) {
    it(`reads an images + labels pair (${gz ? 'gzip' : 'raw'})`, () => {
      const d = tempDir();
      const p = makeIdxPair(12, gz);
      const set = readIdxImageSet(put(d, 'i.idx', p.images), put(d, 'l.idx', p.labels), { name: 'tiny' });
      assert.deepEqual([set.n, set.height, set.width, set.channels], [12, 28, 28, 1], 'shape');
      assert.deepEqual(Array.from(set.labels), Array.from(p.labelValues), 'labels');
      assert.deepEqual(Array.from(set.images), Array.from(p.pixels), 'pixels');
      assert.deepEqual(set.classNames, ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], 'default class names');
    });
  }

  it('rejects the wrong magic number (e.g. images and labels swapped)', () => {
    const d = tempDir();
    const p = makeIdxPair(3);
    const li = put(d, 'labels.gz', p.labels);
    assert.throws(() => readIdxImageSet(li, put(d, 'images.gz', p.images)), (e: unknown) => e instanceof DataError && e.file === li && /wrong IDX magic number 0x00000801 \(expected images \(0x00000803\)\)/.test(e.message));
  });

  it('rejects a label count that differs from the image count', () => {
    const d = tempDir();
    const lf = put(d, 'l.gz', makeIdx(IDX_LABELS_MAGIC, [4], new Uint8Array(4), true));
    assert.throws(() => readIdxImageSet(put(d, 'i.gz', makeIdxPair(5).images), lf), (e: unknown) => e instanceof DataError && e.file === lf && /holds 4 labels but .* holds 5 images/.test(e.message));
  });

  it('rejects truncated data, extra bytes and huge declared dimensions without allocating', () => {
    const raw = makeIdx(IDX_IMAGES_MAGIC, [2, 28, 28], new Uint8Array(2 * 784));
    assert.throws(() => parseIdx(raw.subarray(0, 1000), IDX_IMAGES_MAGIC, 't.idx'), /t\.idx is truncated \(its header declares 2x28x28 = 1568 bytes of data, file holds 984\)/);
    assert.throws(() => parseIdx(Buffer.concat([raw, Buffer.alloc(3)]), IDX_IMAGES_MAGIC, 'x.idx'), /3 bytes more than its header declares/);
    const huge = makeIdx(IDX_IMAGES_MAGIC, [0xffffffff, 0xffffffff, 0xffffffff], new Uint8Array(10));
    assert.throws(() => parseIdx(huge, IDX_IMAGES_MAGIC, 'huge.idx'), /huge\.idx is truncated/);
    assert.throws(() => parseIdx(raw.subarray(0, 9), IDX_IMAGES_MAGIC, 'h.idx'), /h\.idx is truncated \(its 3 IDX dimensions need 16 header bytes/);
  });

  it('rejects a missing file and a label outside the classes', () => {
    assert.throws(() => readIdxImageSet('/nonexistent/i.gz', '/nonexistent/l.gz'), (e: unknown) => e instanceof DataError && e.file === '/nonexistent/i.gz');
    const d = tempDir();
    const bad = put(d, 'l.gz', makeIdx(IDX_LABELS_MAGIC, [2], Uint8Array.from([1, 11]), true));
    assert.throws(() => readIdxImageSet(put(d, 'i.gz', makeIdxPair(2).images), bad), /has label 11 at index 1/);
  });

  it('property: truncating or corrupting IDX bytes (raw or gzip) gives an array or a DataError; truncation always a DataError', { timeout: 20_000 }, () => {
    const raw = makeIdx(IDX_IMAGES_MAGIC, [3, 5, 4], Uint8Array.from({ length: 60 }, (_, i) => i));
    const gz = makeIdx(IDX_IMAGES_MAGIC, [3, 5, 4], Uint8Array.from({ length: 60 }, (_, i) => i), true);
    fc.assert(fc.property(fc.boolean(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }), (useGz, cutSeed, flips) => {
      const src = Buffer.from(useGz ? gz : raw);
      const truncate = flips.length === 0;
      for (const [p, x] of flips) src[p % src.length] ^= x;
      const input = truncate ? src.subarray(0, cutSeed % src.length) : src;
      try {
        parseIdx(input, IDX_IMAGES_MAGIC, 'p.idx');
        return !truncate;
      } catch (e) {
        return e instanceof DataError;
      }
    }), { numRuns: 400 });
  });
});
