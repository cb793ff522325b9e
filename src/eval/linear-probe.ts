import * as tf from '@tensorflow/tfjs-core';
import { linearHead } from '../models/linear-head';
import { Rng } from '../data/rng';
import { train } from '../train/train-loop';
import { silentProgressSink } from '../train/progress';
import { accuracy } from './knn';

/** Options of {@link linearProbe}. */
export interface LinearProbeOptions {
  /** Epochs over the training features (default 40). */
  epochs?: number;
  /** Batch size (default 256; capped at the training set size). */
  batchSize?: number;
  /** Adam learning rate, cosine-decayed (default 0.03). */
  lr?: number;
  /** L2 penalty on the weights (default 1e-4). */
  weightDecay?: number;
  /** Number of classes (default: max label + 1). */
  numClasses?: number;
  seed?: number;
  /**
   * Per-dimension `[dim]` mean and std to standardise with, instead of the training features' own
   * (e.g. those of a larger unlabelled pool when the labelled set is tiny, as in low-shot probes).
   */
  stats?: { mean: tf.Tensor1D; std: tf.Tensor1D };
}

/** What {@link linearProbe} returns. */
export interface LinearProbeResult {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Accuracy on the training features (how separable they are). */
  trainAccuracy: number;
  /** Predicted class per test row. */
  predictions: Int32Array;
}

/**
 * Linear probe (logistic regression) on frozen features: standardise each dimension with the
 * training mean and std, fit a linear softmax classifier with Adam and L2 decay, report test
 * accuracy. The standard evaluation of self-supervised features (e.g. Goyal et al. 2019).
 * @param trainX `[nTrain, dim]`, `trainY` `[nTrain]`; `testX` `[nTest, dim]`, `testY` `[nTest]`
 */
export async function linearProbe(
  trainX: tf.Tensor2D,
  trainY: Int32Array,
  testX: tf.Tensor2D,
  testY: Int32Array,
  opts: LinearProbeOptions = {},
): Promise<LinearProbeResult> {
  const n = trainX.shape[0];
  if (trainY.length !== n) throw new RangeError(`linearProbe: ${trainY.length} labels for ${n} training rows`);
  if (testY.length !== testX.shape[0]) throw new RangeError(`linearProbe: ${testY.length} labels for ${testX.shape[0]} test rows`);
  if (trainX.shape[1] !== testX.shape[1]) throw new RangeError(`linearProbe: train dim ${trainX.shape[1]} != test dim ${testX.shape[1]}`);
  let maxLabel = 0;
  for (const l of trainY) maxLabel = Math.max(maxLabel, l);
  const numClasses = opts.numClasses ?? maxLabel + 1;
  const seed = opts.seed ?? 0;
  const wd = opts.weightDecay ?? 1e-4;
  const batchSize = Math.min(opts.batchSize ?? 256, n);
  const { mean, std } = opts.stats
    ? { mean: opts.stats.mean.clone(), std: opts.stats.std.clone() }
    : tf.tidy(() => {
        const m = tf.moments(trainX, 0);
        return { mean: m.mean, std: tf.add(tf.sqrt(m.variance), 1e-6) };
      });
  const xs = tf.tidy(() => tf.div(tf.sub(trainX, mean), std) as tf.Tensor2D);
  const xt = tf.tidy(() => tf.div(tf.sub(testX, mean), std) as tf.Tensor2D);
  const ys = tf.tensor1d(trainY, 'int32');
  const head = linearHead(trainX.shape[1], numClasses, new Rng(seed));
  const w = head.params.get('w');
  try {
    await train(
      {
        name: 'linear-probe',
        stores: [head.params],
        size: n,
        step: (idx) => {
          const it = tf.tensor1d(idx, 'int32');
          const logits = head.apply(tf.gather(xs, it));
          const y = tf.gather(ys, it);
          const ce = tf.losses.softmaxCrossEntropy(tf.oneHot(y, numClasses), logits);
          const loss = tf.add(ce, tf.mul(wd, tf.sum(tf.square(w)))) as tf.Scalar;
          return { loss };
        },
      },
      {
        epochs: opts.epochs ?? 40,
        batchSize,
        optimizer: { name: 'adam', lr: opts.lr ?? 0.03, schedule: 'cosine' },
        seed,
        dropLast: false,
        progress: silentProgressSink(),
      },
    );
    const predict = (x: tf.Tensor2D) => {
      const p = tf.tidy(() => tf.argMax(head.apply(x), 1));
      const out = Int32Array.from(p.dataSync());
      p.dispose();
      return out;
    };
    const predictions = predict(xt);
    return { accuracy: accuracy(predictions, testY), trainAccuracy: accuracy(predict(xs), trainY), predictions };
  } finally {
    head.params.dispose();
    tf.dispose([mean, std, xs, xt, ys]);
  }
}
