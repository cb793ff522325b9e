import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/** Options of {@link augmentBatch}; the defaults are SimCLR's and MoCo v2's CIFAR-10 recipe. */
export interface AugmentOptions {
  /** Range of the crop's area as a fraction of the image (default [0.2, 1], the MoCo CIFAR-10 demo's). */
  scale?: [number, number];
  /** Range of the crop's aspect ratio width/height, drawn log-uniformly (default [3/4, 4/3]). */
  ratio?: [number, number];
  /** Probability of a left-right mirror (default 0.5). */
  flip?: number;
  /** Colour-jitter strength: brightness, contrast and saturation factors in [1-s, 1+s] (default 0.4). */
  jitter?: number;
  /** Hue shift in [-hue, hue] of a full turn (default 0.1). */
  hue?: number;
  /** Probability that colour jitter is applied to an image (default 0.8). */
  jitterProb?: number;
  /** Probability of turning an image grey (default 0.2). */
  greyProb?: number;
  /** Output side (default: the input's height and width). */
  outSize?: number;
}

/** Per-image parameters drawn by {@link drawAugmentParams}; exposed for tests and figures. */
export interface AugmentParams {
  /** `[b, 4]` crop boxes `(y1, x1, y2, x2)` in [0, 1]; x1 > x2 encodes the mirror. */
  boxes: Float32Array;
  brightness: Float32Array;
  contrast: Float32Array;
  saturation: Float32Array;
  /** Hue rotation in turns. */
  hue: Float32Array;
  /** 1 where the image turns grey. */
  grey: Float32Array;
}

const LUMA = [0.299, 0.587, 0.114];

/**
 * Draw every random choice of {@link augmentBatch} for `b` images of `h x w` pixels, in image
 * order, from `rng` alone (same rng state, same views).
 */
export function drawAugmentParams(b: number, h: number, w: number, rng: Rng, opts: AugmentOptions = {}): AugmentParams {
  const [s0, s1] = opts.scale ?? [0.2, 1];
  const [r0, r1] = opts.ratio ?? [3 / 4, 4 / 3];
  if (!(s0 > 0 && s0 <= s1 && s1 <= 1)) throw new RangeError(`augment: scale must satisfy 0 < min <= max <= 1, got [${s0}, ${s1}]`);
  if (!(r0 > 0 && r0 <= r1)) throw new RangeError(`augment: ratio must satisfy 0 < min <= max, got [${r0}, ${r1}]`);
  const flip = opts.flip ?? 0.5;
  const s = opts.jitter ?? 0.4;
  const hueMax = opts.hue ?? 0.1;
  const pJ = opts.jitterProb ?? 0.8;
  const pG = opts.greyProb ?? 0.2;
  for (const [k, v] of [['flip', flip], ['jitterProb', pJ], ['greyProb', pG]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`augment: ${k} must be a probability in [0, 1], got ${v}`);
  }
  if (!(s >= 0 && s < 1)) throw new RangeError(`augment: jitter must be in [0, 1), got ${s}`);
  if (!(hueMax >= 0 && hueMax <= 0.5)) throw new RangeError(`augment: hue must be in [0, 0.5], got ${hueMax}`);
  const p: AugmentParams = {
    boxes: new Float32Array(4 * b),
    brightness: new Float32Array(b).fill(1),
    contrast: new Float32Array(b).fill(1),
    saturation: new Float32Array(b).fill(1),
    hue: new Float32Array(b),
    grey: new Float32Array(b),
  };
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.next();
  for (let i = 0; i < b; i++) {
    // Random resized crop (Szegedy et al. 2015; torchvision's RandomResizedCrop): 10 tries, then the whole image.
    let ch = 1;
    let cw = 1;
    let top = 0;
    let left = 0;
    for (let t = 0; t < 10; t++) {
      const area = u(s0, s1);
      const ar = Math.exp(u(Math.log(r0), Math.log(r1)));
      const cwt = Math.sqrt((area * ar * h) / w); // crop width and height as fractions of the image's
      const cht = Math.sqrt((area * w) / (ar * h));
      if (cwt <= 1 && cht <= 1) {
        cw = cwt;
        ch = cht;
        top = u(0, 1 - ch);
        left = u(0, 1 - cw);
        break;
      }
    }
    const mirror = rng.next() < flip;
    p.boxes.set([top, mirror ? left + cw : left, top + ch, mirror ? left : left + cw], 4 * i);
    if (rng.next() < pJ) {
      p.brightness[i] = u(1 - s, 1 + s);
      p.contrast[i] = u(1 - s, 1 + s);
      p.saturation[i] = u(1 - s, 1 + s);
      p.hue[i] = u(-hueMax, hueMax);
    }
    p.grey[i] = rng.next() < pG ? 1 : 0;
  }
  return p;
}

