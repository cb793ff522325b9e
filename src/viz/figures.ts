import { PNG } from 'pngjs';

/** One plotly trace: `type` plus plotly's attributes for that trace type. */
export interface Trace {
  type: string;
  [attribute: string]: unknown;
}

/** A plotly axis (the attributes this module sets; any other plotly attribute is allowed). */
export interface Axis {
  title?: { text: string; [attribute: string]: unknown };
  domain?: [number, number];
  [attribute: string]: unknown;
}

/** A plotly layout (the attributes this module sets; any other plotly attribute is allowed). */
export interface Layout {
  title?: { text: string; [attribute: string]: unknown };
  width?: number;
  height?: number;
  xaxis?: Axis;
  yaxis?: Axis;
  yaxis2?: Axis;
  annotations?: Array<Record<string, unknown>>;
  [attribute: string]: unknown;
}

/** A plotly figure spec, as `Plotly.newPlot(el, fig.data, fig.layout)` takes it. */
export interface Figure {
  data: Trace[];
  layout: Layout;
}

/**
 * The part of an arquero table the figures read (structural, so any table with these methods
 * works): `columnNames()` and `array(name)`.
 */
export interface TableLike {
  columnNames(): string[];
  array(name: string): ArrayLike<unknown>;
  numRows(): number;
}

/**
 * Column data a figure can read: an arquero table, a record of columns
 * (`{epoch: [1, 2], loss: [2.3, 1.9]}`) or an array of rows (`[{epoch: 1, loss: 2.3}, ...]`).
 */
export type Columns = TableLike | Record<string, ArrayLike<number | null>> | Array<Record<string, unknown>>;

/** The colours traces take in turn (Tableau 10: distinct, colour-blind friendly enough). */
export const COLORWAY = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f',
  '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
];

const FONT = { family: 'Helvetica Neue, Helvetica, Arial, sans-serif', size: 14, color: '#222' };

/** Axis defaults: light grid, a base line, outside ticks. `title` is set when given. */
function axis(title?: string, extra: Axis = {}): Axis {
  return {
    showgrid: true,
    gridcolor: '#e8e8e8',
    zeroline: false,
    showline: true,
    linecolor: '#888',
    ticks: 'outside',
    tickcolor: '#888',
    automargin: true,
    ...(title ? { title: { text: title } } : {}),
    ...extra,
  };
}

/** Layout defaults: white background, readable font, the colourway; `extra` wins. */
function baseLayout(title: string | undefined, extra: Layout): Layout {
  return {
    template: 'none',
    paper_bgcolor: 'white',
    plot_bgcolor: 'white',
    font: FONT,
    colorway: COLORWAY,
    margin: { l: 64, r: 24, t: title ? 56 : 24, b: 56 },
    hovermode: 'closest',
    legend: { bgcolor: 'rgba(255,255,255,0.8)' },
    ...(title ? { title: { text: title, x: 0.02, xanchor: 'left' } } : {}),
    ...extra,
  };
}

function isTableLike(source: unknown): source is TableLike {
  const t = source as Partial<TableLike>;
  return typeof t?.columnNames === 'function' && typeof t.array === 'function';
}

/** Names of the columns `source` has. */
function columnNames(source: Columns): string[] {
  if (isTableLike(source)) return source.columnNames();
  if (Array.isArray(source)) return source.length ? Object.keys(source[0]) : [];
  return Object.keys(source);
}

/**
 * Column `name` of `source` as numbers (null for a missing or non-finite value, which plotly
 * draws as a gap). Throws an Error naming the column and the available ones when it is absent.
 */
export function columnValues(source: Columns, name: string): Array<number | null> {
  let values: ArrayLike<unknown> | undefined;
  if (isTableLike(source)) {
    values = source.columnNames().includes(name) ? source.array(name) : undefined;
  } else if (Array.isArray(source)) {
    values = source.length && name in source[0] ? source.map((row) => row[name]) : undefined;
  } else {
    values = (source as Record<string, ArrayLike<unknown>>)[name];
  }
  if (values === undefined) {
    throw new Error(`no column "${name}"; columns are: ${columnNames(source).join(', ') || '(none)'}`);
  }
  return Array.from(values, (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null));
}

