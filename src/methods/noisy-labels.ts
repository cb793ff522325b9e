import { ImageSet, validateImageSet } from '../data/image-set';
import { Rng } from '../data/rng';

/**
 * `set` with exactly `round(fraction * labelled)` of its labelled images relabelled to a
 * uniformly drawn *other* class (symmetric label noise), the control of ClusterFit's Section
 * 3.2 (Yan et al. 2020): how a supervised encoder's transfer degrades with label noise, and
 * whether clustering its features and retraining (ClusterFit) degrades less. Images shared,
 * not copied; the name records the noise level. Deterministic for a given `rng`.
 * @param fraction in [0, 1]
 */
export function withLabelNoise(set: ImageSet, fraction: number, rng: Rng): ImageSet {
  if (!(fraction >= 0 && fraction <= 1)) throw new RangeError(`withLabelNoise: fraction must be in [0, 1], got ${fraction}`);
  const classes = set.classNames.length;
  if (classes < 2 && fraction > 0) throw new RangeError(`withLabelNoise: "${set.name}" has ${classes} class(es); noise needs at least 2`);
  const labelled: number[] = [];
  for (let i = 0; i < set.n; i++) if (set.labels[i] >= 0) labelled.push(i);
  const r = rng.fork('label-noise');
  const order = r.permutation(labelled.length);
  const flips = Math.round(fraction * labelled.length);
  const labels = Int32Array.from(set.labels);
  for (let t = 0; t < flips; t++) {
    const i = labelled[order[t]];
    const other = r.int(classes - 1);
    labels[i] = other >= set.labels[i] ? other + 1 : other;
  }
  const pct = Math.round(fraction * 1000) / 10;
  return validateImageSet({ ...set, name: `${set.name}+noise${pct}%@${r.seed}`, labels, classNames: [...set.classNames] });
}
