import { ImageSet, imageSize } from '../data/image-set';
import { Rng } from '../data/rng';
import { ClusterMakeup, clusterPurity } from '../cluster/metrics';
import { Figure, imageGridFigure } from './figures';

/** A cluster shown by {@link clusterGridFigure}: its make-up against the labels. */
export interface ShownCluster extends ClusterMakeup {
  /** Where it ranks by purity among clusters of at least `minSize` images: 'purest', 'median', 'least pure'. */
  rank: string;
}

/**
 * Which clusters to show: the `perGroup` purest, `perGroup` around the median and the
 * `perGroup` least pure, among clusters of at least `minSize` images (default 5), by purity
 * against `labels` (ties: larger first).
 */
export function pickClusters(assignments: ArrayLike<number>, labels: ArrayLike<number>, perGroup: number, minSize = 5): ShownCluster[] {
  if (!Number.isInteger(perGroup) || perGroup < 1) throw new RangeError(`pickClusters: perGroup must be a positive integer, got ${perGroup}`);
  const all = clusterPurity(assignments, labels).clusters.filter((c) => c.size >= minSize);
  const sorted = all.sort((a, b) => b.purity - a.purity || b.size - a.size || a.cluster - b.cluster);
  const taken = new Set<number>();
  const out: ShownCluster[] = [];
  const take = (from: number, rank: string) => {
    for (let i = Math.max(0, from); i < sorted.length && out.filter((c) => c.rank === rank).length < perGroup; i++) {
      if (taken.has(sorted[i].cluster)) continue;
      taken.add(sorted[i].cluster);
      out.push({ ...sorted[i], rank });
    }
  };
  take(0, 'purest');
  take(Math.floor(sorted.length / 2 - perGroup / 2), 'median');
  take(sorted.length - perGroup, 'least pure');
  return out;
}

/**
 * What a cluster holds: one row per cluster of `clusters`, `perCluster` of its images drawn at
 * random (seeded), each captioned with its true class name (which the clustering never saw).
 * Rows follow `clusters`' order; show each row's size and purity in a table beside it.
 * @param assignments `[set.n]` cluster id per image
 */
export function clusterGridFigure(
  set: ImageSet,
  assignments: ArrayLike<number>,
  clusters: number[],
  perCluster: number,
  rng: Rng,
  options: { title?: string } = {},
): Figure {
  if (assignments.length !== set.n) throw new RangeError(`clusterGridFigure: ${assignments.length} assignments for the ${set.n} images of "${set.name}"`);
  if (!Number.isInteger(perCluster) || perCluster < 1) throw new RangeError(`clusterGridFigure: perCluster must be a positive integer, got ${perCluster}`);
  if (clusters.length === 0) throw new RangeError('clusterGridFigure: clusters is empty');
  const size = imageSize(set);
  const images = new Uint8Array(clusters.length * perCluster * size);
  const captions: string[] = [];
  clusters.forEach((c, row) => {
    const members: number[] = [];
    for (let i = 0; i < set.n; i++) if (assignments[i] === c) members.push(i);
    const order = rng.fork(`cluster${c}`).permutation(members.length);
    for (let j = 0; j < perCluster; j++) {
      const slot = row * perCluster + j;
      if (j < members.length) {
        const i = members[order[j]];
        images.set(set.images.subarray(i * size, (i + 1) * size), slot * size);
        captions[slot] = set.labels[i] >= 0 ? set.classNames[set.labels[i]] : '';
      } else {
        images.fill(255, slot * size, (slot + 1) * size); // a cluster smaller than a row: blank cells
        captions[slot] = '';
      }
    }
  });
  return imageGridFigure(images, clusters.length * perCluster, set.height, set.width, set.channels, captions, { cols: perCluster, title: options.title });
}
