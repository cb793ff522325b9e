import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/**
 * How patch-based pretext tasks break colour shortcuts, per patch:
 * - `none`: leave the patch as it is;
 * - `jitter`: scale each channel by `1 + u` and shift it by `v/2`, `u, v ~ U(-strength, strength)`
 *   drawn per patch and channel, then clip to [0, 1] (Noroozi & Favaro 2016 jitter colours per tile);
 * - `drop`: keep one random channel, replace the other two with 0.5 plus Gaussian noise of std
 *   0.01 ("colour dropping", Doersch et al. 2015, section 3.1: chromatic aberration lets a
 *   network locate a patch in the lens from its colour fringes alone);
 * - `grey`: replace every channel by the patch's luminance (0.299 R + 0.587 G + 0.114 B).
 */
export type PatchColourMode = 'none' | 'jitter' | 'drop' | 'grey';

export const PATCH_COLOUR_MODES: readonly PatchColourMode[] = ['none', 'jitter', 'drop', 'grey'];

/** Per-patch channel gains `a` and offsets `b` so that the result is `clip(a * x + b + noise)`: `[n * c]` each. */
export interface ChannelMaps {
  gain: Float32Array;
  offset: Float32Array;
  /** Standard deviation of Gaussian noise per patch and channel (0 where none). */
  noise: Float32Array;
}

/** Draw the per-patch channel maps of {@link patchColour} for `n` patches of `channels` channels. */
export function drawChannelMaps(n: number, channels: number, mode: PatchColourMode, rng: Rng, strength = 0.4): ChannelMaps {
  if (!PATCH_COLOUR_MODES.includes(mode)) throw new RangeError(`patchColour: mode must be one of ${PATCH_COLOUR_MODES.join(', ')}, got "${mode}"`);
  if (!(strength >= 0 && strength <= 1)) throw new RangeError(`patchColour: strength must be in [0, 1], got ${strength}`);
  const gain = new Float32Array(n * channels).fill(1);
  const offset = new Float32Array(n * channels);
  const noise = new Float32Array(n * channels);
  if (mode === 'jitter') {
    for (let i = 0; i < n * channels; i++) {
      gain[i] = 1 + strength * (2 * rng.next() - 1);
      offset[i] = (strength / 2) * (2 * rng.next() - 1);
    }
  } else if (mode === 'drop' && channels > 1) {
    for (let i = 0; i < n; i++) {
      const keep = rng.int(channels);
      for (let k = 0; k < channels; k++) {
        if (k === keep) continue;
        gain[i * channels + k] = 0;
        offset[i * channels + k] = 0.5;
        noise[i * channels + k] = 0.01;
      }
    }
  }
  return { gain, offset, noise };
}

/**
 * Apply a colour treatment to each patch independently (see {@link PatchColourMode}).
 * @param patches `[n, p, p, c]` in [0, 1]
 * @returns a new `[n, p, p, c]` tensor (a copy even for `none`)
 */
export function patchColour(patches: tf.Tensor4D, mode: PatchColourMode, rng: Rng, strength = 0.4): tf.Tensor4D {
  const [n, h, w, c] = patches.shape;
  const maps = drawChannelMaps(n, c, mode, rng, strength);
  return tf.tidy(() => {
    if (mode === 'none') return patches.clone();
    if (mode === 'grey') {
      if (c !== 3) return patches.clone();
      const y = tf.sum(tf.mul(patches, tf.tensor1d([0.299, 0.587, 0.114])), 3, true);
      return tf.tile(y, [1, 1, 1, 3]) as tf.Tensor4D;
    }
    let out = tf.add(tf.mul(patches, tf.tensor4d(maps.gain, [n, 1, 1, c])), tf.tensor4d(maps.offset, [n, 1, 1, c]));
    if (mode === 'drop') {
      const z = new Float32Array(n * h * w * c);
      for (let i = 0; i < z.length; i++) {
        const sd = maps.noise[Math.floor(i / (h * w * c)) * c + (i % c)];
        z[i] = sd ? sd * rng.normal() : 0;
      }
      out = tf.add(out, tf.tensor4d(z, [n, h, w, c]));
    }
    return tf.clipByValue(out, 0, 1) as tf.Tensor4D;
  });
}
