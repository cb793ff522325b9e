import * as fs from 'fs';
import * as path from 'path';
import { Figure, ImageGridOptions, imageGridFigure, TableLike } from './figures';

/** The plotly mime type JupyterLab (and VS Code) render natively. */
export const PLOTLY_MIME = 'application/vnd.plotly.v1+json';

/** A Jupyter mime bundle: mime type -> data (strings, or JSON for JSON mime types). */
export type MimeBundle = Record<string, unknown>;

type WriteDisplayData = (
  msg: { data: MimeBundle; metadata: Record<string, unknown>; transient: Record<string, unknown> },
  update: boolean,
) => void;

/**
 * The running tslab kernel's display-data writer, or undefined outside a tslab kernel.
 *
 * tslab's public `display.raw(mime, data)` sends one mime type per output; a Jupyter output may
 * carry several (the plotly JSON with an HTML fallback), so we call the writer tslab's own
 * `display` uses (`lastWriteDisplayData` of tslab/dist/jupyter.js, set for the executing cell).
 * We look for that module among the ones already loaded, so plain Node never loads tslab.
 */
function kernelWriter(): WriteDisplayData | undefined {
  for (const [file, mod] of Object.entries(require.cache)) {
    if (/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) {
      const write = (mod?.exports as { lastWriteDisplayData?: unknown } | undefined)?.lastWriteDisplayData;
      if (typeof write === 'function') return write as WriteDisplayData;
    }
  }
  return undefined;
}

/** True inside a tslab kernel that is executing a cell (rich displays go to the notebook). */
export function inNotebook(): boolean {
  return kernelWriter() !== undefined;
}

/**
 * Send one display output carrying every mime type of `bundle`. Inside tslab it returns true;
 * elsewhere it prints `bundle['text/plain']` (if any) to stdout and returns false.
 */
export function displayBundle(bundle: MimeBundle): boolean {
  const write = kernelWriter();
  if (write) {
    sendWithRetry(() => write({ data: bundle, metadata: {}, transient: {} }, false));
    return true;
  }
  const text = bundle['text/plain'];
  if (typeof text === 'string') console.log(text);
  return false;
}

/**
 * tslab sends on its zeromq socket without waiting, and zeromq.js throws EBUSY ("Socket is busy
 * writing") when a send is still in flight; the cell would then fail with no error text (tslab's
 * own error report hits the same busy socket). Retry on the event loop instead, for up to 5 s.
 */
function sendWithRetry(send: () => void, tries = 250): void {
  try {
    send();
  } catch (e) {
    if (tries <= 0 || !/busy/i.test(String((e as Error)?.message))) throw e;
    setTimeout(() => sendWithRetry(send, tries - 1), 20);
  }
}

// One kernel session = one process: the flag lives on globalThis so that tslab recompiling
// src/viz (it reloads a changed module) does not inline the 4.8 MB bundle a second time.
const PLOTLY_INLINED = Symbol.for('selfsup.viz.plotlyInlined');
const FIGURE_COUNT = Symbol.for('selfsup.viz.figureCount');
type DisplayGlobals = { [PLOTLY_INLINED]?: boolean; [FIGURE_COUNT]?: number };
const globals = globalThis as unknown as DisplayGlobals;

/** JSON that is safe inside an HTML <script>: no `</script>`, no `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** The plotly.js bundle's source (plotly.js-dist-min), read when first needed. */
function plotlySource(): string {
  return fs.readFileSync(require.resolve('plotly.js-dist-min'), 'utf8');
}

/**
 * The `text/html` fallback of a figure: a div and a script that draws it with `Plotly.newPlot`,
 * preceded by the whole plotly.js bundle when `inlinePlotly` (the first figure of a kernel
 * session), so it renders in classic Notebook and in nbconvert's HTML export with no internet.
 * Later figures wait up to 10 s for `window.Plotly`, then say how to get it.
 */
export function figureHtml(fig: Figure, id: string, inlinePlotly: boolean): string {
  const height = typeof fig.layout.height === 'number' ? `${fig.layout.height}px` : '450px';
  const width = typeof fig.layout.width === 'number' ? `${fig.layout.width}px` : '100%';
  const bundle = inlinePlotly ? `<script type="text/javascript">${plotlySource()}</script>\n` : '';
  return `<div id="${id}" class="selfsup-figure" style="width:${width};height:${height};max-width:100%"></div>
${bundle}<script type="text/javascript">
(function () {
  var fig = ${scriptJson(fig)};
  var id = ${JSON.stringify(id)};
  var tries = 0;
  function draw() {
    var el = document.getElementById(id);
    if (!el) return;
    if (window.Plotly) {
      window.Plotly.newPlot(el, fig.data, fig.layout, {displaylogo: false, responsive: true});
    } else if (++tries < 100) {
      setTimeout(draw, 100);
    } else {
      el.textContent = 'plotly.js is not loaded on this page: run the notebook from the top (its first figure loads plotly.js).';
    }
  }
  draw();
})();
</script>`;
}

