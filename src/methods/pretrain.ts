import { ImageSet } from '../data/image-set';
import { imageSetDigest } from '../data/cache';
import { Rng } from '../data/rng';
import { Backbone, convNet } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';
import { rotationTask } from './rotation';
import { supervisedTask } from './supervised';
import { relativePositionTask } from './relative-position';
import { jigsawTask } from './jigsaw';

/** A method: builds the training task for a backbone on a dataset. */
export type MethodFactory = (backbone: Backbone, set: ImageSet, rng: Rng, opts: { augment?: boolean; head?: 'linear' | 'mlp' }) => { task: TrainTask; head: Head };

/** The methods `pretrain` and the CLI know, by the names results use. */
export const METHODS = {
  rotation: rotationTask,
  supervised: supervisedTask,
  relative_position: relativePositionTask,
  jigsaw: jigsawTask,
} satisfies Record<string, MethodFactory>;

export type MethodName = keyof typeof METHODS;

/** Configuration of {@link pretrain}. */
export interface PretrainConfig {
  method: MethodName;
  /** Conv block widths of the backbone (default [32, 64, 128]). */
  widths?: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Crop+flip augmentation (default true). */
  augment?: boolean;
  /** The pretext head: `linear` (default) or a 2-layer `mlp`. */
  head?: 'linear' | 'mlp';
  /** Method-specific knobs passed to the method's factory (e.g. `{ permutations: 100 }` for jigsaw); part of the checkpoint's identity. */
  options?: Record<string, unknown>;
  /** Checkpoint folder: resume from it, and skip training when it already holds the finished run. */
  checkpointDir?: string;
  /** Per-epoch monitor (e.g. kNN accuracy), merged into the history. */
  onEpochEnd?: (epoch: number, backbone: Backbone) => Promise<Record<string, number> | void> | Record<string, number> | void;
  progress?: ProgressSink;
}

/** What {@link pretrain} returns: the trained backbone and head (the caller disposes their params) and the run. */
export interface Pretrained extends TrainResult {
  method: MethodName;
  backbone: Backbone;
  head: Head;
}

/** Check a method name; throws an Error listing the known ones. */
export function checkMethod(name: string): MethodName {
  if (!(name in METHODS)) throw new RangeError(`unknown method "${name}"; known methods: ${Object.keys(METHODS).join(', ')}`);
  return name as MethodName;
}

/**
 * Build a fresh backbone, train it with `cfg.method` on `set` through the one training loop,
 * and return it. The backbone's initial weights depend only on `cfg.seed`, so the random-init
 * baseline built with the same seed starts where this one started.
 */
export async function pretrain(set: ImageSet, cfg: PretrainConfig): Promise<Pretrained> {
  const method = checkMethod(cfg.method);
  const rng = new Rng(cfg.seed);
  const backbone = convNet({ inputChannels: set.channels, widths: cfg.widths }, rng);
  const { task, head } = METHODS[method](backbone, set, rng.fork(method), { ...cfg.options, augment: cfg.augment, head: cfg.head });
  const result = await train(task, {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    optimizer: cfg.optimizer,
    seed: cfg.seed,
    checkpointDir: cfg.checkpointDir,
    config: { data: set.name, n: set.n, content: imageSetDigest(set), widths: backbone.config.widths, augment: cfg.augment ?? true, head: cfg.head ?? 'linear', ...(cfg.options ? { options: cfg.options } : {}) },
    onEpochEnd: cfg.onEpochEnd ? (e) => cfg.onEpochEnd!(e, backbone) : undefined,
    progress: cfg.progress,
  });
  return { ...result, method, backbone, head };
}
