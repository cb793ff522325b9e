// The lab's results page: every results/<notebook>.json gathered into one arquero table, written as
// results/index.html (runs, metrics, every figure; works offline from file://) and as a markdown
// table for the README (results/README-table.md).
//
// npx tsx scripts/results-page.ts [resultsDir] [--check] [--readme [README.md]]
//   writes the index and the markdown table; --check opens the index and every HTML export in
//   headless Chromium and exits 1 on a page error or a figure that did not draw; --readme replaces
//   the table between the README's `results-table` markers with results/README-table.md.
import * as aq from 'arquero';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { figureHtml } from '../src/viz/display';
import type { Figure } from '../src/viz/figures';
import type { NotebookRun } from './lab-core';

/** One results/<notebook>.json (DESIGN.md's contract); `extra` is whatever the notebook adds. */
export interface ResultsJson {
  notebook: string;
  budget: string;
  backend: string;
  seed: number;
  wall_s: number;
  images_per_s: number | null;
  metrics: Record<string, number>;
  extra?: unknown;
}

/** What the page knows about one notebook of the results folder. */
export interface NotebookEntry {
  notebook: string;
  /** `ok`/`failed` from this lab run, else read from the executed copy; `no results` when neither says. */
  status: 'ok' | 'failed' | 'no results';
  /** The failing cell's error (first lines), when known. */
  error?: string;
  results?: ResultsJson;
  /** Files beside the JSON, relative to the results folder, when they exist. */
  html?: string;
  ipynb?: string;
  json?: string;
  /** When the newest of those files was written (ISO time). */
  written?: string;
  figures: FigureEntry[];
}

/** One figure spec results/figures/<notebook>-<name>.json and its static images. */
export interface FigureEntry {
  name: string;
  /** Paths relative to the results folder. */
  spec: string;
  png?: string;
  svg?: string;
  title?: string;
}

/** One metric of one notebook: `<encoder>.<evaluation>` split at the first dot. */
export interface MetricRow {
  notebook: string;
  budget: string;
  backend: string;
  encoder: string;
  evaluation: string;
  value: number;
}

/** The page's files. */
export const INDEX_FILE = 'index.html';
export const README_TABLE_FILE = 'README-table.md';
/** Copied beside the index when a figure has no PNG, so that the page draws it offline. */
export const PLOTLY_FILE = 'plotly.min.js';
/** The markers around the generated table in README.md. */
export const README_BEGIN = '<!-- results-table:begin (generated: npx tsx scripts/results-page.ts --readme) -->';
export const README_END = '<!-- results-table:end -->';

function isResultsJson(v: unknown): v is ResultsJson {
  const r = v as Partial<ResultsJson>;
  return typeof r?.notebook === 'string' && typeof r.metrics === 'object' && r.metrics !== null;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The parsed results JSONs of `resultsDir` (files that are not results JSON are skipped), sorted by notebook. */
export function readResultsFiles(resultsDir: string): ResultsJson[] {
  if (!fs.existsSync(resultsDir)) return [];
  return fs
    .readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readJson(path.join(resultsDir, f)))
    .filter(isResultsJson);
}

/**
 * Every metric of every results/<notebook>.json as one long arquero table:
 * columns notebook, budget, backend, encoder, evaluation, value (one row per notebook x metric).
 */
export function gatherResults(resultsDir: string): aq.ColumnTable {
  const rows: MetricRow[] = [];
  for (const r of readResultsFiles(resultsDir)) {
    for (const [name, value] of Object.entries(r.metrics)) {
      if (typeof value !== 'number') continue;
      const dot = name.indexOf('.');
      rows.push({
        notebook: r.notebook,
        budget: r.budget,
        backend: r.backend,
        encoder: dot > 0 ? name.slice(0, dot) : name,
        evaluation: dot > 0 ? name.slice(dot + 1) : '',
        value,
      });
    }
  }
  if (!rows.length) return aq.table({ notebook: [], budget: [], backend: [], encoder: [], evaluation: [], value: [] });
  return aq.from(rows);
}

/** A fraction as a percentage with one decimal ("37.4%"); other numbers with 3 significant digits. */
export function formatMetric(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '';
  return v >= 0 && v <= 1 ? `${(v * 100).toFixed(1)}%` : Number(v.toPrecision(3)).toString();
}

