import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';
import type { BaseExperimentPreset } from './presets';
import type { MaskKind } from '../pretext/inpainting';

/** The knobs shared by the generative pretext experiments (03-colourisation, 04-fill-in-the-blanks). */
export interface GenerativePreset extends BaseExperimentPreset {
  /** Images in the example grids. */
  shown: number;
}

/** 03-colourisation: the generative preset plus the colour-quantisation knobs. */
export interface ColourisationPreset extends GenerativePreset {
  /** Side of the predicted ab map (8 = a quarter of CIFAR's 32, as in Zhang et al.). */
  outSize: number;
  /** ab bin side (the paper: 10, giving a few hundred in-gamut bins). */
  gridSize: number;
  /** Class-rebalancing mix λ (the paper: 0.5). */
  lambda: number;
  /** Annealed-mean temperature (the paper: 0.38). */
  temperature: number;
}

/** 04-fill-in-the-blanks: the generative preset plus the mask knobs. */
export interface InpaintingPreset extends GenerativePreset {
  /** Mask kinds trained, each its own encoder; the first is the one reported as `inpainting.*`. */
  masks: MaskKind[];
  /** Side of the predicted image (32: full resolution). */
  outSize: number;
  /** Side of the centre hole (16: a quarter of the area, as in Pathak et al.). */
  hole: number;
  /** Side of each random block. */
  blockSize: number;
  /** Fraction of the image the random blocks cover (0.25: as the centre hole). */
  coverage: number;
}

const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };

function base(budget: Budget, quickEpochs: number, fullEpochs: number): GenerativePreset {
  switch (budget) {
    case 'smoke':
      return { seed: 1, trainSize: 512, testSize: 256, widths: [16, 32, 64], epochs: 1, supervisedEpochs: 1, batchSize: 64, optimizer, probeEpochs: 5, monitorSize: 0, shown: 6 };
    case 'quick':
      return { seed: 1, trainSize: 5000, testSize: 2000, widths: [16, 32, 64], epochs: quickEpochs, supervisedEpochs: quickEpochs, batchSize: 128, optimizer, probeEpochs: 30, monitorSize: 1000, shown: 8 };
    case 'full':
      return { seed: 1, trainSize: 50000, testSize: 10000, widths: [16, 32, 64], epochs: fullEpochs, supervisedEpochs: fullEpochs, batchSize: 128, optimizer, probeEpochs: 40, monitorSize: 2000, shown: 10 };
  }
}

/**
 * Budget presets of the colourisation experiment on CIFAR-10 (wasm backend, 2 CPU cores, conv
 * 16-32-64 at about 170 images/s for classification, 250 for regression, 500 for supervised on one
 * channel): three trainings (classification, regression, supervised on L), each `epochs` over
 * `trainSize`. Smoke under a minute; quick (5 epochs of 5,000 images: the colouriser's kNN is still
 * at random-init level after 3) about 3 minutes with the native kernels, 6 without; full (4 epochs
 * of all 50,000 images) measured 22 min 54 s with the native kernels on shared cores.
 */
export function colourisationPreset(budget: Budget): ColourisationPreset {
  return { ...base(budget, 5, 4), outSize: 8, gridSize: 10, lambda: 0.5, temperature: 0.38 };
}

/**
 * Budget presets of the inpainting experiment on CIFAR-10 (wasm backend, 2 CPU cores, conv
 * 16-32-64 at about 190 images/s for a context encoder, 370 supervised): three trainings
 * (random-blocks and centre context encoders, supervised), each `epochs` over `trainSize`. Smoke
 * under a minute; quick about 2.5 minutes with the native kernels, 5 without; full (3 epochs of all
 * 50,000 images) measured 17 min 2 s with the native kernels on shared cores.
 */
export function inpaintingPreset(budget: Budget): InpaintingPreset {
  return { ...base(budget, 3, 3), masks: ['random-blocks', 'centre'], outSize: 32, hole: 16, blockSize: 8, coverage: 0.25 };
}
