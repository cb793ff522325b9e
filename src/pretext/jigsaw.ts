import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/**
 * Jigsaw puzzles (Noroozi & Favaro 2016, "Unsupervised Learning of Visual Representations by
 * Solving Jigsaw Puzzles"): cut a crop of the image into a `grid x grid` array of cells, take one
 * tile inside each cell (a random offset, so tiles do not share edges), shuffle the tiles by a
 * permutation drawn from a fixed set, and ask the network which permutation it was.
 *
 * Conventions used throughout:
 * - cells are numbered row-major, `cell = row * grid + col`;
 * - a permutation `p` puts the tile of cell `p[i]` at position `i` of the shuffled sequence,
 *   so the inverse `q = invertPermutation(p)` (with `q[p[i]] = i`) says where cell `j`'s tile went;
 * - the label of a puzzle is the index of its permutation in the set.
 */

/** n! for small n (exact up to 18). */
export function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/** Number of positions at which two permutations of the same length differ. */
export function hammingDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`hammingDistance: lengths differ (${a.length} vs ${b.length})`);
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}

/** The smallest Hamming distance between two distinct members of a set (Infinity for fewer than 2). */
export function minPairwiseHamming(perms: ArrayLike<number>[]): number {
  let m = Infinity;
  for (let i = 0; i < perms.length; i++) {
    for (let j = i + 1; j < perms.length; j++) m = Math.min(m, hammingDistance(perms[i], perms[j]));
  }
  return m;
}

/** The mean Hamming distance over all pairs of a set (0 for fewer than 2). */
export function meanPairwiseHamming(perms: ArrayLike<number>[]): number {
  let s = 0;
  let n = 0;
  for (let i = 0; i < perms.length; i++) {
    for (let j = i + 1; j < perms.length; j++) {
      s += hammingDistance(perms[i], perms[j]);
      n++;
    }
  }
  return n ? s / n : 0;
}

/** `q` with `q[p[i]] = i`; throws a RangeError if `p` is not a permutation of 0..n-1. */
export function invertPermutation(p: ArrayLike<number>): Int32Array {
  const q = new Int32Array(p.length).fill(-1);
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!Number.isInteger(v) || v < 0 || v >= p.length || q[v] !== -1) {
      throw new RangeError(`invertPermutation: [${Array.from(p)}] is not a permutation of 0..${p.length - 1}`);
    }
    q[v] = i;
  }
  return q;
}

/** Every permutation of 0..n-1 in lexicographic order, packed row by row: `[n!, n]` bytes. */
export function allPermutations(n: number): Uint8Array {
  if (!Number.isInteger(n) || n < 1 || n > 10) throw new RangeError(`allPermutations: n must be an integer in 1..10, got ${n}`);
  const total = factorial(n);
  const out = new Uint8Array(total * n);
  const p = Array.from({ length: n }, (_, i) => i);
  for (let r = 0; r < total; r++) {
    out.set(p, r * n);
    // next lexicographic permutation
    let i = n - 2;
    while (i >= 0 && p[i] >= p[i + 1]) i--;
    if (i < 0) break;
    let j = n - 1;
    while (p[j] <= p[i]) j--;
    [p[i], p[j]] = [p[j], p[i]];
    for (let a = i + 1, b = n - 1; a < b; a++, b--) [p[a], p[b]] = [p[b], p[a]];
  }
  return out;
}

/** Options of {@link hammingPermutations}. */
export interface HammingOptions {
  /** Number of tiles, i.e. the permutation length (default 9, a 3x3 puzzle); 2..10. */
  tiles?: number;
  /**
   * How many candidate permutations the greedy search scans (default: all `tiles!`, i.e. 362,880
   * for 9 tiles). A smaller number scans a random subset; more than `tiles!` is an error.
   */
  candidates?: number;
}

