import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/** The knobs of 00-why-self-supervision: a low-shot transfer experiment and a small Word2Vec. */
export interface WhyPreset {
  seed: number;
  /** CIFAR-10 classes of the pre-training (source) task; the others are the new (target) task. */
  sourceClasses: number[];
  /** Source training images per class, for the supervised (labels) and rotation (no labels) pre-training. */
  sourcePerClass: number;
  /** Conv block widths of every backbone. */
  widths: number[];
  /** Epochs of rotation pre-training (each image in 4 rotations). */
  rotationEpochs: number;
  /** Epochs of supervised pre-training; 4x `rotationEpochs` puts as many images through the network. */
  supervisedEpochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Target-task training images per class: the pool the labelled subsets are drawn from. */
  poolPerClass: number;
  /** Target-task test images per class. */
  testPerClass: number;
  /** Labels per class at each point of the low-shot curve. */
  shots: number[];
  /** Draws of the labelled subset at each point (more where few labels make the accuracy noisy). */
  repeats: number[];
  /** Optimiser steps of each low-shot linear probe. */
  probeSteps: number;
  /** Labels per class of the from-scratch networks, trained on those labels alone (empty: no such line). */
  scratchShots: number[];
  /** Optimiser steps of each from-scratch network. */
  scratchSteps: number;
  /** Word2Vec: tokens of the corpus used (0: all of it, about 930,000). */
  corpusTokens: number;
  /** Word2Vec: words occurring fewer times are dropped. */
  minCount: number;
  dim: number;
  window: number;
  negatives: number;
  /** Word2Vec subsampling threshold t. */
  subsample: number;
  w2vEpochs: number;
  w2vBatchSize: number;
  w2vOptimizer: OptimizerConfig;
}

/**
 * Budget presets of 00-why-self-supervision, sized for 2 CPU cores on the wasm backend (about 450
 * training images/s for widths 16-32-64, 200 for 32-64-128): smoke under a minute; quick a few
 * minutes; full measured 13 min 6 s with the native kernels on shared cores (all 25,000 source images
 * through the benchmark CNN: rotation 2 min 20 s at 714 images/s, supervised 3 min at 550; the
 * low-shot probes; Word2Vec on the whole corpus, 3.7 million pairs, 3 min 20 s).
 */
export function whyPreset(budget: Budget): WhyPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const w2vOptimizer: OptimizerConfig = { name: 'adam', lr: 0.01, schedule: 'cosine' };
  const common = { seed: 1, sourceClasses: [0, 1, 2, 3, 4], batchSize: 128, optimizer, minCount: 5, window: 5, negatives: 5, subsample: 1e-3, w2vOptimizer };
  switch (budget) {
    case 'smoke':
      return { ...common, sourcePerClass: 60, widths: [8, 16, 32], rotationEpochs: 1, supervisedEpochs: 1, batchSize: 50, poolPerClass: 20, testPerClass: 40, shots: [1, 5, 20], repeats: [1, 1, 1], probeSteps: 20, scratchShots: [1, 5], scratchSteps: 4, corpusTokens: 30000, dim: 16, w2vEpochs: 1, w2vBatchSize: 2048 };
    case 'quick':
      return { ...common, sourcePerClass: 800, widths: [16, 32, 64], rotationEpochs: 2, supervisedEpochs: 8, poolPerClass: 500, testPerClass: 300, shots: [1, 2, 5, 10, 20, 50, 100, 200, 500], repeats: [4, 4, 3, 2, 2, 1, 1, 1, 1], probeSteps: 80, scratchShots: [], scratchSteps: 0, corpusTokens: 250000, dim: 48, w2vEpochs: 1, w2vBatchSize: 2048 };
    case 'full':
      return { ...common, sourcePerClass: 5000, widths: [32, 64, 128], rotationEpochs: 1, supervisedEpochs: 4, poolPerClass: 5000, testPerClass: 1000, shots: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000], repeats: [10, 10, 10, 5, 5, 3, 3, 2, 2, 1, 1], probeSteps: 300, scratchShots: [1, 10, 100, 500], scratchSteps: 150, corpusTokens: 0, dim: 64, w2vEpochs: 2, w2vBatchSize: 2048 };
  }
}
