// Small in-memory ImageSets for split, batch, cache and tensor tests.
import type { ImageSet } from '../../src/data';

/** A set of `perClass[c]` images of class c, each 2x3x1 filled with its own index (mod 256). */
export function toySet(perClass: number[], name = 'toy'): ImageSet {
  const n = perClass.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(n * 6);
  const labels = new Int32Array(n);
  let i = 0;
  perClass.forEach((count, c) => {
    for (let k = 0; k < count; k++, i++) {
      labels[i] = c;
      images.fill(i % 256, i * 6, (i + 1) * 6);
    }
  });
  return { name, images, labels, classNames: perClass.map((_, c) => `c${c}`), n, height: 2, width: 3, channels: 1 };
}