/**
 * SimCLR's augmentation (Chen et al. 2020, section 3 and appendix A), batched on tensors so both
 * views of a batch cost a few tensor ops: random resized crop (via `tf.image.cropAndResize`,
 * bilinear) with a random left-right mirror, colour jitter with probability `jitterProb`
 * (brightness, contrast, saturation and a hue rotation in YIQ space, in that fixed order, each
 * clipped to [0, 1]), and greyscale with probability `greyProb`. Grey (1-channel) images get
 * crop, flip, brightness and contrast only. Every random choice comes from `rng`.
 * @param x `[b, h, w, c]` images in [0, 1]
 * @returns `[b, outSize, outSize, c]` views in [0, 1] (the caller owns the tensor)
 */
export function augmentBatch(x: tf.Tensor4D, rng: Rng, opts: AugmentOptions = {}): tf.Tensor4D {
  if (x.rank !== 4) throw new RangeError(`augmentBatch: x must be [batch, h, w, c], got [${x.shape}]`);
  const [b, h, w, c] = x.shape;
  const out = opts.outSize ?? h;
  if (!Number.isInteger(out) || out < 1) throw new RangeError(`augmentBatch: outSize must be a positive integer, got ${out}`);
  const p = drawAugmentParams(b, h, w, rng, opts);
  return tf.tidy(() => {
    const col = (a: Float32Array) => tf.tensor4d(a, [b, 1, 1, 1]);
    const clip = (t: tf.Tensor) => tf.clipByValue(t, 0, 1);
    const boxInd = tf.tensor1d(Int32Array.from({ length: b }, (_, i) => i), 'int32');
    let y: tf.Tensor = tf.image.cropAndResize(x, tf.tensor2d(p.boxes, [b, 4]), boxInd, [out, out], 'bilinear');
    const grey = (t: tf.Tensor) => (c === 3 ? tf.sum(tf.mul(t, tf.tensor1d(LUMA)), 3, true) : t);
    y = clip(tf.mul(y, col(p.brightness)));
    const m = tf.mean(grey(y), [1, 2, 3], true);
    y = clip(tf.add(m, tf.mul(tf.sub(y, m), col(p.contrast))));
    if (c === 3) {
      let g = grey(y);
      y = clip(tf.add(g, tf.mul(tf.sub(y, g), col(p.saturation))));
      y = clip(hueRotate(y as tf.Tensor4D, p.hue));
      g = grey(y);
      y = tf.add(g, tf.mul(tf.sub(y, g), col(p.grey.map((v) => 1 - v))));
    }
    return y as tf.Tensor4D;
  });
}

/** Rotate each image's chroma by `turns[i]` of a full turn in YIQ space (a cheap hue shift). */
function hueRotate(x: tf.Tensor4D, turns: Float32Array): tf.Tensor4D {
  const [b, h, w] = x.shape;
  const toYiq = [
    [0.299, 0.587, 0.114],
    [0.596, -0.274, -0.322],
    [0.211, -0.523, 0.312],
  ];
  const toRgb = inverse3(toYiq); // exact inverse, so a zero rotation is the identity
  // Per image: T = toRgb · R(θ) · toYiq, applied as rows x · Tᵀ.
  const mats = new Float32Array(b * 9);
  for (let i = 0; i < b; i++) {
    const th = 2 * Math.PI * turns[i];
    const cs = Math.cos(th);
    const sn = Math.sin(th);
    const r = [
      [1, 0, 0],
      [0, cs, -sn],
      [0, sn, cs],
    ];
    const ry = mul3(r, toYiq);
    const t = mul3(toRgb, ry);
    for (let a = 0; a < 3; a++) for (let k = 0; k < 3; k++) mats[i * 9 + k * 3 + a] = t[a][k]; // Tᵀ
  }
  return tf.tidy(() => tf.reshape(tf.matMul(tf.reshape(x, [b, h * w, 3]), tf.tensor3d(mats, [b, 3, 3])), [b, h, w, 3]) as tf.Tensor4D);
}

function mul3(a: number[][], b: number[][]): number[][] {
  return a.map((row) => [0, 1, 2].map((j) => row[0] * b[0][j] + row[1] * b[1][j] + row[2] * b[2][j]));
}

function inverse3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h, B = -(d * i - f * g), C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}
