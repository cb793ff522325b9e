import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerCoreGradients } from '../src/backend/core-gradients';
import { ImageSet } from '../src/data/image-set';
import { Rng } from '../src/data/rng';

/** Use the cpu backend (the correctness reference), with tfjs-core's gradients registered. */
export async function useCpu(): Promise<void> {
  registerCoreGradients();
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A small synthetic ImageSet whose classes are learnable: class k images are noise plus a
 * bright square at a class-specific place.
 */
export function toySet(n: number, size = 8, channels = 3, classes = 2, seed = 1): ImageSet {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * size * size * channels);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const k = i % classes;
    labels[i] = k;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inSquare = Math.floor((y * classes) / size) === k && x < size / 2;
        for (let c = 0; c < channels; c++) {
          images[((i * size + y) * size + x) * channels + c] = inSquare ? 200 + rng.int(55) : rng.int(80);
        }
      }
    }
  }
  return { name: `toy/${n}`, images, labels, classNames: Array.from({ length: classes }, (_, k) => `c${k}`), n, height: size, width: size, channels };
}

/** Max relative error between two arrays: max |a-b| / max(|b|, floor). */
export function maxRelError(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-3): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), floor));
  return m;
}