/** A variant of a headline evaluation (`knn.block2`, `linear.shots5`, `knn.noise75`): its suffix, else undefined. */
function variantSuffix(evaluation: string): string | undefined {
  const m = /^(knn|linear)\.(.+)$/.exec(evaluation);
  return m ? m[2] : undefined;
}

/**
 * The headline table (the index's and the README's): one row per notebook x encoder, in the
 * order the notebook reports them, with columns notebook, encoder, knn, linear (percent strings)
 * and `other`: the notebook's other evaluations ("order_verification 61.0%") and the sweeps it
 * ran ("sweep: block1, block2"), whose numbers are in the notebook's own table on the page.
 */
export function headlineTable(long: aq.ColumnTable): aq.ColumnTable {
  const rows = long.objects() as unknown as MetricRow[];
  const byKey = new Map<string, { notebook: string; encoder: string; knn?: number; linear?: number; other: string[]; sweep: string[] }>();
  for (const r of rows) {
    const key = `${r.notebook}\u0000${r.encoder}`;
    let row = byKey.get(key);
    if (!row) byKey.set(key, (row = { notebook: r.notebook, encoder: r.encoder, other: [], sweep: [] }));
    if (r.evaluation === 'knn') row.knn = r.value;
    else if (r.evaluation === 'linear') row.linear = r.value;
    else {
      const suffix = variantSuffix(r.evaluation);
      if (suffix) {
        if (!row.sweep.includes(suffix)) row.sweep.push(suffix);
      } else row.other.push(`${r.evaluation || '(value)'} ${formatMetric(r.value)}`);
    }
  }
  const out = [...byKey.values()].map((r) => ({
    notebook: r.notebook,
    encoder: r.encoder,
    knn: formatMetric(r.knn),
    linear: formatMetric(r.linear),
    other: [...r.other, ...(r.sweep.length ? [`sweep: ${r.sweep.join(', ')}`] : [])].join('; '),
  }));
  if (!out.length) return aq.table({ notebook: [], encoder: [], knn: [], linear: [], other: [] });
  return aq.from(out);
}

/** One notebook's metrics wide: a row per encoder, a column per evaluation (percent strings). */
export function notebookMetricsTable(long: aq.ColumnTable, notebook: string): aq.ColumnTable {
  const rows = (long.objects() as unknown as MetricRow[]).filter((r) => r.notebook === notebook);
  const evaluations: string[] = [];
  const encoders = new Map<string, Record<string, string>>();
  for (const r of rows) {
    const ev = r.evaluation || '(value)';
    if (!evaluations.includes(ev)) evaluations.push(ev);
    if (!encoders.has(r.encoder)) encoders.set(r.encoder, { encoder: r.encoder });
    encoders.get(r.encoder)![ev] = formatMetric(r.value);
  }
  // Headline evaluations first, then the rest in the notebook's order.
  const rank = (e: string) => (e === 'knn' ? 0 : e === 'linear' ? 1 : 2);
  evaluations.sort((a, b) => rank(a) - rank(b));
  const cols: Record<string, string[]> = { encoder: [...encoders.keys()] };
  for (const ev of evaluations) cols[ev] = [...encoders.values()].map((r) => r[ev] ?? '');
  return aq.table(cols);
}

/** Status of an executed notebook read from its cells: `failed` with the error when a cell has an error output. */
function statusFromIpynb(file: string): { status: 'ok' | 'failed'; error?: string } | undefined {
  const nb = readJson(file) as { cells?: { outputs?: { output_type?: string; ename?: string; evalue?: string }[] }[] } | undefined;
  if (!nb?.cells) return undefined;
  for (const [i, cell] of nb.cells.entries()) {
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') return { status: 'failed', error: `cell ${i + 1}: ${out.ename ?? 'Error'}: ${out.evalue ?? ''}`.trim() };
    }
  }
  return { status: 'ok' };
}

/** The notebook a figure file `<notebook>-<name>.json` belongs to: the longest known name it starts with. */
function figureOwner(file: string, notebooks: string[]): string | undefined {
  return notebooks.filter((n) => file.startsWith(`${n}-`)).sort((a, b) => b.length - a.length)[0];
}

/**
 * What the results folder holds, one entry per notebook (a results JSON, an executed copy or a run
 * of `runs`), sorted by name. `runs` (this lab run) give the status; without one, the executed
 * copy's error outputs do.
 */
