import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';
import type { BaseExperimentPreset } from './presets';
import type { PatchColourMode } from '../pretext/patch-colour';
import { hammingPermutations } from '../pretext/jigsaw';
import { Rng } from '../data/rng';

/** The knobs of 01-relative-position. */
export interface RelativePositionPreset extends BaseExperimentPreset {
  /** Patch side, gap between patches and per-patch jitter, in pixels (see `PatchGridOptions`). */
  patch: number;
  gap: number;
  jitter: number;
  /** Per-patch colour treatment against the chromatic-aberration shortcut. */
  colour: PatchColourMode;
  /** Query images of the retrieval figure (one per class, at most 10) and neighbours shown per query. */
  retrievalQueries: number;
  retrievalK: number;
}

/**
 * Budget presets of 01-relative-position on CIFAR-10, 2 CPU cores, wasm backend. Patches of 8x8
 * train at several thousand patches/s (measured ~5,000 on an idle machine for widths 16-32-64),
 * so the pretext run is cheap; the supervised baseline on whole images dominates the time.
 */
export function relativePositionPreset(budget: Budget): RelativePositionPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const geometry = { patch: 8, gap: 3, jitter: 1, colour: 'jitter' as PatchColourMode };
  switch (budget) {
    case 'smoke':
      return { seed: 1, trainSize: 512, testSize: 256, widths: [16, 32, 64], epochs: 1, supervisedEpochs: 1, batchSize: 64, optimizer, probeEpochs: 5, monitorSize: 0, ...geometry, retrievalQueries: 3, retrievalK: 5 };
    case 'quick':
      return { seed: 1, trainSize: 5000, testSize: 2000, widths: [16, 32, 64], epochs: 15, supervisedEpochs: 6, batchSize: 128, optimizer, probeEpochs: 30, monitorSize: 1000, ...geometry, retrievalQueries: 5, retrievalK: 7 };
    case 'full':
      return { seed: 1, trainSize: 50000, testSize: 10000, widths: [32, 64, 128], epochs: 20, supervisedEpochs: 4, batchSize: 128, optimizer, probeEpochs: 40, monitorSize: 2000, ...geometry, retrievalQueries: 6, retrievalK: 8 };
  }
}

/** The knobs of 08-jigsaw. */
export interface JigsawPreset {
  seed: number;
  trainSize: number;
  testSize: number;
  widths: number[];
  /** Epochs of each jigsaw training (one puzzle per image per epoch). */
  epochs: number;
  supervisedEpochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  probeEpochs: number;
  /** Tile side in pixels: a 30x30 crop in 10x10 cells, so 9 leaves 1 pixel of jitter per tile. */
  tileSize: number;
  colour: PatchColourMode;
  /** Sizes of the permutation set to sweep (at least 4, from 10 to 1,000). */
  permutationSizes: number[];
  /** The size whose encoder is reported as `jigsaw.knn` / `jigsaw.linear` (one of `permutationSizes`). */
  permutations: number;
  /** Candidates the greedy Hamming search scans (9! = 362,880 is all; fewer is faster, for smoke runs). */
  hammingCandidates: number;
  /** Permutation curriculum: the fraction of each run over which the drawn set grows from 10 to the whole set (see `activePermutations`). */
  curriculum: number;
}

/**
 * Budget presets of 08-jigsaw on CIFAR-10: one jigsaw training per permutation-set size, each
 * evaluated with kNN and a linear probe. Tiles count as images for throughput (9 per puzzle).
 * Full: the last full run (3 epochs, no curriculum) left the 300- and 1,000-permutation networks at
 * chance (pretext accuracy 0.4% and 0.1%) and 100 at 32%: kNN gains over random init +8.0 / +2.4 /
 * +1.8 / +1.1 for 10 / 100 / 300 / 1,000. Measured on 20,000 images (kNN on 2,000 test images,
 * random init 34.7%): 100 permutations, 8 epochs, no curriculum: 40.3% (pretext 74.6%); 1,000
 * permutations without curriculum still at chance after 3 epochs; with the set grown over the first
 * half of 6 epochs: 39.8% after 5 (pretext 21% on the first epoch's smaller sets, 1-1.5% once all
 * 1,000 are drawn, 10-15x chance). Full with 6 epochs (17 min 18 s, all 10,000 test images):
 * kNN 41.8 / 40.0 / 39.2 / 39.6% for 10 / 100 / 300 / 1,000 vs random 34.7% (+7.1 / +5.3 / +4.5 /
 * +4.9), final pretext accuracy 94.2 / 69.5 / 23.2 / 1.8%. 10 epochs (34 min 45 s) taught the large
 * sets their task (pretext 96.6 / 84.8 / 73.1 / 52.9%) but lowered every transfer: kNN 40.9 / 39.6 /
 * 38.2 / 38.5% (+6.2 / +4.9 / +3.5 / +3.8): the features specialise, so the preset stays at 6.
 */
export function jigsawPreset(budget: Budget): JigsawPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const tiles = { tileSize: 9, colour: 'jitter' as PatchColourMode };
  switch (budget) {
    case 'smoke':
      return { seed: 1, trainSize: 256, testSize: 256, widths: [16, 32, 64], epochs: 1, supervisedEpochs: 1, batchSize: 64, optimizer, probeEpochs: 5, ...tiles, permutationSizes: [10, 30, 100, 1000], permutations: 100, hammingCandidates: 20000, curriculum: 0.5 };
    case 'quick':
      return { seed: 1, trainSize: 4000, testSize: 2000, widths: [16, 32, 64], epochs: 2, supervisedEpochs: 5, batchSize: 128, optimizer, probeEpochs: 30, ...tiles, permutationSizes: [10, 100, 300, 1000], permutations: 100, hammingCandidates: 362880, curriculum: 0.5 };
    case 'full':
      return { seed: 1, trainSize: 20000, testSize: 10000, widths: [32, 64, 128], epochs: 6, supervisedEpochs: 8, batchSize: 128, optimizer, probeEpochs: 40, ...tiles, permutationSizes: [10, 100, 300, 1000], permutations: 100, hammingCandidates: 362880, curriculum: 0.5 };
  }
}

/**
 * 08-jigsaw's permutation set of `size` (default the reported size): the greedy maximal-Hamming
 * set, seeded by `new Rng(seed).fork(`perms-${size}`)`. 08 builds its sets with it, and 07 and
 * `trainOrRestoreEncoder` rebuild 08's reported set with it, so their checkpoints match.
 */
export function jigsawPermutationSet(p: Pick<JigsawPreset, 'seed' | 'hammingCandidates' | 'permutations'>, size = p.permutations): Int32Array[] {
  return hammingPermutations(size, new Rng(p.seed).fork(`perms-${size}`), { candidates: p.hammingCandidates });
}
