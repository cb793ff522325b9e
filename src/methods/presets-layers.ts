import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';
import type { MethodName } from './pretrain';
import type { MultiTaskMethod } from './multi-task';
import { rotationPreset, type ExperimentPreset } from './presets';
import { jigsawPermutationSet, jigsawPreset, relativePositionPreset, type JigsawPreset, type RelativePositionPreset } from './presets-pretext';

/**
 * The knobs of 07-what-pretext-learns. The probed encoders are not trained by new recipes: they
 * are the lab's own (01's relative position, 02's rotation and supervised, 08's reported jigsaw),
 * restored from their notebooks' checkpoints at the same budget; so widths, data and epochs come
 * from those notebooks' presets. Only the multi-task encoder is trained here.
 */
export interface LayersPreset {
  seed: number;
  /**
   * Class-balanced CIFAR-10 training images: the kNN bank and every linear probe's training set.
   * 08-jigsaw's training images (20,000 at full): the smallest set any probed encoder learned
   * from, and the protocol of 08's reported numbers.
   */
  bankSize: number;
  /** A second kNN bank for the global-pooled features: rotation's and relative position's training images (all 50,000 at full). */
  largeBankSize: number;
  /** Class-balanced test images every accuracy is measured on. */
  testSize: number;
  /** Epochs of every linear probe (one per block per encoder, and the global-pooled ones). */
  probeEpochs: number;
  /** Each block's output is average-pooled to `pool x pool` cells before probing. */
  pool: number;
  /** The pretext methods trained together on one backbone (see {@link layersMultiTask}). */
  multiMethods: MethodName[];
}

/**
 * Budget presets of 07-what-pretext-learns on CIFAR-10, 2 CPU cores, wasm backend. Restoring the
 * four encoders takes seconds; the multi-task run (rotation's images and epochs, each batch split
 * between rotation and jigsaw) and the 15 per-block probes are the work. Full, measured with
 * 01, 02 and 08 run in full before: 18 min 26 s (per-block probes 5.5 min, global-pooled
 * evaluation with both banks 3.2 min, multi-task training at about 3,100 images/s and its
 * evaluation 9.6 min). kNN gains over random init with the 20,000-image bank: relative position
 * +6.2, rotation +13.6, jigsaw +5.3, multi-task +10.5; with all 50,000: +5.4 / +13.3 / +4.5 / +10.1.
 */
export function layersPreset(budget: Budget): LayersPreset {
  const j = jigsawPreset(budget);
  const r = rotationPreset(budget);
  const base = { seed: r.seed, bankSize: j.trainSize, largeBankSize: r.trainSize, pool: 2, multiMethods: ['rotation', 'jigsaw'] as MethodName[] };
  switch (budget) {
    case 'smoke':
      return { ...base, testSize: 256, probeEpochs: 3 };
    case 'quick':
      return { ...base, testSize: 2000, probeEpochs: 20 };
    case 'full':
      return { ...base, testSize: 10000, probeEpochs: 40 };
  }
}

/** What {@link layersMultiTask} returns: everything of `pretrainMultiTask`'s config but the checkpoint folder and hooks. */
export interface LayersMultiTask {
  /** Class-balanced CIFAR-10 training images (rotation's). */
  trainSize: number;
  seed: number;
  widths: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  head: 'linear' | 'mlp';
  batch: 'split';
  methods: MultiTaskMethod[];
}

/**
 * The multi-task run of 07 at `budget`: rotation and jigsaw on one backbone, with 02-rotation's
 * images, widths, epochs, batch size, optimiser and head, and 08-jigsaw's task (its reported
 * permutation set, tiles, colour treatment and curriculum). Each batch is split between the two,
 * so the run draws as many images as rotation alone, and jigsaw's half about as many puzzles as
 * 08's run (full: 125,000 vs 120,000). Other methods in `multiMethods` get their defaults.
 */
export function layersMultiTask(budget: Budget, multiMethods: MethodName[] = layersPreset(budget).multiMethods): LayersMultiTask {
  const r = rotationPreset(budget);
  const j = jigsawPreset(budget);
  const options: Record<string, Record<string, unknown>> = {
    rotation: {},
    jigsaw: { permutations: jigsawPermutationSet(j), tileSize: j.tileSize, colour: j.colour, curriculum: j.curriculum },
  };
  return {
    trainSize: r.trainSize, seed: r.seed, widths: r.widths, epochs: r.epochs, batchSize: r.batchSize, optimizer: r.optimizer, head: r.head, batch: 'split',
    methods: multiMethods.map((m) => ({ method: m, options: options[m] ?? {} })),
  };
}

/**
 * Check that the encoders 07 probes share what a per-layer comparison needs: one shape and one
 * initial seed (so random init is where each started), and, for 01 and 02, the same images and
 * kNN monitor (so their monitor curves and random init's can be drawn on one axis). Throws a
 * RangeError naming the preset and field that differ. `presets` replaces the budget's (for tests).
 */
export function checkLayersEncoders(
  budget: Budget,
  presets: { rotation?: ExperimentPreset; relativePosition?: RelativePositionPreset; jigsaw?: JigsawPreset } = {},
): void {
  const r = presets.rotation ?? rotationPreset(budget);
  const rp = presets.relativePosition ?? relativePositionPreset(budget);
  const others = { relativePositionPreset: rp, jigsawPreset: presets.jigsaw ?? jigsawPreset(budget) };
  for (const [name, p] of Object.entries(others)) {
    if (p.widths.join() !== r.widths.join()) throw new RangeError(`07 at ${budget}: ${name}.widths ${p.widths.join('-')} differ from rotationPreset.widths ${r.widths.join('-')}`);
    if (p.seed !== r.seed) throw new RangeError(`07 at ${budget}: ${name}.seed ${p.seed} differs from rotationPreset.seed ${r.seed}`);
  }
  for (const k of ['trainSize', 'testSize', 'monitorSize'] as const) {
    if (rp[k] !== r[k]) throw new RangeError(`07 at ${budget}: relativePositionPreset.${k} ${rp[k]} differs from rotationPreset.${k} ${r[k]}`);
  }
}