export function listEntries(resultsDir: string, runs: NotebookRun[] = []): NotebookEntry[] {
  const files = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir) : [];
  const results = new Map(readResultsFiles(resultsDir).map((r) => [r.notebook, r]));
  const names = new Set<string>([...results.keys(), ...runs.map((r) => r.notebook)]);
  for (const f of files) if (f.endsWith('.ipynb')) names.add(f.slice(0, -'.ipynb'.length));
  const sorted = [...names].sort();
  const figDir = path.join(resultsDir, 'figures');
  const figFiles = fs.existsSync(figDir) ? fs.readdirSync(figDir) : [];
  const mtime = (f: string) => fs.statSync(path.join(resultsDir, f)).mtimeMs;
  return sorted.map((notebook) => {
    const entry: NotebookEntry = { notebook, status: 'no results', results: results.get(notebook), figures: [] };
    const has = (f: string) => files.includes(f) ? f : undefined;
    entry.html = has(`${notebook}.html`);
    entry.ipynb = has(`${notebook}.ipynb`);
    entry.json = entry.results ? has(`${notebook}.json`) : undefined;
    const times = [entry.html, entry.ipynb, entry.json].filter((f): f is string => !!f).map(mtime);
    if (times.length) entry.written = new Date(Math.max(...times)).toISOString();
    const run = runs.find((r) => r.notebook === notebook);
    if (run) {
      entry.status = run.status;
      if (run.error) entry.error = run.error;
    } else if (entry.ipynb) {
      const s = statusFromIpynb(path.join(resultsDir, entry.ipynb));
      if (s) Object.assign(entry, s);
    } else if (entry.results) {
      entry.status = 'ok';
    }
    const specs = figFiles
      .filter((f) => f.endsWith('.json') && figureOwner(f, sorted) === notebook)
      .map((f) => path.join('figures', f))
      // The order the notebook showed them in.
      .sort((a, b) => mtime(a) - mtime(b) || a.localeCompare(b));
    for (const spec of specs) {
      const base = spec.slice(0, -'.json'.length);
      const fig: FigureEntry = { name: path.basename(base).slice(notebook.length + 1), spec };
      // A PNG older than its spec is from an earlier run: draw the spec instead.
      if (figFiles.includes(path.basename(base) + '.png') && mtime(base + '.png') >= mtime(spec) - 1000) fig.png = base + '.png';
      if (figFiles.includes(path.basename(base) + '.svg') && mtime(base + '.svg') >= mtime(spec) - 1000) fig.svg = base + '.svg';
      const parsed = readJson(path.join(resultsDir, spec)) as Partial<Figure> | undefined;
      const title = parsed?.layout?.title?.text;
      if (typeof title === 'string') fig.title = title.replace(/<[^>]*>/g, '');
      entry.figures.push(fig);
    }
    return entry;
  });
}

