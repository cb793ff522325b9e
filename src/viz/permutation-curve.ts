import { Figure, lineFigure } from './figures';

/** One point of the jigsaw sweep: the permutation-set size and the transferred features' accuracies. */
export interface PermutationPoint {
  size: number;
  knn: number;
  linear: number;
}

/**
 * 08-jigsaw's figure (after Noroozi & Favaro 2016, table 3): kNN and linear-probe accuracy of the
 * jigsaw-trained features against the size of the permutation set (log x axis), with the
 * random-init and supervised encoders as flat reference lines.
 * @param baselines accuracies of reference encoders, e.g. `{ random: {knn, linear}, supervised: {knn, linear} }`
 */
export function permutationCurveFigure(points: PermutationPoint[], baselines: Record<string, { knn: number; linear: number }> = {}, opts: { title?: string } = {}): Figure {
  if (points.length === 0) throw new RangeError('permutationCurveFigure: no points');
  const sorted = [...points].sort((a, b) => a.size - b.size);
  const cols: Record<string, number[]> = {
    size: sorted.map((p) => p.size),
    'jigsaw kNN': sorted.map((p) => p.knn),
    'jigsaw linear': sorted.map((p) => p.linear),
  };
  for (const [name, acc] of Object.entries(baselines)) {
    cols[`${name} kNN`] = sorted.map(() => acc.knn);
    cols[`${name} linear`] = sorted.map(() => acc.linear);
  }
  const fig = lineFigure(cols, {
    x: 'size',
    ys: Object.keys(cols).filter((k) => k !== 'size'),
    title: opts.title ?? 'Transferred features vs size of the permutation set',
    xTitle: 'permutations in the set (log scale)',
    yTitle: 'accuracy',
    yFormat: '.0%',
  });
  // baselines as dotted flat lines; log x axis with the sizes as ticks
  for (const t of fig.data) if (!String(t.name).startsWith('jigsaw')) (t as Record<string, unknown>).line = { dash: 'dot' };
  fig.layout.xaxis = { ...fig.layout.xaxis, type: 'log', tickvals: cols.size, ticktext: cols.size.map(String) };
  return fig;
}
