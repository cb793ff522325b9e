import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';
import type { PatchColourMode } from '../pretext/patch-colour';
import type { MethodName } from './pretrain';

/** The knobs of 07-what-pretext-learns. */
export interface LayersPreset {
  seed: number;
  /** Class-balanced CIFAR-10 training images: pretext data, kNN bank and linear-probe training set. */
  trainSize: number;
  /** Class-balanced test images the accuracies are measured on. */
  testSize: number;
  /** Conv block widths: one probe per block, so more blocks give a longer per-layer curve. */
  widths: number[];
  /** Epochs of rotation, jigsaw and the multi-task run (the same image budget each: see `multiMethods`). */
  epochs: number;
  /** Epochs of relative position (two small patches per image: cheap, and slow to learn). */
  relativePositionEpochs: number;
  /** Epochs of the supervised reference. */
  supervisedEpochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Epochs of every linear probe (one per block per encoder). */
  probeEpochs: number;
  /** Images in the per-epoch kNN monitor of the pretext runs (bank and test each; 0: off). */
  monitorSize: number;
  /** Each block's output is average-pooled to `pool x pool` cells before probing. */
  pool: number;
  /** Rotation's 4-way head: `linear` leaves the rotation-specific work to the backbone's last block. */
  rotationHead: 'linear' | 'mlp';
  /** Jigsaw permutation-set size and tile side (a 30x30 crop in 10x10 cells: 9 leaves 1 pixel of jitter). */
  permutations: number;
  tileSize: number;
  /**
   * Relative-position patch side, gap and jitter, in pixels. Larger patches and a smaller gap than
   * 01-relative-position's 8/3: closer to the whole-image scale the probes see (measured, 3,000
   * images, 30 epochs: kNN 31.1% vs random init's 27.3%); the gap and jitter still break edges.
   */
  patch: number;
  gap: number;
  jitter: number;
  /** Per-patch / per-tile colour treatment of relative position and jigsaw. */
  colour: PatchColourMode;
  /** The pretext methods trained together on one backbone, each batch split evenly among them. */
  multiMethods: MethodName[];
}

/**
 * Budget presets of 07-what-pretext-learns on CIFAR-10, 2 CPU cores, wasm backend: five encoders
 * (random, rotation, relative position, jigsaw, supervised) probed at every block, plus one
 * multi-task encoder (rotation + jigsaw). Rotation dominates the training time (4 whole images
 * per example, 1,150-1,750 images/s with the native kernels), then jigsaw (9 tiles, about 7,000
 * tiles/s); the 20 per-block linear probes dominate the evaluation. Measured: smoke 12 s, quick about
 * 5 min (notebook time, kernel start excluded); full 13 min 11 s with the native kernels on shared cores.
 */
export function layersPreset(budget: Budget): LayersPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const pretext = { rotationHead: 'linear' as const, permutations: 100, tileSize: 9, patch: 9, gap: 1, jitter: 1, colour: 'jitter' as PatchColourMode, multiMethods: ['rotation', 'jigsaw'] as MethodName[] };
  switch (budget) {
    case 'smoke':
      return { seed: 1, trainSize: 384, testSize: 200, widths: [8, 16, 32, 32], epochs: 1, relativePositionEpochs: 1, supervisedEpochs: 1, batchSize: 64, optimizer, probeEpochs: 3, monitorSize: 0, pool: 2, ...pretext };
    case 'quick':
      return { seed: 1, trainSize: 3000, testSize: 1000, widths: [16, 32, 64, 64], epochs: 2, relativePositionEpochs: 10, supervisedEpochs: 4, batchSize: 128, optimizer, probeEpochs: 10, monitorSize: 500, pool: 2, ...pretext };
    case 'full':
      return { seed: 1, trainSize: 15000, testSize: 5000, widths: [16, 32, 64, 64], epochs: 4, relativePositionEpochs: 30, supervisedEpochs: 8, batchSize: 128, optimizer, probeEpochs: 15, monitorSize: 2000, pool: 2, ...pretext };
  }
}
