import { DataError, HINT_REPLACE_FILE } from './errors';
import { gunzipIfNeeded } from './gzip';
import { validateImageSet, type ImageSet } from './image-set';
import { readFileOrThrow } from './read-file';

/** IDX magic number of an unsigned-byte array with 3 dimensions (images: n x rows x cols). */
export const IDX_IMAGES_MAGIC = 0x00000803;
/** IDX magic number of an unsigned-byte array with 1 dimension (labels: n). */
export const IDX_LABELS_MAGIC = 0x00000801;

/** A parsed IDX file: its dimensions and its bytes (a view, not a copy). */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/**
 * Parse an IDX file (raw, or gzip-compressed: detected by content) holding unsigned bytes.
 *
 * Layout: big-endian uint32 magic `0x000008DD` (type 0x08 = ubyte, DD = number of dimensions),
 * DD big-endian uint32 dimensions, then the bytes. Checks the magic against `expectedMagic`
 * and that the dimensions' product equals the bytes present, before allocating anything, so
 * absurd declared dimensions are rejected cheaply. Errors are `DataError`s naming `file`.
 */
export function parseIdx(bytes: Buffer, expectedMagic: number, file = '<idx buffer>', hint: string = HINT_REPLACE_FILE): IdxArray {
  const buf = gunzipIfNeeded(bytes, file, hint);
  if (buf.length < 4) throw new DataError(file, `is not an IDX file (${buf.length} bytes, too short for the 4-byte magic number)`, hint);
  const magic = buf.readUInt32BE(0);
  if (magic !== expectedMagic) {
    const what = expectedMagic === IDX_IMAGES_MAGIC ? 'images (0x00000803)' : expectedMagic === IDX_LABELS_MAGIC ? 'labels (0x00000801)' : `0x${hex8(expectedMagic)}`;
    throw new DataError(file, `has the wrong IDX magic number 0x${hex8(magic)} (expected ${what})`, `Check that it is the right file (images and labels swapped?). ${hint}`);
  }
  const nd = magic & 0xff;
  const header = 4 + 4 * nd;
  if (buf.length < header) throw new DataError(file, `is truncated (its ${nd} IDX dimensions need ${header} header bytes, file has ${buf.length})`, hint);
  const dims: number[] = [];
  let product = 1;
  for (let i = 0; i < nd; i++) {
    const d = buf.readUInt32BE(4 + 4 * i);
    dims.push(d);
    product *= d;
  }
  const present = buf.length - header;
  if (product !== present) {
    const problem = product > present
      ? `is truncated (its header declares ${dims.join('x')} = ${product} bytes of data, file holds ${present})`
      : `has ${present - product} bytes more than its header declares (${dims.join('x')} = ${product} bytes)`;
    throw new DataError(file, problem, hint);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + header, present) };
}

/** Options for {@link readIdxImageSet}. */
export interface IdxImageSetOptions {
  /** ImageSet name (default `idx`). */
  name?: string;
  /** Class names (default `'0'..'9'`); every label must index into them. */
  classNames?: string[];
  /** What a `DataError` tells the user (default: replace the file). */
  hint?: string;
}

/**
 * Read an IDX images file (n x rows x cols ubyte, 0x803) and labels file (n ubyte, 0x801), raw
 * or gzipped, into a one-channel ImageSet. Throws a `DataError` naming the file that is
 * missing, corrupt, truncated, or whose count disagrees with the other's.
 */
export function readIdxImageSet(imagesFile: string, labelsFile: string, opts: IdxImageSetOptions = {}): ImageSet {
  const hint = opts.hint ?? HINT_REPLACE_FILE;
  const classNames = opts.classNames ?? ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
  const img = parseIdx(readFileOrThrow(imagesFile, hint), IDX_IMAGES_MAGIC, imagesFile, hint);
  const lab = parseIdx(readFileOrThrow(labelsFile, hint), IDX_LABELS_MAGIC, labelsFile, hint);
  const [n, height, width] = img.dims;
  if (lab.dims[0] !== n) {
    throw new DataError(labelsFile, `holds ${lab.dims[0]} labels but ${imagesFile} holds ${n} images`, `The two files must come from the same split (train with train, t10k with t10k). ${hint}`);
  }
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const l = lab.data[i];
    if (l >= classNames.length) throw new DataError(labelsFile, `has label ${l} at index ${i}, outside 0..${classNames.length - 1}`, hint);
    labels[i] = l;
  }
  return validateImageSet({ name: opts.name ?? 'idx', images: img.data, labels, classNames: [...classNames], n, height, width, channels: 1 });
}

function hex8(v: number): string {
  return (v >>> 0).toString(16).padStart(8, '0');
}
