export { embed, l2Normalize } from './embed';
export type { EmbedOptions } from './embed';
export { knnClassify, knnAccuracy, accuracy } from './knn';
export type { KnnOptions } from './knn';
export { linearProbe } from './linear-probe';
export type { LinearProbeOptions, LinearProbeResult } from './linear-probe';
export { evaluateBackbone } from './evaluate';
export type { EvaluateOptions, Evaluation } from './evaluate';
