import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { randomCropFlip } from '../transforms/crop-flip';
import { drawNearFarPatches, nearFarPatchBatch } from '../pretext/near-far-patches';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { projectionHead } from '../models/projection-head';
import { marginContrastiveLoss } from '../objectives/margin-contrastive';
import { TrainTask } from '../train/train-loop';

/** Options of {@link patchContrastTask}. */
export interface PatchContrastOptions {
  /** Patch side (default 16 on 32x32 images). */
  patch?: number;
  /** Margin of the contrastive loss on unit embeddings (default 1; distances lie in [0, 2]). */
  margin?: number;
  projDim?: number;
}

/**
 * Related vs unrelated patches of one image, with a Siamese network (one backbone + projection
 * head for every patch) and the margin contrastive loss (Hadsell, Chopra & LeCun 2006): a
 * patch and a nearby, overlapping patch are related (pulled together); the patch and a distant
 * patch of the same image are unrelated (pushed `margin` apart). `correct` counts images whose
 * near patch is closer to the anchor than the far one.
 */
export function patchContrastTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: PatchContrastOptions = {}): { task: TrainTask; head: Head } {
  const patch = opts.patch ?? 16;
  const margin = opts.margin ?? 1;
  const head = projectionHead(backbone.featureDim, rng.fork('patch-head'), { outDim: opts.projDim ?? 64 });
  const task: TrainTask = {
    name: 'patch-contrast',
    stores: [backbone.params, head.params],
    size: set.n,
    imagesPerExample: 3,
    step(indices, stepRng) {
      const b = indices.length;
      const x = randomCropFlip(set, indices, stepRng, { pad: 0 });
      const p = drawNearFarPatches(b, set.height, set.width, patch, stepRng);
      const z = head.apply(backbone.apply(nearFarPatchBatch(x, p, patch), { training: true }).features);
      const anchor = tf.slice(z, [0, 0], [b, -1]);
      const near = tf.slice(z, [b, 0], [b, -1]);
      const far = tf.slice(z, [2 * b, 0], [b, -1]);
      const related = Float32Array.from({ length: 2 * b }, (_, i) => (i < b ? 1 : 0));
      const loss = marginContrastiveLoss(tf.concat([anchor, anchor], 0) as tf.Tensor2D, tf.concat([near, far], 0) as tf.Tensor2D, related, margin);
      const dNear = tf.sum(tf.square(tf.sub(anchor, near)), 1);
      const dFar = tf.sum(tf.square(tf.sub(anchor, far)), 1);
      const correct = tf.sum(tf.cast(tf.less(dNear, dFar), 'float32')) as tf.Scalar;
      return { loss, correct, count: b };
    },
  };
  return { task, head };
}

/**
 * Distances between unit-normalised backbone features of anchor-near and anchor-far patch pairs
 * of each image of `set` (one pair each, drawn from `rng`), for a figure.
 */
export function nearFarDistances(backbone: Backbone, set: ImageSet, rng: Rng, opts: { patch?: number } = {}): { near: Float32Array; far: Float32Array } {
  const patch = opts.patch ?? 16;
  const near = new Float32Array(set.n);
  const far = new Float32Array(set.n);
  for (let s = 0; s < set.n; s += 256) {
    const idx = Int32Array.from({ length: Math.min(256, set.n - s) }, (_, i) => s + i);
    const b = idx.length;
    const [dn, df] = tf.tidy(() => {
      const x = randomCropFlip(set, idx, rng.fork(`x:${s}`), { pad: 0, flip: false });
      const f = backbone.apply(nearFarPatchBatch(x, drawNearFarPatches(b, set.height, set.width, patch, rng.fork(`p:${s}`)), patch)).features;
      const u = tf.div(f, tf.add(tf.norm(f, 'euclidean', 1, true), 1e-12));
      const a = tf.slice(u, [0, 0], [b, -1]);
      return [tf.norm(tf.sub(a, tf.slice(u, [b, 0], [b, -1])), 'euclidean', 1), tf.norm(tf.sub(a, tf.slice(u, [2 * b, 0], [b, -1])), 'euclidean', 1)];
    });
    near.set(dn.dataSync() as Float32Array, s);
    far.set(df.dataSync() as Float32Array, s);
    dn.dispose();
    df.dispose();
  }
  return { near, far };
}
