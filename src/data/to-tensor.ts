import * as tf from '@tensorflow/tfjs-core';
import { imageSize, type ImageSet } from './image-set';

const SCALE = Float32Array.from({ length: 256 }, (_, v) => v / 255);

/**
 * The images at `indices` (default: all) as a float32 tensor in [0, 1], shape
 * `[batch, height, width, channels]`. The caller owns (and disposes) the tensor. An index
 * outside `0..n-1`, or an empty `indices`, is a `RangeError` naming `indices`.
 */
export function toTensor(set: ImageSet, indices?: ArrayLike<number>): tf.Tensor4D {
  const ix = checkIndices(set, indices, 'toTensor');
  const size = imageSize(set);
  const out = new Float32Array(ix.length * size);
  for (let j = 0; j < ix.length; j++) {
    const src = ix[j] * size;
    const dst = j * size;
    for (let k = 0; k < size; k++) out[dst + k] = SCALE[set.images[src + k]];
  }
  return tf.tensor4d(out, [ix.length, set.height, set.width, set.channels], 'float32');
}

/** The labels at `indices` (default: all) as an int32 tensor of shape `[batch]`; see {@link toTensor}. */
export function toLabelTensor(set: ImageSet, indices?: ArrayLike<number>): tf.Tensor1D {
  const ix = checkIndices(set, indices, 'toLabelTensor');
  const out = new Int32Array(ix.length);
  for (let j = 0; j < ix.length; j++) out[j] = set.labels[ix[j]];
  return tf.tensor1d(out, 'int32');
}

function checkIndices(set: ImageSet, indices: ArrayLike<number> | undefined, fn: string): ArrayLike<number> {
  if (indices === undefined) {
    if (set.n === 0) throw new RangeError(`${fn}: ${set.name} is empty`);
    return Int32Array.from({ length: set.n }, (_, i) => i);
  }
  if (indices.length === 0) throw new RangeError(`${fn}: indices is empty`);
  for (let j = 0; j < indices.length; j++) {
    const i = indices[j];
    if (!(Number.isInteger(i) && i >= 0 && i < set.n)) throw new RangeError(`${fn}: indices[${j}] = ${i} is outside 0..${set.n - 1} of ${set.name}`);
  }
  return indices;
}
