import * as tf from '@tensorflow/tfjs-core';
import { ImageSet, imageSize } from '../data/image-set';
import { Rng } from '../data/rng';
import { PatchGridOptions, RELATIVE_POSITION_NAMES, drawPatchPairs, patchPairBytes } from '../pretext/relative-position';
import { drawJigsawOffsets, jigsawTilesBytes, invertPermutation } from '../pretext/jigsaw';
import { PatchColourMode, patchColour } from '../pretext/patch-colour';
import { Figure, imageGridFigure } from './figures';

/** Nearest-neighbour resize of one `p x p x c` patch to `size x size`. */
function resizeNearest(patch: Uint8Array, p: number, c: number, size: number): Uint8Array {
  const out = new Uint8Array(size * size * c);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const s = (Math.floor((y * p) / size) * p + Math.floor((x * p) / size)) * c;
      for (let k = 0; k < c; k++) out[(y * size + x) * c + k] = patch[s + k];
    }
  }
  return out;
}

/** The colour treatment on byte patches `[n, p, p, c]`, through the tensor op the training uses. */
function colourBytes(bytes: Uint8Array, n: number, p: number, c: number, mode: PatchColourMode, rng: Rng): Uint8Array {
  const t = tf.tidy(() => {
    const x = tf.div(tf.tensor4d(Float32Array.from(bytes), [n, p, p, c]), 255) as tf.Tensor4D;
    return tf.round(tf.mul(patchColour(x, mode, rng), 255));
  });
  const out = Uint8Array.from(t.dataSync());
  t.dispose();
  return out;
}

/** Paste `p x p x c` patch bytes into a `size x size x c` canvas at (y0, x0). */
function paste(canvas: Uint8Array, size: number, patch: Uint8Array, p: number, c: number, y0: number, x0: number): void {
  for (let y = 0; y < p; y++) canvas.set(patch.subarray(y * p * c, (y + 1) * p * c), ((y0 + y) * size + x0) * c);
}

/**
 * The relative-position pretext task's inputs as a figure: for each of `count` images of `set`, the
 * image; where the anchor (centre) and query patches were cut, on grey; and the two patches as the
 * network sees them (enlarged, after the colour treatment), captioned with the label.
 */
export function relativePositionFigure(set: ImageSet, count: number, rng: Rng, opts: PatchGridOptions & { colour?: PatchColourMode; title?: string } = {}): Figure {
  if (set.height !== set.width) throw new Error(`relativePositionFigure: "${set.name}" images are not square`);
  if (!(count >= 1 && count <= set.n)) throw new RangeError(`relativePositionFigure: count must be in 1..${set.n}, got ${count}`);
  const { height: s, channels: c } = set;
  const size = imageSize(set);
  const labels = Int32Array.from({ length: count }, (_, i) => i % 8);
  const pairs = drawPatchPairs(count, s, s, labels, rng, opts);
  const p = pairs.patch;
  const raw = patchPairBytes(set.images.subarray(0, count * size), [count, s, s, c], pairs);
  const shown = colourBytes(raw, 2 * count, p, c, opts.colour ?? 'none', rng);
  const out = new Uint8Array(count * 4 * size);
  const captions: string[] = [];
  const ps = p * p * c;
  for (let i = 0; i < count; i++) {
    out.set(set.images.subarray(i * size, (i + 1) * size), (4 * i) * size);
    const canvas = new Uint8Array(size).fill(128);
    paste(canvas, s, raw.subarray(2 * i * ps, (2 * i + 1) * ps), p, c, pairs.anchorY[i], pairs.anchorX[i]);
    paste(canvas, s, raw.subarray((2 * i + 1) * ps, (2 * i + 2) * ps), p, c, pairs.queryY[i], pairs.queryX[i]);
    out.set(canvas, (4 * i + 1) * size);
    out.set(resizeNearest(shown.subarray(2 * i * ps, (2 * i + 1) * ps), p, c, s), (4 * i + 2) * size);
    out.set(resizeNearest(shown.subarray((2 * i + 1) * ps, (2 * i + 2) * ps), p, c, s), (4 * i + 3) * size);
    captions.push('image', `label ${labels[i]}`, 'anchor', RELATIVE_POSITION_NAMES[labels[i]]);
  }
  return imageGridFigure(out, 4 * count, s, s, c, captions, {
    cols: 8,
    title: opts.title ?? 'Where is the query (4th) relative to the anchor (3rd)?',
  });
}

/**
 * The jigsaw pretext task's inputs as a figure: for each of `count` images, the image; its tiles in
 * shuffled order, as the network receives them (after the colour treatment); and the tiles put back
 * by the inverse permutation. Tiles are laid out 3x3 with 1-pixel grey gaps.
 * @param perms the permutation set; image i uses permutation `i % perms.length`
 */
export function jigsawFigure(
  set: ImageSet,
  count: number,
  perms: Int32Array[],
  rng: Rng,
  opts: { grid?: number; tileSize?: number; colour?: PatchColourMode; title?: string } = {},
): Figure {
  if (!(count >= 1 && count <= set.n)) throw new RangeError(`jigsawFigure: count must be in 1..${set.n}, got ${count}`);
  const grid = opts.grid ?? 3;
  const t = opts.tileSize ?? 9;
  const { height: h, width: w, channels: c } = set;
  const size = imageSize(set);
  const permIndex = Int32Array.from({ length: count }, (_, i) => (i * 37) % perms.length);
  const off = drawJigsawOffsets(count, h, w, grid, t, rng);
  const g2 = grid * grid;
  const raw = jigsawTilesBytes(set.images.subarray(0, count * size), [count, h, w, c], grid, t, perms, permIndex, off);
  const shown = colourBytes(raw, count * g2, t, c, opts.colour ?? 'none', rng);
  const side = grid * t + grid - 1;
  if (side > Math.min(h, w)) throw new RangeError(`jigsawFigure: ${grid}x${grid} tiles of ${t} with gaps need ${side} pixels, more than the ${h}x${w} images`);
  const ts = t * t * c;
  const m0 = (h - side) >> 1;
  const n0 = (w - side) >> 1;
  const out = new Uint8Array(count * 3 * size);
  const captions: string[] = [];
  for (let i = 0; i < count; i++) {
    out.set(set.images.subarray(i * size, (i + 1) * size), 3 * i * size);
    const shuffled = new Uint8Array(size).fill(128);
    const solved = new Uint8Array(size).fill(128);
    const q = invertPermutation(perms[permIndex[i]]);
    for (let pos = 0; pos < g2; pos++) {
      const tile = (src: Uint8Array, k: number) => src.subarray((i * g2 + k) * ts, (i * g2 + k + 1) * ts);
      // shuffled: position pos shows tile pos; solved: cell pos shows the tile that came from it
      const at = (cell: number): [number, number] => [m0 + Math.floor(cell / grid) * (t + 1), n0 + (cell % grid) * (t + 1)];
      paste(shuffled, w, tile(shown, pos), t, c, ...at(pos));
      paste(solved, w, tile(raw, q[pos]), t, c, ...at(pos));
    }
    out.set(shuffled, (3 * i + 1) * size);
    out.set(solved, (3 * i + 2) * size);
    captions.push('image', `label ${permIndex[i]}`, 'solved');
  }
  return imageGridFigure(out, 3 * count, h, w, c, captions, {
    cols: 9,
    title: opts.title ?? `Which of ${perms.length} permutations shuffled the tiles?`,
  });
}
