/**
 * A labelled set of images kept as raw bytes: the unit every reader returns and every
 * experiment consumes.
 *
 * `images` holds `n * height * width * channels` bytes in NHWC order (uint8, 0..255);
 * `labels[i]` is an index into `classNames` (or -1 where a sample has no label).
 */
export interface ImageSet {
  /** Human-readable name, e.g. "cifar10/train". */
  name: string;
  images: Uint8Array;
  labels: Int32Array;
  classNames: string[];
  n: number;
  height: number;
  width: number;
  channels: number;
}

/** Bytes per image of a set. */
export function imageSize(set: Pick<ImageSet, 'height' | 'width' | 'channels'>): number {
  return set.height * set.width * set.channels;
}

/** Check an ImageSet's fields agree with each other; throws an Error naming the field. */
export function validateImageSet(set: ImageSet): ImageSet {
  const where = `ImageSet "${set.name}"`;
  for (const k of ['n', 'height', 'width', 'channels'] as const) {
    if (!Number.isInteger(set[k]) || set[k] < 0) throw new Error(`${where}: ${k} must be a non-negative integer, got ${set[k]}`);
  }
  if (set.images.length !== set.n * imageSize(set)) {
    throw new Error(`${where}: images has ${set.images.length} bytes, expected n*height*width*channels = ${set.n}*${set.height}*${set.width}*${set.channels}`);
  }
  if (set.labels.length !== set.n) throw new Error(`${where}: ${set.labels.length} labels for ${set.n} images`);
  for (let i = 0; i < set.n; i++) {
    const l = set.labels[i];
    if (l < -1 || l >= set.classNames.length) throw new Error(`${where}: label ${l} of image ${i} is outside 0..${set.classNames.length - 1}`);
  }
  return set;
}
