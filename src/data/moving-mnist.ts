import { validateImageSet, type ImageSet } from './image-set';
import type { Rng } from './rng';
import type { VideoSet } from './video';

/** Options of {@link movingMnist}. */
export interface MovingMnistOptions {
  /** Number of sequences. */
  sequences: number;
  /** Frames per sequence (default 20, as in Srivastava et al. 2015). */
  length?: number;
  /** Digits per sequence (default 2, the standard recipe; 1 gives frames with one unambiguous label). */
  digits?: number;
  /** Canvas size in pixels (default 64). */
  size?: number;
  /**
   * Frame size of the output (default `size`): the canvas is area-averaged down by the integer
   * factor `size / outputSize` (e.g. 64 -> 32 for a faster network).
   */
  outputSize?: number;
  /** Distance a digit moves per frame, as a fraction of its free range `size - 28` (default 0.1: 3.6 px at 64). */
  step?: number;
}

/** What {@link movingMnist} returns: the sequences and how they were made. */
export interface MovingMnist extends VideoSet {
  /** `[sequences * digits]`: the class of each sequence's digits. */
  digitLabels: Int32Array;
  /** `[sequences * digits]`: index into the source set of each digit image. */
  sources: Int32Array;
  /**
   * `[sequences, length, digits, 2]` flattened: each digit's top-left corner (row, column) in
   * canvas pixels per frame; always within `0 .. size - 28`.
   */
  positions: Int32Array;
  size: number;
  length: number;
  digits: number;
}

/**
 * Moving MNIST (Srivastava, Mansimov & Salakhutdinov 2015, "Unsupervised learning of video
 * representations using LSTMs"): digits from `source` (28x28x1 MNIST images) bounce inside a
 * `size x size` canvas. Each digit starts at a uniform random position with a uniform random
 * direction and moves `step * (size - 28)` pixels per frame; at a border the velocity component
 * is reflected and the position clamped, so digits never leave the frame. Overlapping digits
 * combine by pixel-wise maximum (the original recipe). Deterministic for a given `rng` state.
 *
 * Frames are uint8 `[length, outputSize, outputSize, 1]` per sequence, all sequences in one
 * ImageSet (see {@link VideoSet}); with one digit per sequence each frame is labelled with that
 * digit's class, with two or more frames are unlabelled (-1).
 */
