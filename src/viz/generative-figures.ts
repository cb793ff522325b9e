import type { AbBins } from '../pretext/colourisation';
import { Figure, imageGridFigure } from './figures';

/** One column of a {@link comparisonGridFigure}: a label and `n` images of the same size. */
export interface GridColumn {
  /** Caption under every image of the column, e.g. "grey input", "prediction", "truth". */
  label: string;
  /** `n * h * w * channels` bytes (NHWC); one-channel columns are shown grey. */
  images: Uint8Array;
  /** 1 or 3 (default 3). */
  channels?: number;
}

/**
 * Side-by-side versions of the same `n` images, one column per version (e.g. grey input /
 * predicted colour / true colour, or masked / filled / true) and `perRow` images a row (default 1),
 * for dense pretext tasks. All images are `h x w`; grey columns are repeated to RGB. `scale`
 * (default 3) is the pixel upscale, wide enough for captions under 32-pixel images.
 */
export function comparisonGridFigure(columns: GridColumn[], n: number, h: number, w: number, opts: { title?: string; perRow?: number; scale?: number } = {}): Figure {
  const perRow = opts.perRow ?? 1;
  if (!(Number.isInteger(perRow) && perRow >= 1)) throw new RangeError(`comparisonGridFigure: perRow must be a positive integer, got ${perRow}`);
  if (columns.length === 0) throw new RangeError('comparisonGridFigure: no columns');
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`comparisonGridFigure: n must be a positive integer, got ${n}`);
  const size = h * w * 3;
  const out = new Uint8Array(n * columns.length * size);
  const captions: string[] = [];
  columns.forEach((col, j) => {
    const c = col.channels ?? 3;
    if (c !== 1 && c !== 3) throw new RangeError(`comparisonGridFigure: column "${col.label}" has ${c} channels; use 1 or 3`);
    if (col.images.length !== n * h * w * c) {
      throw new RangeError(`comparisonGridFigure: column "${col.label}" has ${col.images.length} bytes, expected n*h*w*c = ${n}*${h}*${w}*${c}`);
    }
  });
  for (let i = 0; i < n; i++) {
    columns.forEach((col, j) => {
      const c = col.channels ?? 3;
      const dst = (i * columns.length + j) * size;
      const src = i * h * w * c;
      for (let p = 0; p < h * w; p++) {
        for (let k = 0; k < 3; k++) out[dst + 3 * p + k] = col.images[src + p * c + (c === 1 ? 0 : k)];
      }
      captions.push(col.label);
    });
  }
  return imageGridFigure(out, n * columns.length, h, w, 3, captions, { cols: columns.length * Math.min(perRow, n), title: opts.title, scale: opts.scale ?? 3 });
}

/**
 * A per-bin quantity over the ab plane (a heatmap with a across, b up; cells outside the sRGB
 * gamut left blank): e.g. the empirical distribution of the colourisation targets (log scale) and
 * the class-rebalancing weights (Zhang et al. 2016, fig. 3).
 * @param values `[bins.q]`, one per in-gamut bin
 */
export function abPlaneFigure(values: ArrayLike<number>, bins: AbBins, opts: { title?: string; log10?: boolean; colorscale?: string; zTitle?: string } = {}): Figure {
  if (values.length !== bins.q) throw new RangeError(`abPlaneFigure: ${values.length} values for ${bins.q} bins`);
  const { cells, half, gridSize } = bins;
  const z: (number | null)[][] = Array.from({ length: cells }, () => new Array<number | null>(cells).fill(null));
  for (let k = 0; k < bins.q; k++) {
    const i = Math.round(bins.centres[2 * k] / gridSize) + half; // a -> column
    const j = Math.round(bins.centres[2 * k + 1] / gridSize) + half; // b -> row
    const v = values[k];
    z[j][i] = opts.log10 ? (v > 0 ? Math.log10(v) : null) : v;
  }
  const ticks = Array.from({ length: cells }, (_, k) => (k - half) * gridSize);
  const side = Math.max(6, Math.min(18, Math.floor(400 / cells)));
  return {
    data: [{
      type: 'heatmap',
      z,
      x: ticks,
      y: ticks,
      colorscale: opts.colorscale ?? 'Viridis',
      colorbar: { title: { text: opts.zTitle ?? (opts.log10 ? 'log10' : '') } },
      hovertemplate: 'a %{x}, b %{y}: %{z:.3g}<extra></extra>',
    }],
    layout: {
      title: opts.title ? { text: opts.title } : undefined,
      width: cells * side + 200,
      height: cells * side + 140,
      xaxis: { title: { text: 'a (green → red)' }, showgrid: false, zeroline: false },
      yaxis: { title: { text: 'b (blue → yellow)' }, showgrid: false, zeroline: false, scaleanchor: 'x' },
      margin: { l: 70, r: 20, t: opts.title ? 60 : 20, b: 60 },
    },
  };
}
