import { FASHION_MNIST_CLASSES, FASHION_MNIST_FILES } from './catalog';
import { cachedImageSet } from './cache';
import { cacheDirOf, type DataOptions } from './data-options';
import { readIdxImageSet } from './idx';
import type { ImageSet } from './image-set';
import { logLoad } from './load-log';
import { resolveFile } from './source';

/**
 * Load a Fashion-MNIST split (Xiao et al. 2017): 60,000 train or 10,000 test images, 28x28x1
 * uint8, 10 classes (`FASHION_MNIST_CLASSES`), from the official gzipped IDX files found in the
 * mirror (`fashion-mnist/<file>`), in /usr/share/datasets/fashion-mnist/ (Debian package
 * dataset-fashion-mnist), in the download cache, or downloaded from the official site; all
 * checksum-verified. Cached decoded; logs one line to stderr unless `opts.quiet`.
 */
export async function loadFashionMnist(split: 'train' | 'test', opts: DataOptions = {}): Promise<ImageSet> {
  if (split !== 'train' && split !== 'test') throw new RangeError(`loadFashionMnist: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const t0 = performance.now();
  const files = FASHION_MNIST_FILES[split];
  const images = await resolveFile(files.images, opts);
  const labels = await resolveFile(files.labels, opts);
  const { set, fromCache } = await cachedImageSet(
    cacheDirOf(opts), `fashion-mnist-${split}`, { v: 1, images: images.sha256, labels: labels.sha256 },
    () => readIdxImageSet(images.path, labels.path, { name: `fashion-mnist/${split}`, classNames: FASHION_MNIST_CLASSES }),
    { quiet: opts.quiet, disabled: opts.cache === false },
  );
  logLoad([set], fromCache ? 'cache' : images.path.replace(/[^/\\]*$/, ''), t0, opts.quiet);
  return set;
}
