import * as tf from '@tensorflow/tfjs-core';
import type { ImageSet } from '../data/image-set';
import type { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import type { VideoSet } from '../data/video';
import { validateImageSet } from '../data/image-set';
import { sampleTriples, sampleWindows, type WindowOptions } from '../pretext/shuffle-and-learn';
import type { Backbone } from '../models/conv-net';
import type { Head } from '../models/linear-head';
import { mlpHead } from '../models/mlp-head';
import { pooledFeatureDim, tupleFeatures } from '../models/triplet-fusion';
import { crossEntropy } from '../objectives/cross-entropy';
import type { TrainTask } from '../train/train-loop';

/** Options of {@link shuffleAndLearnTask}. */
export interface ShuffleAndLearnOptions {
  /** Each frame's features: the last block pooled to a `grid x grid` grid (default 2; 1 = global average). */
  grid?: number;
  /** Hidden units of the fusion MLP (default 128). */
  hidden?: number;
  /** Fraction of positive (in-order) triples per batch (default 0.5). */
  positiveFraction?: number;
}

/** The order-verification classifier: a triplet Siamese backbone, concatenation, an MLP to 2 classes. */
export interface OrderNet {
  backbone: Backbone;
  head: Head;
  grid: number;
}

/**
 * Shuffle & Learn (Misra, Zitnick & Hebert 2016): temporal order verification. Each example is
 * one five-frame window a < b < c < d < e (`windows`, `[n * 5]` frame indices into `frames`, from
 * `sampleWindows`); every step draws a fresh triple per window (positive (b,c,d)/(d,c,b) or a
 * negative with the middle frame out of order, see `sampleTriples`), embeds its three frames with
 * the one shared `backbone` (a triplet Siamese network), concatenates the three features and
 * classifies in order / not in order with a two-layer MLP (`[batch, 3 * dim] -> 2`).
 */
export function shuffleAndLearnTask(backbone: Backbone, frames: ImageSet, windows: Int32Array, rng: Rng, opts: ShuffleAndLearnOptions = {}): { task: TrainTask; net: OrderNet } {
  if (windows.length === 0 || windows.length % 5 !== 0) throw new RangeError(`shuffleAndLearnTask: windows must hold n * 5 frame indices, got ${windows.length}`);
  const grid = opts.grid ?? 2;
  const dim = pooledFeatureDim(backbone, grid);
  const head = mlpHead(3 * dim, opts.hidden ?? 128, 2, rng.fork('order-head'));
  const n = windows.length / 5;
  const net: OrderNet = { backbone, head, grid };
  const task: TrainTask = {
    name: 'shuffle-and-learn',
    stores: [backbone.params, head.params],
    size: n,
    imagesPerExample: 3,
    step(indices, stepRng) {
      const w = new Int32Array(indices.length * 5);
      indices.forEach((i, j) => w.set(windows.subarray(i * 5, i * 5 + 5), j * 5));
      const t = sampleTriples(w, stepRng, opts.positiveFraction ?? 0.5);
      const logits = orderLogits(net, frames, t.frames, true);
      const { loss, correct } = crossEntropy(logits, tf.tensor1d(t.labels, 'int32'));
      return { loss, correct, count: indices.length };
    },
  };
  return { task, net };
}

/** `[n, 2]` logits of triples `triples` (`[n * 3]` frame indices of `frames`). */
function orderLogits(net: OrderNet, frames: ImageSet, triples: Int32Array, training: boolean): tf.Tensor2D {
  const n = triples.length / 3;
  const at = (j: number) => Int32Array.from({ length: n }, (_, i) => triples[i * 3 + j]);
  const x = [0, 1, 2].map((j) => toTensor(frames, at(j)));
  return net.head.apply(tupleFeatures(net.backbone, x, { training, grid: net.grid }));
}

/**
 * Probability that each triple is in order (batch norm in inference mode), in batches.
 * @param triples `[n * 3]` frame indices of `frames`
 * @returns `[n]`
 */
export function predictOrder(net: OrderNet, frames: ImageSet, triples: Int32Array, batchSize = 256): Float32Array {
  const n = triples.length / 3;
  const out = new Float32Array(n);
  for (let s = 0; s < n; s += batchSize) {
    const e = Math.min(n, s + batchSize);
    const p = tf.tidy(() => tf.slice(tf.softmax(orderLogits(net, frames, triples.subarray(s * 3, e * 3), false)), [0, 1], [-1, 1]));
    out.set(p.dataSync() as Float32Array, s);
    p.dispose();
  }
  return out;
}

/** Order-verification accuracy on labelled triples: predicted in-order (p > 0.5) vs `labels`. */
export function orderVerificationAccuracy(net: OrderNet, frames: ImageSet, triples: Int32Array, labels: Int32Array): number {
  if (labels.length * 3 !== triples.length) throw new RangeError(`orderVerificationAccuracy: ${labels.length} labels for ${triples.length / 3} triples`);
  const p = predictOrder(net, frames, triples);
  let c = 0;
  p.forEach((v, i) => (c += (v > 0.5 ? 1 : 0) === labels[i] ? 1 : 0));
  return c / labels.length;
}

/** What {@link orderTrainingData} returns: every source's frames in one set, and windows into it. */
export interface OrderData {
  /** All frames of all sources, source after source (one frame size and channel count). */
  frames: ImageSet;
  /** `[n * 5]` window frame indices into `frames`, source after source. */
  windows: Int32Array;
  /** Per source: its name, where its frames and windows start, and its window sampling statistics. */
  sources: { name: string; firstFrame: number; firstWindow: number; windows: number; threshold: number; kept: number; candidates: number }[];
}

/**
 * Training data of Shuffle & Learn from several video sources (e.g. Moving MNIST sequences and
 * real clips): `count` high-motion windows drawn from each source separately (its own motion
 * threshold, see `sampleWindows`), all frames gathered in one ImageSet so one network trains on
 * a mixture. Sources must share frame size and channels (a `RangeError` names the odd one).
 */
export function orderTrainingData(parts: { video: VideoSet; count: number }[], opts: Omit<WindowOptions, 'count'>, rng: Rng): OrderData {
  if (parts.length === 0) throw new RangeError('orderTrainingData: no sources');
  const f0 = parts[0].video.frames;
  const odd = parts.find((p) => p.video.frames.height !== f0.height || p.video.frames.width !== f0.width || p.video.frames.channels !== f0.channels);
  if (odd) throw new RangeError(`orderTrainingData: ${odd.video.name} has ${odd.video.frames.height}x${odd.video.frames.width}x${odd.video.frames.channels} frames, ${parts[0].video.name} ${f0.height}x${f0.width}x${f0.channels}`);
  const size = f0.height * f0.width * f0.channels;
  const n = parts.reduce((t, p) => t + p.video.frames.n, 0);
  const images = new Uint8Array(n * size);
  const windows = new Int32Array(parts.reduce((t, p) => t + p.count, 0) * 5);
  const sources: OrderData['sources'] = [];
  let frame = 0;
  let win = 0;
  for (const p of parts) {
    images.set(p.video.frames.images, frame * size);
    const w = sampleWindows(p.video, { ...opts, count: p.count }, rng.fork(`windows:${p.video.name}`));
    for (let i = 0; i < w.frames.length; i++) windows[win * 5 + i] = w.frames[i] + frame;
    sources.push({ name: p.video.name, firstFrame: frame, firstWindow: win, windows: p.count, threshold: w.threshold, kept: w.kept, candidates: w.candidates });
    frame += p.video.frames.n;
    win += p.count;
  }
  // The sources' label spaces differ (digits, clips, none) and training uses none: frames are unlabelled.
  const frames = validateImageSet({ name: parts.map((p) => p.video.name).join('+'), images, labels: new Int32Array(n).fill(-1), classNames: [], n, height: f0.height, width: f0.width, channels: f0.channels });
  return { frames, windows, sources };
}