/** Options of {@link lineFigure}. */
export interface LineOptions {
  /** Column for the x axis (e.g. `'epoch'`); default 1, 2, ... n. */
  x?: string;
  /** Columns drawn as lines against the left y axis. */
  ys: string[];
  /** Columns drawn (dashed) against a right-hand y axis, e.g. accuracy next to a loss. */
  y2s?: string[];
  /** Legend names by column; default the column name. */
  names?: Record<string, string>;
  title?: string;
  xTitle?: string;
  yTitle?: string;
  y2Title?: string;
  /** d3 tick formats, e.g. `'.0%'` for fractions shown as percentages. */
  yFormat?: string;
  y2Format?: string;
  /** Draw markers on the points; default true when there are at most 50 points. */
  markers?: boolean;
  /** Line colours by column (e.g. a run's kNN and its dashed pretext accuracy in one colour); default the colorway. */
  colors?: Record<string, string>;
}

/**
 * Curves per epoch (loss, accuracy, ...): one `scatter` trace per column of `ys` (left axis)
 * and of `y2s` (right axis, dashed).
 *
 * @param source an arquero table, a record of columns or an array of rows
 * @example lineFigure(history, {x: 'epoch', ys: ['loss'], y2s: ['knn'], y2Format: '.0%'})
 */
export function lineFigure(source: Columns, options: LineOptions): Figure {
  const { ys, y2s = [] } = options;
  if (ys.length + y2s.length === 0) throw new Error('lineFigure: give at least one column in ys');
  const first = columnValues(source, ys[0] ?? y2s[0]);
  const x = options.x ? columnValues(source, options.x) : first.map((_, i) => i + 1);
  const markers = options.markers ?? x.length <= 50;
  const trace = (name: string, right: boolean): Trace => {
    const color = options.colors?.[name];
    const line = { ...(right ? { dash: 'dash' } : {}), ...(color ? { color } : {}) };
    return {
      type: 'scatter',
      mode: markers ? 'lines+markers' : 'lines',
      name: options.names?.[name] ?? name,
      x,
      y: columnValues(source, name),
      ...(right ? { yaxis: 'y2' } : {}),
      ...(Object.keys(line).length ? { line } : {}),
    };
  };
  const layout = baseLayout(options.title, {
    xaxis: axis(options.xTitle ?? options.x),
    yaxis: axis(options.yTitle, options.yFormat ? { tickformat: options.yFormat } : {}),
  });
  if (y2s.length) {
    layout.yaxis2 = axis(options.y2Title, {
      overlaying: 'y',
      side: 'right',
      showgrid: false,
      ...(options.y2Format ? { tickformat: options.y2Format } : {}),
    });
    layout.legend = { orientation: 'h', x: 0, y: -0.2, yanchor: 'top' };
  }
  return { data: [...ys.map((y) => trace(y, false)), ...y2s.map((y) => trace(y, true))], layout };
}

/** Values per group and series: `{rotation: {knn: 0.47, linear: 0.52}, random: {...}}`. */
export type Groups = Record<string, Record<string, number>>;

/**
 * Regroup flat results metrics (`{"rotation.knn": 0.47}`) as {@link Groups} by the part
 * before the first dot (the encoder) and the rest (the evaluation).
 */
