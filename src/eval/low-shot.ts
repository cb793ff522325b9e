import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { subset } from '../data/split';
import { Backbone, convNet } from '../models/conv-net';
import { supervisedTask } from '../methods/supervised';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink, silentProgressSink } from '../train/progress';
import { train } from '../train/train-loop';
import { embed } from './embed';
import { KnnOptions, accuracy, knnAccuracy } from './knn';
import { LinearProbeOptions, linearProbe } from './linear-probe';

/**
 * Nested class-balanced subsets of a labelled pool: each class's examples are put in one seeded
 * random order, and the subset for `n` shots takes the first `n` of each class, so the subset for
 * fewer shots lies inside the one for more (the curve then measures more labels, not a new draw).
 * @param labels `[nPool]` class indices (negative = unlabelled, never drawn)
 * @param shots labels per class, each a positive integer
 * @returns one ascending index list per entry of `shots`
 * @throws RangeError naming `shots` when a class has fewer examples than the largest entry
 */
export function nestedShotSubsets(labels: Int32Array, shots: readonly number[], rng: Rng): Int32Array[] {
  const byClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    if (l >= 0) (byClass.get(l) ?? byClass.set(l, []).get(l)!).push(i);
  });
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const n of shots) {
    if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`lowShot: shots must hold positive integers, got ${n}`);
    for (const c of classes) {
      if (byClass.get(c)!.length < n) throw new RangeError(`lowShot: shots = ${n} but class ${c} has only ${byClass.get(c)!.length} examples in the pool`);
    }
  }
  const orders = classes.map((c) => rng.fork(`class:${c}`).shuffle(byClass.get(c)!.slice()));
  return shots.map((n) => Int32Array.from(orders.flatMap((o) => o.slice(0, n))).sort());
}

/** Options of {@link lowShotCurve}. */
export interface LowShotOptions {
  /** Labels per class at each point of the curve, e.g. `[1, 2, 5, 10, 20, 50, 100, 200, 500]`. */
  shots: number[];
  /** Draws of the labelled subsets: one number for every point, or one per entry of `shots` (default 1). */
  repeats?: number | number[];
  /** Optimiser steps of each linear probe, whatever the subset's size (default 200). */
  probeSteps?: number;
  /** Linear-probe settings (`epochs` is set from `probeSteps`). */
  probe?: Omit<LinearProbeOptions, 'epochs' | 'numClasses' | 'seed'>;
  /** kNN settings (default k=200 capped at the subset's size, t=0.1). */
  knn?: Omit<KnnOptions, 'numClasses'>;
  seed?: number;
}

/** One point of a low-shot curve: accuracies (in [0, 1]) on the test set with `shots` labels per class. */
export interface LowShotPoint {
  shots: number;
  /** Which draw of the labelled subset (0-based). */
  repeat: number;
  /** Labelled examples used: shots x classes. */
  labels: number;
  linear: number;
  knn: number;
}

/** Mean and standard deviation over the draws at one point of the curve. */
export interface LowShotSummary {
  shots: number;
  labels: number;
  draws: number;
  linear: number;
  linear_std: number;
  knn: number;
  knn_std: number;
}

function repeatsOf(opts: LowShotOptions): number[] {
  const r = opts.repeats ?? 1;
  const list = typeof r === 'number' ? opts.shots.map(() => r) : r;
  if (list.length !== opts.shots.length) throw new RangeError(`lowShot: repeats has ${list.length} entries for ${opts.shots.length} shots`);
  for (const x of list) if (!(Number.isInteger(x) && x >= 1)) throw new RangeError(`lowShot: repeats must be positive integers, got ${x}`);
  return list;
}

/**
 * Low-shot evaluation of frozen features (as in Goyal et al. 2019, "Scaling and benchmarking
 * self-supervised visual representation learning", sec. 6): for each number of labels per class,
 * draw class-balanced labelled subsets of the pool ({@link nestedShotSubsets}; draw r uses the
 * stream `repeat:r` of `seed`), fit a linear probe and a kNN classifier on them alone, and measure
 * both on the whole test set. The probe standardises features with the whole pool's mean and std
 * (unlabelled statistics). Labels are mapped to 0..C-1 over the classes of the pool.
 * @param poolX `[nPool, dim]` features of the labelled pool, `poolY` `[nPool]` its labels
 * @param testX `[nTest, dim]`, `testY` `[nTest]`; every test class must occur in the pool
 * @returns one point per shots value and draw, shots-major
 */