/**
 * A set of `count` permutations chosen greedily for large Hamming distance (Noroozi & Favaro
 * 2016, Algorithm 1). Start from a random permutation; then repeatedly add the candidate whose
 * *minimum* distance to the permutations already chosen is largest, breaking ties by the larger
 * *sum* of distances (the paper's criterion) and then at random (candidates are scanned in a
 * random order). Taking the minimum first keeps the closest pair of the set as far apart as the
 * greedy search can, which is what makes puzzles unambiguous; the sum alone (the paper) can
 * admit close pairs.
 *
 * About `count * candidates` steps: a few seconds for 1,000 permutations of 9 tiles over all 9!
 * candidates on one core.
 * @returns `count` distinct permutations of 0..tiles-1, in the order chosen.
 */
export function hammingPermutations(count: number, rng: Rng, opts: HammingOptions = {}): Int32Array[] {
  const n = opts.tiles ?? 9;
  if (!Number.isInteger(n) || n < 2 || n > 10) throw new RangeError(`hammingPermutations: tiles must be an integer in 2..10, got ${n}`);
  const total = factorial(n);
  const cand = opts.candidates ?? total;
  if (!Number.isInteger(cand) || cand < 1 || cand > total) {
    throw new RangeError(`hammingPermutations: candidates must be an integer in 1..${total} (= ${n}!), got ${cand}`);
  }
  if (!Number.isInteger(count) || count < 1 || count > cand) {
    throw new RangeError(`hammingPermutations: count must be an integer in 1..${cand} (the number of candidates), got ${count}`);
  }
  const all = allPermutations(n);
  // candidates in random order (this also breaks ties at random); keep the first `cand`
  const order = rng.permutation(total).subarray(0, cand);
  const pool = new Uint8Array(cand * n);
  for (let k = 0; k < cand; k++) pool.set(all.subarray(order[k] * n, order[k] * n + n), k * n);
  // bucket[i * n + v] lists the candidates with value v at position i, so the number of positions
  // where a candidate agrees with a newly chosen permutation s is counted in about `cand` steps
  const bucketStart = new Int32Array(n * n + 1);
  for (let k = 0; k < cand * n; k++) bucketStart[(k % n) * n + pool[k] + 1]++;
  for (let b = 0; b < n * n; b++) bucketStart[b + 1] += bucketStart[b];
  const bucket = new Int32Array(cand * n);
  const fill = bucketStart.slice(0, n * n);
  for (let k = 0; k < cand; k++) for (let i = 0; i < n; i++) bucket[fill[i * n + pool[k * n + i]]++] = k;
  const agree = new Uint8Array(cand);
  const minD = new Uint8Array(cand).fill(255);
  const sumD = new Float64Array(cand);
  const taken = new Uint8Array(cand);
  const chosen: Int32Array[] = [];
  let pick = 0; // the first candidate of a random order is a uniformly random permutation
  for (let c = 0; c < count; c++) {
    taken[pick] = 1;
    const s = pool.subarray(pick * n, pick * n + n);
    chosen.push(Int32Array.from(s));
    if (c === count - 1) break;
    agree.fill(0);
    for (let i = 0; i < n; i++) {
      const b = i * n + s[i];
      for (let e = bucketStart[b]; e < bucketStart[b + 1]; e++) agree[bucket[e]]++;
    }
    let best = -1;
    let bestMin = -1;
    let bestSum = -1;
    for (let k = 0; k < cand; k++) {
      if (taken[k]) continue;
      const d = n - agree[k];
      const m = d < minD[k] ? (minD[k] = d) : minD[k];
      const sm = (sumD[k] += d);
      if (m > bestMin || (m === bestMin && sm > bestSum)) {
        best = k;
        bestMin = m;
        bestSum = sm;
      }
    }
    pick = best;
  }
  return chosen;
}

