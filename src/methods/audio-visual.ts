import * as tf from '@tensorflow/tfjs-core';
import type { ImageSet } from '../data/image-set';
import type { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { balancedPairs, correspondencePairs, type AvPairs } from '../pretext/av-pairs';
import type { Backbone } from '../models/conv-net';
import type { Head } from '../models/linear-head';
import { mlpHead } from '../models/mlp-head';
import { crossEntropy } from '../objectives/cross-entropy';
import type { TrainTask } from '../train/train-loop';

/** The audio-visual correspondence network: two subnetworks, concatenation, an MLP to 2 classes. */
export interface AvNet {
  /** Vision subnetwork, on `[batch, h, w, c]` images. */
  vision: Backbone;
  /** Audio subnetwork, on `[batch, melBands, frames, 1]` log-mel spectrogram images. */
  audio: Backbone;
  /** Fusion: `[batch, visionDim + audioDim] -> 2` (0 = no correspondence, 1 = correspond). */
  head: Head;
}

/** Options of {@link audioVisualTask}. */
export interface AudioVisualOptions {
  /** Hidden units of the fusion MLP (default 128). */
  hidden?: number;
  /**
   * How a step pairs its sounds with images: `'both'` (default) shows every sound with one
   * corresponding and one non-corresponding image (two pairs per sound, exactly balanced);
   * `'one'` draws a single image per sound, corresponding with probability 1/2 (L3-Net's sampling).
   */
  pairing?: 'both' | 'one';
}

/**
 * Audio-visual correspondence (Arandjelovic & Zisserman 2017, "Look, Listen and Learn"): is this
 * sound heard with this image? Each example is one sound of `sounds` (log-mel spectrogram
 * images); every step pairs it with an image of `images` that corresponds (the same digit) and
 * one that does not (another digit) (`balancedPairs`; or one of the two at random, `pairing: 'one'`). The vision and audio subnetworks
 * embed their inputs (global-average-pooled features), the features are concatenated (image
 * first) and a two-layer MLP says corresponds / does not. No digit label reaches the networks,
 * only "same or not", which the two modalities' co-occurrence supplies for free in real video.
 */
export function audioVisualTask(vision: Backbone, audio: Backbone, images: ImageSet, sounds: ImageSet, rng: Rng, opts: AudioVisualOptions = {}): { task: TrainTask; net: AvNet } {
  if (sounds.n < 1) throw new RangeError(`audioVisualTask: ${sounds.name} has no sounds`);
  const head = mlpHead(vision.featureDim + audio.featureDim, opts.hidden ?? 128, 2, rng.fork('av-head'));
  const net: AvNet = { vision, audio, head };
  const both = (opts.pairing ?? 'both') === 'both';
  if (opts.pairing !== undefined && opts.pairing !== 'both' && opts.pairing !== 'one') throw new RangeError(`audioVisualTask: pairing must be 'both' or 'one', got ${opts.pairing}`);
  const task: TrainTask = {
    name: 'audio-visual',
    stores: [vision.params, audio.params, head.params],
    size: sounds.n,
    imagesPerExample: both ? 3 : 2,
    step(indices, stepRng) {
      const pairs = both ? balancedPairs(indices, sounds.labels, images.labels, stepRng) : correspondencePairs(indices, sounds.labels, images.labels, stepRng);
      // Each sound is embedded once, even when it appears in two pairs.
      const fs = audio.apply(toTensor(sounds, indices), { training: true }).features;
      const fi = vision.apply(toTensor(images, pairs.images), { training: true }).features;
      const logits = head.apply(tf.concat([fi, both ? tf.reshape(tf.tile(fs, [1, 2]), [-1, audio.featureDim]) : fs], 1) as tf.Tensor2D);
      const { loss, correct } = crossEntropy(logits, tf.tensor1d(pairs.labels, 'int32'));
      return { loss, correct, count: pairs.labels.length };
    },
  };
  return { task, net };
}

function avLogits(net: AvNet, images: ImageSet, sounds: ImageSet, pairs: Pick<AvPairs, 'images' | 'sounds'>, training: boolean): tf.Tensor2D {
  const fi = net.vision.apply(toTensor(images, pairs.images), { training }).features;
  const fs = net.audio.apply(toTensor(sounds, pairs.sounds), { training }).features;
  return net.head.apply(tf.concat([fi, fs], 1) as tf.Tensor2D);
}

/** Probability that each pair corresponds (batch norm in inference mode), in batches. @returns `[n]` */
export function correspondenceScores(net: AvNet, images: ImageSet, sounds: ImageSet, pairs: Pick<AvPairs, 'images' | 'sounds'>, batchSize = 256): Float32Array {
  const n = pairs.images.length;
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    const part = { images: pairs.images.subarray(s, e), sounds: pairs.sounds.subarray(s, e) };
    const p = tf.tidy(() => tf.slice(tf.softmax(avLogits(net, images, sounds, part, false)), [0, 1], [-1, 1]));
    out.set(p.dataSync() as Float32Array, s);
    p.dispose();
  }
  return out;
}

