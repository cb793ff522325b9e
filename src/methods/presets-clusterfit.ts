import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/** The knobs of the ClusterFit experiment (09-clusterfit). */
export interface ClusterFitPreset {
  seed: number;
  /** CIFAR-10 training images (class-balanced): rotation pre-training, k-means, ClusterFit, and the evaluation bank. */
  trainSize: number;
  /** CIFAR-10 test images (class-balanced) the accuracies are measured on. */
  testSize: number;
  /** Conv block widths of every network (rotation, ClusterFit, supervised): like for like. */
  widths: number[];
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Epochs of the rotation pre-training (each image in 4 rotations), with a 2-layer MLP head. */
  rotationEpochs: number;
  /** Numbers of clusters of the k-means sweep on the rotation features. */
  ks: number[];
  /** Clusters ClusterFit trains on: about 100 training images a cluster (the best of k = 10, 50, 100 measured at quick scale). */
  k: number;
  /** Epochs of the ClusterFit network on the pseudo-labels: 4x `rotationEpochs`, as many images through the network as the rotation run. */
  clusterFitEpochs: number;
  /** Epochs of the linear probe on frozen features. */
  probeEpochs: number;
  /** Label-noise fractions of the control. */
  noiseLevels: number[];
  /** Training images of the noise control (a class-balanced part of the training subset). */
  noiseTrainSize: number;
  /** Epochs of each supervised encoder on noisy labels, and of each ClusterFit network on its clusters. */
  noiseSupervisedEpochs: number;
  noiseClusterFitEpochs: number;
  /** Clusters of the noise control's ClusterFit step. */
  noiseK: number;
  /** Clusters shown per purity group (purest, median, least pure) and images per cluster. */
  gridClusters: number;
  gridPerCluster: number;
}

/**
 * Budget presets of 09-clusterfit on CIFAR-10 (conv 16-32-64, about 450 training images/s on 2
 * CPU cores, wasm): smoke under a minute (tiny: proves it runs); quick a few minutes (5,000
 * images, two noise levels on 2,000); full measured 13 min 16 s with the native kernels (20,000 images, four noise levels
 * on 10,000). The ClusterFit network sees as many images as the rotation run (4 rotations an image).
 */
export function clusterFitPreset(budget: Budget): ClusterFitPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const common = { seed: 1, widths: [16, 32, 64], optimizer, gridPerCluster: 8 };
  switch (budget) {
    case 'smoke':
      return {
        ...common, trainSize: 512, testSize: 256, batchSize: 64, rotationEpochs: 1, ks: [10, 20], k: 10, clusterFitEpochs: 4, probeEpochs: 5,
        noiseLevels: [0, 0.5], noiseTrainSize: 256, noiseSupervisedEpochs: 1, noiseClusterFitEpochs: 1, noiseK: 10, gridClusters: 1, gridPerCluster: 6,
      };
    case 'quick':
      return {
        ...common, trainSize: 5000, testSize: 2000, batchSize: 128, rotationEpochs: 2, ks: [10, 50, 100, 200], k: 50, clusterFitEpochs: 8, probeEpochs: 30,
        noiseLevels: [0, 0.75], noiseTrainSize: 2000, noiseSupervisedEpochs: 5, noiseClusterFitEpochs: 5, noiseK: 20, gridClusters: 2,
      };
    case 'full':
      return {
        ...common, trainSize: 20000, testSize: 10000, batchSize: 128, rotationEpochs: 3, ks: [10, 50, 100, 200, 400, 1000], k: 200, clusterFitEpochs: 12, probeEpochs: 40,
        noiseLevels: [0, 0.25, 0.5, 0.75], noiseTrainSize: 10000, noiseSupervisedEpochs: 6, noiseClusterFitEpochs: 6, noiseK: 100, gridClusters: 2,
      };
  }
}
