import { ImageSet, imageSize } from '../data/image-set';
import { ROTATIONS, rotateImageBytes } from '../pretext/rotation';
import { Figure, imageGridFigure } from './figures';

/**
 * The rotation pretext task's (input, label) pairs as a figure: `count` images of `set`
 * (starting at `start`), each shown in its four rotations, captioned with the label, or with the
 * predicted rotation (and a check or cross) when `predicted` is given (`[count * 4]`, rotation-major
 * per image: image i's predictions at `4 * i + k`).
 */
export function rotationGridFigure(set: ImageSet, count: number, opts: { start?: number; predicted?: ArrayLike<number>; title?: string } = {}): Figure {
  const start = opts.start ?? 0;
  if (set.height !== set.width) throw new Error(`rotationGridFigure: "${set.name}" images are not square`);
  if (count < 1 || start + count > set.n) throw new RangeError(`rotationGridFigure: count ${count} from ${start} exceeds the ${set.n} images of "${set.name}"`);
  const size = imageSize(set);
  const out = new Uint8Array(count * 4 * size);
  const captions: string[] = [];
  for (let i = 0; i < count; i++) {
    const img = set.images.subarray((start + i) * size, (start + i + 1) * size);
    for (let k = 0; k < 4; k++) {
      out.set(rotateImageBytes(img, set.height, set.channels, k), (i * 4 + k) * size);
      if (opts.predicted) {
        const p = opts.predicted[i * 4 + k];
        captions.push(`${ROTATIONS[p]}° ${p === k ? '✓' : '✗'}`);
      } else captions.push(`label ${k}: ${ROTATIONS[k]}°`);
    }
  }
  return imageGridFigure(out, count * 4, set.height, set.width, set.channels, captions, {
    cols: 8,
    title: opts.title ?? (opts.predicted ? 'Predicted rotation (✓ correct, ✗ wrong)' : 'Pretext task: each image in four rotations, the rotation is the label'),
  });
}
