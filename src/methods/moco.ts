import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { AugmentOptions } from '../transforms/augment';
import { Backbone, convNet } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { momentumCopy, momentumUpdate } from '../models/momentum';
import { projectionHead } from '../models/projection-head';
import { MemoryBank } from '../objectives/memory-bank';
import { infoNce } from '../objectives/info-nce';
import { TrainTask } from '../train/train-loop';
import { twoViews } from './simclr';

/** Options of {@link mocoTask}. */
export interface MocoOptions {
  /** Number of keys in the queue of negatives (default 4096, or the dataset size if smaller; larger than the dataset is an error). */
  queueSize?: number;
  /** Momentum m of the key encoder (default 0.99, the MoCo CIFAR-10 demo's). */
  momentum?: number;
  /** InfoNCE temperature (default 0.1, the MoCo CIFAR-10 demo's). */
  temperature?: number;
  /** Projection size (default 128). */
  projDim?: number;
  /**
   * Images per batch-norm group, for MoCo's shuffling BN (section 3.3): queries and keys are
   * normalised in groups, the keys' groups drawn from a shuffled order, so a key's batch
   * statistics do not match its query's (default 32; at least 2 groups).
   */
  bnGroupSize?: number;
  views?: AugmentOptions;
}

/** What {@link mocoTask} returns besides the task. */
export interface MocoParts {
  task: TrainTask;
  /** The query projection head. */
  head: Head;
  /** The key (momentum) encoder and head: frozen copies, saved with checkpoints. */
  keyBackbone: Backbone;
  keyHead: Head;
  queue: MemoryBank;
  /** Free the key encoder, key head and queue (not the backbone or head). */
  dispose(): void;
}

/** Split `[n, ...]` into `groups` near-equal consecutive parts, apply `f` to each, concatenate. */
function inGroups(x: tf.Tensor4D, groups: number, f: (part: tf.Tensor4D) => tf.Tensor2D): tf.Tensor2D {
  const n = x.shape[0];
  const parts: tf.Tensor2D[] = [];
  for (let g = 0; g < groups; g++) {
    const s = Math.floor((g * n) / groups);
    const e = Math.floor(((g + 1) * n) / groups);
    parts.push(f(tf.slice(x, [s, 0, 0, 0], [e - s, -1, -1, -1])));
  }
  return tf.concat(parts, 0) as tf.Tensor2D;
}

/**
 * MoCo (He, Fan, Wu, Xie & Girshick 2020, "Momentum contrast for unsupervised visual
 * representation learning", Algorithm 1): a query encoder (backbone + projection head) and a
 * key encoder that is its momentum average (eq. 2, applied in `afterStep`); each query's
 * positive is the key of another view of the same image, its negatives the queue of keys from
 * earlier batches (the {@link MemoryBank} as a queue), so the number of negatives does not
 * depend on the batch size. InfoNCE (eq. 1); the batch's keys are then enqueued.
 */
export function mocoTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: MocoOptions = {}): MocoParts {
  const t = opts.temperature ?? 0.1;
  const m = opts.momentum ?? 0.99;
  const groupSize = opts.bnGroupSize ?? 32;
  if (!(t > 0)) throw new RangeError(`mocoTask: temperature must be positive, got ${t}`);
  if (!(m >= 0 && m < 1)) throw new RangeError(`mocoTask: momentum must be in [0, 1), got ${m}`);
  if (!Number.isInteger(groupSize) || groupSize < 1) throw new RangeError(`mocoTask: bnGroupSize must be a positive integer, got ${groupSize}`);
  const projDim = opts.projDim ?? 128;
  const head = projectionHead(backbone.featureDim, rng.fork('moco-head'), { outDim: projDim });
  const keyBackbone = momentumCopy(() => convNet(backbone.config, rng.fork('moco-key')), backbone.params);
  const keyHead = momentumCopy(() => projectionHead(backbone.featureDim, rng.fork('moco-key-head'), { outDim: projDim }), head.params);
  const queue = new MemoryBank(opts.queueSize ?? Math.min(4096, set.n), projDim, rng.fork('moco-queue'), { datasetSize: set.n, name: 'moco-queue' });
  const task: TrainTask = {
    name: 'moco',
    stores: [backbone.params, head.params, keyBackbone.params, keyHead.params, queue.params],
    size: set.n,
    imagesPerExample: 2,
    step(indices, stepRng) {
      const b = indices.length;
      const groups = Math.max(2, Math.round(b / groupSize));
      const x = twoViews(set, indices, stepRng, opts.views);
      const xq = tf.slice(x, [0, 0, 0, 0], [b, -1, -1, -1]);
      const q = inGroups(xq, groups, (p) => head.apply(backbone.apply(p, { training: true }).features));
      // Keys: no gradient (the key encoder has no trainable variables); shuffled BN groups.
      const perm = stepRng.fork('shuffle-bn').permutation(b);
      const inv = new Int32Array(b);
      perm.forEach((p, i) => (inv[p] = i));
      const xk = tf.gather(tf.slice(x, [b, 0, 0, 0], [b, -1, -1, -1]), tf.tensor1d(perm, 'int32'));
      const kShuffled = inGroups(xk, groups, (p) => keyHead.apply(keyBackbone.apply(p, { training: true }).features));
      const k = tf.gather(kShuffled, tf.tensor1d(inv, 'int32')) as tf.Tensor2D;
      const negatives = queue.snapshot();
      const { loss, correct } = infoNce(q, k, negatives, t);
      queue.enqueue(k);
      return { loss, correct, count: b };
    },
    afterStep() {
      momentumUpdate(keyBackbone.params, backbone.params, m);
      momentumUpdate(keyHead.params, head.params, m);
    },
  };
  return {
    task,
    head,
    keyBackbone,
    keyHead,
    queue,
    dispose() {
      keyBackbone.params.dispose();
      keyHead.params.dispose();
      queue.dispose();
    },
  };
}
