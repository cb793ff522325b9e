import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/**
 * How an encoder is trained when its own notebook's checkpoint is missing (13 run alone): the
 * same recipe as that notebook, with these values in place of its preset's.
 */
export interface EncoderOverride {
  /** Class-balanced CIFAR-10 training images. */
  trainSize?: number;
  widths?: number[];
  /** Epochs of the encoder's training (ClusterFit: of its rotation step; the ClusterFit network gets twice as many). */
  epochs?: number;
  batchSize?: number;
}

/** The knobs of 13-invariance-vs-performance. */
export interface InvariancePreset {
  seed: number;
  /** Class-balanced training images: the kNN bank and the linear probe's training set, the same for every encoder. */
  bankSize: number;
  /** Class-balanced test images the accuracies are measured on. */
  testSize: number;
  /** Test images the invariance scores are measured on. */
  invarianceSize: number;
  probeEpochs: number;
  /** Encoders of the study, by results name (see `STUDY_ENCODERS`). */
  encoders: string[];
  /** Training of an encoder whose notebook has not left a finished checkpoint at this budget. */
  fallback: EncoderOverride;
}

/**
 * Budget presets of 13-invariance-vs-performance. Each encoder is restored from the checkpoint
 * its own notebook (01-12) leaves at the same budget; only a missing one is trained here, small
 * (`fallback`). smoke: 4 encoders, tiny sets; quick: all 12 (restoring: about 2 minutes of
 * evaluation; trained here from nothing: a few minutes more); full: all 12 on the full runs.
 */
export function invariancePreset(budget: Budget): InvariancePreset {
  const all = ['random', 'rotation', 'relative_position', 'jigsaw', 'colourisation', 'inpainting', 'clusterfit', 'npid', 'pirl', 'moco', 'simclr', 'supervised'];
  switch (budget) {
    case 'smoke':
      return { seed: 1, bankSize: 256, testSize: 200, invarianceSize: 64, probeEpochs: 3, encoders: ['random', 'rotation', 'pirl', 'supervised'], fallback: { trainSize: 256, widths: [8, 16, 32], epochs: 1, batchSize: 64 } };
    case 'quick':
      return { seed: 1, bankSize: 2000, testSize: 1000, invarianceSize: 300, probeEpochs: 30, encoders: all, fallback: { trainSize: 1000, widths: [16, 32, 64], epochs: 2, batchSize: 128 } };
    case 'full':
      return { seed: 1, bankSize: 10000, testSize: 5000, invarianceSize: 1000, probeEpochs: 40, encoders: all, fallback: { trainSize: 10000, widths: [32, 64, 128], epochs: 3, batchSize: 128 } };
  }
}

/** The knobs of 14-which-invariances-matter (SimCLR: augmentation ablation and saturation). */
export interface WhichInvariancesPreset {
  seed: number;
  /** SimCLR training images of the ablation (and the middle point of the dataset-size curve). */
  trainSize: number;
  /** The fixed kNN bank / linear-probe training set and the test set, the same for every run. */
  bankSize: number;
  testSize: number;
  /** Widths of the ablation's backbone (and the middle point of the width curve). */
  widths: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** NT-Xent temperature. */
  temperature: number;
  probeEpochs: number;
  /** Augmentations dropped one at a time (see `AUGMENTATIONS`). */
  drops: string[];
  /** Backbone widths of the width curve (same images and epochs). */
  widthSweep: number[][];
  /** Training-set sizes of the data curve (same widths and epochs, so bigger sets train longer). */
  sizeSweep: number[];
}

/**
 * Budget presets of 14-which-invariances-matter. Measured on 2 CPU cores, wasm with the native
 * kernels: about 1,100 training images/s; smoke 12 s, quick 51 s (9 SimCLR runs); full not yet run
 * (estimated well under an hour).
 */
export function whichInvariancesPreset(budget: Budget): WhichInvariancesPreset {
  const common = { seed: 1, optimizer: { name: 'adam', lr: 2e-3, schedule: 'cosine' } as OptimizerConfig, temperature: 0.2, drops: ['crop', 'flip', 'colour_jitter', 'greyscale'] };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSize: 256, bankSize: 256, testSize: 200, widths: [8, 16, 32], epochs: 1, batchSize: 64, probeEpochs: 3, widthSweep: [[4, 8, 16], [8, 16, 32]], sizeSweep: [128, 256] };
    case 'quick':
      return { ...common, trainSize: 1024, bankSize: 2000, testSize: 1000, widths: [16, 32, 64], epochs: 2, batchSize: 128, probeEpochs: 30, widthSweep: [[8, 16, 32], [16, 32, 64], [32, 64, 128]], sizeSweep: [256, 1024, 2048] };
    case 'full':
      return { ...common, trainSize: 5000, bankSize: 10000, testSize: 5000, widths: [16, 32, 64], epochs: 3, batchSize: 256, probeEpochs: 40, widthSweep: [[8, 16, 32], [16, 32, 64], [32, 64, 128]], sizeSweep: [1250, 5000, 20000] };
  }
}
