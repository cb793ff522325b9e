import { ImageSet, imageSize } from '../data/image-set';
import type { Neighbours } from '../eval/retrieval';
import { Figure, imageGridFigure } from './figures';

/**
 * The lecture's nearest-neighbour retrieval figure: for each query image, one row per encoder
 * holding the query and its `k` nearest gallery images under that encoder's features. The query
 * cell is captioned with the encoder's `label` (default its name); every neighbour with its class
 * and a check (same class as the query) or a cross.
 * @param results one entry per encoder, each from `cosineNeighbours`/`retrieve` with the same
 *   queries (in `queries`' order) and the same `k`
 */
export function retrievalGridFigure(
  queries: ImageSet,
  gallery: ImageSet,
  results: { encoder: string; neighbours: Neighbours; label?: string }[],
  opts: { title?: string; maxQueries?: number } = {},
): Figure {
  if (results.length === 0) throw new RangeError('retrievalGridFigure: no encoders in results');
  const k = results[0].neighbours.k;
  for (const r of results) {
    if (r.neighbours.k !== k) throw new RangeError(`retrievalGridFigure: encoder "${r.encoder}" has k=${r.neighbours.k}, expected ${k} like "${results[0].encoder}"`);
    if (r.neighbours.indices.length !== queries.n * k) throw new RangeError(`retrievalGridFigure: encoder "${r.encoder}" has ${r.neighbours.indices.length / k} queries, expected ${queries.n}`);
  }
  if (queries.height !== gallery.height || queries.width !== gallery.width || queries.channels !== gallery.channels) {
    throw new RangeError(`retrievalGridFigure: query images ${queries.height}x${queries.width}x${queries.channels} differ from gallery images ${gallery.height}x${gallery.width}x${gallery.channels}`);
  }
  const nq = Math.min(queries.n, opts.maxQueries ?? queries.n);
  const size = imageSize(queries);
  const cells = nq * results.length * (k + 1);
  const out = new Uint8Array(cells * size);
  const captions: string[] = [];
  const name = (set: ImageSet, i: number) => set.classNames[set.labels[i]] ?? '?';
  let c = 0;
  for (let q = 0; q < nq; q++) {
    for (const { encoder, neighbours, label } of results) {
      out.set(queries.images.subarray(q * size, (q + 1) * size), c++ * size);
      captions.push(`▶ ${label ?? encoder}`);
      for (let j = 0; j < k; j++) {
        const g = neighbours.indices[q * k + j];
        out.set(gallery.images.subarray(g * size, (g + 1) * size), c++ * size);
        captions.push(`${name(gallery, g)} ${gallery.labels[g] === queries.labels[q] ? '✓' : '✗'}`);
      }
    }
  }
  return imageGridFigure(out, cells, queries.height, queries.width, queries.channels, captions, {
    cols: k + 1,
    title: opts.title ?? `Query (left) and its ${k} nearest neighbours; ✓ same class`,
  });
}