export function metricsToGroups(metrics: Record<string, number>): Groups {
  const groups: Groups = {};
  for (const [key, value] of Object.entries(metrics)) {
    const dot = key.indexOf('.');
    if (dot < 0) throw new Error(`metric "${key}" is not <encoder>.<evaluation>`);
    (groups[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = value;
  }
  return groups;
}

/** Options of {@link barFigure}. */
export interface BarOptions {
  title?: string;
  xTitle?: string;
  /** Default `'accuracy (%)'` when `percent`, else none. */
  yTitle?: string;
  /** Series order (one bar colour each); default the order they first appear in. */
  series?: string[];
  /** Values are fractions shown as percentages (x100, labels "47.0%"); default true. */
  percent?: boolean;
  /** Decimals in the text labels; default 1. */
  digits?: number;
}

/**
 * Grouped bars: one group per key of `groups` on the x axis (e.g. encoders), one `bar` trace
 * per series (e.g. `knn`, `linear`), each bar labelled with its value. A series a group lacks
 * is left out of that group.
 *
 * @example barFigure({random: {knn: 0.31, linear: 0.35}, rotation: {knn: 0.47, linear: 0.52}})
 */
export function barFigure(groups: Groups, options: BarOptions = {}): Figure {
  const percent = options.percent ?? true;
  const digits = options.digits ?? 1;
  const names = Object.keys(groups);
  const series = options.series ?? [...new Set(names.flatMap((g) => Object.keys(groups[g])))];
  const data: Trace[] = series.map((s) => {
    const y = names.map((g) => {
      const v = groups[g][s];
      return typeof v === 'number' && Number.isFinite(v) ? (percent ? v * 100 : v) : null;
    });
    return {
      type: 'bar',
      name: s,
      x: names,
      y,
      text: y.map((v) => (v === null ? '' : `${v.toFixed(digits)}${percent ? '%' : ''}`)),
      textposition: 'outside',
      cliponaxis: false,
    };
  });
  const layout = baseLayout(options.title, {
    barmode: 'group',
    bargap: 0.25,
    xaxis: axis(options.xTitle, { showgrid: false }),
    yaxis: axis(options.yTitle ?? (percent ? 'accuracy (%)' : undefined), percent ? { range: [0, 105] } : {}),
  });
  return { data, layout };
}

/** Options of {@link imageGridFigure}. */
export interface ImageGridOptions {
  /** Images per row; default min(n, 8). */
  cols?: number;
  /** Integer pixel upscale baked into each PNG (nearest neighbour); default so the longer side is >= 64 px. */
  scale?: number;
  title?: string;
}

/**
 * Encode one image (`h * w * c` bytes, c = 1, 3 or 4) as a PNG data URL, upscaled `scale`
 * times by pixel repetition.
 */
export function pngDataUrl(pixels: Uint8Array, h: number, w: number, c: number, scale = 1): string {
  if (![1, 3, 4].includes(c)) throw new Error(`pngDataUrl: channels must be 1, 3 or 4, got ${c}`);
  if (pixels.length !== h * w * c) throw new Error(`pngDataUrl: ${pixels.length} bytes for ${h}x${w}x${c}`);
  const H = h * scale;
  const W = w * scale;
  const png = new PNG({ width: W, height: H });
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const src = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
      const dst = (y * W + x) * 4;
      png.data[dst] = pixels[src];
      png.data[dst + 1] = pixels[c === 1 ? src : src + 1];
      png.data[dst + 2] = pixels[c === 1 ? src : src + 2];
      png.data[dst + 3] = c === 4 ? pixels[src + 3] : 255;
    }
  }
  return `data:image/png;base64,${PNG.sync.write(png).toString('base64')}`;
}

/**
 * Small images in a grid, each with its caption underneath: one plotly `image` trace per image
 * (its `source` a PNG data URL, so it renders in plotly's bundled renderer and in static exports),
 * each on its own pair of hidden axes.
 *
 * @param images `n * h * w * c` bytes, NHWC, uint8
 * @param captions one per image (missing ones are blank)
 */
export function imageGridFigure(
  images: Uint8Array,
  n: number,
  h: number,
  w: number,
  c: number,
  captions: string[] = [],
  options: ImageGridOptions = {},
): Figure {
  if (images.length !== n * h * w * c) {
    throw new Error(`imageGridFigure: ${images.length} bytes for n*h*w*c = ${n}*${h}*${w}*${c}`);
  }
  if (n < 1) throw new Error('imageGridFigure: no images');
  const cols = Math.max(1, Math.min(n, options.cols ?? 8));
  const rows = Math.ceil(n / cols);
  const scale = options.scale ?? Math.max(1, Math.ceil(64 / Math.max(h, w)));
  const hasCaptions = captions.some((s) => s);
  // Pixel geometry: each cell is the image plus a caption strip, with a gap around it.
  const cellW = Math.max(w * scale, 64);
  const imgH = h * (cellW / w);
  const capH = hasCaptions ? 20 : 0;
  const gap = 10;
  const margin = { l: 10, r: 10, t: options.title ? 50 : 10, b: 10 };
  const plotW = cols * cellW + (cols - 1) * gap;
  const plotH = rows * (imgH + capH) + (rows - 1) * gap;
  const data: Trace[] = [];
  const layout = baseLayout(options.title, {
    width: plotW + margin.l + margin.r,
    height: plotH + margin.t + margin.b,
    margin,
    showlegend: false,
    hovermode: false,
    annotations: [],
  });
  const size = h * w * c;
  for (let i = 0; i < n; i++) {
    const r = Math.floor(i / cols);
    const col = i % cols;
    const suffix = i === 0 ? '' : String(i + 1);
    const x0 = (col * (cellW + gap)) / plotW;
    const x1 = (col * (cellW + gap) + cellW) / plotW;
    const yTop = 1 - (r * (imgH + capH + gap)) / plotH;
    const yBottom = yTop - imgH / plotH;
    const hidden = { visible: false, showgrid: false, zeroline: false, fixedrange: true };
    layout[`xaxis${suffix}`] = { ...hidden, domain: [x0, x1], anchor: `y${suffix}` };
    layout[`yaxis${suffix}`] = { ...hidden, domain: [Math.max(0, yBottom), yTop], anchor: `x${suffix}` };
    data.push({
      type: 'image',
      source: pngDataUrl(images.subarray(i * size, (i + 1) * size), h, w, c, scale),
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      name: captions[i] ?? `#${i}`,
      hoverinfo: 'skip',
    });
    if (captions[i]) {
      layout.annotations!.push({
        text: captions[i],
        xref: 'paper',
        yref: 'paper',
        x: (x0 + x1) / 2,
        y: yBottom,
        xanchor: 'center',
        yanchor: 'top',
        showarrow: false,
        font: { size: 12 },
      });
    }
  }
  return { data, layout };
}

