import * as tf from '@tensorflow/tfjs-core';

/** The four rotations of the rotation pretext task (Gidaris et al. 2018), in degrees; label k means `ROTATIONS[k]`. */
export const ROTATIONS = [0, 90, 180, 270] as const;

/**
 * Rotate square NHWC images counter-clockwise by `k * 90` degrees.
 * @param x `[batch, s, s, channels]`
 * @param k 0, 1, 2 or 3
 */
export function rotate90(x: tf.Tensor4D, k: number): tf.Tensor4D {
  if (x.shape[1] !== x.shape[2]) throw new Error(`rotate90: images must be square, got [${x.shape}]`);
  const kk = ((k % 4) + 4) % 4;
  return tf.tidy(() => {
    switch (kk) {
      case 0:
        return x.clone();
      case 1: // out[i][j] = in[j][s-1-i]
        return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1) as tf.Tensor4D;
      case 2:
        return tf.reverse(x, [1, 2]) as tf.Tensor4D;
      default: // out[i][j] = in[s-1-j][i]
        return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2) as tf.Tensor4D;
    }
  });
}

/**
 * The rotation pretext batch: every image in all four rotations.
 * @param x `[batch, s, s, c]`
 * @returns `inputs` `[4*batch, s, s, c]` (rotation-major: the batch at 0°, then at 90°, ...) and
 *   `labels` `[4*batch]` int32 rotation indices 0..3.
 */
export function rotationBatch(x: tf.Tensor4D): { inputs: tf.Tensor4D; labels: tf.Tensor1D } {
  return tf.tidy(() => {
    const b = x.shape[0];
    const inputs = tf.concat([0, 1, 2, 3].map((k) => rotate90(x, k)), 0) as tf.Tensor4D;
    const lab = new Int32Array(4 * b);
    for (let k = 0; k < 4; k++) lab.fill(k, k * b, (k + 1) * b);
    return { inputs, labels: tf.tensor1d(lab, 'int32') };
  });
}

/**
 * Reference rotation of one image on raw bytes (HWC), used to test {@link rotate90}.
 * @returns a new array holding the image rotated counter-clockwise by `k * 90` degrees.
 */
export function rotateImageBytes(img: Uint8Array, size: number, channels: number, k: number): Uint8Array {
  const out = new Uint8Array(img.length);
  const kk = ((k % 4) + 4) % 4;
  const s = size - 1;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const [si, sj] = kk === 0 ? [i, j] : kk === 1 ? [j, s - i] : kk === 2 ? [s - i, s - j] : [s - j, i];
      for (let c = 0; c < channels; c++) out[(i * size + j) * channels + c] = img[(si * size + sj) * channels + c];
    }
  }
  return out;
}
