import { ImageSet, validateImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { Backbone, convNet } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';
import { supervisedTask } from './supervised';

/**
 * `set` with its labels replaced by pseudo-labels (e.g. k-means cluster ids), classes named
 * `cluster0..cluster<k-1>`; images shared, not copied. The name records `k` and a hash of the
 * assignments, so a checkpoint trained on other clusters is never restored for these.
 * @param assignments `[set.n]` ids in 0..k-1
 */
export function pseudoLabelSet(set: ImageSet, assignments: ArrayLike<number>, k: number): ImageSet {
  if (assignments.length !== set.n) throw new RangeError(`pseudoLabelSet: ${assignments.length} assignments for the ${set.n} images of "${set.name}"`);
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`pseudoLabelSet: k must be an integer >= 2, got ${k}`);
  const labels = Int32Array.from(assignments);
  let h = 2166136261;
  for (let i = 0; i < labels.length; i++) {
    if (!(labels[i] >= 0 && labels[i] < k) || labels[i] !== assignments[i]) throw new RangeError(`pseudoLabelSet: assignments[${i}] = ${assignments[i]} is outside 0..${k - 1}`);
    h = Math.imul(h ^ labels[i], 16777619);
  }
  const name = `${set.name}:clusters${k}#${(h >>> 0).toString(16).padStart(8, '0')}`;
  return validateImageSet({ ...set, name, labels, classNames: Array.from({ length: k }, (_, j) => `cluster${j}`) });
}

/**
 * The ClusterFit training task (Yan, Misra, Gupta, Ghadiyaram & Mahajan 2020, "ClusterFit:
 * improving generalization of visual representations"): a network trained from scratch with
 * cross-entropy to predict the cluster ids of `pseudo` (see {@link pseudoLabelSet}); it is the
 * supervised task (same augmentation, a linear k-way head) on pseudo-labels.
 */
export function clusterFitTask(backbone: Backbone, pseudo: ImageSet, rng: Rng, opts: { augment?: boolean } = {}): { task: TrainTask; head: Head } {
  const { task, head } = supervisedTask(backbone, pseudo, rng.fork('clusterfit'), opts);
  return { task: { ...task, name: 'clusterfit' }, head };
}

/** Configuration of {@link clusterFit}. */
export interface ClusterFitConfig {
  /** Conv block widths of the new network: the source encoder's, so the two compare like for like. */
  widths: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Crop+flip augmentation (default true). */
  augment?: boolean;
  checkpointDir?: string;
  /** Per-epoch monitor (e.g. kNN accuracy on true labels), merged into the history. */
  onEpochEnd?: (epoch: number, backbone: Backbone) => Promise<Record<string, number> | void> | Record<string, number> | void;
  progress?: ProgressSink;
}

/** What {@link clusterFit} returns: the new network and its pseudo-label head (the caller disposes their params). */
export interface ClusterFitted extends TrainResult {
  backbone: Backbone;
  head: Head;
  /** The pseudo-labelled training set the network learned from. */
  pseudo: ImageSet;
}

/**
 * ClusterFit's second step: a fresh convnet of the given widths (initialised from `cfg.seed`,
 * like every other backbone of that seed) trained through the one training loop to predict the
 * cluster ids `assignments` (`[set.n]`, 0..k-1) of `set`'s images. The first step, clustering a
 * pretrained encoder's features, is `clusterEncoder` in src/cluster.
 */
export async function clusterFit(set: ImageSet, assignments: ArrayLike<number>, k: number, cfg: ClusterFitConfig): Promise<ClusterFitted> {
  const pseudo = pseudoLabelSet(set, assignments, k);
  const rng = new Rng(cfg.seed);
  const backbone = convNet({ inputChannels: set.channels, widths: cfg.widths }, rng);
  const { task, head } = clusterFitTask(backbone, pseudo, rng, { augment: cfg.augment });
  const result = await train(task, {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    optimizer: cfg.optimizer,
    seed: cfg.seed,
    checkpointDir: cfg.checkpointDir,
    config: { data: pseudo.name, n: pseudo.n, k, widths: backbone.config.widths, augment: cfg.augment ?? true },
    onEpochEnd: cfg.onEpochEnd ? (e) => cfg.onEpochEnd!(e, backbone) : undefined,
    progress: cfg.progress,
  });
  return { ...result, backbone, head, pseudo };
}
