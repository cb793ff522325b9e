import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { decodeImage } from './decode-image';
import { DataError, HINT_FIX_USER_FILE } from './errors';
import { validateImageSet, type ImageSet } from './image-set';
import { readFileOrThrow } from './read-file';
import { resizeImage, toChannels, type ResizeMethod } from './resize';
import { readTarFile } from './tar';

/** File name endings the image-folder reader treats as images (case-insensitive). */
export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png'] as const;

/** The split folders an image folder may have. */
export type FolderSplit = 'train' | 'test';

/** One image file found in an image folder; its bytes are read on demand. */
export interface FolderItem {
  /** Path for messages: `<folder>/<rel>` or `<archive>:<rel>`. */
  file: string;
  /** Index into the listing's `classNames`. */
  label: number;
  read(): Uint8Array;
}

/**
 * What an image folder holds, before decoding. `layout` is `split` for
 * `<split>/<class>/<file>` (both `train/` and `test/` present) and `flat` for `<class>/<file>`;
 * in the flat layout every image is in `all`.
 */
export interface ImageFolderListing {
  source: string;
  layout: 'split' | 'flat';
  /** Class folder names, sorted alphabetically (union over the splits). */
  classNames: string[];
  items: { train?: FolderItem[]; test?: FolderItem[]; all?: FolderItem[] };
}

/** Options for decoding an image folder. */
export interface ImageFolderOptions {
  /**
   * Resize every image to this size: `[height, width]`, or one number for a square. Without it
   * all images must already share one size. The CLI passes 32 (32x32).
   */
  size?: number | [number, number];
  /** Sampling used when resizing (default `bilinear`). */
  resize?: ResizeMethod;
  /** 3 (RGB, the default: grey replicated, alpha dropped) or 1 (grey luma). */
  channels?: 1 | 3;
  /** ImageSet name prefix (default: the folder or archive's base name, without extensions). */
  name?: string;
  /** What a `DataError` about a bad file tells the user (default: fix or remove the file). */
  hint?: string;
}

/** The decoded contents of an image folder: `train` and `test` sets, or one set `all`. */
export type ImageFolderContents =
  | { layout: 'split'; train: ImageSet; test: ImageSet }
  | { layout: 'flat'; all: ImageSet };

interface Node { kind: 'file' | 'dir'; children: Map<string, Node>; read?: () => Uint8Array; file: string }

/**
 * List an image folder: a directory, or a `.tar` / `.tar.gz` archive of one, laid out as
 * `train/<class>/<file>` + `test/<class>/<file>`, or as `<class>/<file>` with no split.
 * Images are `.jpg`, `.jpeg` or `.png` files anywhere below a class folder; other files and
 * hidden entries are ignored; a single wrapping folder (e.g. an archive of `photos/...`) is
 * looked through. Items are ordered by class, then path.
 *
 * Throws a `DataError` naming the folder when it is missing or empty, holds images outside any
 * class folder, has only one of `train/` and `test/`, or has a class folder with no images.
 */
