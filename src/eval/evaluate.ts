import { ImageSet } from '../data/image-set';
import { Backbone } from '../models/conv-net';
import { embed } from './embed';
import { KnnOptions, knnAccuracy } from './knn';
import { LinearProbeOptions, linearProbe } from './linear-probe';

/** Options of {@link evaluateBackbone}. */
export interface EvaluateOptions {
  knn?: KnnOptions;
  probe?: LinearProbeOptions;
  /** Which features (see `embed`): 'final' or a block index. */
  layer?: 'final' | number;
  /** Skip the linear probe (kNN only, e.g. for a per-epoch monitor). */
  knnOnly?: boolean;
}

/** Accuracies of one frozen backbone, fractions in [0, 1]. */
export interface Evaluation {
  knn: number;
  linear: number;
  /** Linear-probe accuracy on its own training features. */
  linearTrain: number;
  seconds: number;
}

/**
 * The lab's standard evaluation of a frozen backbone: embed the labelled `bank` set and the
 * `test` set once, then weighted kNN (cosine, k=200, t=0.1) and a linear probe on the same features.
 */
export async function evaluateBackbone(backbone: Backbone, bank: ImageSet, test: ImageSet, opts: EvaluateOptions = {}): Promise<Evaluation> {
  const t0 = performance.now();
  const numClasses = Math.max(bank.classNames.length, test.classNames.length);
  const fb = embed(backbone, bank, { layer: opts.layer });
  const ft = embed(backbone, test, { layer: opts.layer });
  try {
    const knn = knnAccuracy(fb, bank.labels, ft, test.labels, { numClasses, ...opts.knn });
    let linear = NaN;
    let linearTrain = NaN;
    if (!opts.knnOnly) {
      const p = await linearProbe(fb, bank.labels, ft, test.labels, { numClasses, ...opts.probe });
      linear = p.accuracy;
      linearTrain = p.trainAccuracy;
    }
    return { knn, linear, linearTrain, seconds: (performance.now() - t0) / 1000 };
  } finally {
    fb.dispose();
    ft.dispose();
  }
}
