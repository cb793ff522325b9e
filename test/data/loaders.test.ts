import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { classIndices, DataError, loadCifar10, loadFashionMnist, loadImageFolder, loadMnist } from '../../src/data';
import { jpegOf, pngOf, put, tempDir } from './helpers';

function flatFolder(perClass = 10): string {
  const d = tempDir();
  for (let i = 0; i < perClass; i++) {
    put(d, `photos/cat/${i}.png`, pngOf(20 + i, 30, [200, 10 * i, 0]));
    put(d, `photos/dog/${i}.jpg`, jpegOf(40, 25 + i, [0, 10 * i, 200]));
  }
  return join(d, 'photos');
}

describe('loadImageFolder', () => {
  it('splits a flat folder 80/20 by class with a seed, resizes, and caches', async () => {
    const src = flatFolder();
    const cacheDir = tempDir();
    const a = await loadImageFolder(src, { size: 16, cacheDir, quiet: true, seed: 1 });
    assert.deepEqual([a.train.n, a.test.n, a.train.height, a.train.width, a.train.channels], [16, 4, 16, 16, 3], 'sizes');
    assert.deepEqual(classIndices(a.test).map((x) => x.length), [2, 2], 'stratified test');
    assert.deepEqual([a.train.name, a.test.name], ['photos/train', 'photos/test'], 'names');
    assert.equal(readdirSync(join(cacheDir, 'decoded')).length, 1, 'one cached decoded set');
    const b = await loadImageFolder(src, { size: 16, cacheDir, quiet: true, seed: 1 });
    assert.deepEqual(Array.from(b.test.images), Array.from(a.test.images), 'same split from cache');
    const c = await loadImageFolder(src, { size: 16, cacheDir, quiet: true, seed: 2 });
    assert.notDeepEqual(Array.from(c.test.labels.map((_, i) => c.test.images[i * 768 + 1])), Array.from(a.test.labels.map((_, i) => a.test.images[i * 768 + 1])), 'other seed, other split');
    put(src, 'cat/extra.png', pngOf(5, 5, [1, 2, 3]));
    const d = await loadImageFolder(src, { size: 16, cacheDir, quiet: true, seed: 1 });
    assert.equal(d.train.n + d.test.n, 21, 'a changed folder is decoded again');
  });

  it('keeps an existing train/test split', async () => {
    const d = tempDir();
    for (const s of ['train', 'test']) for (const c of ['a', 'b']) put(d, `${s}/${c}/1.png`, pngOf(8, 8, [1, 2, 3]));
    const r = await loadImageFolder(d, { cacheDir: tempDir(), quiet: true, name: 'tiny' });
    assert.deepEqual([r.train.n, r.test.n, r.train.name], [2, 2, 'tiny/train']);
  });

  it('reports a bad folder as a DataError', async () => {
    await assert.rejects(loadImageFolder('/nonexistent/photos', { cacheDir: tempDir(), quiet: true }), DataError);
  });
});

describe('dataset loaders without their files', () => {
  it('loadCifar10 names the missing file and both ways to provide it', async () => {
    const mirror = tempDir();
    await assert.rejects(loadCifar10('test', { mirror, cacheDir: tempDir(), offline: true, quiet: true }),
      (e: unknown) => e instanceof DataError && e.file === 'cifar10/cifar-10-binary.tar.gz' && e.message.includes(join(mirror, 'cifar10/cifar10-jpeg.tar')));
  });

  it('loadFashionMnist names the missing file', async () => {
    await assert.rejects(loadFashionMnist('train', { mirror: tempDir(), cacheDir: tempDir(), offline: true, quiet: true }),
      (e: unknown) => e instanceof DataError && /train-images-idx3-ubyte\.gz/.test(e.file));
  });

  it('a mirror copy with the wrong checksum is refused, not decoded', async () => {
    const mirror = tempDir();
    const p = put(mirror, 'cifar10/cifar10-jpeg.tar', 'not the real tar');
    await assert.rejects(loadCifar10('test', { mirror, cacheDir: tempDir(), offline: true, quiet: true }),
      (e: unknown) => e instanceof DataError && e.file === p && /does not match its checksum/.test(e.message));
  });

  it('rejects a bad split name with a RangeError', async () => {
    await assert.rejects(loadCifar10('val' as never, { quiet: true }), (e: unknown) => e instanceof RangeError && /split/.test(e.message));
  });
});

describe('loadMnist', () => {
  it('loads from the npm package, then from the cache', async () => {
    const cacheDir = tempDir();
    const a = await loadMnist('test', { cacheDir, quiet: true });
    const b = await loadMnist('test', { cacheDir, quiet: true });
    assert.deepEqual([a.n, a.name, a.height, a.channels], [1996, 'mnist/test', 28, 1], 'shape');
    assert.deepEqual(Array.from(b.labels), Array.from(a.labels), 'same from cache');
    assert.equal(readdirSync(join(cacheDir, 'decoded')).length, 1, 'cached');
  });
});
