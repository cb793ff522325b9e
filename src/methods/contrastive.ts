import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { Backbone, convNet } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';
import { MocoOptions, mocoTask } from './moco';
import { NpidOptions, npidTask } from './npid';
import { PirlOptions, pirlTask } from './pirl';
import { SimclrOptions, simclrTask } from './simclr';
import { PatchContrastOptions, patchContrastTask } from './patch-contrast';

/** Method options by contrastive method name. */
export interface ContrastiveOptions {
  simclr: SimclrOptions;
  moco: MocoOptions;
  npid: NpidOptions;
  pirl: PirlOptions;
  /** Near vs far patches of one image, margin loss (10-contrastive, part a). */
  patch: PatchContrastOptions;
}

/** A contrastive method, by the name results use. */
export type ContrastiveMethod = keyof ContrastiveOptions;

/** The contrastive methods with a results encoder name, in lecture order. */
export const CONTRASTIVE_METHODS: ContrastiveMethod[] = ['npid', 'pirl', 'moco', 'simclr'];

/** Configuration of {@link pretrainContrastive}. */
export interface ContrastiveConfig<M extends ContrastiveMethod> {
  method: M;
  /** Conv block widths of the backbone (default [32, 64, 128]). */
  widths?: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** The method's own knobs (temperature, queue size, negatives, ...). */
  options?: ContrastiveOptions[M];
  checkpointDir?: string;
  /** Per-epoch monitor (e.g. `knnMonitor`), merged into the history. */
  onEpochEnd?: (epoch: number, backbone: Backbone) => Promise<Record<string, number> | void> | Record<string, number> | void;
  progress?: ProgressSink;
}

/** What {@link pretrainContrastive} returns; `dispose()` frees everything it built. */
export interface ContrastivePretrained extends TrainResult {
  method: ContrastiveMethod;
  backbone: Backbone;
  /** The projection head the loss sees (PIRL: f). */
  head: Head;
  task: TrainTask;
  dispose(): void;
}

/** Build a method's task on `backbone` (no training). */
export function contrastiveTask<M extends ContrastiveMethod>(
  method: M,
  backbone: Backbone,
  set: ImageSet,
  rng: Rng,
  options: ContrastiveOptions[M] = {},
): { task: TrainTask; head: Head; dispose(): void } {
  switch (method) {
    case 'simclr': {
      const s = simclrTask(backbone, set, rng, options as SimclrOptions);
      return { ...s, dispose: () => s.head.params.dispose() };
    }
    case 'moco': {
      const m = mocoTask(backbone, set, rng, options as MocoOptions);
      return { task: m.task, head: m.head, dispose: () => (m.head.params.dispose(), m.dispose()) };
    }
    case 'npid': {
      const n = npidTask(backbone, set, rng, options as NpidOptions);
      return { task: n.task, head: n.head, dispose: () => (n.head.params.dispose(), n.dispose()) };
    }
    case 'patch': {
      const p = patchContrastTask(backbone, set, rng, options as PatchContrastOptions);
      return { ...p, dispose: () => p.head.params.dispose() };
    }
    case 'pirl': {
      const p = pirlTask(backbone, set, rng, options as PirlOptions);
      return { task: p.task, head: p.head, dispose: () => (p.head.params.dispose(), p.tileHead.params.dispose(), p.dispose()) };
    }
  }
  throw new RangeError(`contrastiveTask: unknown method "${method}" (known: ${[...CONTRASTIVE_METHODS, 'patch'].join(', ')})`);
}

/**
 * Build a fresh backbone and train it with a contrastive method through the one training loop.
 * Like `pretrain`, the backbone's initial weights depend only on `seed`, so
 * `convNet({...}, new Rng(seed))` is the matching random-init baseline. The checkpoint
 * fingerprint includes the data, widths and method options.
 */
export async function pretrainContrastive<M extends ContrastiveMethod>(set: ImageSet, cfg: ContrastiveConfig<M>): Promise<ContrastivePretrained> {
  const rng = new Rng(cfg.seed);
  const backbone = convNet({ inputChannels: set.channels, widths: cfg.widths }, rng);
  const built = contrastiveTask(cfg.method, backbone, set, rng.fork(cfg.method), cfg.options);
  try {
    const result = await train(built.task, {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      optimizer: cfg.optimizer,
      seed: cfg.seed,
      checkpointDir: cfg.checkpointDir,
      config: { data: set.name, n: set.n, widths: backbone.config.widths, options: cfg.options ?? {} },
      onEpochEnd: cfg.onEpochEnd ? (e) => cfg.onEpochEnd!(e, backbone) : undefined,
      progress: cfg.progress,
    });
    return {
      ...result,
      method: cfg.method,
      backbone,
      head: built.head,
      task: built.task,
      dispose: () => {
        built.dispose();
        backbone.params.dispose();
      },
    };
  } catch (e) {
    built.dispose();
    backbone.params.dispose();
    throw e;
  }
}

/** One run of {@link contrastiveSweep}. */
export interface SweepRun<M extends ContrastiveMethod = ContrastiveMethod> {
  method: M;
  batchSize: number;
  options?: ContrastiveOptions[M];
  /** Checkpoint sub-folder name (the run is restored when its configuration is unchanged). */
  run: string;
}

/** What {@link contrastiveSweep} returns per run. */
export interface SweepResult {
  method: ContrastiveMethod;
  batchSize: number;
  run: string;
  /** The `evaluate` callback's value (e.g. kNN accuracy). */
  value: number;
  imagesPerSec: number;
  /** Mean training loss of the last epoch. */
  loss: number;
}

/**
 * Train and evaluate a series of runs on the same images (e.g. SimCLR and MoCo at several
 * batch sizes, or PIRL with several numbers of negatives), freeing each network once
 * `evaluate` has measured it. Every run sees the same number of images (`epochs` over `set`).
 * @param checkpointRoot folder for the runs' checkpoints (`<root>/<run.run>`), or undefined
 */
export async function contrastiveSweep(
  set: ImageSet,
  base: { widths?: number[]; epochs: number; optimizer: OptimizerConfig; seed: number; progress?: ProgressSink },
  runs: SweepRun[],
  evaluate: (backbone: Backbone) => Promise<number> | number,
  checkpointRoot?: string,
): Promise<SweepResult[]> {
  const out: SweepResult[] = [];
  for (const r of runs) {
    const p = await pretrainContrastive(set, {
      ...base,
      method: r.method,
      batchSize: r.batchSize,
      options: r.options,
      checkpointDir: checkpointRoot ? `${checkpointRoot}/${r.run}` : undefined,
    });
    try {
      const value = await evaluate(p.backbone);
      out.push({ method: r.method, batchSize: r.batchSize, run: r.run, value, imagesPerSec: p.imagesPerSec, loss: p.history[p.history.length - 1].loss });
    } finally {
      p.dispose();
    }
  }
  return out;
}
