import { Figure, lineFigure } from './figures';

/** Options of {@link perLayerFigure}. */
export interface PerLayerFigureOptions {
  /** Legend name per encoder; default the encoder name. */
  names?: Record<string, string>;
  title?: string;
  /** y-axis title; default `'linear-probe accuracy'`. */
  yTitle?: string;
}

/**
 * The per-layer curve: x = block (1-based, integer ticks), y = accuracy (as a percentage), one
 * line per encoder.
 * @param curve one row per block, `{ block, <encoder>: accuracy, ... }` (`perLayerCurve` in src/eval)
 * @param encoders the columns to draw, in legend order
 */
export function perLayerFigure(curve: Array<Record<string, number>>, encoders: string[], options: PerLayerFigureOptions = {}): Figure {
  const fig = lineFigure(curve, {
    x: 'block',
    ys: encoders,
    names: options.names,
    title: options.title,
    xTitle: 'block (1 = first conv block)',
    yTitle: options.yTitle ?? 'linear-probe accuracy',
    yFormat: '.0%',
    markers: true,
  });
  fig.layout.xaxis = { ...fig.layout.xaxis, dtick: 1 };
  return fig;
}