/** One line describing a figure: title, trace types and sizes. */
export function figureSummary(fig: Figure): string {
  const title = fig.layout.title?.text ?? 'figure';
  const types = new Map<string, number>();
  for (const t of fig.data) types.set(t.type, (types.get(t.type) ?? 0) + 1);
  const traces = [...types].map(([t, k]) => `${k} ${t}`).join(', ');
  return `[figure] ${title}: ${traces || 'no traces'}`;
}

/** Options of {@link showFigure}. */
export interface ShowFigureOptions {
  /**
   * Also save the spec as `<SELFSUP_RESULTS>/figures/<SELFSUP_NOTEBOOK>-<name>.json` (when both
   * variables are set, as `npm run lab` sets them); the runner renders it to a PNG beside it.
   */
  name?: string;
}

/**
 * Show a plotly figure. In a tslab kernel: one display output with the plotly mime type
 * (`application/vnd.plotly.v1+json`, for JupyterLab), a `text/html` fallback (classic Notebook,
 * exported HTML; see {@link figureHtml}) and a `text/plain` summary. Elsewhere: the one-line
 * summary on stdout. Returns nothing, so a cell ending in `showFigure(...)` prints nothing more.
 */
export function showFigure(fig: Figure, options: ShowFigureOptions = {}): void {
  const saved = options.name ? saveFigureSpec(fig, options.name) : undefined;
  if (inNotebook()) {
    const count = (globals[FIGURE_COUNT] = (globals[FIGURE_COUNT] ?? 0) + 1);
    const id = `selfsup-fig-${process.pid}-${count}-${Date.now().toString(36)}`;
    const inline = !globals[PLOTLY_INLINED];
    displayBundle({
      [PLOTLY_MIME]: { data: fig.data, layout: fig.layout, config: { displaylogo: false } },
      'text/html': figureHtml(fig, id, inline),
      'text/plain': figureSummary(fig),
    });
    globals[PLOTLY_INLINED] = true;
  } else {
    console.log(figureSummary(fig) + (saved ? ` -> ${saved}` : ''));
  }
}

/**
 * Write `fig` to `<SELFSUP_RESULTS>/figures/<SELFSUP_NOTEBOOK>-<name>.json` if both environment
 * variables are set; returns the path, or undefined when they are not set.
 */
export function saveFigureSpec(fig: Figure, name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(name)) {
    throw new Error(`figure name "${name}": use letters, digits, '-', '_' and '.' only`);
  }
  const results = process.env.SELFSUP_RESULTS;
  const notebook = process.env.SELFSUP_NOTEBOOK;
  if (!results || !notebook) return undefined;
  const dir = path.join(results, 'figures');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${notebook}-${name}.json`);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(fig));
  fs.renameSync(tmp, file);
  return file;
}

/** Show small images in a grid with captions: `showFigure(imageGridFigure(...))`. */
export function showImages(
  images: Uint8Array,
  n: number,
  h: number,
  w: number,
  c: number,
  captions: string[] = [],
  options: ImageGridOptions & ShowFigureOptions = {},
): void {
  showFigure(imageGridFigure(images, n, h, w, c, captions, options), { name: options.name });
}

/** Options of {@link showTable}. */
export interface ShowTableOptions {
  /** A heading shown above the table. */
  title?: string;
  /** Most fractional digits of numbers; default 4. */
  digits?: number;
  /** Most rows shown; default 100. */
  limit?: number;
}

/** An arquero table (with its own toHTML / toMarkdown) */
interface FormattableTable extends TableLike {
  toHTML(options?: { limit?: number; maxdigits?: number }): string;
  toMarkdown(options?: { limit?: number; maxdigits?: number }): string;
}

function isFormattable(t: unknown): t is FormattableTable {
  const f = t as Partial<FormattableTable>;
  return typeof f?.toHTML === 'function' && typeof f.toMarkdown === 'function';
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Show a table: an arquero table, or rows (`[{encoder: 'rotation', knn: 0.47}, ...]`, turned into
 * one with arquero's `from`). In tslab: arquero's `toHTML` (with `text/plain` markdown as the
 * fallback); elsewhere the markdown text on stdout.
 */
export function showTable(table: TableLike | Array<Record<string, unknown>>, options: ShowTableOptions = {}): void {
  let t: unknown = table;
  if (Array.isArray(table)) {
    // Loaded only when needed: arquero is an ES module (require(esm) works on Node >= 20.19).
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const aq = require('arquero') as { from(rows: unknown[]): unknown };
    t = aq.from(table);
  }
  if (!isFormattable(t)) throw new Error('showTable: expected an arquero table or an array of rows');
  const format = { limit: options.limit ?? 100, maxdigits: options.digits ?? 4 };
  const rows = t.numRows();
  const more = rows > format.limit ? `\n(${format.limit} of ${rows} rows)` : '';
  const heading = options.title ? `${options.title}\n` : '';
  displayBundle({
    'text/html':
      (options.title ? `<h4 style="margin:0.4em 0">${escapeHtml(options.title)}</h4>` : '') +
      t.toHTML(format) +
      (more ? `<p style="color:#666">${escapeHtml(more.trim())}</p>` : ''),
    'text/plain': heading + t.toMarkdown(format) + more,
  });
}

/** Show markdown text (rendered in the notebook; printed as is elsewhere). */
export function showMarkdown(md: string): void {
  displayBundle({ 'text/markdown': md, 'text/plain': md });
}