export function listImageFolder(source: string, hint: string = HINT_FIX_USER_FILE): ImageFolderListing {
  let root = buildTree(source, hint);
  let where = source;
  // look through single wrapping folders that hold only folders
  for (let depth = 0; depth < 4; depth++) {
    const kids = [...root.children.entries()];
    if (kids.length !== 1 || kids[0][1].kind !== 'dir' || ['train', 'test'].includes(kids[0][0])) break;
    const only = kids[0][1];
    if ([...only.children.values()].some((c) => c.kind === 'file' && isImageName(c.file))) break;
    if (![...only.children.values()].some((c) => c.kind === 'dir')) break;
    root = only;
    where = only.file;
  }
  const dirs = [...root.children.entries()].filter(([, n]) => n.kind === 'dir').map(([k]) => k).sort();
  checkNoLooseImages(root, where);
  if (dirs.length === 0) {
    throw new DataError(where, 'holds no class folders (it is empty, or has no sub-folders)', 'Lay it out as <class>/<image>.jpg (or train/<class>/... and test/<class>/...) and run again.');
  }
  const hasTrain = dirs.includes('train');
  const hasTest = dirs.includes('test');
  if (hasTrain || hasTest) {
    if (!(hasTrain && hasTest)) {
      const missing = hasTrain ? 'test' : 'train';
      throw new DataError(where, `has a ${hasTrain ? 'train' : 'test'}/ folder but no ${missing}/ folder`, `Add ${missing}/<class>/... beside it, or move the class folders up one level (no split) and run again.`);
    }
    const others = dirs.filter((d) => d !== 'train' && d !== 'test');
    if (others.length > 0) {
      throw new DataError(where, `mixes split folders (train/, test/) with other folders (${others.join(', ')})`, 'Move those into train/ and test/ or remove them, and run again.');
    }
    const perSplit = {} as Record<FolderSplit, Map<string, Node>>;
    const classSet = new Set<string>();
    for (const split of ['train', 'test'] as const) {
      const node = root.children.get(split)!;
      checkNoLooseImages(node, node.file);
      const classes = new Map([...node.children.entries()].filter(([, n]) => n.kind === 'dir'));
      if (classes.size === 0) throw new DataError(node.file, 'holds no class folders', 'Put the images in one folder per class, e.g. train/cat/001.jpg, and run again.');
      perSplit[split] = classes;
      for (const c of classes.keys()) classSet.add(c);
    }
    const classNames = [...classSet].sort();
    return {
      source, layout: 'split', classNames,
      items: { train: itemsOf(perSplit.train, classNames), test: itemsOf(perSplit.test, classNames) },
    };
  }
  const classes = new Map([...root.children.entries()].filter(([, n]) => n.kind === 'dir'));
  const classNames = [...classes.keys()].sort();
  return { source, layout: 'flat', classNames, items: { all: itemsOf(classes, classNames) } };
}

/**
 * Decode listed images into one ImageSet (uint8 NHWC), converting channels and resizing as
 * `opts` says. Without `opts.size`, an image whose size differs from the first one gives a
 * `DataError` naming it.
 */
export function decodeFolderItems(items: FolderItem[], classNames: string[], name: string, opts: ImageFolderOptions = {}): ImageSet {
  const channels = opts.channels ?? 3;
  if (channels !== 1 && channels !== 3) throw new RangeError(`channels must be 1 or 3, got ${channels}`);
  const size = opts.size === undefined ? undefined : typeof opts.size === 'number' ? [opts.size, opts.size] : opts.size;
  if (size && !size.every((s) => Number.isInteger(s) && s > 0)) throw new RangeError(`size must be a positive integer or [height, width], got ${JSON.stringify(opts.size)}`);
  const hint = opts.hint ?? HINT_FIX_USER_FILE;
  const n = items.length;
  const labels = new Int32Array(n);
  let images = new Uint8Array(0);
  let h = size?.[0] ?? 0;
  let w = size?.[1] ?? 0;
  let first = '';
  for (let i = 0; i < n; i++) {
    const it = items[i];
    let img = toChannels(decodeImage(it.read(), it.file, hint), channels);
    if (size) img = resizeImage(img, size[0], size[1], opts.resize ?? 'bilinear');
    if (i === 0) {
      h = img.height; w = img.width; first = it.file;
      images = new Uint8Array(n * h * w * channels);
    } else if (img.height !== h || img.width !== w) {
      throw new DataError(it.file, `is ${img.height}x${img.width} (height x width) but ${first} is ${h}x${w}`, 'Images must share one size: pass a size option (e.g. { size: 32 } or --size 32) to resize them all, and run again.');
    }
    images.set(img.data, i * h * w * channels);
    labels[i] = it.label;
  }
  return validateImageSet({ name, images, labels, classNames, n, height: h, width: w, channels });
}

/**
 * Read and decode a whole image folder or archive (see {@link listImageFolder} for layouts).
 * Returns `{layout: 'split', train, test}` or, with no split folders, `{layout: 'flat', all}`;
 * split the flat set yourself (e.g. `trainTestSplit`) or use `loadImageFolder`, which does.
 */