/** Options of {@link heatmapFigure}. */
export interface HeatmapOptions {
  /** Column labels (x, e.g. predicted class); default 0..cols-1. */
  x?: string[];
  /** Row labels (y, e.g. true class); default `x` or 0..rows-1. */
  y?: string[];
  title?: string;
  /** Default `'predicted'`. */
  xTitle?: string;
  /** Default `'true'`. */
  yTitle?: string;
  /** Divide each row by its sum (a confusion matrix's per-class recall); default false. */
  normalize?: boolean;
  /** Write each cell's value in it; default true when there are at most 400 cells. */
  showValues?: boolean;
  /** Plotly colour scale name; default `'Blues'`. */
  colorscale?: string;
}

/**
 * A heatmap of `matrix[row][col]`, row 0 at the top, e.g. a confusion matrix
 * (rows = true class, columns = predicted class); square cells.
 */
export function heatmapFigure(matrix: ArrayLike<number>[], options: HeatmapOptions = {}): Figure {
  const rows = matrix.length;
  const cols = rows ? matrix[0].length : 0;
  for (const [i, row] of Array.from(matrix).entries()) {
    if (row.length !== cols) throw new Error(`heatmapFigure: row ${i} has ${row.length} values, row 0 has ${cols}`);
  }
  let z = Array.from(matrix, (row) => Array.from(row));
  if (options.normalize) {
    z = z.map((row) => {
      const sum = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (sum > 0 ? v / sum : 0));
    });
  }
  const x = options.x ?? Array.from({ length: cols }, (_, i) => String(i));
  const y = options.y ?? (rows === cols && options.x ? options.x : Array.from({ length: rows }, (_, i) => String(i)));
  const showValues = options.showValues ?? rows * cols <= 400;
  const integers = z.every((row) => row.every((v) => Number.isInteger(v)));
  const trace: Trace = {
    type: 'heatmap',
    z,
    x,
    y,
    colorscale: options.colorscale ?? 'Blues',
    hovertemplate: `${options.yTitle ?? 'true'} %{y}, ${options.xTitle ?? 'predicted'} %{x}: %{z}<extra></extra>`,
  };
  if (showValues) {
    trace.text = z.map((row) => row.map((v) => (integers ? String(v) : v.toFixed(2))));
    trace.texttemplate = '%{text}';
  }
  const cell = Math.max(28, Math.min(60, Math.floor(480 / Math.max(rows, cols, 1))));
  const layout = baseLayout(options.title, {
    width: cols * cell + 180,
    height: rows * cell + (options.title ? 150 : 110),
    xaxis: axis(options.xTitle ?? 'predicted', { showgrid: false, showline: false, type: 'category', constrain: 'domain' }),
    yaxis: axis(options.yTitle ?? 'true', {
      showgrid: false,
      showline: false,
      type: 'category',
      autorange: 'reversed',
      scaleanchor: 'x',
      constrain: 'domain',
    }),
  });
  return { data: [trace], layout };
}

/**
 * The training curve every trainer's history gives: loss per epoch on the left axis, training
 * accuracy (and any monitor columns, e.g. `{ knn: 'kNN accuracy (test monitor)' }`) on a right
 * axis in percent.
 */
export function trainingCurveFigure(history: Array<Record<string, unknown>>, opts: { title: string; accuracy?: string; monitors?: Record<string, string> }): Figure {
  const monitors = opts.monitors ?? {};
  return lineFigure(history, {
    x: 'epoch',
    ys: ['loss'],
    y2s: ['accuracy', ...Object.keys(monitors)],
    names: { loss: 'loss', accuracy: opts.accuracy ?? 'class accuracy (train)', ...monitors },
    title: opts.title,
    xTitle: 'epoch',
    yTitle: 'loss',
    y2Title: 'accuracy',
    y2Format: '.0%',
  });
}
