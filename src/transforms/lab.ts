import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';

/**
 * CIE 1976 L*a*b* under the D65 white point, from and to sRGB (IEC 61966-2-1), as used by
 * colourisation (Zhang, Isola & Efros 2016, "Colorful image colorization"): L* in [0, 100] is
 * lightness, a* (green-red) and b* (blue-yellow) the colour, both within about [-128, 128].
 *
 * Formulas: sRGB -> linear RGB (the sRGB transfer function) -> XYZ (the sRGB/D65 primaries matrix,
 * Lindbloom's values) -> Lab with reference white D65 (Xn, Yn, Zn) = (0.95047, 1, 1.08883).
 */

/** Reference white D65 (2° observer), Y normalised to 1. */
export const D65_WHITE = [0.95047, 1.0, 1.08883] as const;

/** Linear sRGB -> XYZ (rows X, Y, Z), D65. */
const RGB_TO_XYZ = [
  [0.4124564, 0.3575761, 0.1804375],
  [0.2126729, 0.7151522, 0.072175],
  [0.0193339, 0.119192, 0.9503041],
];
/** Its exact inverse, so that a round trip is the identity up to float error. */
const XYZ_TO_RGB = invert3(RGB_TO_XYZ);

const EPS = (6 / 29) ** 3; // CIE: the cube root's linear segment below this
const KAPPA = 3 * (6 / 29) ** 2;

function invert3(m: number[][]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}

const toLinear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const fromLinear = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
const f = (t: number) => (t > EPS ? Math.cbrt(t) : t / KAPPA + 4 / 29);
const fInv = (t: number) => (t > 6 / 29 ? t * t * t : KAPPA * (t - 4 / 29));

/**
 * One sRGB colour, channels in [0, 1], to CIE Lab (D65). The reference for {@link rgbToLab}.
 * @returns `[L, a, b]`, L in [0, 100]
 * @example rgbPixelToLab(1, 0, 0) // ≈ [53.24, 80.09, 67.20]
 */
export function rgbPixelToLab(r: number, g: number, b: number): [number, number, number] {
  const lr = toLinear(r);
  const lg = toLinear(g);
  const lb = toLinear(b);
  const [X, Y, Z] = RGB_TO_XYZ.map((row, k) => (row[0] * lr + row[1] * lg + row[2] * lb) / D65_WHITE[k]);
  const fx = f(X);
  const fy = f(Y);
  const fz = f(Z);
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}

/**
 * One CIE Lab (D65) colour back to sRGB in [0, 1], clipped to the sRGB gamut.
 * @returns `[r, g, b]`
 */
export function labPixelToRgb(L: number, a: number, b: number): [number, number, number] {
  const fy = (L + 16) / 116;
  const xyz = [fInv(fy + a / 500) * D65_WHITE[0], fInv(fy) * D65_WHITE[1], fInv(fy - b / 200) * D65_WHITE[2]];
  const rgb = XYZ_TO_RGB.map((row) => row[0] * xyz[0] + row[1] * xyz[1] + row[2] * xyz[2]);
  return rgb.map((c) => Math.min(1, Math.max(0, fromLinear(Math.min(1, Math.max(0, c)))))) as [number, number, number];
}

/** A 3x3 colour matrix applied to the last axis of `[..., 3]`. */
function mix3(x: tf.Tensor, m: number[][]): tf.Tensor {
  return tf.reshape(tf.matMul(tf.reshape(x, [-1, 3]), tf.tensor2d(m), false, true), x.shape);
}

/**
 * sRGB images to CIE Lab (D65), batched (no gradient needed: targets and inputs only).
 * @param x `[batch, h, w, 3]` sRGB in [0, 1]
 * @returns `[batch, h, w, 3]` with channels L in [0, 100], a, b
 */
export function rgbToLab(x: tf.Tensor4D): tf.Tensor4D {
  if (x.rank !== 4 || x.shape[3] !== 3) throw new Error(`rgbToLab: expected [batch, h, w, 3] sRGB input, got [${x.shape}]`);
  return tf.tidy(() => {
    const c = tf.clipByValue(x, 0, 1);
    const lin = tf.where(tf.lessEqual(c, 0.04045), tf.div(c, 12.92), tf.pow(tf.div(tf.add(c, 0.055), 1.055), 2.4));
    const xyz = tf.div(mix3(lin, RGB_TO_XYZ), tf.tensor1d([...D65_WHITE]));
    const ft = tf.where(tf.greater(xyz, EPS), tf.pow(tf.maximum(xyz, EPS), 1 / 3), tf.add(tf.div(xyz, KAPPA), 4 / 29));
    const [fx, fy, fz] = tf.split(ft, 3, 3);
    return tf.concat([tf.sub(tf.mul(fy, 116), 16), tf.mul(tf.sub(fx, fy), 500), tf.mul(tf.sub(fy, fz), 200)], 3) as tf.Tensor4D;
  });
}