export function readImageFolder(source: string, opts: ImageFolderOptions = {}): ImageFolderContents {
  const listing = listImageFolder(source, opts.hint);
  const prefix = opts.name ?? folderName(source);
  if (listing.layout === 'split') {
    return {
      layout: 'split',
      train: decodeFolderItems(listing.items.train!, listing.classNames, `${prefix}/train`, opts),
      test: decodeFolderItems(listing.items.test!, listing.classNames, `${prefix}/test`, opts),
    };
  }
  return { layout: 'flat', all: decodeFolderItems(listing.items.all!, listing.classNames, `${prefix}/all`, opts) };
}

/** A folder or archive's base name without `.tar`, `.tar.gz` or `.tgz`. */
export function folderName(source: string): string {
  return basename(source.replace(/[\\/]+$/, '')).replace(/\.(tar\.gz|tgz|tar)$/i, '');
}

function isImageName(name: string): boolean {
  const lower = name.toLowerCase();
  return IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

function isHidden(name: string): boolean {
  return name.startsWith('.') || name === '__MACOSX' || name === 'Thumbs.db';
}

function checkNoLooseImages(node: Node, where: string): void {
  const loose = [...node.children.values()].find((c) => c.kind === 'file' && isImageName(c.file));
  if (loose) {
    throw new DataError(loose.file, 'is an image outside any class folder', `Put each image in a folder named after its class (${where}/<class>/<file>, or ${where}/train/<class>/<file> and ${where}/test/<class>/<file>) and run again.`);
  }
}

function itemsOf(classes: Map<string, Node>, classNames: string[]): FolderItem[] {
  const out: FolderItem[] = [];
  for (const name of [...classes.keys()].sort()) {
    const node = classes.get(name)!;
    const files: Node[] = [];
    collectImages(node, files);
    if (files.length === 0) {
      throw new DataError(node.file, `is a class folder with no images (${IMAGE_EXTENSIONS.join(', ')})`, 'Add images to it or remove it, and run again.');
    }
    files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const label = classNames.indexOf(name);
    for (const f of files) out.push({ file: f.file, label, read: f.read! });
  }
  return out;
}

function collectImages(node: Node, out: Node[]): void {
  for (const c of node.children.values()) {
    if (c.kind === 'dir') collectImages(c, out);
    else if (isImageName(c.file)) out.push(c);
  }
}

function buildTree(source: string, hint: string): Node {
  let st;
  try {
    st = statSync(source);
  } catch (e) {
    throw new DataError(source, 'does not exist', 'Pass a folder laid out as <class>/<image> (or train/<class>/..., test/<class>/...), or a .tar/.tar.gz archive of one.', { cause: e });
  }
  if (st.isDirectory()) return walkDir(source, source);
  const root: Node = { kind: 'dir', children: new Map(), file: source };
  for (const e of readTarFile(source, hint)) {
    const parts = e.path.split('/');
    if (parts.some(isHidden)) continue;
    let node = root;
    let rel = '';
    for (let i = 0; i < parts.length; i++) {
      rel = rel ? `${rel}/${parts[i]}` : parts[i];
      const last = i === parts.length - 1;
      let child = node.children.get(parts[i]);
      if (!child) {
        const isFile = last && e.type === 'file';
        child = { kind: isFile ? 'file' : 'dir', children: new Map(), file: `${source}:${rel}` };
        if (isFile) { const data = e.data; child.read = () => data; }
        node.children.set(parts[i], child);
      }
      node = child;
    }
  }
  return root;
}

function walkDir(dir: string, display: string): Node {
  const node: Node = { kind: 'dir', children: new Map(), file: display };
  for (const d of readdirSync(dir, { withFileTypes: true })) {
    if (isHidden(d.name)) continue;
    const full = join(dir, d.name);
    let isDir = d.isDirectory();
    let isFile = d.isFile();
    if (d.isSymbolicLink()) {
      try { const s = statSync(full); isDir = s.isDirectory(); isFile = s.isFile(); } catch { continue; }
    }
    if (isDir) node.children.set(d.name, walkDir(full, full));
    else if (isFile) node.children.set(d.name, { kind: 'file', children: new Map(), file: full, read: () => readFileOrThrow(full) });
  }
  return node;
}
