import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cachedImageSet, cacheKeyHash, DataError, decodedCachePath, readImageSetFile, writeImageSetFile } from '../../src/data';
import { toySet } from './fixtures';
import { tempDir } from './helpers';

describe('decoded-set cache', () => {
  it('round-trips an ImageSet exactly', () => {
    const d = tempDir();
    const set = toySet([3, 4, 5]);
    set.labels[2] = -1; // unlabelled samples survive too
    const p = join(d, 'x.bin');
    writeImageSetFile(p, set, 'k1');
    const back = readImageSetFile(p, 'k1');
    assert.deepEqual({ ...back, images: Array.from(back.images), labels: Array.from(back.labels) }, { ...set, images: Array.from(set.images), labels: Array.from(set.labels) }, 'same set');
    assert.deepEqual(readdirSync(d), ['x.bin'], 'no temporary file left');
  });

  it('detects truncation, a flipped byte, a wrong magic and a wrong key', () => {
    const d = tempDir();
    const p = join(d, 'x.bin');
    const fresh = () => writeImageSetFile(p, toySet([20, 20]), 'k');
    fresh();
    truncateSync(p, readFileSync(p).length - 3);
    assert.throws(() => readImageSetFile(p, 'k'), (e: unknown) => e instanceof DataError && e.file === p && /truncated/.test(e.message));
    fresh();
    const b = readFileSync(p);
    b[b.length - 200] ^= 1;
    writeFileSync(p, b);
    assert.throws(() => readImageSetFile(p, 'k'), /content checksum mismatch/);
    fresh();
    const c = readFileSync(p);
    c[0] = 0x41;
    writeFileSync(p, c);
    assert.throws(() => readImageSetFile(p, 'k'), /wrong magic/);
    fresh();
    assert.throws(() => readImageSetFile(p, 'other'), /is not the expected other/);
  });

  it('cachedImageSet builds once, then reads; rebuilds a corrupt file', async () => {
    const cacheDir = tempDir();
    let builds = 0;
    const build = () => { builds++; return toySet([5, 5], 'toy/train'); };
    const a = await cachedImageSet(cacheDir, 'toy-train', { src: 'abc', size: 32 }, build, { quiet: true });
    const b = await cachedImageSet(cacheDir, 'toy-train', { size: 32, src: 'abc' }, build, { quiet: true });
    assert.deepEqual([a.fromCache, b.fromCache, builds], [false, true, 1], 'second call from cache; key order irrelevant');
    assert.deepEqual(Array.from(b.set.images), Array.from(a.set.images), 'same pixels');
    assert.equal(a.path, decodedCachePath(cacheDir, 'toy-train', { src: 'abc', size: 32 }), 'path');
    assert.match(a.path, /decoded[\\/]toy-train-[0-9a-f]{20}\.bin$/, 'file name');
    const c = await cachedImageSet(cacheDir, 'toy-train', { src: 'abc', size: 64 }, build, { quiet: true });
    assert.deepEqual([c.fromCache, builds], [false, 2], 'other options, other entry');
    truncateSync(a.path, 100);
    const d = await cachedImageSet(cacheDir, 'toy-train', { src: 'abc', size: 32 }, build, { quiet: true });
    assert.deepEqual([d.fromCache, builds], [false, 3], 'corrupt file rebuilt, not trusted');
    const e = await cachedImageSet(cacheDir, 'toy-train', { src: 'abc', size: 32 }, build, { quiet: true });
    assert.equal(e.fromCache, true, 'and valid again afterwards');
    const off = await cachedImageSet(tempDir(), 'toy-train', {}, build, { disabled: true });
    assert.deepEqual([off.fromCache, existsSync(off.path)], [false, false], 'disabled cache writes nothing');
    assert.notEqual(cacheKeyHash('a', { x: 1 }), cacheKeyHash('b', { x: 1 }), 'name is part of the key');
  });
});
