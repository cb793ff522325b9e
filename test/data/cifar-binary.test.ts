import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { CIFAR10_CLASSES, DataError, parseCifarBatch, readCifar10Binary } from '../../src/data';
import { makeCifarBatch, makeTar, put, tempDir } from './helpers';

function officialLayout(root: string, perBatch = 3): void {
  for (let b = 1; b <= 5; b++) put(root, `cifar-10-batches-bin/data_batch_${b}.bin`, makeCifarBatch(perBatch, 10 * b));
  put(root, 'cifar-10-batches-bin/test_batch.bin', makeCifarBatch(perBatch, 0));
}

describe('CIFAR-10 binary', () => {
  it('parses records and converts CHW to HWC', () => {
    const { images, labels } = parseCifarBatch(makeCifarBatch(2, 3), 'b.bin');
    assert.deepEqual(Array.from(labels), [3, 4], 'labels');
    assert.deepEqual(Array.from(images.subarray(0, 6)), [3, 43, 83, 3, 43, 83], 'first pixels of image 0 are interleaved RGB');
    assert.deepEqual(Array.from(images.subarray(3072, 3075)), [4, 44, 84], 'first pixel of image 1');
  });

  it('keeps pixel positions: a single bright pixel lands at (row, col)', () => {
    const b = Buffer.alloc(3073);
    b[1 + 5 * 32 + 7] = 200; // red channel, row 5, col 7
    b[1 + 2048 + 31 * 32 + 0] = 100; // blue channel, row 31, col 0
    const { images } = parseCifarBatch(b);
    assert.equal(images[(5 * 32 + 7) * 3 + 0], 200, 'red pixel');
    assert.equal(images[(31 * 32 + 0) * 3 + 2], 100, 'blue pixel');
  });

  it('reads train and test splits from a folder and from a .tar.gz', () => {
    const d = tempDir();
    officialLayout(join(d, 'dir'));
    const tarFiles = [];
    for (let b = 1; b <= 5; b++) tarFiles.push({ path: `cifar-10-batches-bin/data_batch_${b}.bin`, data: makeCifarBatch(3, 10 * b) });
    tarFiles.push({ path: 'cifar-10-batches-bin/test_batch.bin', data: makeCifarBatch(3, 0) });
    const archive = put(d, 'cifar-10-binary.tar.gz', gzipSync(makeTar(tarFiles)));
    for (const src of [join(d, 'dir'), join(d, 'dir', 'cifar-10-batches-bin'), archive]) {
      const train = readCifar10Binary(src, 'train');
      const test = readCifar10Binary(src, 'test');
      assert.deepEqual([train.n, test.n, train.height, train.width, train.channels], [15, 3, 32, 32, 3], `shapes from ${src}`);
      assert.deepEqual(train.classNames, CIFAR10_CLASSES, 'class names');
      assert.equal(train.name, 'cifar10/train', 'name');
      assert.deepEqual(Array.from(test.labels), [0, 1, 2], 'test labels');
    }
  });

  it('names the missing batch file', () => {
    const d = tempDir();
    officialLayout(d);
    put(d, 'other/x', '');
    const missing = join(d, 'cifar-10-batches-bin', 'data_batch_1.bin');
    rmSync(missing);
    assert.throws(() => readCifar10Binary(d, 'train'), (e: unknown) => e instanceof DataError && e.file === missing && /does not exist/.test(e.message));
  });

  it('rejects a truncated batch and a bad label', () => {
    const b = makeCifarBatch(2);
    assert.throws(() => parseCifarBatch(b.subarray(0, 5000), '/c/test_batch.bin'), (e: unknown) => e instanceof DataError && /\/c\/test_batch\.bin is not a whole number of CIFAR-10 records/.test(e.message));
    const bad = Buffer.from(b);
    bad[3073] = 12;
    assert.throws(() => parseCifarBatch(bad, 'x.bin'), /record 1 at byte 3073 has label 12/);
    assert.throws(() => parseCifarBatch(new Uint8Array(0), 'empty.bin'), DataError);
  });

  it('property: truncating or corrupting batch bytes gives a set or a DataError; cuts off a record boundary always a DataError', { timeout: 20_000 }, () => {
    const base = makeCifarBatch(3);
    fc.assert(fc.property(fc.integer({ min: 0, max: base.length - 1 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 3 }), (cut, flips) => {
      const src = Buffer.from(base);
      for (const [p, x] of flips) src[p % src.length] ^= x;
      try {
        parseCifarBatch(src.subarray(0, cut), 'p.bin');
        return cut > 0 && cut % 3073 === 0;
      } catch (e) {
        return e instanceof DataError;
      }
    }), { numRuns: 300 });
  });
});
