import { ImageSet, imageSize } from '../data/image-set';
import { Rng } from '../data/rng';
import { ROTATIONS, rotateImageBytes } from '../pretext/rotation';
import { Figure, imageGridFigure } from './figures';

/** Luma (ITU-R BT.601) of an RGB image, repeated in 3 channels: the colourisation task's input. */
export function greyscaleBytes(img: Uint8Array): Uint8Array {
  const out = new Uint8Array(img.length);
  for (let p = 0; p < img.length; p += 3) {
    const y = Math.round(0.299 * img[p] + 0.587 * img[p + 1] + 0.114 * img[p + 2]);
    out[p] = out[p + 1] = out[p + 2] = y;
  }
  return out;
}

/**
 * The fill-in-the-blanks task on one HWC image: `input` is the image with a `size x size` square
 * at (`y`, `x`) painted grey, `label` the image with everything *but* that square painted grey.
 */
export function maskedPatchBytes(img: Uint8Array, h: number, w: number, c: number, y: number, x: number, size: number): { input: Uint8Array; label: Uint8Array } {
  if (!(y >= 0 && x >= 0 && y + size <= h && x + size <= w)) throw new RangeError(`maskedPatchBytes: a ${size}-pixel square at (${y}, ${x}) does not fit a ${h}x${w} image`);
  const input = img.slice();
  const label = new Uint8Array(img.length).fill(128);
  for (let i = y; i < y + size; i++) {
    for (let j = x; j < x + size; j++) {
      for (let k = 0; k < c; k++) {
        const p = (i * w + j) * c + k;
        input[p] = 128;
        label[p] = img[p];
      }
    }
  }
  return { input, label };
}

/** The 8 places of a neighbour patch around the centre one (Doersch et al. 2015), row-major as pretext/relative-position's labels. */
const NEIGHBOURS = ['top-left', 'top', 'top-right', 'left', 'right', 'bottom-left', 'bottom', 'bottom-right'] as const;

/**
 * The relative-position task on one square HWC image cut in a 3x3 grid of cells: `input` shows the
 * centre cell's patch (left) and the patch of neighbour `k` (0..7, row-major: top-left .. bottom-right; right), each doubled in size, on grey;
 * `label` is the image with every cell but those two dimmed, which shows the answer.
 */
export function relativePositionBytes(img: Uint8Array, s: number, c: number, k: number): { input: Uint8Array; label: Uint8Array } {
  if (!(Number.isInteger(k) && k >= 0 && k < 8)) throw new RangeError(`relativePositionBytes: k must be 0..7, got ${k}`);
  const cell = Math.floor(s / 3);
  const patch = Math.min(cell, Math.floor(s / 4)); // doubled, two patches fit side by side
  const cellOf = (q: number) => [Math.floor(q / 3), q % 3];
  const neighbour = k < 4 ? k : k + 1; // skip the centre, cell 4
  const input = new Uint8Array(s * s * c).fill(128);
  const paste = (q: number, x0: number) => {
    const [r, col] = cellOf(q);
    const oy = r * cell + Math.floor((cell - patch) / 2);
    const ox = col * cell + Math.floor((cell - patch) / 2);
    const y0 = Math.floor((s - 2 * patch) / 2);
    for (let i = 0; i < 2 * patch; i++) {
      for (let j = 0; j < 2 * patch; j++) {
        for (let ch = 0; ch < c; ch++) input[((y0 + i) * s + x0 + j) * c + ch] = img[((oy + (i >> 1)) * s + ox + (j >> 1)) * c + ch];
      }
    }
  };
  paste(4, Math.floor(s / 2) - 2 * patch);
  paste(neighbour, Math.ceil(s / 2));
  const label = img.slice();
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) {
      const q = Math.min(2, Math.floor(i / cell)) * 3 + Math.min(2, Math.floor(j / cell));
      if (q === 4 || q === neighbour) continue;
      for (let ch = 0; ch < c; ch++) label[(i * s + j) * c + ch] = Math.round(label[(i * s + j) * c + ch] * 0.25 + 96);
    }
  }
  return { input, label };
}

/**
 * Self-supervised pretext tasks as (input, label) pairs made from the images themselves: one row
 * per task (rotation, colourisation, fill in the blanks, relative position), one (input, label)
 * pair per image of `indices` (square RGB images). Random choices (angle, hole, neighbour) use `rng`.
 */
export function pretextPairsFigure(set: ImageSet, indices: ArrayLike<number>, rng: Rng, opts: { title?: string } = {}): Figure {
  if (set.channels !== 3 || set.height !== set.width) throw new RangeError(`pretextPairsFigure: "${set.name}" must hold square RGB images`);
  const s = set.height;
  const size = imageSize(set);
  const images: Uint8Array[] = [];
  const captions: string[] = [];
  const imgs = Array.from(indices, (i) => set.images.subarray(i * size, (i + 1) * size));
  const push = (input: Uint8Array, inCap: string, label: Uint8Array, labCap: string) => {
    images.push(input, label);
    captions.push(inCap, labCap);
  };
  for (const img of imgs) {
    const k = 1 + rng.int(3);
    push(rotateImageBytes(img, s, 3, k), 'rotation: input', img, `label: turned ${ROTATIONS[k]}°`);
  }
  for (const img of imgs) push(greyscaleBytes(img), 'colourisation: input', img, 'label: the colours');
  for (const img of imgs) {
    const hole = Math.round(s * 0.4);
    const { input, label } = maskedPatchBytes(img, s, s, 3, rng.int(s - hole + 1), rng.int(s - hole + 1), hole);
    push(input, 'fill in: input', label, 'label: the hole');
  }
  for (const img of imgs) {
    const k = rng.int(8);
    const { input, label } = relativePositionBytes(img, s, 3, k);
    push(input, 'rel. position: input', label, `label: ${NEIGHBOURS[k]}`);
  }
  const all = new Uint8Array(images.length * size);
  images.forEach((im, i) => all.set(im, i * size));
  return imageGridFigure(all, images.length, s, s, 3, captions, {
    cols: 2 * imgs.length,
    scale: Math.max(2, Math.ceil(96 / s)),
    title: opts.title ?? 'Self-supervised pairs: each label is computed from the image',
  });
}
