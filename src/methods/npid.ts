import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { AugmentOptions, augmentBatch } from '../transforms/augment';
import { Backbone } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { projectionHead } from '../models/projection-head';
import { MemoryBank } from '../objectives/memory-bank';
import { infoNce } from '../objectives/info-nce';
import { nceLoss } from '../objectives/nce';
import { TrainTask } from '../train/train-loop';

/** Options of {@link npidTask}. */
export interface NpidOptions {
  /** Negatives drawn from the memory bank per step (default 4096, capped by the bank minus the batch). */
  negatives?: number;
  /** Temperature (default 0.07, Wu et al. 2018). */
  temperature?: number;
  /** Memory-bank momentum (default 0.5, Wu et al. 2018). */
  bankMomentum?: number;
  /** `softmax`: the non-parametric softmax over the sampled instances (InfoNCE); `nce`: binary NCE (the paper's eq. 5-6). Default `softmax`. */
  loss?: 'softmax' | 'nce';
  /** Embedding size (default 128, the paper's). */
  projDim?: number;
  views?: AugmentOptions;
}

/** What {@link npidTask} returns. */
export interface NpidParts {
  task: TrainTask;
  head: Head;
  /** One row per training image. */
  bank: MemoryBank;
  dispose(): void;
}

/**
 * Instance discrimination, NPID (Wu, Xiong, Yu & Lin 2018, "Unsupervised feature learning via
 * non-parametric instance discrimination"): every training image is its own class. An augmented
 * view's embedding should pick out the image's own memory-bank row against `negatives` rows of
 * other images (eq. 2, approximated by sampling; or NCE, eq. 5-6); then the row moves towards
 * the new embedding with momentum (section 3.3). The bank has one row per image of `set`.
 */
export function npidTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: NpidOptions = {}): NpidParts {
  const t = opts.temperature ?? 0.07;
  const m = opts.bankMomentum ?? 0.5;
  const projDim = opts.projDim ?? 128;
  const lossKind = opts.loss ?? 'softmax';
  if (!(t > 0)) throw new RangeError(`npidTask: temperature must be positive, got ${t}`);
  const head = projectionHead(backbone.featureDim, rng.fork('npid-head'), { outDim: projDim });
  const bank = new MemoryBank(set.n, projDim, rng.fork('npid-bank'), { datasetSize: set.n, name: 'npid-bank' });
  const wanted = opts.negatives ?? 4096;
  if (!Number.isInteger(wanted) || wanted < 1) throw new RangeError(`npidTask: negatives must be a positive integer, got ${wanted}`);
  const task: TrainTask = {
    name: 'npid',
    stores: [backbone.params, head.params, bank.params],
    size: set.n,
    step(indices, stepRng) {
      const k = Math.min(wanted, set.n - indices.length);
      const x = augmentBatch(toTensor(set, indices), stepRng.fork('view'), opts.views);
      const f = head.apply(backbone.apply(x, { training: true }).features);
      const pos = bank.rows(indices);
      const neg = bank.rows(bank.sampleNegatives(k, stepRng.fork('negatives'), indices));
      const out = lossKind === 'nce' ? nceLoss(f, pos, neg, { temperature: t }) : infoNce(f, pos, neg, t);
      bank.momentumUpdate(indices, f, m);
      return { ...out, count: indices.length };
    },
  };
  return { task, head, bank, dispose: () => bank.dispose() };
}
