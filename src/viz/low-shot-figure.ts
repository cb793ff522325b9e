import { Figure, lineFigure } from './figures';

/** A curve point as `summarizeLowShot` gives it, tagged by encoder. */
export interface LowShotSeriesPoint {
  encoder: string;
  shots: number;
  linear: number;
  linear_std?: number;
  knn: number;
  knn_std?: number;
}

/**
 * Accuracy against labels per class, one line per encoder (in the order they first appear), log x
 * axis at the measured shot counts, error bars of one standard deviation over draws, and optional
 * extra lines (e.g. a network trained from scratch on the labels alone: `{name: [{shots, accuracy}]}`).
 * @param evaluation which accuracy to draw: `'linear'` (default) or `'knn'`
 */
export function lowShotFigure(
  points: readonly LowShotSeriesPoint[],
  opts: { evaluation?: 'linear' | 'knn'; extra?: Record<string, { shots: number; accuracy: number }[]>; names?: Record<string, string>; title?: string } = {},
): Figure {
  const ev = opts.evaluation ?? 'linear';
  const encoders = [...new Set(points.map((p) => p.encoder))];
  const extra = opts.extra ?? {};
  const shots = [...new Set([...points.map((p) => p.shots), ...Object.values(extra).flatMap((e) => e.map((p) => p.shots))])].sort((a, b) => a - b);
  if (shots.length === 0) throw new Error('lowShotFigure: no points');
  const cols: Record<string, (number | null)[]> = { shots };
  const stds: Record<string, (number | null)[]> = {};
  for (const e of encoders) {
    cols[e] = shots.map((n) => points.find((p) => p.encoder === e && p.shots === n)?.[ev] ?? null);
    stds[e] = shots.map((n) => points.find((p) => p.encoder === e && p.shots === n)?.[`${ev}_std`] ?? null);
  }
  for (const [name, pts] of Object.entries(extra)) cols[name] = shots.map((n) => pts.find((p) => p.shots === n)?.accuracy ?? null);
  const ys = [...encoders, ...Object.keys(extra)];
  const fig = lineFigure(cols, {
    x: 'shots',
    ys,
    names: opts.names,
    title: opts.title,
    xTitle: 'labelled examples per class (log scale)',
    yTitle: `${ev === 'linear' ? 'linear probe' : 'kNN'} accuracy`,
    yFormat: '.0%',
    markers: true,
  });
  fig.data.forEach((t, i) => {
    const e = ys[i];
    if (stds[e]?.some((s) => s !== null && s > 0)) t.error_y = { type: 'data', array: stds[e].map((s) => s ?? 0), visible: true, thickness: 1, width: 3 };
    if (!(e in stds)) t.line = { dash: 'dot' };
  });
  fig.layout.xaxis = { ...fig.layout.xaxis, type: 'log', tickvals: shots, ticktext: shots.map(String) };
  return fig;
}
