import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { Backbone } from '../models/conv-net';
import { embed } from '../eval/embed';
import { KMeansResult, kMeans } from './kmeans';
import { adjustedRandIndex, clusterPurity, nmi } from './metrics';

/** Options of {@link clusterEncoder}. */
export interface ClusterEncoderOptions {
  /** Numbers of clusters, one k-means run each, on the same features. */
  ks: number[];
  rng: Rng;
  /** Default `'cosine'` (spherical k-means on L2-normalised features). */
  metric?: 'euclidean' | 'cosine';
  /** Which features (see `embed`); default the final pooled features. */
  layer?: 'final' | number;
  maxIter?: number;
  tol?: number;
}

/** One k-means run of {@link clusterEncoder}, scored against the set's labels. */
export interface ClusterRun extends Omit<KMeansResult, 'centroids'> {
  k: number;
  /** Agreement of the clusters with the labels (labelled images only): NMI, adjusted Rand index, purity. */
  nmi: number;
  ari: number;
  purity: number;
}

/**
 * ClusterFit's first step: embed `set` once with the frozen `backbone`, then k-means for each
 * `k` of `opts.ks` (each seeded by `opts.rng.fork('k<k>')`), each scored against the set's labels
 * (which the clustering never sees). Leaves no tensors behind.
 */
export function clusterEncoder(backbone: Backbone, set: ImageSet, opts: ClusterEncoderOptions): ClusterRun[] {
  if (!Array.isArray(opts.ks) || opts.ks.length === 0) throw new RangeError('clusterEncoder: ks must list at least one number of clusters');
  const features = embed(backbone, set, { layer: opts.layer });
  const labelled: number[] = [];
  for (let i = 0; i < set.n; i++) if (set.labels[i] >= 0) labelled.push(i);
  try {
    return opts.ks.map((k) => {
      const { centroids, ...run } = kMeans(features, { k, rng: opts.rng.fork(`k${k}`), metric: opts.metric ?? 'cosine', maxIter: opts.maxIter, tol: opts.tol });
      centroids.dispose();
      const a = labelled.map((i) => run.assignments[i]);
      const l = labelled.map((i) => set.labels[i]);
      const scored = labelled.length > 0;
      return { k, ...run, nmi: scored ? nmi(a, l) : NaN, ari: scored ? adjustedRandIndex(a, l) : NaN, purity: scored ? clusterPurity(a, l).purity : NaN };
    });
  } finally {
    features.dispose();
  }
}