/** Correspondence accuracy on labelled pairs: predicted "corresponds" (p > 0.5) vs `pairs.labels`. */
export function correspondenceAccuracy(net: AvNet, images: ImageSet, sounds: ImageSet, pairs: AvPairs): number {
  const p = correspondenceScores(net, images, sounds, pairs);
  let c = 0;
  p.forEach((v, i) => (c += (v > 0.5 ? 1 : 0) === pairs.labels[i] ? 1 : 0));
  return c / p.length;
}

/** Global-average-pooled features of every item of `set` (inference mode). @returns `[set.n, dim]`, the caller disposes it */
function allFeatures(backbone: Backbone, set: ImageSet, batchSize = 256): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let s = 0; s < set.n; s += batchSize) {
    const idx = Int32Array.from({ length: Math.min(set.n, s + batchSize) - s }, (_, i) => s + i);
    parts.push(tf.tidy(() => backbone.apply(toTensor(set, idx), { training: false }).features));
  }
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return all;
}

/**
 * Cross-modal retrieval through the correspondence classifier (the L3-Net's fusion is a
 * classifier, not a shared embedding, so items are ranked by its score): for each query, every
 * item of the other modality is scored by P(correspond) and the `k` best are returned.
 *
 * @param direction `'sound-to-image'`: queries are sounds of `sounds`, results images of `images`;
 *   `'image-to-sound'` the other way round
 * @param queries indices of the query items
 * @returns `[queries.length * k]` indices into the other set, best first, and their scores
 */
export function crossModalRetrieval(
  net: AvNet, images: ImageSet, sounds: ImageSet, direction: 'sound-to-image' | 'image-to-sound', queries: ArrayLike<number>, k: number,
): { indices: Int32Array; scores: Float32Array } {
  const nOther = direction === 'sound-to-image' ? images.n : sounds.n;
  if (!(Number.isInteger(k) && k >= 1 && k <= nOther)) throw new RangeError(`crossModalRetrieval: k must be in 1..${nOther}, got ${k}`);
  const fi = allFeatures(net.vision, images);
  const fs = allFeatures(net.audio, sounds);
  const indices = new Int32Array(queries.length * k);
  const scores = new Float32Array(queries.length * k);
  try {
    for (let q = 0; q < queries.length; q++) {
      const p = tf.tidy(() => {
        const [qf, other] = direction === 'sound-to-image' ? [fs, fi] : [fi, fs];
        const query = tf.tile(tf.slice(qf, [queries[q], 0], [1, -1]), [nOther, 1]);
        const x = direction === 'sound-to-image' ? tf.concat([other, query], 1) : tf.concat([query, other], 1);
        return tf.slice(tf.softmax(net.head.apply(x as tf.Tensor2D)), [0, 1], [-1, 1]);
      });
      const s = p.dataSync() as Float32Array;
      p.dispose();
      const order = Array.from(s.keys()).sort((a, b) => s[b] - s[a]).slice(0, k);
      order.forEach((i, j) => { indices[q * k + j] = i; scores[q * k + j] = s[i]; });
    }
  } finally {
    fi.dispose();
    fs.dispose();
  }
  return { indices, scores };
}

/** Mean fraction of each query's retrieved items whose label equals the query's (precision at k). */
export function precisionAtK(retrieved: Int32Array, k: number, queryLabels: ArrayLike<number>, itemLabels: Int32Array): number {
  if (retrieved.length !== queryLabels.length * k) throw new RangeError(`precisionAtK: ${retrieved.length} results for ${queryLabels.length} queries x k=${k}`);
  let hit = 0;
  for (let i = 0; i < retrieved.length; i++) if (itemLabels[retrieved[i]] === queryLabels[Math.floor(i / k)]) hit++;
  return hit / retrieved.length;
}
