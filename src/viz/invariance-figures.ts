import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { INVARIANCE_TRANSFORMS, transformPair } from '../eval/invariance';
import { COLORWAY, Figure, Trace } from './figures';
import { imageBytes } from './contrastive-figures';

/**
 * Each image of `set` and its version under every transform the invariance study measures
 * (jigsaw's 30x30 shuffled crop padded back to the image size), image-major, for `showImages`
 * with `cols = 1 + INVARIANCE_TRANSFORMS.length`.
 */
export function invarianceExamples(set: ImageSet, rng: Rng): { bytes: Uint8Array; captions: string[]; cols: number } {
  const bytes = tf.tidy(() => {
    const x = toTensor(set);
    const [, h, w] = x.shape;
    const views = INVARIANCE_TRANSFORMS.map((t) => {
      const p = transformPair(x, t, rng.fork(t)).transformed;
      const dh = h - p.shape[1];
      const dw = w - p.shape[2];
      return dh || dw ? tf.pad(p, [[0, 0], [dh >> 1, dh - (dh >> 1)], [dw >> 1, dw - (dw >> 1)], [0, 0]], 1) : p;
    });
    return imageBytes(tf.reshape(tf.stack([x, ...views], 1), [set.n * (1 + views.length), h, w, set.channels]));
  });
  const cols = 1 + INVARIANCE_TRANSFORMS.length;
  const captions = Array.from({ length: set.n * cols }, (_, i) => (i % cols === 0 ? set.classNames[set.labels[i / cols]] ?? 'image' : INVARIANCE_TRANSFORMS[(i % cols) - 1]));
  return { bytes, captions, cols };
}

const FONT = { family: 'Helvetica Neue, Helvetica, Arial, sans-serif', size: 14, color: '#222' };
const axis = (title: string, extra: Record<string, unknown> = {}) => ({
  title: { text: title }, showgrid: true, gridcolor: '#e8e8e8', zeroline: false, showline: true, linecolor: '#888', ticks: 'outside', automargin: true, ...extra,
});
const layout = (title: string | undefined, extra: Record<string, unknown>) => ({
  template: 'none', paper_bgcolor: 'white', plot_bgcolor: 'white', font: FONT, colorway: COLORWAY,
  margin: { l: 64, r: 24, t: title ? 56 : 24, b: 56 }, hovermode: 'closest', legend: { bgcolor: 'rgba(255,255,255,0.8)' },
  ...(title ? { title: { text: title, x: 0.02, xanchor: 'left' } } : {}),
  ...extra,
});

/** One encoder in {@link invarianceScatterFigure}. */
export interface ScatterPoint {
  /** Label written beside the marker. */
  encoder: string;
  /** Legend group (one colour each), e.g. `pretext`, `clustering`, `contrastive`, `baseline`. */
  family: string;
  x: number;
  y: number;
}

/**
 * The lecture's invariance-vs-performance figure, measured: one marker per encoder, labelled,
 * coloured by family (one legend entry each); `y` fractions are shown as percentages.
 */
export function invarianceScatterFigure(points: ScatterPoint[], opts: { title?: string; xTitle?: string; yTitle?: string } = {}): Figure {
  const families = [...new Set(points.map((p) => p.family))];
  const data: Trace[] = families.map((family, i) => {
    const ps = points.filter((p) => p.family === family);
    return {
      type: 'scatter',
      mode: 'markers+text',
      name: family,
      x: ps.map((p) => p.x),
      y: ps.map((p) => 100 * p.y),
      text: ps.map((p) => p.encoder),
      textposition: 'top center',
      marker: { size: 12, color: COLORWAY[i % COLORWAY.length], line: { color: 'white', width: 1 } },
      hovertemplate: '%{text}: invariance %{x:.3f}, accuracy %{y:.1f}%<extra></extra>',
    };
  });
  return {
    data,
    layout: layout(opts.title, {
      xaxis: axis(opts.xTitle ?? 'invariance (mean over transforms; 1 = unchanged, 0 = like another image)'),
      yaxis: axis(opts.yTitle ?? 'linear-probe accuracy (%)'),
      height: 520,
    }),
  };
}

/**
 * Changes against a reference (e.g. accuracy when one augmentation is dropped, minus accuracy
 * with all of them), as grouped bars in percentage points: one group per row, one bar per
 * series; bars may be negative (a zero line is drawn).
 * @param rows `{label, <series>: change as a fraction}`
 */
export function deltaBarFigure(rows: Array<Record<string, number | string>>, series: string[], opts: { title?: string; yTitle?: string; names?: Record<string, string> } = {}): Figure {
  const x = rows.map((r) => String(r.label));
  const data: Trace[] = series.map((s) => {
    const y = rows.map((r) => (typeof r[s] === 'number' && Number.isFinite(r[s]) ? 100 * (r[s] as number) : null));
    return { type: 'bar', name: opts.names?.[s] ?? s, x, y, text: y.map((v) => (v === null ? '' : `${v >= 0 ? '+' : ''}${v.toFixed(1)}`)), textposition: 'outside', cliponaxis: false };
  });
  return {
    data,
    layout: layout(opts.title, {
      barmode: 'group',
      bargap: 0.25,
      xaxis: axis('', { showgrid: false }),
      yaxis: axis(opts.yTitle ?? 'change in accuracy (points)', { zeroline: true, zerolinecolor: '#444', zerolinewidth: 1 }),
    }),
  };
}