/** `count` distinct permutations of 0..tiles-1 drawn uniformly at random (the baseline for {@link hammingPermutations}). */
export function randomPermutations(count: number, rng: Rng, tiles = 9): Int32Array[] {
  const total = factorial(tiles);
  if (!Number.isInteger(count) || count < 1 || count > total) {
    throw new RangeError(`randomPermutations: count must be an integer in 1..${total} (= ${tiles}!), got ${count}`);
  }
  const seen = new Set<string>();
  const out: Int32Array[] = [];
  while (out.length < count) {
    const p = rng.permutation(tiles);
    const key = p.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(p);
  }
  return out;
}

/** Where the tiles of a batch of puzzles are cut from: one crop per image, one tile offset per cell. */
export interface JigsawOffsets {
  /** Side of the square crop cut into `grid x grid` cells (`grid * cell`). */
  crop: number;
  /** Side of one cell, `crop / grid`. */
  cell: number;
  /** Top-left corner of each image's crop, `[batch]` each. */
  cropY: Int32Array;
  cropX: Int32Array;
  /** Offset of each tile inside its cell, `[batch * grid * grid]` indexed by `b * grid^2 + cell` (original cell, not shuffled position). */
  tileY: Int32Array;
  tileX: Int32Array;
}

/** Options of {@link jigsawTiles} and {@link drawJigsawOffsets}. */
export interface JigsawOptions {
  /**
   * Random crop position and random tile offsets inside each cell (default true). When false the
   * crop and the tiles are centred, which makes the cut deterministic.
   */
  jitter?: boolean;
  /** Side of the square crop (default: the largest multiple of `grid` that fits the image). */
  crop?: number;
}

/** Draw the crop corners and tile offsets of `batch` puzzles on `height x width` images. */
export function drawJigsawOffsets(
  batch: number,
  height: number,
  width: number,
  grid: number,
  tileSize: number,
  rng: Rng,
  opts: JigsawOptions = {},
): JigsawOffsets {
  if (!Number.isInteger(grid) || grid < 1) throw new RangeError(`jigsaw: grid must be a positive integer, got ${grid}`);
  const crop = opts.crop ?? grid * Math.floor(Math.min(height, width) / grid);
  if (!Number.isInteger(crop) || crop < grid || crop % grid !== 0 || crop > Math.min(height, width)) {
    throw new RangeError(`jigsaw: crop must be a multiple of grid=${grid} in ${grid}..${Math.min(height, width)}, got ${crop}`);
  }
  const cell = crop / grid;
  if (!Number.isInteger(tileSize) || tileSize < 1 || tileSize > cell) {
    throw new RangeError(`jigsaw: tileSize must be an integer in 1..${cell} (the cell side, crop/grid), got ${tileSize}`);
  }
  const jitter = opts.jitter ?? true;
  const g2 = grid * grid;
  const cropY = new Int32Array(batch);
  const cropX = new Int32Array(batch);
  const tileY = new Int32Array(batch * g2);
  const tileX = new Int32Array(batch * g2);
  const slackY = height - crop;
  const slackX = width - crop;
  const slackT = cell - tileSize;
  for (let b = 0; b < batch; b++) {
    cropY[b] = jitter ? rng.int(slackY + 1) : slackY >> 1;
    cropX[b] = jitter ? rng.int(slackX + 1) : slackX >> 1;
    for (let k = 0; k < g2; k++) {
      tileY[b * g2 + k] = jitter ? rng.int(slackT + 1) : slackT >> 1;
      tileX[b * g2 + k] = jitter ? rng.int(slackT + 1) : slackT >> 1;
    }
  }
  return { crop, cell, cropY, cropX, tileY, tileX };
}

function checkPuzzle(fn: string, batch: number, grid: number, perms: ArrayLike<number>[], permIndex: ArrayLike<number>): void {
  if (permIndex.length !== batch) throw new RangeError(`${fn}: permIndex has ${permIndex.length} entries for a batch of ${batch}`);
  for (let b = 0; b < batch; b++) {
    const k = permIndex[b];
    if (!Number.isInteger(k) || k < 0 || k >= perms.length) {
      throw new RangeError(`${fn}: permIndex[${b}] = ${k} is outside 0..${perms.length - 1} (the permutation set)`);
    }
    if (perms[k].length !== grid * grid) throw new RangeError(`${fn}: permutation ${k} has ${perms[k].length} entries, expected grid^2 = ${grid * grid}`);
  }
}

