/**
 * selfsup's public face: what the notebooks and the CLI import. Layers, lowest first:
 * backend, data -> transforms -> pretext -> models -> objectives -> methods -> train -> eval -> viz.
 * @packageDocumentation
 */
export * from './backend';
export * from './data';
export * from './text';
export * from './transforms';
export * from './pretext';
export * from './models';
export * from './objectives';
export * from './methods';
export * from './train';
export * from './eval';
export * from './cluster';
export * from './viz';
export { rotationGridFigure } from './viz/rotation-grid';
export { clusterGridFigure, pickClusters } from './viz/cluster-grid';
export type { ShownCluster } from './viz/cluster-grid';
