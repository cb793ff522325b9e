import { CIFAR10_BINARY, CIFAR10_JPEG_TAR } from './catalog';
import { cachedImageSet } from './cache';
import { CIFAR10_CLASSES, readCifar10Binary } from './cifar-binary';
import { cacheDirOf, mirrorOf, type DataOptions } from './data-options';
import { DataError, HINT_REPLACE_FILE } from './errors';
import { decodeFolderItems, listImageFolder } from './image-folder';
import type { ImageSet } from './image-set';
import { logLoad } from './load-log';
import { findLocalFile, resolveFile, type ResolvedFile } from './source';

/**
 * Load a CIFAR-10 split (Krizhevsky 2009): 50,000 train or 10,000 test images, 32x32x3 uint8,
 * 10 classes (`CIFAR10_CLASSES`).
 *
 * Sources, in order: the mirror's JPEG tar `cifar10/cifar10-jpeg.tar` (lossy JPEG copies, about
 * 30 dB PSNR; note it where a figure depends on fine colour); the official binary archive
 * `cifar10/cifar-10-binary.tar.gz` in the mirror or the download cache; else a download of it
 * from https://www.cs.toronto.edu/~kriz/ (170 MB). Every source is checksum-verified. The decoded
 * set is cached in `<cacheDir>/decoded/`, so only the first load decodes (about 15 s for the
 * JPEG train split). Logs one line to stderr unless `opts.quiet`.
 */
export async function loadCifar10(split: 'train' | 'test', opts: DataOptions = {}): Promise<ImageSet> {
  if (split !== 'train' && split !== 'test') throw new RangeError(`loadCifar10: split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  const t0 = performance.now();
  const jpeg = findLocalFile(CIFAR10_JPEG_TAR, opts);
  let src: ResolvedFile;
  if (jpeg) {
    src = jpeg;
  } else {
    try {
      src = await resolveFile(CIFAR10_BINARY, opts);
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      const m = mirrorOf(opts);
      throw new DataError(e.file, e.problem, `${e.hint} (A mirror may instead hold the JPEG copy at ${m ? m.dir : '<mirror>'}/${CIFAR10_JPEG_TAR.path}.)`, { cause: e });
    }
  }
  const kind = src === jpeg ? 'jpeg-tar' : 'binary';
  const { set, fromCache } = await cachedImageSet(
    cacheDirOf(opts), `cifar10-${split}`, { v: 1, kind, sha256: src.sha256, split },
    () => (kind === 'jpeg-tar' ? decodeCifarJpegTar(src.path, split) : readCifar10Binary(src.path, split)),
    { quiet: opts.quiet, disabled: opts.cache === false },
  );
  logLoad([set], fromCache ? 'cache' : src.path, t0, opts.quiet);
  return set;
}

function decodeCifarJpegTar(path: string, split: 'train' | 'test'): ImageSet {
  const listing = listImageFolder(path, HINT_REPLACE_FILE);
  if (listing.layout !== 'split' || listing.classNames.join() !== CIFAR10_CLASSES.join()) {
    throw new DataError(path, `is not the CIFAR-10 JPEG tar (expected {train,test}/<class>/ with classes ${CIFAR10_CLASSES.join(', ')}; found ${listing.layout} layout with ${listing.classNames.join(', ')})`, HINT_REPLACE_FILE);
  }
  return decodeFolderItems(listing.items[split]!, listing.classNames, `cifar10/${split}`, { hint: HINT_REPLACE_FILE });
}