/**
 * For every output value of a puzzle batch, the flat NHWC index of the input value it copies.
 * @returns `[batch * grid^2 * tileSize^2 * c]` indices into the `[batch, h, w, c]` input, for the
 *   tiles in shuffled order (tile-major per image).
 */
export function jigsawSourceIndex(
  shape: [number, number, number, number],
  grid: number,
  tileSize: number,
  perms: ArrayLike<number>[],
  permIndex: ArrayLike<number>,
  off: JigsawOffsets,
): Int32Array {
  const [batch, h, w, c] = shape;
  checkPuzzle('jigsawSourceIndex', batch, grid, perms, permIndex);
  const g2 = grid * grid;
  const t = tileSize;
  const idx = new Int32Array(batch * g2 * t * t * c);
  let o = 0;
  for (let b = 0; b < batch; b++) {
    const p = perms[permIndex[b]];
    for (let i = 0; i < g2; i++) {
      const cellId = p[i];
      const row = Math.floor(cellId / grid);
      const col = cellId % grid;
      const y0 = off.cropY[b] + row * off.cell + off.tileY[b * g2 + cellId];
      const x0 = off.cropX[b] + col * off.cell + off.tileX[b * g2 + cellId];
      for (let y = 0; y < t; y++) {
        const base = ((b * h + y0 + y) * w + x0) * c;
        for (let k = 0; k < t * c; k++) idx[o++] = base + k;
      }
    }
  }
  return idx;
}

/**
 * The jigsaw pretext batch on tensors: cut each image into a `grid x grid` puzzle and shuffle
 * its tiles by `perms[permIndex[b]]`.
 * @param images `[batch, h, w, c]`
 * @param grid tiles per side (3 in the paper)
 * @param tileSize side of a tile, at most the cell side `crop / grid`
 * @param perms the permutation set (e.g. from {@link hammingPermutations})
 * @param permIndex `[batch]` the permutation (label) of each image
 * @param rng draws the crop position and tile offsets (see {@link drawJigsawOffsets})
 * @returns `[batch * grid^2, tileSize, tileSize, c]`, tile-major per image: rows
 *   `b*grid^2 .. b*grid^2 + grid^2 - 1` are image b's tiles in shuffled order.
 */
export function jigsawTiles(
  images: tf.Tensor4D,
  grid: number,
  tileSize: number,
  perms: ArrayLike<number>[],
  permIndex: ArrayLike<number>,
  rng: Rng,
  opts: JigsawOptions = {},
): tf.Tensor4D {
  const [batch, h, w, c] = images.shape;
  const off = drawJigsawOffsets(batch, h, w, grid, tileSize, rng, opts);
  const idx = jigsawSourceIndex([batch, h, w, c], grid, tileSize, perms, permIndex, off);
  return tf.tidy(() => {
    const flat = tf.reshape(images, [-1]);
    const ix = tf.tensor1d(idx, 'int32');
    return tf.reshape(tf.gather(flat, ix), [batch * grid * grid, tileSize, tileSize, c]) as tf.Tensor4D;
  });
}

/**
 * Slow byte-level reference of {@link jigsawTiles}, written as plain loops over the same offsets.
 * @param pixels `[batch, h, w, c]` values, NHWC
 * @returns `[batch * grid^2, tileSize, tileSize, c]` values, same type as `pixels`
 */
