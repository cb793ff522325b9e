/**
 * Clustering: k-means on feature tensors, partition-agreement metrics, and the first step of
 * ClusterFit (cluster a frozen encoder's features). Sits beside eval: imports data, models,
 * methods, train and eval, never viz.
 * @packageDocumentation
 */
export { kMeans, kMeansPlusPlus } from './kmeans';
export type { KMeansOptions, KMeansResult } from './kmeans';
export { adjustedRandIndex, clusterPurity, contingency, nmi } from './metrics';
export type { ClusterMakeup, Contingency } from './metrics';
export { clusterEncoder } from './cluster-encoder';
export type { ClusterEncoderOptions, ClusterRun } from './cluster-encoder';
export { labelNoiseControl, noiseControlMetrics } from './label-noise-control';
export type { NoiseControlConfig, NoiseControlRow } from './label-noise-control';
