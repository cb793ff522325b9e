import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/** The knobs every pretext-then-evaluate experiment has (02-rotation, 01, 03, 04, 08, the CLI). */
export interface BaseExperimentPreset {
  seed: number;
  /** Training images drawn from the train split (class-balanced); also the kNN bank and linear-probe training set. */
  trainSize: number;
  /** Test images (class-balanced) the accuracies are measured on. */
  testSize: number;
  /** Conv block widths of the backbone. */
  widths: number[];
  /** Epochs of the pretext (rotation) training over `trainSize` images, each shown in 4 rotations. */
  epochs: number;
  /** Epochs of the supervised baseline; 4x `epochs` gives it the same number of images through the network. */
  supervisedEpochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Epochs of the linear probe on frozen features. */
  probeEpochs: number;
  /** Size of the bank and test subsets of the per-epoch kNN monitor (0 disables it). */
  monitorSize: number;
}

/** The knobs of a pretrain-then-evaluate experiment (02-rotation, the CLI). */
export interface ExperimentPreset extends BaseExperimentPreset {
  /** The pretext head: a 2-layer `mlp` keeps the backbone's features less rotation-specific than a `linear` one. */
  head: 'linear' | 'mlp';
}

/**
 * Budget presets of the rotation experiment on CIFAR-10, sized for 2 CPU cores on the wasm
 * backend with the native kernels (measured for widths 32-64-128: rotation about 1,100-1,300
 * training images/s, supervised about 1,600; plain wasm about 200): smoke under a minute; quick
 * under 4 minutes (narrow backbone, 5,000 images); full (the benchmark CNN, all 50,000 training
 * images, 5 rotation epochs = 1,000,000 rotated images) about 32 minutes (measured 32 min 14 s).
 */
export function rotationPreset(budget: Budget): ExperimentPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  switch (budget) {
    case 'smoke':
      return { seed: 1, trainSize: 512, testSize: 256, widths: [16, 32, 64], epochs: 1, supervisedEpochs: 1, batchSize: 64, optimizer, probeEpochs: 5, monitorSize: 0, head: 'mlp' };
    case 'quick':
      return { seed: 1, trainSize: 5000, testSize: 2000, widths: [16, 32, 64], epochs: 2, supervisedEpochs: 8, batchSize: 128, optimizer, probeEpochs: 30, monitorSize: 1000, head: 'mlp' };
    case 'full':
      return { seed: 1, trainSize: 50000, testSize: 10000, widths: [32, 64, 128], epochs: 5, supervisedEpochs: 20, batchSize: 128, optimizer, probeEpochs: 40, monitorSize: 2000, head: 'mlp' };
  }
}
