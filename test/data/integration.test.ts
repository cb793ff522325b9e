// Loads real data through the mirror (../shared/data or SELFSUP_MIRROR); skipped where absent.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CIFAR10_CLASSES, classIndices, FASHION_MNIST_CLASSES, loadCifar10, loadFashionMnist, projectRoot } from '../../src/data';
import { tempDir } from './helpers';

const mirror = process.env.SELFSUP_MIRROR || join(projectRoot(), '..', 'shared', 'data');
const skip = existsSync(join(mirror, 'cifar10')) ? false : `no data mirror at ${mirror} (set SELFSUP_MIRROR to a folder holding cifar10/ and fashion-mnist/)`;

describe('real datasets through the mirror', { skip }, () => {
  const cacheDir = tempDir();

  it('loads the CIFAR-10 test split: 10,000 images, 10 classes of 1,000', { timeout: 60_000 }, async () => {
    const set = await loadCifar10('test', { mirror, cacheDir, offline: true, quiet: true });
    assert.deepEqual([set.n, set.height, set.width, set.channels], [10000, 32, 32, 3], 'shape');
    assert.deepEqual(set.classNames, CIFAR10_CLASSES, 'classes');
    assert.deepEqual(classIndices(set).map((x) => x.length), new Array(10).fill(1000), '1,000 per class');
    let sum = 0;
    for (let i = 0; i < set.images.length; i += 7) sum += set.images[i];
    const mean = sum / Math.ceil(set.images.length / 7);
    assert.ok(mean > 100 && mean < 140, `plausible mean pixel value, got ${mean}`);
    const t = performance.now();
    const again = await loadCifar10('test', { mirror, cacheDir, offline: true, quiet: true });
    assert.ok(performance.now() - t < 1000, 'second load from the cache in under a second');
    assert.equal(again.images[12345], set.images[12345], 'same pixels');
  });

  it('loads the Fashion-MNIST test split: 10,000 images, 28x28x1', async () => {
    const set = await loadFashionMnist('test', { mirror, cacheDir, offline: true, quiet: true });
    assert.deepEqual([set.n, set.height, set.width, set.channels], [10000, 28, 28, 1], 'shape');
    assert.deepEqual(set.classNames, FASHION_MNIST_CLASSES, 'classes');
    assert.deepEqual(classIndices(set).map((x) => x.length), new Array(10).fill(1000), '1,000 per class');
  });
});
