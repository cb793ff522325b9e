import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, HINT_REPLACE_FILE } from './errors';
import { validateImageSet, type ImageSet } from './image-set';
import { readFileOrThrow } from './read-file';
import { readTarFile } from './tar';

/** CIFAR-10 class names, in label order (also alphabetical, so they match an image folder's). */
export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** Bytes per record of the CIFAR-10 binary format: 1 label byte + 3x32x32 pixel bytes (CHW). */
export const CIFAR_RECORD_BYTES = 1 + 3 * 32 * 32;

/** File names of each split in the official `cifar-10-batches-bin/` folder. */
export const CIFAR10_BATCH_FILES: Record<'train' | 'test', string[]> = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
};

/**
 * Parse one CIFAR-10 binary batch: records of 1 label byte (0..9) then 1024 red, 1024 green and
 * 1024 blue bytes (CHW, rows top to bottom). Pixels are converted to HWC.
 *
 * Throws a `DataError` naming `file` if the length is not a positive multiple of 3073 bytes
 * (truncated or not CIFAR data), or a label byte is 10 or more.
 */
export function parseCifarBatch(bytes: Uint8Array, file = '<cifar buffer>', hint: string = HINT_REPLACE_FILE): { images: Uint8Array; labels: Int32Array } {
  const R = CIFAR_RECORD_BYTES;
  if (bytes.length === 0 || bytes.length % R !== 0) {
    throw new DataError(file, `is not a whole number of CIFAR-10 records (${bytes.length} bytes; each record is ${R} bytes${bytes.length > R ? `, so it is truncated or padded by ${bytes.length % R} bytes` : ''})`, hint);
  }
  const n = bytes.length / R;
  const images = new Uint8Array(n * 3072);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * R;
    const label = bytes[base];
    if (label >= CIFAR10_CLASSES.length) {
      throw new DataError(file, `is corrupt (record ${i} at byte ${base} has label ${label}; CIFAR-10 labels are 0..9)`, hint);
    }
    labels[i] = label;
    const src = base + 1;
    const dst = i * 3072;
    for (let p = 0; p < 1024; p++) {
      images[dst + 3 * p] = bytes[src + p];
      images[dst + 3 * p + 1] = bytes[src + 1024 + p];
      images[dst + 3 * p + 2] = bytes[src + 2048 + p];
    }
  }
  return { images, labels };
}

/**
 * Read a split of CIFAR-10 in its official binary format, from the official archive
 * `cifar-10-binary.tar.gz` (or its `.tar`), from its `cifar-10-batches-bin/` folder, or from a
 * folder holding that folder. Returns a validated ImageSet, 32x32x3, named `cifar10/<split>`.
 *
 * Throws a `DataError` naming the archive or batch file that is missing, truncated or corrupt.
 */
export function readCifar10Binary(source: string, split: 'train' | 'test', hint: string = HINT_REPLACE_FILE): ImageSet {
  const wanted = CIFAR10_BATCH_FILES[split];
  if (!wanted) throw new RangeError(`split must be 'train' or 'test', got ${JSON.stringify(split)}`);
  let parts: { file: string; bytes: Uint8Array }[];
  if (isDirectory(source)) {
    const dir = readdirSync(source).includes('cifar-10-batches-bin') ? join(source, 'cifar-10-batches-bin') : source;
    parts = wanted.map((f) => ({ file: join(dir, f), bytes: readFileOrThrow(join(dir, f), hint) }));
  } else {
    const entries = readTarFile(source, hint);
    parts = wanted.map((f) => {
      const e = entries.find((x) => x.type === 'file' && (x.path === f || x.path.endsWith(`/${f}`)));
      if (!e) throw new DataError(source, `has no ${f} (not the official cifar-10-binary.tar.gz?)`, hint);
      return { file: `${source}:${e.path}`, bytes: e.data };
    });
  }
  const decoded = parts.map((p) => parseCifarBatch(p.bytes, p.file, hint));
  const n = decoded.reduce((s, d) => s + d.labels.length, 0);
  const images = new Uint8Array(n * 3072);
  const labels = new Int32Array(n);
  let at = 0;
  for (const d of decoded) {
    images.set(d.images, at * 3072);
    labels.set(d.labels, at);
    at += d.labels.length;
  }
  return validateImageSet({ name: `cifar10/${split}`, images, labels, classNames: [...CIFAR10_CLASSES], n, height: 32, width: 32, channels: 3 });
}

function isDirectory(p: string): boolean {
  try { return statSync(p).isDirectory(); } catch { return false; }
}
