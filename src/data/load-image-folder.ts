import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cachedImageSet, decodedCachePath } from './cache';
import { cacheDirOf, type DataOptions } from './data-options';
import { DataError } from './errors';
import { decodeFolderItems, folderName, listImageFolder, type ImageFolderOptions } from './image-folder';
import type { ImageSet } from './image-set';
import { logLoad } from './load-log';
import { Rng } from './rng';
import { trainTestSplit } from './split';

/** Options for {@link loadImageFolder}: where data lives, how to decode, how to split. */
export interface LoadImageFolderOptions extends DataOptions, ImageFolderOptions {
  /** Test share when the folder has no train/test split (default 0.2). */
  testFraction?: number;
  /** Seed of that split (default 0). */
  seed?: number;
}

/**
 * Load a user's image folder or archive (see `listImageFolder` for the layouts) as train and
 * test sets. A folder with `train/` and `test/` keeps that split; a flat `<class>/<file>`
 * folder is split by `trainTestSplit` (stratified, `testFraction` 0.2, seeded by `seed`).
 *
 * All images must share a size unless `size` is given (the CLI passes 32: 32x32, bilinear).
 * Decoded sets are cached, keyed by the path, the size and time of every file (or of the
 * archive) and the decode options. Logs one line to stderr unless `opts.quiet`.
 */
export async function loadImageFolder(source: string, opts: LoadImageFolderOptions = {}): Promise<{ train: ImageSet; test: ImageSet }> {
  const t0 = performance.now();
  const abs = resolve(source);
  const prefix = opts.name ?? folderName(abs);
  const decode = { size: opts.size, resize: opts.size === undefined ? undefined : opts.resize ?? 'bilinear', channels: opts.channels ?? 3 };
  const key = { v: 1, path: abs, fingerprint: fingerprint(abs), decode };
  const cacheDir = cacheDirOf(opts);
  const cacheOpts = { quiet: opts.quiet, disabled: opts.cache === false };
  let listing: ReturnType<typeof listImageFolder> | undefined;
  const list = () => (listing ??= listImageFolder(abs, opts.hint));
  const decodeSplit = (which: 'train' | 'test' | 'all') => () => {
    const l = list();
    return decodeFolderItems(l.items[which]!, l.classNames, `${prefix}/${which}`, { ...opts, ...decode });
  };
  // a valid cache tells the layout without listing the folder
  const cached = (w: string) => opts.cache !== false && existsSync(decodedCachePath(cacheDir, `folder-${prefix}-${w}`, key));
  const layout = cached('train') && cached('test') ? 'split' : cached('all') ? 'flat' : list().layout;
  let result: { train: ImageSet; test: ImageSet };
  let fromCache: boolean;
  if (layout === 'split') {
    const train = await cachedImageSet(cacheDir, `folder-${prefix}-train`, key, decodeSplit('train'), cacheOpts);
    const test = await cachedImageSet(cacheDir, `folder-${prefix}-test`, key, decodeSplit('test'), cacheOpts);
    result = { train: train.set, test: test.set };
    fromCache = train.fromCache && test.fromCache;
  } else {
    const all = await cachedImageSet(cacheDir, `folder-${prefix}-all`, key, decodeSplit('all'), cacheOpts);
    result = trainTestSplit(all.set, opts.testFraction ?? 0.2, new Rng(opts.seed ?? 0));
    fromCache = all.fromCache;
  }
  logLoad([result.train, result.test], fromCache ? 'cache' : abs, t0, opts.quiet);
  return result;
}

/** Size and modification time of an archive, or of every file below a folder. */
function fingerprint(path: string): unknown {
  let st;
  try {
    st = statSync(path);
  } catch (e) {
    throw new DataError(path, 'does not exist', 'Pass a folder laid out as <class>/<image> (or train/<class>/..., test/<class>/...), or a .tar/.tar.gz archive of one.', { cause: e });
  }
  if (!st.isDirectory()) return [st.size, st.mtimeMs];
  const out: [string, number, number][] = [];
  const walk = (dir: string, rel: string) => {
    for (const d of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, d.name);
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) { out.push([`${r}/`, 0, 0]); walk(full, r); }
      else { try { const s = statSync(full); out.push([r, s.size, s.mtimeMs]); } catch { /* vanished */ } }
    }
  };
  walk(path, '');
  out.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return out;
}
