import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { pretrain } from '../methods/pretrain';
import { clusterFit } from '../methods/clusterfit';
import { withLabelNoise } from '../methods/noisy-labels';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';
import { EvaluateOptions, evaluateBackbone } from '../eval/evaluate';
import { clusterEncoder } from './cluster-encoder';

/** Configuration of {@link labelNoiseControl}. */
export interface NoiseControlConfig {
  /** Label-noise fractions, e.g. [0, 0.25, 0.5, 0.75]. */
  levels: number[];
  /** Clusters of the ClusterFit step. */
  k: number;
  widths: number[];
  /** Epochs of the supervised training on noisy labels. */
  supervisedEpochs: number;
  /** Epochs of the ClusterFit network on the clusters of that encoder. */
  clusterFitEpochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Evaluation of both encoders (kNN + linear probe on clean labels). */
  evaluate?: EvaluateOptions;
  /** Checkpoint folder of a run (`'supervised-noise25'`, `'clusterfit-noise25'`), e.g. `(r) => checkpointDir('09-clusterfit', r)`. */
  checkpointDir?: (run: string) => string;
  progress?: ProgressSink;
}

/** One noise level of {@link labelNoiseControl}; accuracies on clean test labels, fractions. */
export interface NoiseControlRow {
  /** Fraction of training labels replaced by another class. */
  noise: number;
  /** Training accuracy of the supervised encoder on its (noisy) labels, last epoch. */
  fit_noisy: number;
  /** The supervised encoder's frozen features, transferred directly. */
  direct_knn: number;
  direct_linear: number;
  /** A fresh network trained on k-means clusters of those features (ClusterFit). */
  clusterfit_knn: number;
  clusterfit_linear: number;
  /** Agreement of the clusters with the clean labels. */
  nmi: number;
  seconds: number;
}

/**
 * ClusterFit's label-noise control (Yan et al. 2020, Section 3.2): for each noise level, a
 * supervised encoder trained on `train` with that fraction of labels wrong, evaluated directly
 * on frozen features (kNN, linear probe against the clean labels of `train`, measured on `test`),
 * and through ClusterFit: k-means (cosine, `k`) on its features of `train`, a fresh network of
 * the same widths trained on the cluster ids, evaluated the same way. Disposes every network.
 */
export async function labelNoiseControl(train: ImageSet, test: ImageSet, cfg: NoiseControlConfig): Promise<NoiseControlRow[]> {
  if (!Array.isArray(cfg.levels) || cfg.levels.length === 0) throw new RangeError('labelNoiseControl: levels must list at least one noise fraction');
  const rows: NoiseControlRow[] = [];
  for (const noise of cfg.levels) {
    const t0 = performance.now();
    const tag = `noise${Math.round(noise * 100)}`;
    const noisy = withLabelNoise(train, noise, new Rng(cfg.seed).fork(tag));
    const sup = await pretrain(noisy, {
      method: 'supervised', widths: cfg.widths, epochs: cfg.supervisedEpochs, batchSize: cfg.batchSize, optimizer: cfg.optimizer, seed: cfg.seed,
      checkpointDir: cfg.checkpointDir?.(`supervised-${tag}`), progress: cfg.progress,
    });
    try {
      const direct = await evaluateBackbone(sup.backbone, train, test, cfg.evaluate);
      const [clusters] = clusterEncoder(sup.backbone, train, { ks: [cfg.k], rng: new Rng(cfg.seed).fork(`kmeans-${tag}`) });
      const cf = await clusterFit(train, clusters.assignments, cfg.k, {
        widths: cfg.widths, epochs: cfg.clusterFitEpochs, batchSize: cfg.batchSize, optimizer: cfg.optimizer, seed: cfg.seed,
        checkpointDir: cfg.checkpointDir?.(`clusterfit-${tag}`), progress: cfg.progress,
      });
      try {
        const viaCf = await evaluateBackbone(cf.backbone, train, test, cfg.evaluate);
        rows.push({
          noise,
          fit_noisy: sup.history[sup.history.length - 1].accuracy,
          direct_knn: direct.knn,
          direct_linear: direct.linear,
          clusterfit_knn: viaCf.knn,
          clusterfit_linear: viaCf.linear,
          nmi: clusters.nmi,
          seconds: (performance.now() - t0) / 1000,
        });
      } finally {
        cf.backbone.params.dispose();
        cf.head.params.dispose();
      }
    } finally {
      sup.backbone.params.dispose();
      sup.head.params.dispose();
    }
  }
  return rows;
}

/**
 * The results-contract metrics of a noise control: `supervised.knn.noise25`,
 * `supervised.linear.noise25` (direct transfer) and `clusterfit.knn.noise25`,
 * `clusterfit.linear.noise25` (through ClusterFit), one set per level (percent, rounded).
 * Linear entries are left out when the probe was skipped (NaN).
 */
export function noiseControlMetrics(rows: NoiseControlRow[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const r of rows) {
    const tag = `noise${Math.round(r.noise * 100)}`;
    const put = (name: string, v: number) => { if (Number.isFinite(v)) m[name] = v; };
    put(`supervised.knn.${tag}`, r.direct_knn);
    put(`supervised.linear.${tag}`, r.direct_linear);
    put(`clusterfit.knn.${tag}`, r.clusterfit_knn);
    put(`clusterfit.linear.${tag}`, r.clusterfit_linear);
  }
  return m;
}