/**
 * CIE Lab (D65) images back to sRGB, clipped to [0, 1]: the inverse of {@link rgbToLab}.
 * @param lab `[batch, h, w, 3]` (L, a, b)
 * @returns `[batch, h, w, 3]` sRGB in [0, 1]
 */
export function labToRgb(lab: tf.Tensor4D): tf.Tensor4D {
  if (lab.rank !== 4 || lab.shape[3] !== 3) throw new Error(`labToRgb: expected [batch, h, w, 3] Lab input, got [${lab.shape}]`);
  return tf.tidy(() => {
    const [L, a, b] = tf.split(lab, 3, 3);
    const fy = tf.div(tf.add(L, 16), 116);
    const ft = tf.concat([tf.add(fy, tf.div(a, 500)), fy, tf.sub(fy, tf.div(b, 200))], 3);
    const xyz = tf.mul(
      tf.where(tf.greater(ft, 6 / 29), tf.pow(ft, 3), tf.mul(tf.sub(ft, 4 / 29), KAPPA)),
      tf.tensor1d([...D65_WHITE]),
    );
    const lin = tf.clipByValue(mix3(xyz, XYZ_TO_RGB), 0, 1);
    const srgb = tf.where(tf.lessEqual(lin, 0.0031308), tf.mul(lin, 12.92), tf.sub(tf.mul(tf.pow(tf.maximum(lin, 0.0031308), 1 / 2.4), 1.055), 0.055));
    return tf.clipByValue(srgb, 0, 1) as tf.Tensor4D;
  });
}

/**
 * The network input made from L: `round(L * 255 / 100) / 255`, i.e. L* scaled to [0, 1] and
 * quantised to the 256 levels of a byte, so that inputs built on the fly from colour images equal
 * those read from a {@link lightnessSet} (what the evaluation feeds).
 * @param lab `[batch, h, w, 3]` Lab (or `[batch, h, w, 1]` L)
 * @returns `[batch, h, w, 1]` in [0, 1]
 */
export function lightnessInput(lab: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const L = lab.shape[3] === 1 ? lab : tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]);
    return tf.div(tf.round(tf.mul(tf.clipByValue(L, 0, 100), 2.55)), 255) as tf.Tensor4D;
  });
}

/** Byte -> linear sRGB, precomputed. */
const LINEAR_OF_BYTE = Float64Array.from({ length: 256 }, (_, v) => toLinear(v / 255));

/**
 * The grey (lightness-only) version of a colour set: one channel holding L* as a byte,
 * `round(L * 255 / 100)`. This is what a colourisation network sees, and what its evaluation
 * (and the matching random-init and supervised baselines) is fed. A one-channel set is returned as is.
 */
export function lightnessSet(set: ImageSet, name = `${set.name}:L`): ImageSet {
  if (set.channels === 1) return set;
  if (set.channels !== 3) throw new Error(`lightnessSet: "${set.name}" has ${set.channels} channels; need 3 (sRGB)`);
  const px = set.n * set.height * set.width;
  const out = new Uint8Array(px);
  const src = set.images;
  const [wr, wg, wb] = RGB_TO_XYZ[1];
  for (let p = 0; p < px; p++) {
    const Y = wr * LINEAR_OF_BYTE[src[3 * p]] + wg * LINEAR_OF_BYTE[src[3 * p + 1]] + wb * LINEAR_OF_BYTE[src[3 * p + 2]];
    const L = 116 * f(Y) - 16;
    out[p] = Math.round(Math.min(100, Math.max(0, L)) * 2.55);
  }
  return { ...set, name, images: out, channels: 1 };
}

/**
 * Grey images (one byte channel) as RGB bytes (the channel repeated), for figures.
 * @param grey `n * h * w` bytes
 * @returns `n * h * w * 3` bytes
 */
export function greyToRgbBytes(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let p = 0; p < grey.length; p++) out[3 * p] = out[3 * p + 1] = out[3 * p + 2] = grey[p];
  return out;
}
