import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

/** Top-left corners of the anchor, near and far patch of each image of a batch, `[batch]` each. */
export interface NearFarPatches {
  anchorY: Int32Array;
  anchorX: Int32Array;
  nearY: Int32Array;
  nearX: Int32Array;
  farY: Int32Array;
  farX: Int32Array;
}

/**
 * Draw, for each image, an anchor patch, a *near* patch (shifted by at most `near` pixels on each
 * axis, so it overlaps the anchor) and a *far* patch of the same image (at least `far` pixels
 * away on one axis; default half the room the patch has to move). All patches lie inside the
 * `height x width` image. The related-vs-unrelated pairs of a Siamese contrastive loss
 * (Hadsell, Chopra & LeCun 2006) made from one image.
 */
export function drawNearFarPatches(batch: number, height: number, width: number, patch: number, rng: Rng, opts: { near?: number; far?: number } = {}): NearFarPatches {
  if (!Number.isInteger(patch) || patch < 1 || patch >= Math.min(height, width)) {
    throw new RangeError(`drawNearFarPatches: patch must be an integer in 1..${Math.min(height, width) - 1}, got ${patch}`);
  }
  const ry = height - patch;
  const rx = width - patch;
  const near = opts.near ?? Math.max(1, Math.floor(patch / 4));
  const far = opts.far ?? Math.ceil(Math.max(ry, rx) / 2);
  if (!(far > near)) throw new RangeError(`drawNearFarPatches: far (${far}) must exceed near (${near})`);
  const out: NearFarPatches = {
    anchorY: new Int32Array(batch), anchorX: new Int32Array(batch),
    nearY: new Int32Array(batch), nearX: new Int32Array(batch),
    farY: new Int32Array(batch), farX: new Int32Array(batch),
  };
  const clamp = (v: number, hi: number) => Math.max(0, Math.min(hi, v));
  for (let b = 0; b < batch; b++) {
    const ay = rng.int(ry + 1);
    const ax = rng.int(rx + 1);
    out.anchorY[b] = ay;
    out.anchorX[b] = ax;
    out.nearY[b] = clamp(ay + rng.int(2 * near + 1) - near, ry);
    out.nearX[b] = clamp(ax + rng.int(2 * near + 1) - near, rx);
    // Far: uniform over the positions at Chebyshev distance >= far (rejection; the farthest corner if none is drawn).
    let fy = ay < ry / 2 ? ry : 0;
    let fx = ax < rx / 2 ? rx : 0;
    for (let t = 0; t < 64; t++) {
      const y = rng.int(ry + 1);
      const x = rng.int(rx + 1);
      if (Math.max(Math.abs(y - ay), Math.abs(x - ax)) >= far) {
        fy = y;
        fx = x;
        break;
      }
    }
    out.farY[b] = fy;
    out.farX[b] = fx;
  }
  return out;
}

/**
 * Cut the patches of {@link drawNearFarPatches} from `images` `[batch, h, w, c]`.
 * @returns `[3 * batch, patch, patch, c]`: anchors, then near patches, then far patches
 */
export function nearFarPatchBatch(images: tf.Tensor4D, p: NearFarPatches, patch: number): tf.Tensor4D {
  const [b, h, w] = images.shape;
  const boxes = new Float32Array(3 * b * 4);
  const put = (k: number, y: number, x: number) => boxes.set([y / (h - 1), x / (w - 1), (y + patch - 1) / (h - 1), (x + patch - 1) / (w - 1)], 4 * k);
  for (let i = 0; i < b; i++) {
    put(i, p.anchorY[i], p.anchorX[i]);
    put(b + i, p.nearY[i], p.nearX[i]);
    put(2 * b + i, p.farY[i], p.farX[i]);
  }
  const ind = Int32Array.from({ length: 3 * b }, (_, k) => k % b);
  return tf.tidy(() => tf.image.cropAndResize(images, tf.tensor2d(boxes, [3 * b, 4]), tf.tensor1d(ind, 'int32'), [patch, patch], 'nearest'));
}
