import { ImageSet } from '../data/image-set';
import { AugmentOptions } from '../transforms/augment';
import { pretrainContrastive } from '../methods/contrastive';
import type { OptimizerConfig } from '../train/optimizer';
import type { ProgressSink } from '../train/progress';
import { evaluateBackbone } from './evaluate';

/** SimCLR's augmentations that {@link withoutAugmentation} can drop, one at a time. */
export const AUGMENTATIONS = ['crop', 'flip', 'colour_jitter', 'greyscale'] as const;

/** An augmentation of {@link AUGMENTATIONS}. */
export type Augmentation = (typeof AUGMENTATIONS)[number];

/**
 * SimCLR's view augmentation (`augmentBatch`'s defaults, on top of `base`) with one part
 * switched off: `crop` keeps the whole image (area and aspect ratio 1; the mirror stays),
 * `flip` never mirrors, `colour_jitter` never jitters, `greyscale` never turns grey.
 * `'none'` drops nothing. All through `augmentBatch`'s own options: no new code path.
 */
export function withoutAugmentation(drop: Augmentation | 'none', base: AugmentOptions = {}): AugmentOptions {
  switch (drop) {
    case 'none':
      return { ...base };
    case 'crop':
      return { ...base, scale: [1, 1], ratio: [1, 1] };
    case 'flip':
      return { ...base, flip: 0 };
    case 'colour_jitter':
      return { ...base, jitterProb: 0 };
    case 'greyscale':
      return { ...base, greyProb: 0 };
  }
  throw new RangeError(`withoutAugmentation: unknown augmentation "${drop}"; known: none, ${AUGMENTATIONS.join(', ')}`);
}

/** One SimCLR run of {@link simclrStudy}. */
export interface SimclrStudyRun {
  /** Row label, e.g. `'all'`, `'no crop'`, `'widths 8-16-32'`. */
  label: string;
  /** The images SimCLR trains on. */
  set: ImageSet;
  widths: number[];
  /** View augmentation (default SimCLR's full recipe). */
  views?: AugmentOptions;
  /** Checkpoint folder of the run, or undefined for none. */
  checkpointDir?: string;
}

/** One row of {@link simclrStudy}: accuracies as fractions in [0, 1]. */
export type SimclrStudyRow = {
  label: string;
  trainSize: number;
  widths: string;
  knn: number;
  linear: number;
  /** Mean NT-Xent loss and pair accuracy of the last epoch. */
  loss: number;
  imagesPerSec: number;
  /** Epochs restored from the checkpoint. */
  resumedFrom: number;
  seconds: number;
};

/** What every run of {@link simclrStudy} shares. */
export interface SimclrStudyConfig {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  temperature: number;
  /** The fixed labelled bank and test set of the evaluation (kNN and linear probe). */
  bank: ImageSet;
  test: ImageSet;
  probeEpochs: number;
  progress?: ProgressSink;
}

/**
 * Train SimCLR once per run (each through `pretrainContrastive`, the one training loop, with a
 * checkpoint) and evaluate each frozen backbone the same way on the same `bank` and `test`
 * images (weighted kNN and a linear probe), freeing every network once measured. Runs differ
 * only in what their row says (augmentation, widths, training images); the seed is shared, so
 * two runs of the same shape start from the same weights.
 */
export async function simclrStudy(runs: SimclrStudyRun[], cfg: SimclrStudyConfig): Promise<SimclrStudyRow[]> {
  const rows: SimclrStudyRow[] = [];
  for (const r of runs) {
    const t0 = performance.now();
    const p = await pretrainContrastive(r.set, {
      method: 'simclr',
      widths: r.widths,
      epochs: cfg.epochs,
      batchSize: Math.min(cfg.batchSize, r.set.n),
      optimizer: cfg.optimizer,
      seed: cfg.seed,
      options: { temperature: cfg.temperature, ...(r.views ? { views: r.views } : {}) },
      checkpointDir: r.checkpointDir,
      progress: cfg.progress,
    });
    try {
      const e = await evaluateBackbone(p.backbone, cfg.bank, cfg.test, { probe: { epochs: cfg.probeEpochs, seed: cfg.seed } });
      rows.push({
        label: r.label,
        trainSize: r.set.n,
        widths: r.widths.join('-'),
        knn: e.knn,
        linear: e.linear,
        loss: p.history[p.history.length - 1].loss,
        imagesPerSec: p.imagesPerSec,
        resumedFrom: p.resumedFrom,
        seconds: (performance.now() - t0) / 1000,
      });
    } finally {
      p.dispose();
    }
  }
  return rows;
}
