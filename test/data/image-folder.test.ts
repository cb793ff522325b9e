import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import {
  applyExifOrientation, DataError, decodeImage, exifOrientation, listImageFolder, readImageFolder, type ImageSet,
} from '../../src/data';
import { jpegOf, makeTar, pngOf, put, tempDir } from './helpers';

const RED: [number, number, number] = [220, 20, 20];
const BLUE: [number, number, number] = [20, 20, 220];

/** Mean of channel k over image i. */
function mean(set: ImageSet, i: number, k: number): number {
  const size = set.height * set.width * set.channels;
  let s = 0;
  for (let p = 0; p < set.height * set.width; p++) s += set.images[i * size + p * set.channels + k];
  return s / (set.height * set.width);
}

function splitFolder(): string {
  const d = tempDir();
  put(d, 'train/cat/1.jpg', jpegOf(8, 6, RED));
  put(d, 'train/cat/2.png', pngOf(8, 6, RED));
  put(d, 'train/dog/1.JPEG', jpegOf(8, 6, BLUE));
  put(d, 'test/cat/9.png', pngOf(8, 6, RED));
  put(d, 'test/dog/9.jpg', jpegOf(8, 6, BLUE));
  put(d, 'test/dog/README.txt', 'ignored');
  put(d, '.DS_Store', 'ignored');
  return d;
}