export async function lowShotCurve(poolX: tf.Tensor2D, poolY: Int32Array, testX: tf.Tensor2D, testY: Int32Array, opts: LowShotOptions): Promise<LowShotPoint[]> {
  if (poolY.length !== poolX.shape[0]) throw new RangeError(`lowShotCurve: ${poolY.length} labels for ${poolX.shape[0]} pool rows`);
  if (testY.length !== testX.shape[0]) throw new RangeError(`lowShotCurve: ${testY.length} labels for ${testX.shape[0]} test rows`);
  const repeats = repeatsOf(opts);
  const classes = [...new Set(Array.from(poolY).filter((l) => l >= 0))].sort((a, b) => a - b);
  const map = new Map(classes.map((c, i) => [c, i]));
  const y = Int32Array.from(poolY, (l) => (l >= 0 ? map.get(l)! : -1));
  const yt = Int32Array.from(testY, (l) => {
    const m = map.get(l);
    if (m === undefined) throw new RangeError(`lowShotCurve: test label ${l} is not a class of the pool (${classes.join(', ')})`);
    return m;
  });
  const numClasses = classes.length;
  const steps = opts.probeSteps ?? 200;
  const batchSize = opts.probe?.batchSize ?? 256;
  const rng = new Rng(opts.seed ?? 0);
  const maxRepeats = Math.max(...repeats);
  // Standardise with the whole pool's statistics (its features need no labels): those of 1 to 5
  // labelled examples a class are too noisy, and would blow up dimensions that barely vary among them.
  const stats = tf.tidy(() => {
    const m = tf.moments(poolX, 0);
    return { mean: m.mean as tf.Tensor1D, std: tf.add(tf.sqrt(m.variance), 1e-6) as tf.Tensor1D };
  });
  const points: LowShotPoint[] = [];
  try {
    for (let r = 0; r < maxRepeats; r++) {
      const active = opts.shots.filter((_, i) => repeats[i] > r);
      const subsets = nestedShotSubsets(y, active, rng.fork(`repeat:${r}`));
      for (let s = 0; s < active.length; s++) {
        const idx = subsets[s];
        const labels = Int32Array.from(idx, (i) => y[i]);
        const x = tf.tidy(() => tf.gather(poolX, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
        try {
          const perEpoch = Math.ceil(idx.length / Math.min(batchSize, idx.length));
          const probe = await linearProbe(x, labels, testX, yt, { ...opts.probe, numClasses, stats, seed: (opts.seed ?? 0) + r, epochs: Math.max(1, Math.ceil(steps / perEpoch)) });
          const knn = knnAccuracy(x, labels, testX, yt, { ...opts.knn, numClasses });
          points.push({ shots: active[s], repeat: r, labels: idx.length, linear: probe.accuracy, knn });
        } finally {
          x.dispose();
        }
      }
    }
  } finally {
    tf.dispose([stats.mean, stats.std]);
  }
  return points.sort((a, b) => a.shots - b.shots || a.repeat - b.repeat);
}

/** Mean and (population) standard deviation of each curve point over its draws, by ascending shots. */
export function summarizeLowShot(points: readonly LowShotPoint[]): LowShotSummary[] {
  const byShots = new Map<number, LowShotPoint[]>();
  for (const p of points) (byShots.get(p.shots) ?? byShots.set(p.shots, []).get(p.shots)!).push(p);
  const stats = (xs: number[]) => {
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    return [m, Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length)];
  };
  return [...byShots.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([shots, ps]) => {
      const [linear, linearStd] = stats(ps.map((p) => p.linear));
      const [knn, knnStd] = stats(ps.map((p) => p.knn));
      return { shots, labels: ps[0].labels, draws: ps.length, linear, linear_std: linearStd, knn, knn_std: knnStd };
    });
}

/**
 * Low-shot curves of several frozen backbones, each embedding the pool and the test set once
 * (final features, or a block with `layer`), then {@link lowShotCurve} with the same subsets for
 * every encoder. Returns the points and summaries tagged by encoder, and the results-contract
 * metrics: `<encoder>.linear.shots<n>` and `<encoder>.knn.shots<n>` (means over draws), and
 * `<encoder>.linear` / `<encoder>.knn` at the largest number of shots.
 */
export async function lowShotEncoders(
  encoders: Record<string, Backbone>,
  pool: ImageSet,
  test: ImageSet,
  opts: LowShotOptions & { layer?: 'final' | number },
): Promise<{ points: (LowShotPoint & { encoder: string })[]; summary: (LowShotSummary & { encoder: string })[]; metrics: Record<string, number> }> {
  const points: (LowShotPoint & { encoder: string })[] = [];
  const summary: (LowShotSummary & { encoder: string })[] = [];
  const metrics: Record<string, number> = {};
  for (const [encoder, backbone] of Object.entries(encoders)) {
    const px = embed(backbone, pool, { layer: opts.layer });
    const tx = embed(backbone, test, { layer: opts.layer });
    try {
      const ps = await lowShotCurve(px, pool.labels, tx, test.labels, opts);
      const sum = summarizeLowShot(ps);
      points.push(...ps.map((p) => ({ encoder, ...p })));
      summary.push(...sum.map((s) => ({ encoder, ...s })));
      for (const s of sum) {
        metrics[`${encoder}.linear.shots${s.shots}`] = s.linear;
        metrics[`${encoder}.knn.shots${s.shots}`] = s.knn;
      }
      const last = sum[sum.length - 1];
      metrics[`${encoder}.linear`] = last.linear;
      metrics[`${encoder}.knn`] = last.knn;
    } finally {
      px.dispose();
      tx.dispose();
    }
  }
  return { points, summary, metrics };
}

/** Configuration of {@link scratchCurve}. */
export interface ScratchConfig {
  /** Labels per class at each point. */
  shots: number[];
  widths: number[];
  /** Optimiser steps of each training run, whatever the subset's size. */
  steps: number;
  /** Batch size (capped at the subset's size). */
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  progress?: ProgressSink;
}

/**
 * The no-pre-training baseline of a low-shot curve: for each number of labels per class, a fresh
 * convnet trained end to end (supervised, crop+flip augmentation) on that labelled subset alone
 * (the first draw of {@link nestedShotSubsets} with `seed`'s stream `repeat:0`, the subsets
 * {@link lowShotEncoders} uses first), then its own classifier's accuracy on `test`, its answer
 * restricted to the classes the pool holds.
 * @returns `{shots, labels, accuracy}` per point
 */
export async function scratchCurve(pool: ImageSet, test: ImageSet, cfg: ScratchConfig): Promise<{ shots: number; labels: number; accuracy: number }[]> {
  const subsets = nestedShotSubsets(pool.labels, cfg.shots, new Rng(cfg.seed).fork('repeat:0'));
  const present = [...new Set(Array.from(pool.labels).filter((l) => l >= 0))].sort((a, b) => a - b);
  const nOut = pool.classNames.length;
  const out: { shots: number; labels: number; accuracy: number }[] = [];
  for (let s = 0; s < cfg.shots.length; s++) {
    const set = subset(pool, subsets[s], `${pool.name}[${cfg.shots[s]} per class]`);
    const rng = new Rng(cfg.seed);
    const backbone = convNet({ inputChannels: set.channels, widths: cfg.widths }, rng);
    const { task, head } = supervisedTask(backbone, set, rng.fork('scratch'));
    try {
      const batchSize = Math.min(cfg.batchSize, set.n);
      await train(task, {
        epochs: Math.max(1, Math.ceil(cfg.steps / Math.floor(set.n / batchSize))),
        batchSize,
        optimizer: cfg.optimizer,
        seed: cfg.seed,
        progress: cfg.progress ?? silentProgressSink(),
      });
      const f = embed(backbone, test);
      const logits = tf.tidy(() => head.apply(f));
      f.dispose();
      const z = logits.dataSync();
      logits.dispose();
      // the head has a logit per class name; only the pool's classes can be the answer
      const pred = Int32Array.from(test.labels, (_, i) => present.reduce((best, c) => (z[i * nOut + c] > z[i * nOut + best] ? c : best), present[0]));
      out.push({ shots: cfg.shots[s], labels: set.n, accuracy: accuracy(pred, test.labels) });
    } finally {
      backbone.params.dispose();
      head.params.dispose();
    }
  }
  return out;
}
