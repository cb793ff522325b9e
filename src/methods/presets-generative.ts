import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';
import type { BaseExperimentPreset } from './presets';
import type { MaskKind } from '../pretext/inpainting';
import type { DecoderBottleneck } from '../models/decoder';

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

/** One context encoder of 04-fill-in-the-blanks: which region is hidden, and what the decoder reads. */
export interface InpaintingVariant {
  mask: MaskKind;
  bottleneck: DecoderBottleneck;
}

/** A variant's name: its checkpoint folder and its label in tables (`centre`, `centre-global`, ...). */
export function inpaintingVariantName(v: InpaintingVariant): string {
  return v.bottleneck === 'none' ? v.mask : `${v.mask}-${v.bottleneck}`;
}

/** 04-fill-in-the-blanks: the generative preset plus the mask knobs. */
export interface InpaintingPreset extends GenerativePreset {
  /**
   * Context encoders trained, each a mask kind and a decoder bottleneck (see `DecoderConfig.bottleneck`);
   * the first is the one reported as `inpainting.*`.
   */
  encoders: InpaintingVariant[];
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
 * 16-32-64 at about 620 images/s for a context encoder with the native kernels): four trainings
 * (three context encoders, supervised), each `epochs` over `trainSize`. The reported encoder is
 * the paper's preferred random-blocks mask with the `global` bottleneck. Measured (kNN gain over
 * random init): on 10,000 images, 3 epochs, 2,000 test images: centre + global +3.4 points,
 * centre + channel-wise FC +1.6, centre without bottleneck +1.0, random blocks + global +1.0;
 * full (50,000 images, all 10,000 test images, 11 min): random blocks + global +5.5, centre +
 * global +4.9, centre without bottleneck +3.6 (the run before the bottleneck: random blocks +2.6).
 */
export function inpaintingPreset(budget: Budget): InpaintingPreset {
  const encoders: InpaintingVariant[] = [
    { mask: 'random-blocks', bottleneck: 'global' },
    { mask: 'centre', bottleneck: 'global' },
    { mask: 'centre', bottleneck: 'none' },
  ];
  return { ...base(budget, 3, 3), encoders, outSize: 32, hole: 16, blockSize: 8, coverage: 0.25 };
}