export function jigsawTilesBytes<T extends Uint8Array | Float32Array>(
  pixels: T,
  shape: [number, number, number, number],
  grid: number,
  tileSize: number,
  perms: ArrayLike<number>[],
  permIndex: ArrayLike<number>,
  off: JigsawOffsets,
): T {
  const [batch, h, w, c] = shape;
  checkPuzzle('jigsawTilesBytes', batch, grid, perms, permIndex);
  const g2 = grid * grid;
  const t = tileSize;
  const out = new (pixels.constructor as { new (n: number): T })(batch * g2 * t * t * c);
  for (let b = 0; b < batch; b++) {
    const p = perms[permIndex[b]];
    for (let i = 0; i < g2; i++) {
      const cellId = p[i];
      const row = Math.floor(cellId / grid);
      const col = cellId % grid;
      for (let y = 0; y < t; y++) {
        for (let x = 0; x < t; x++) {
          const sy = off.cropY[b] + row * off.cell + off.tileY[b * g2 + cellId] + y;
          const sx = off.cropX[b] + col * off.cell + off.tileX[b * g2 + cellId] + x;
          for (let k = 0; k < c; k++) out[(((b * g2 + i) * t + y) * t + x) * c + k] = pixels[((b * h + sy) * w + sx) * c + k];
        }
      }
    }
  }
  return out;
}

/**
 * Undo a puzzle: put every tile back in its cell and stitch the grid into one image (no gaps).
 * @param tiles `[batch * grid^2, t, t, c]` in shuffled order, as {@link jigsawTiles} returns them
 * @returns `[batch, grid*t, grid*t, c]`; with `tileSize` equal to the cell side and no jitter this
 *   is exactly the centred crop.
 */
export function reassembleTiles(tiles: tf.Tensor4D, grid: number, perms: ArrayLike<number>[], permIndex: ArrayLike<number>): tf.Tensor4D {
  const g2 = grid * grid;
  const [n, t, , c] = tiles.shape;
  if (n % g2 !== 0) throw new RangeError(`reassembleTiles: ${n} tiles is not a multiple of grid^2 = ${g2}`);
  const batch = n / g2;
  checkPuzzle('reassembleTiles', batch, grid, perms, permIndex);
  // row r of the output batch of cells (b*g2 + cell) is tile b*g2 + q[cell]
  const src = new Int32Array(n);
  for (let b = 0; b < batch; b++) {
    const q = invertPermutation(perms[permIndex[b]]);
    for (let cell = 0; cell < g2; cell++) src[b * g2 + cell] = b * g2 + q[cell];
  }
  return tf.tidy(() => {
    const cells = tf.gather(tiles, tf.tensor1d(src, 'int32'));
    // [b, gr, gc, t, t, c] -> [b, gr, t, gc, t, c]
    const grid6 = tf.reshape(cells, [batch, grid, grid, t, t, c]);
    return tf.reshape(tf.transpose(grid6, [0, 1, 3, 2, 4, 5]), [batch, grid * t, grid * t, c]) as tf.Tensor4D;
  });
}

/**
 * Byte-level {@link reassembleTiles}.
 * @param tiles `[batch * grid^2, t, t, c]` values in shuffled order
 * @returns `[batch, grid*t, grid*t, c]` values
 */
export function reassembleTileBytes<T extends Uint8Array | Float32Array>(
  tiles: T,
  batch: number,
  grid: number,
  tileSize: number,
  channels: number,
  perms: ArrayLike<number>[],
  permIndex: ArrayLike<number>,
): T {
  checkPuzzle('reassembleTileBytes', batch, grid, perms, permIndex);
  const g2 = grid * grid;
  const t = tileSize;
  const c = channels;
  const side = grid * t;
  const out = new (tiles.constructor as { new (n: number): T })(batch * side * side * c);
  for (let b = 0; b < batch; b++) {
    const p = perms[permIndex[b]];
    for (let i = 0; i < g2; i++) {
      const cellId = p[i];
      const row = Math.floor(cellId / grid);
      const col = cellId % grid;
      for (let y = 0; y < t; y++) {
        for (let x = 0; x < t; x++) {
          for (let k = 0; k < c; k++) {
            out[((b * side + row * t + y) * side + col * t + x) * c + k] = tiles[(((b * g2 + i) * t + y) * t + x) * c + k];
          }
        }
      }
    }
  }
  return out;
}