describe('readImageFolder', () => {
  it('reads the <split>/<class>/<file> layout from a folder', () => {
    const r = readImageFolder(splitFolder(), { name: 'pets' });
    assert.equal(r.layout, 'split', 'layout');
    if (r.layout !== 'split') return;
    assert.deepEqual(r.train.classNames, ['cat', 'dog'], 'classes sorted');
    assert.equal(r.train.name, 'pets/train', 'name');
    assert.deepEqual([r.train.n, r.train.height, r.train.width, r.train.channels], [3, 6, 8, 3], 'train shape');
    assert.deepEqual(Array.from(r.train.labels), [0, 0, 1], 'train labels');
    assert.deepEqual(Array.from(r.test.labels), [0, 1], 'test labels');
    assert.ok(Math.abs(mean(r.train, 0, 0) - 220) < 6 && Math.abs(mean(r.train, 0, 2) - 20) < 6, 'JPEG red decoded');
    assert.equal(mean(r.train, 1, 0), 220, 'PNG red exact');
    assert.ok(mean(r.train, 2, 2) > 200, 'dog is blue');
  });

  it('reads the flat <class>/<file> layout as one set', () => {
    const d = tempDir();
    put(d, 'b/1.png', pngOf(4, 4, BLUE));
    put(d, 'a/1.png', pngOf(4, 4, RED));
    put(d, 'a/sub/2.png', pngOf(4, 4, RED));
    const r = readImageFolder(d, { name: 'x' });
    assert.equal(r.layout, 'flat', 'layout');
    if (r.layout !== 'flat') return;
    assert.deepEqual(r.all.classNames, ['a', 'b'], 'classes');
    assert.deepEqual(Array.from(r.all.labels), [0, 0, 1], 'labels, nested files included');
    assert.equal(r.all.name, 'x/all', 'name');
  });

  it('reads a .tar and a .tar.gz archive, looking through a wrapping folder', () => {
    const d = tempDir();
    const files = [
      { path: 'photos/' }, { path: 'photos/train/cat/1.png', data: pngOf(4, 4, RED) }, { path: 'photos/train/dog/1.png', data: pngOf(4, 4, BLUE) },
      { path: 'photos/test/cat/1.png', data: pngOf(4, 4, RED) }, { path: 'photos/test/dog/1.png', data: pngOf(4, 4, BLUE) },
    ];
    for (const p of [put(d, 'p.tar', makeTar(files)), put(d, 'p.tar.gz', gzipSync(makeTar(files)))]) {
      const r = readImageFolder(p);
      assert.equal(r.layout, 'split', `layout of ${p}`);
      if (r.layout === 'split') {
        assert.deepEqual([r.train.n, r.test.n], [2, 2], 'counts');
        assert.equal(r.train.name, 'p/train', 'name from archive');
      }
    }
  });

  it('converts grey to RGB and drops alpha; channels: 1 gives luma', () => {
    const d = tempDir();
    put(d, 'g/grey.png', pngOf(4, 4, [100, 100, 100], { grey: true }));
    put(d, 'g/alpha.png', pngOf(4, 4, [10, 200, 30], { alpha: 0 }));
    const rgb = readImageFolder(d);
    assert.equal(rgb.layout, 'flat');
    if (rgb.layout !== 'flat') return;
    assert.equal(rgb.all.channels, 3, 'three channels');
    // files sorted: alpha.png, grey.png
    assert.deepEqual([mean(rgb.all, 0, 0), mean(rgb.all, 0, 1), mean(rgb.all, 0, 2)], [10, 200, 30], 'alpha dropped, colour kept');
    assert.deepEqual([mean(rgb.all, 1, 0), mean(rgb.all, 1, 1), mean(rgb.all, 1, 2)], [100, 100, 100], 'grey replicated');
    const grey = readImageFolder(d, { channels: 1 });
    if (grey.layout !== 'flat') return;
    assert.equal(grey.all.channels, 1, 'one channel');
    assert.equal(mean(grey.all, 0, 0), Math.floor((299 * 10 + 587 * 200 + 114 * 30 + 500) / 1000), 'luma');
    assert.equal(mean(grey.all, 1, 0), 100, 'grey stays exact');
  });

  it('requires one size unless resizing; resizes with the size option', () => {
    const d = tempDir();
    put(d, 'a/1.png', pngOf(8, 8, RED));
    put(d, 'a/2.png', pngOf(16, 12, RED));
    assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === join(d, 'a/2.png') && /is 12x16 .* size option/.test(e.message));
    const r = readImageFolder(d, { size: [4, 6] });
    if (r.layout !== 'flat') return assert.fail('flat');
    assert.deepEqual([r.all.height, r.all.width], [4, 6], 'resized');
    assert.equal(mean(r.all, 1, 0), 220, 'solid colour survives resize');
    const n = readImageFolder(d, { size: 5, resize: 'nearest' });
    if (n.layout === 'flat') assert.deepEqual([n.all.height, n.all.width], [5, 5], 'square size');
  });

  it('turns a JPEG upright by its EXIF orientation', () => {
    // TIFF, little-endian, one IFD entry: Orientation (0x0112) SHORT = 6 (rotate 90 degrees clockwise)
    const tiff = Buffer.from([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0, 0]);
    const exif = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
    const img = decodeImage(jpegOf(16, 8, RED, exif), 'rot.jpg');
    assert.deepEqual([img.height, img.width], [16, 8], 'height and width swapped');
    assert.equal(exifOrientation(Buffer.concat([Buffer.from([0]), tiff])), 6, 'orientation parsed');
    const src = { data: Uint8Array.from([1, 2, 3, 4, 5, 6]), height: 2, width: 3, channels: 1 };
    assert.deepEqual(Array.from(applyExifOrientation(src, 6).data), [4, 1, 5, 2, 6, 3], 'rotate 90 clockwise');
    assert.deepEqual(Array.from(applyExifOrientation(src, 8).data), [3, 6, 2, 5, 1, 4], 'rotate 90 counter-clockwise');
    assert.deepEqual(Array.from(applyExifOrientation(src, 3).data), [6, 5, 4, 3, 2, 1], 'rotate 180');
    assert.deepEqual(Array.from(applyExifOrientation(src, 2).data), [3, 2, 1, 6, 5, 4], 'mirror');
  });

  describe('bad folders give a DataError naming the file or folder', () => {
    it('missing path', () => {
      assert.throws(() => readImageFolder('/nonexistent/photos'), (e: unknown) => e instanceof DataError && e.file === '/nonexistent/photos' && /does not exist/.test(e.message));
    });
    it('empty folder', () => {
      const d = tempDir();
      assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === d && /no class folders/.test(e.message));
    });
    it('class folder with no images', () => {
      const d = tempDir();
      put(d, 'a/1.png', pngOf(4, 4, RED));
      put(d, 'b/notes.txt', 'no images here');
      assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === join(d, 'b') && /class folder with no images/.test(e.message));
    });
    it('class folder with no images inside an archive', () => {
      const d = tempDir();
      const p = put(d, 'x.tar', makeTar([{ path: 'a/1.png', data: pngOf(4, 4, RED) }, { path: 'b/' }]));
      assert.throws(() => readImageFolder(p), (e: unknown) => e instanceof DataError && e.file === `${p}:b` && /no images/.test(e.message));
    });
    it('corrupt JPEG', () => {
      const d = tempDir();
      put(d, 'a/good.jpg', jpegOf(4, 4, RED));
      const bad = Buffer.from(jpegOf(4, 4, RED));
      const p = put(d, 'a/zbad.jpg', bad.subarray(0, bad.length - 40));
      assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === p && /cannot be decoded as JPEG/.test(e.message));
    });
    it('a file named .jpg that is not an image', () => {
      const d = tempDir();
      const p = put(d, 'a/fake.jpg', 'hello');
      assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === p && /is not a JPEG or PNG image/.test(e.message));
    });
    it('images outside class folders', () => {
      const d = tempDir();
      put(d, 'a/1.png', pngOf(4, 4, RED));
      const p = put(d, 'loose.png', pngOf(4, 4, RED));
      assert.throws(() => readImageFolder(d), (e: unknown) => e instanceof DataError && e.file === p && /outside any class folder/.test(e.message));
    });
    it('train/ without test/', () => {
      const d = tempDir();
      put(d, 'train/a/1.png', pngOf(4, 4, RED));
      assert.throws(() => listImageFolder(d), (e: unknown) => e instanceof DataError && /has a train\/ folder but no test\/ folder/.test(e.message));
    });
    it('an archive that is not a tar', () => {
      const d = tempDir();
      const p = put(d, 'photos.zip', 'PK\x03\x04 not a tar');
      assert.throws(() => readImageFolder(p), (e: unknown) => e instanceof DataError && e.file === p && /not a tar archive/.test(e.message));
    });
  });
});