export function movingMnist(source: ImageSet, opts: MovingMnistOptions, rng: Rng): MovingMnist {
  const length = opts.length ?? 20;
  const k = opts.digits ?? 2;
  const size = opts.size ?? 64;
  const out = opts.outputSize ?? size;
  const step = opts.step ?? 0.1;
  if (source.height !== 28 || source.width !== 28 || source.channels !== 1) {
    throw new RangeError(`movingMnist: source must hold 28x28x1 digits, got ${source.name} ${source.height}x${source.width}x${source.channels}`);
  }
  for (const [name, v, lo] of [['sequences', opts.sequences, 1], ['length', length, 1], ['digits', k, 1], ['size', size, 28], ['outputSize', out, 1]] as const) {
    if (!(Number.isInteger(v) && v >= lo)) throw new RangeError(`movingMnist: ${name} must be an integer >= ${lo}, got ${v}`);
  }
  if (size % out !== 0) throw new RangeError(`movingMnist: outputSize ${out} must divide size ${size}`);
  if (!(step > 0 && step <= 1)) throw new RangeError(`movingMnist: step must be in (0, 1], got ${step}`);
  if (source.n < 1) throw new RangeError(`movingMnist: source ${source.name} is empty`);
  const range = size - 28;
  const f = size / out;
  const n = opts.sequences * length;
  const images = new Uint8Array(n * out * out);
  const frameLabels = new Int32Array(n).fill(-1);
  const digitLabels = new Int32Array(opts.sequences * k);
  const sources = new Int32Array(opts.sequences * k);
  const positions = new Int32Array(opts.sequences * length * k * 2);
  const canvas = new Uint8Array(size * size);
  const starts = new Int32Array(opts.sequences + 1);
  for (let s = 0; s < opts.sequences; s++) {
    starts[s + 1] = starts[s] + length;
    // Trajectories in [0, 1] x [0, 1] (fractions of the free range), as in the original code.
    const y = new Float64Array(k), x = new Float64Array(k), vy = new Float64Array(k), vx = new Float64Array(k);
    for (let d = 0; d < k; d++) {
      const src = rng.int(source.n);
      sources[s * k + d] = src;
      digitLabels[s * k + d] = source.labels[src];
      y[d] = rng.next();
      x[d] = rng.next();
      const theta = rng.next() * 2 * Math.PI;
      vy[d] = Math.sin(theta) * step;
      vx[d] = Math.cos(theta) * step;
    }
    for (let t = 0; t < length; t++) {
      canvas.fill(0);
      for (let d = 0; d < k; d++) {
        const py = Math.round(y[d] * range);
        const px = Math.round(x[d] * range);
        const p = ((s * length + t) * k + d) * 2;
        positions[p] = py;
        positions[p + 1] = px;
        const img = source.images.subarray(sources[s * k + d] * 784, sources[s * k + d] * 784 + 784);
        for (let r = 0; r < 28; r++) {
          for (let c = 0; c < 28; c++) {
            const o = (py + r) * size + px + c;
            const v = img[r * 28 + c];
            if (v > canvas[o]) canvas[o] = v;
          }
        }
        // Move, then reflect at the borders.
        y[d] += vy[d];
        x[d] += vx[d];
        if (y[d] < 0) { y[d] = -y[d]; vy[d] = -vy[d]; }
        if (y[d] > 1) { y[d] = 2 - y[d]; vy[d] = -vy[d]; }
        if (x[d] < 0) { x[d] = -x[d]; vx[d] = -vx[d]; }
        if (x[d] > 1) { x[d] = 2 - x[d]; vx[d] = -vx[d]; }
      }
      const frame = s * length + t;
      if (k === 1) frameLabels[frame] = digitLabels[s];
      const base = frame * out * out;
      for (let r = 0; r < out; r++) {
        for (let c = 0; c < out; c++) {
          let sum = 0;
          for (let i = 0; i < f; i++) for (let j = 0; j < f; j++) sum += canvas[(r * f + i) * size + c * f + j];
          images[base + r * out + c] = Math.round(sum / (f * f));
        }
      }
    }
  }
  const name = `moving-mnist-${k}/${source.name}`;
  const frames = validateImageSet({ name: `${name}/frames`, images, labels: frameLabels, classNames: [...source.classNames], n, height: out, width: out, channels: 1 });
  return {
    name, frames, starts, sequenceNames: Array.from({ length: opts.sequences }, (_, s) => `moving-mnist#${s}`),
    digitLabels, sources, positions, size, length, digits: k,
  };
}

/**
 * The frames of a one-digit Moving MNIST set labelled by *where* the digit is instead of which
 * digit it is: the canvas is cut into `cells x cells` equal squares and each frame's label is the
 * square holding the digit's centre (row-major, classes `"r<row>c<col>"`). A transfer target for
 * what order verification teaches (positions), next to the digit labels (identity).
 */
export function positionLabels(mm: MovingMnist, cells = 3): ImageSet {
  if (mm.digits !== 1) throw new RangeError(`positionLabels: needs one digit per sequence, "${mm.name}" has ${mm.digits}`);
  if (!(Number.isInteger(cells) && cells >= 2)) throw new RangeError(`positionLabels: cells must be an integer >= 2, got ${cells}`);
  const n = mm.frames.n;
  const labels = new Int32Array(n);
  const cell = (p: number) => Math.min(cells - 1, Math.floor(((p + 14) * cells) / mm.size));
  for (let i = 0; i < n; i++) labels[i] = cell(mm.positions[i * 2]) * cells + cell(mm.positions[i * 2 + 1]);
  const classNames = Array.from({ length: cells * cells }, (_, c) => `r${Math.floor(c / cells)}c${c % cells}`);
  return validateImageSet({ ...mm.frames, name: `${mm.frames.name}/positions${cells}x${cells}`, labels, classNames });
}
