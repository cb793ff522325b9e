import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/** The knobs shared by the contrastive notebooks (10, 11, 12). */
export interface ContrastiveBase {
  seed: number;
  /** Class-balanced training images (also the kNN bank and linear-probe training set). */
  trainSize: number;
  /** Class-balanced test images the accuracies are measured on. */
  testSize: number;
  /** Conv block widths of the backbone. */
  widths: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Bank and test images of the per-epoch kNN monitor (cosine, k=200, t=0.1); 0 disables it. */
  monitorSize: number;
  /** Epochs of the linear probe on frozen features. */
  probeEpochs: number;
}

const adam: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };

/**
 * 12-moco-simclr. Measured on 2 shared CPU cores, wasm, widths 16-32-64: about 120 examples/s
 * (two views each) for SimCLR and MoCo alike. quick: two runs of 3 epochs on 2,560 images plus
 * a batch-size sweep at a fixed budget of 2,048 examples per run, about 5 minutes. full: 6 epochs
 * of all 50,000 images each (with the native kernels SimCLR trains at 300-650 images/s on a shared
 * machine; measured: after 5 of 15 epochs SimCLR's kNN on all 10,000 test images against all
 * 50,000 training images was already 52.4%, while the monitor's 2,000-image bank read 40.6%).
 */
export interface MocoSimclrPreset extends ContrastiveBase {
  simclrTemperature: number;
  mocoTemperature: number;
  queueSize: number;
  mocoMomentum: number;
  /** Batch sizes of the sweep (same images seen at every size). */
  sweepBatchSizes: number[];
  /** Training images and epochs of each sweep run. */
  sweepTrainSize: number;
  sweepEpochs: number;
}

export function mocoSimclrPreset(budget: Budget): MocoSimclrPreset {
  const common = { seed: 1, optimizer: adam, simclrTemperature: 0.2, mocoTemperature: 0.1, mocoMomentum: 0.99 };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSize: 256, testSize: 200, widths: [8, 16, 32], epochs: 1, batchSize: 64, monitorSize: 0, probeEpochs: 3, queueSize: 128, sweepBatchSizes: [32, 64], sweepTrainSize: 128, sweepEpochs: 1 };
    case 'quick':
      return { ...common, trainSize: 2560, testSize: 1000, widths: [16, 32, 64], epochs: 3, batchSize: 128, monitorSize: 1000, probeEpochs: 30, queueSize: 2048, sweepBatchSizes: [32, 64, 128, 256], sweepTrainSize: 1024, sweepEpochs: 2 };
    case 'full':
      return { ...common, trainSize: 50000, testSize: 10000, widths: [32, 64, 128], epochs: 6, batchSize: 256, monitorSize: 2000, probeEpochs: 40, queueSize: 4096, sweepBatchSizes: [32, 64, 128, 256, 512], sweepTrainSize: 10000, sweepEpochs: 1 };
  }
}

/** 10-contrastive: the patch Siamese network (part a) and NPID (part b). */
export interface ContrastivePreset extends ContrastiveBase {
  /** NPID: negatives per step, temperature, bank momentum (Wu et al. 2018: 4096, 0.07, 0.5). */
  negatives: number;
  temperature: number;
  bankMomentum: number;
  /** Patch experiment: patch side, margin of the contrastive loss, epochs. */
  patchSize: number;
  margin: number;
  patchEpochs: number;
}

export function contrastivePreset(budget: Budget): ContrastivePreset {
  const common = { seed: 1, optimizer: adam, temperature: 0.07, bankMomentum: 0.5, patchSize: 16, margin: 1 };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSize: 256, testSize: 200, widths: [8, 16, 32], epochs: 1, batchSize: 64, monitorSize: 0, probeEpochs: 3, negatives: 128, patchEpochs: 1 };
    case 'quick':
      return { ...common, trainSize: 4000, testSize: 1000, widths: [16, 32, 64], epochs: 6, batchSize: 128, monitorSize: 1000, probeEpochs: 30, negatives: 2048, patchEpochs: 2 };
    case 'full':
      return { ...common, trainSize: 50000, testSize: 10000, widths: [32, 64, 128], epochs: 8, batchSize: 128, monitorSize: 2000, probeEpochs: 40, negatives: 4096, patchEpochs: 2 };
  }
}

/** 11-pirl: PIRL against the jigsaw pretext encoder, and the number of negatives. */
export interface PirlPreset extends ContrastiveBase {
  /** The paper's defaults (Misra & van der Maaten 2020): λ = 0.5, bank momentum 0.5, t = 0.07. */
  lambda: number;
  bankMomentum: number;
  temperature: number;
  negatives: number;
  /** Epochs of the jigsaw pretext baseline. */
  jigsawEpochs: number;
  /** Number-of-negatives sweep: sizes (the last may be the training-set size), training images and epochs per run. */
  negativeSizes: number[];
  sweepTrainSize: number;
  sweepEpochs: number;
  /** Images of the invariance histogram. */
  invarianceSize: number;
}

export function pirlPreset(budget: Budget): PirlPreset {
  const common = { seed: 1, optimizer: adam, lambda: 0.5, bankMomentum: 0.5, temperature: 0.07 };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSize: 256, testSize: 200, widths: [8, 16, 32], epochs: 1, batchSize: 64, monitorSize: 0, probeEpochs: 3, negatives: 128, jigsawEpochs: 1, negativeSizes: [16, 32, 64, 128, 192], sweepTrainSize: 256, sweepEpochs: 1, invarianceSize: 100 };
    case 'quick':
      return { ...common, trainSize: 3000, testSize: 1000, widths: [16, 32, 64], epochs: 4, batchSize: 128, monitorSize: 1000, probeEpochs: 30, negatives: 2048, jigsawEpochs: 4, negativeSizes: [64, 128, 256, 512, 896], sweepTrainSize: 1024, sweepEpochs: 2, invarianceSize: 500 };
    case 'full':
      return { ...common, trainSize: 50000, testSize: 10000, widths: [32, 64, 128], epochs: 4, batchSize: 128, monitorSize: 2000, probeEpochs: 40, negatives: 4096, jigsawEpochs: 4, negativeSizes: [64, 256, 1024, 4096, 9872], sweepTrainSize: 10000, sweepEpochs: 1, invarianceSize: 2000 };
  }
}