/** The machine this process runs on, in one line: CPU model x cores, memory, OS, Node. */
export function machineDescription(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  const gib = (os.totalmem() / 2 ** 30).toFixed(0);
  return `${model}, ${cpus.length} cores, ${gib} GiB RAM, ${os.type()} ${os.release()}, Node ${process.version}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A relative path as an href (each segment URL-encoded). */
function href(rel: string): string {
  return rel.split(path.sep).map(encodeURIComponent).join('/');
}

function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '';
  if (s < 60) return `${s.toFixed(1)} s`;
  const whole = Math.round(s); // 1919.5 s is 32 min 0 s, not 31 min 60 s
  const m = Math.floor(whole / 60);
  return m < 60 ? `${m} min ${whole - 60 * m} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The distinct values of `key` over the entries' results, joined ("quick", "smoke, quick"). */
function distinct(entries: NotebookEntry[], key: 'budget' | 'backend'): string {
  return [...new Set(entries.map((e) => e.results?.[key]).filter((v): v is string => !!v))].join(', ') || 'none';
}

/** The runs table as plain rows (the index's first table and the README's caption use it). */
export function runsTable(entries: NotebookEntry[]): aq.ColumnTable {
  const rows = entries.map((e) => ({
    notebook: e.notebook,
    status: e.status,
    budget: e.results?.budget ?? '',
    backend: e.results?.backend ?? '',
    'wall time': formatSeconds(e.results?.wall_s),
    'images/s': e.results?.images_per_s == null ? '' : String(Math.round(e.results.images_per_s)),
    metrics: e.results ? String(Object.keys(e.results.metrics).length) : '',
    figures: String(e.figures.length),
  }));
  if (!rows.length) return aq.table({ notebook: [], status: [], budget: [], backend: [], 'wall time': [], 'images/s': [], metrics: [], figures: [] });
  return aq.from(rows);
}

/**
 * The README's table, in markdown: a caption line (budgets, backends, machine, date; how it is
 * made) and the headline table with each notebook's budget and wall time folded in.
 */
export function resultsMarkdown(resultsDir: string, machine: string = machineDescription(), date: Date = new Date()): string {
  const entries = listEntries(resultsDir).filter((e) => e.results);
  const long = gatherResults(resultsDir);
  const head = headlineTable(long).objects() as Record<string, string>[];
  const byNb = new Map(entries.map((e) => [e.notebook, e.results!]));
  const lines = [
    `Budget ${distinct(entries, 'budget')}, backend ${distinct(entries, 'backend')}; ${machine}; ${date.toISOString().slice(0, 10)}.`,
    `Frozen-feature accuracy on each notebook's test set (kNN, linear probe); made by \`npm run lab\` (results/${README_TABLE_FILE}).`,
    '',
    '| notebook | budget | wall time | encoder | kNN | linear | other |',
    '|---|---|---|---|---:|---:|---|',
  ];
  let last = '';
  for (const r of head) {
    const first = r.notebook !== last;
    last = r.notebook;
    const res = byNb.get(r.notebook);
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    lines.push(
      `| ${first ? `\`${cell(r.notebook)}\`` : ''} | ${first ? cell(res?.budget ?? '') : ''} | ${first ? formatSeconds(res?.wall_s) : ''} | ${cell(r.encoder)} | ${r.knn} | ${r.linear} | ${cell(r.other)} |`,
    );
  }
  if (!head.length) lines.push('| (no results yet) | | | | | | |');
  return lines.join('\n') + '\n';
}

/** `readme` with the text between {@link README_BEGIN} and {@link README_END} replaced by `table`. Throws when the markers are missing. */
export function replaceReadmeTable(readme: string, table: string): string {
  const begin = readme.indexOf(README_BEGIN);
  const end = readme.indexOf(README_END);
  if (begin < 0 || end < begin) throw new Error(`README: no "${README_BEGIN}" ... "${README_END}" markers to put the results table between`);
  return readme.slice(0, begin + README_BEGIN.length) + '\n' + table.trimEnd() + '\n' + readme.slice(end);
}

/** Put results/README-table.md (made by the last lab run) into README.md between the markers. Returns the README's path. */
export function updateReadmeTable(resultsDir: string, readmePath: string): string {
  const table = path.join(resultsDir, README_TABLE_FILE);
  if (!fs.existsSync(table)) throw new Error(`${table} not found: run npm run lab first`);
  fs.writeFileSync(readmePath, replaceReadmeTable(fs.readFileSync(readmePath, 'utf8'), fs.readFileSync(table, 'utf8')));
  return readmePath;
}

const STYLE = `
body { font-family: system-ui, sans-serif; margin: 1.5em auto; max-width: 1100px; padding: 0 1em; color: #222; }
h1 { margin-bottom: 0.2em; } .meta { color: #555; margin-top: 0; }
table { border-collapse: collapse; margin: 0.6em 0 1.2em; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.25em 0.7em; text-align: left; }
th { background: #f4f4f4; }
.ok { color: #176b27; font-weight: 600; } .failed { color: #b00020; font-weight: 600; } .no-results { color: #8a6d00; font-weight: 600; }
pre.error { background: #fff0f0; border-left: 3px solid #b00020; padding: 0.5em; white-space: pre-wrap; font-size: 0.85em; }
section.notebook { border-top: 2px solid #ccc; margin-top: 2em; }
figure { margin: 1em 0 1.5em; } figure img { max-width: 100%; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; }
.selfsup-figure-broken { border: 2px dashed #b00020; padding: 1em; color: #b00020; }
`;

/** Options of {@link writeIndex}. */
export interface WriteIndexOptions {
  /** This lab run's outcomes (their status and errors); other notebooks' status comes from their executed copy. */
  runs?: NotebookRun[];
  /** Shown in the page's header; default {@link machineDescription}. */
  machine?: string;
  date?: Date;
}

/** HTML of one figure: its PNG (links to SVG and spec), else the spec drawn by plotly.js, else a visible error. */
function figureBlock(resultsDir: string, fig: FigureEntry, id: string): { html: string; needsPlotly: boolean } {
  const links = [fig.svg && `<a href="${href(fig.svg)}">SVG</a>`, fig.png && `<a href="${href(fig.png)}">PNG</a>`, `<a href="${href(fig.spec)}">plotly spec</a>`]
    .filter(Boolean)
    .join(' · ');
  const caption = `<figcaption><b>${escapeHtml(fig.name)}</b>${fig.title ? `: ${escapeHtml(fig.title)}` : ''} (${links})</figcaption>`;
  if (fig.png) {
    return { html: `<figure><img class="selfsup-figure" src="${href(fig.png)}" alt="${escapeHtml(fig.title ?? fig.name)}">${caption}</figure>`, needsPlotly: false };
  }
  let spec: Figure | undefined;
  let problem = '';
  try {
    spec = JSON.parse(fs.readFileSync(path.join(resultsDir, fig.spec), 'utf8')) as Figure;
    if (!Array.isArray(spec?.data)) problem = 'the spec has no data array';
    else spec.layout ??= {} as Figure['layout'];
  } catch (err) {
    problem = (err as Error).message;
  }
  if (problem || !spec) {
    // Never draws, so the browser check reports it.
    return { html: `<figure><div class="selfsup-figure selfsup-figure-broken">figure spec ${escapeHtml(fig.spec)} is unreadable: ${escapeHtml(problem)}</div>${caption}</figure>`, needsPlotly: false };
  }
  return { html: `<figure>${figureHtml(spec, id, false)}${caption}</figure>`, needsPlotly: true };
}

/**
 * Write `<resultsDir>/index.html` (and `README-table.md`): the runs (status, budget, backend, wall
 * time, images/s, links to each notebook's HTML export, executed .ipynb and JSON; a failed run's
 * error), the headline metrics table (arquero), and per notebook its whole metrics table and every
 * figure (its PNG, else its plotly spec drawn with plotly.js copied beside the page as
 * `plotly.min.js`, so the page works offline from file://). Returns the index's path.
 */
export function writeIndex(resultsDir: string, options: WriteIndexOptions = {}): string {
  fs.mkdirSync(resultsDir, { recursive: true });
  const machine = options.machine ?? machineDescription();
  const date = options.date ?? new Date();
  const entries = listEntries(resultsDir, options.runs);
  const long = gatherResults(resultsDir);
  // Numbers (percent strings) right-aligned, names left.
  const tableHtml = (t: aq.ColumnTable) =>
    t.toHTML({ null: () => '', align: Object.fromEntries(t.columnNames().map((c) => [c, ['notebook', 'encoder', 'other'].includes(c) ? 'l' : 'r'])) });
  const statusClass = (s: string) => s.replace(/\s+/g, '-');

  const runsRows = entries
    .map((e) => {
      const r = e.results;
      const links = [e.html && `<a href="${href(e.html)}">HTML</a>`, e.ipynb && `<a href="${href(e.ipynb)}">ipynb</a>`, e.json && `<a href="${href(e.json)}">JSON</a>`]
        .filter(Boolean)
        .join(' · ');
      return `<tr><td><a href="#nb-${escapeHtml(e.notebook)}">${escapeHtml(e.notebook)}</a></td><td class="${statusClass(e.status)}">${e.status}</td>
<td>${escapeHtml(r?.budget ?? '')}</td><td>${escapeHtml(r?.backend ?? '')}</td><td>${formatSeconds(r?.wall_s)}</td>
<td>${r?.images_per_s == null ? '' : Math.round(r.images_per_s)}</td><td>${e.figures.length}</td><td>${links}</td><td>${e.written ? e.written.slice(0, 16).replace('T', ' ') : ''}</td></tr>`;
    })
    .join('\n');

  let figureCount = 0;
  let needsPlotly = false;
  const sections = entries.map((e) => {
    const parts = [`<section class="notebook" id="nb-${escapeHtml(e.notebook)}"><h2>${escapeHtml(e.notebook)} <span class="${statusClass(e.status)}">${e.status}</span></h2>`];
    const links = [e.html && `<a href="${href(e.html)}">the notebook, executed (HTML)</a>`, e.ipynb && `<a href="${href(e.ipynb)}">.ipynb</a>`, e.json && `<a href="${href(e.json)}">results JSON</a>`];
    parts.push(`<nav>${links.filter(Boolean).join(' · ') || 'no files'}</nav>`);
    if (e.error) parts.push(`<pre class="error">${escapeHtml(e.error.split('\n').slice(0, 40).join('\n'))}</pre>`);
    if (e.results) {
      const r = e.results;
      parts.push(`<p class="meta">budget ${escapeHtml(r.budget)}, backend ${escapeHtml(r.backend)}, seed ${r.seed}, ${formatSeconds(r.wall_s)}${r.images_per_s == null ? '' : `, ${Math.round(r.images_per_s)} images/s`}</p>`);
      parts.push(tableHtml(notebookMetricsTable(long, e.notebook)));
      if (r.extra !== undefined) {
        const text = JSON.stringify(r.extra, null, 1);
        parts.push(`<details><summary>extra (what else the notebook recorded)</summary><pre>${escapeHtml(text.length > 20000 ? text.slice(0, 20000) + '\n...' : text)}</pre></details>`);
      }
    }
    for (const fig of e.figures) {
      const block = figureBlock(resultsDir, fig, `selfsup-index-fig-${++figureCount}`);
      needsPlotly ||= block.needsPlotly;
      parts.push(block.html);
    }
    parts.push('</section>');
    return parts.join('\n');
  });

  if (needsPlotly) fs.copyFileSync(require.resolve('plotly.js-dist-min'), path.join(resultsDir, PLOTLY_FILE));
  const failed = entries.filter((e) => e.status !== 'ok');
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>selfsup results</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${STYLE}</style>
${needsPlotly ? `<script src="${PLOTLY_FILE}"></script>` : ''}
</head><body>
<h1>selfsup results</h1>
<p class="meta">${entries.length} notebook(s)${failed.length ? `, <span class="failed">${failed.length} not ok: ${failed.map((e) => escapeHtml(e.notebook)).join(', ')}</span>` : ''}; budget ${escapeHtml(distinct(entries, 'budget'))}, backend ${escapeHtml(distinct(entries, 'backend'))}.<br>
Page written ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC on ${escapeHtml(machine)}.</p>
<h2>Runs</h2>
<table><thead><tr><th>notebook</th><th>status</th><th>budget</th><th>backend</th><th>wall time</th><th>images/s</th><th>figures</th><th>files</th><th>written (UTC)</th></tr></thead>
<tbody>
${runsRows}
</tbody></table>
<h2>Frozen-feature accuracy</h2>
<p class="meta">kNN and linear probe on each notebook's test set; "other" lists its other evaluations and the sweeps whose numbers are in its own table below.</p>
${tableHtml(headlineTable(long))}
${sections.join('\n')}
</body></html>
`;
  const index = path.join(resultsDir, INDEX_FILE);
  fs.writeFileSync(index, html);
  fs.writeFileSync(path.join(resultsDir, README_TABLE_FILE), resultsMarkdown(resultsDir, machine, date));
  return index;
}

/** The HTML files the browser check opens for a results folder: the index, then every notebook's export. */
export function pagesToCheck(resultsDir: string): string[] {
  const index = path.join(resultsDir, INDEX_FILE);
  const exports = listEntries(resultsDir)
    .filter((e) => e.html)
    .map((e) => path.join(resultsDir, e.html!));
  return [...(fs.existsSync(index) ? [index] : []), ...exports];
}

async function main(argv: string[]): Promise<number> {
  const args = argv.filter((a) => !a.startsWith('--'));
  const readmeAt = argv.indexOf('--readme');
  const readme = readmeAt >= 0 ? (argv[readmeAt + 1] && !argv[readmeAt + 1].startsWith('--') ? argv[readmeAt + 1] : path.resolve(__dirname, '..', 'README.md')) : undefined;
  const dir = path.resolve(args.filter((a) => a !== readme)[0] ?? path.resolve(__dirname, '..', 'results'));
  const index = writeIndex(dir);
  console.log(`[results] ${index}`);
  console.log(`[results] ${path.join(dir, README_TABLE_FILE)}`);
  if (readme) console.log(`[results] updated ${updateReadmeTable(dir, readme)}`);
  if (argv.includes('--check')) {
    const { checkPagesInBrowser, describeCheck } = await import('./browser-check');
    const checks = await checkPagesInBrowser(pagesToCheck(dir));
    for (const c of checks) console.log(describeCheck(c));
    return checks.every((c) => c.ok) ? 0 : 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error((err as Error).message);
      process.exitCode = 2;
    },
  );
}
