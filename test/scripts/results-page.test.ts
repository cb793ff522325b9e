import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkPagesInBrowser, CHROMIUM_PATH, describeCheck, PageCheck } from '../../scripts/browser-check';
import { NotebookRun, renderFigurePngs } from '../../scripts/lab-core';
import {
  formatMetric,
  gatherResults,
  headlineTable,
  listEntries,
  notebookMetricsTable,
  pagesToCheck,
  PLOTLY_FILE,
  README_BEGIN,
  README_END,
  replaceReadmeTable,
  resultsMarkdown,
  updateReadmeTable,
  writeIndex,
} from '../../scripts/results-page';
import { figureHtml, saveFigureSpec } from '../../src/viz/display';
import { barFigure, Figure, lineFigure } from '../../src/viz/figures';

const noChromium = !fs.existsSync(CHROMIUM_PATH) && `${CHROMIUM_PATH} not found (Debian: apt-get install chromium); the browser check needs it`;

const accuracy = barFigure({ random: { knn: 0.31, linear: 0.35 }, rotation: { knn: 0.47, linear: 0.52 } }, { title: 'Frozen-feature accuracy' });
const curve = lineFigure({ epoch: [1, 2, 3], loss: [2.3, 1.7, 1.2] }, { x: 'epoch', ys: ['loss'], title: 'Rotation training' });

/** A results JSON in DESIGN.md's shape. */
function resultsJson(notebook: string, budget: string, metrics: Record<string, number>, extra?: unknown) {
  return { notebook, budget, backend: 'wasm', seed: 1, wall_s: 75.5, images_per_s: 250.4, metrics, ...(extra ? { extra } : {}) };
}

/** Save a figure spec the way a notebook run does (showFigure -> saveFigureSpec, SELFSUP_RESULTS/SELFSUP_NOTEBOOK set). */
function saveSpec(dir: string, notebook: string, fig: Figure, name: string): string {
  const saved = { results: process.env.SELFSUP_RESULTS, notebook: process.env.SELFSUP_NOTEBOOK };
  process.env.SELFSUP_RESULTS = dir;
  process.env.SELFSUP_NOTEBOOK = notebook;
  try {
    return saveFigureSpec(fig, name)!;
  } finally {
    for (const [k, v] of [['SELFSUP_RESULTS', saved.results], ['SELFSUP_NOTEBOOK', saved.notebook]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

/** An HTML export as nbconvert writes one for our figures: each figure is display.ts's text/html fallback, the first inlining plotly.js. */
function exportHtml(figs: Figure[], inlineFirst = true): string {
  const outputs = figs.map((f, i) => `<div class="jp-OutputArea-output">${figureHtml(f, `selfsup-fig-test-${i}`, inlineFirst && i === 0)}</div>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>export</title></head><body>\n${outputs.join('\n')}\n</body></html>`;
}

/**
 * A tiny results folder: 01-alpha ran (JSON, executed copy, HTML export, two figures), 02-beta
 * failed in its third cell (JSON from an earlier cell, executed copy with the error).
 */
function makeResults(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const write = (f: string, v: unknown) => fs.writeFileSync(path.join(dir, f), typeof v === 'string' ? v : JSON.stringify(v, null, 1));
  write('01-alpha.json', resultsJson('01-alpha', 'smoke', { 'random.knn': 0.31, 'random.linear': 0.35, 'rotation.knn': 0.47, 'rotation.linear': 0.52, 'rotation.knn.block2': 0.5 }, { note: 'a <b> tag' }));
  write('01-alpha.ipynb', { nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: '1', metadata: {}, outputs: [{ output_type: 'stream', name: 'stdout', text: 'ok' }] }] });
  write('01-alpha.html', exportHtml([curve, accuracy]));
  write('02-beta.json', resultsJson('02-beta', 'smoke', { 'shuffle_and_learn.knn': 0.22, 'shuffle_and_learn.order_verification': 0.61, 'random.knn': 0.2 }));
  write('02-beta.ipynb', {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [
      { cell_type: 'markdown', source: '# beta', metadata: {} },
      { cell_type: 'code', source: 'x', metadata: {}, outputs: [] },
      { cell_type: 'code', source: 'boom()', metadata: {}, outputs: [{ output_type: 'error', ename: 'ReferenceError', evalue: 'boom is not defined', traceback: [] }] },
    ],
  });
  write('unrelated.json', { not: 'a results file' });
  // Shown in this order (the page orders a notebook's figures by when they were written).
  const t = Date.now() / 1000;
  fs.utimesSync(saveSpec(dir, '01-alpha', curve, 'training'), t - 3, t - 3);
  fs.utimesSync(saveSpec(dir, '01-alpha', accuracy, 'accuracy'), t - 2, t - 2);
  fs.utimesSync(saveSpec(dir, '02-beta', accuracy, 'order'), t - 1, t - 1);
}

describe('gathering results (arquero)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-results-page-'));
    makeResults(dir);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('one long row per notebook x metric; files that are not results JSON are skipped', () => {
    const t = gatherResults(dir);
    assert.deepEqual(t.columnNames(), ['notebook', 'budget', 'backend', 'encoder', 'evaluation', 'value']);
    assert.equal(t.numRows(), 8, '5 + 3 metrics');
    const rows = t.objects() as Record<string, unknown>[];
    assert.deepEqual(rows[4], { notebook: '01-alpha', budget: 'smoke', backend: 'wasm', encoder: 'rotation', evaluation: 'knn.block2', value: 0.5 });
    assert.equal(gatherResults(path.join(dir, 'missing')).numRows(), 0, 'no folder: an empty table');
  });

  test('headline table: kNN and linear in percent, other evaluations and sweeps named', () => {
    const rows = headlineTable(gatherResults(dir)).objects();
    assert.deepEqual(rows, [
      { notebook: '01-alpha', encoder: 'random', knn: '31.0%', linear: '35.0%', other: '' },
      { notebook: '01-alpha', encoder: 'rotation', knn: '47.0%', linear: '52.0%', other: 'sweep: block2' },
      { notebook: '02-beta', encoder: 'shuffle_and_learn', knn: '22.0%', linear: '', other: 'order_verification 61.0%' },
      { notebook: '02-beta', encoder: 'random', knn: '20.0%', linear: '', other: '' },
    ]);
    assert.equal(formatMetric(0.4567), '45.7%');
    assert.equal(formatMetric(12.345), '12.3', 'not a fraction: plain number');
  });

  test("a notebook's own table: an encoder per row, every evaluation a column", () => {
    const t = notebookMetricsTable(gatherResults(dir), '01-alpha');
    assert.deepEqual(t.columnNames(), ['encoder', 'knn', 'linear', 'knn.block2']);
    assert.deepEqual(t.objects()[1], { encoder: 'rotation', knn: '47.0%', linear: '52.0%', 'knn.block2': '50.0%' });
  });

  test('status: from this run when given, else from the executed copy; figures in the order shown', () => {
    const entries = listEntries(dir);
    assert.deepEqual(entries.map((e) => [e.notebook, e.status]), [['01-alpha', 'ok'], ['02-beta', 'failed']]);
    assert.match(entries[1].error!, /cell 3: ReferenceError: boom is not defined/);
    assert.deepEqual(entries[0].figures.map((f) => f.name), ['training', 'accuracy']);
    assert.equal(entries[0].figures[1].title, 'Frozen-feature accuracy');
    const run: NotebookRun = { notebook: '02-beta', status: 'failed', wall_s: 3, pngs: [], error: 'code cell 3 of 4 failed: the real text' };
    assert.equal(listEntries(dir, [run])[1].error, run.error, "the run's error wins");
  });

  test('the README table: caption with budget, backend and machine; one row per notebook x encoder', () => {
    const md = resultsMarkdown(dir, 'Test CPU, 2 cores', new Date('2025-01-02T03:04:05Z'));
    assert.match(md, /^Budget smoke, backend wasm; Test CPU, 2 cores; 2025-01-02\./);
    assert.match(md, /\| `01-alpha` \| smoke \| 1 min 16 s \| random \| 31\.0% \| 35\.0% \|  \|/);
    assert.match(md, /\|  \|  \|  \| rotation \| 47\.0% \| 52\.0% \| sweep: block2 \|/);
    assert.match(md, /\| `02-beta` .* order_verification 61\.0% \|/);
    const readme = `# x\n\nintro\n${README_BEGIN}\nold table\n${README_END}\nrest\n`;
    const updated = replaceReadmeTable(readme, md);
    assert.ok(updated.startsWith(`# x\n\nintro\n${README_BEGIN}\nBudget smoke`), 'table after the begin marker');
    assert.ok(updated.endsWith(`${README_END}\nrest\n`), 'the rest untouched');
    assert.doesNotMatch(updated, /old table/);
    assert.equal(replaceReadmeTable(updated, md), updated, 'idempotent');
    assert.throws(() => replaceReadmeTable('# no markers', md), /no ".*results-table:begin.*" .* markers/);
  });

  test('writeIndex: runs, failures, metrics, links and every figure; plotly.js copied beside it', () => {
    const index = writeIndex(dir, { machine: 'Test CPU, 2 cores', date: new Date('2025-01-02T03:04:05Z') });
    assert.equal(index, path.join(dir, 'index.html'));
    const html = fs.readFileSync(index, 'utf8');
    assert.match(html, /Test CPU, 2 cores/, 'machine');
    assert.match(html, /<td class="failed">failed<\/td>/, 'the failed notebook');
    assert.match(html, /boom is not defined/, 'its error');
    assert.match(html, /<a href="01-alpha\.html">HTML<\/a> · <a href="01-alpha\.ipynb">ipynb<\/a> · <a href="01-alpha\.json">JSON<\/a>/, 'links');
    assert.match(html, /order_verification 61\.0%/, 'headline table');
    assert.match(html, /a &lt;b&gt; tag/, 'extra, escaped');
    assert.equal((html.match(/class="selfsup-figure"/g) ?? []).length, 3, 'three figures, drawn from their specs');
    assert.match(html, /<script src="plotly\.min\.js"><\/script>/, 'plotly.js referenced relatively');
    assert.ok(fs.statSync(path.join(dir, PLOTLY_FILE)).size > 1e6, 'plotly.js copied');
    assert.ok(fs.existsSync(path.join(dir, 'README-table.md')), 'README table written');
    assert.deepEqual(pagesToCheck(dir).map((f) => path.basename(f)), ['index.html', '01-alpha.html']);
    const readme = path.join(dir, 'README.md');
    fs.writeFileSync(readme, `a\n${README_BEGIN}\n${README_END}\n`);
    updateReadmeTable(dir, readme);
    assert.match(fs.readFileSync(readme, 'utf8'), /Budget smoke, backend wasm; Test CPU, 2 cores; 2025-01-02/);
  });
});

describe('in headless Chromium', { skip: noChromium }, () => {
  let dir: string;
  let pngs: string[];
  let good: PageCheck[];
  let broken: PageCheck[];
  let why: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-results-browser-'));
    makeResults(dir);
    pngs = await renderFigurePngs([path.join(dir, 'figures', '01-alpha-accuracy.json')], () => {});
    writeIndex(dir);
    // Deliberately broken pages.
    const b = path.join(dir, 'broken');
    fs.mkdirSync(b);
    // An export whose figure data is not valid JavaScript: a page error and an undrawn figure.
    fs.writeFileSync(path.join(b, 'syntax.html'), exportHtml([curve]).replace('var fig = {', 'var fig = {{'));
    // An export that never loads plotly.js (no inlined bundle): the figure never draws.
    fs.writeFileSync(path.join(b, 'no-plotly.html'), exportHtml([curve], false));
    // A results folder with an unreadable figure spec: the index shows it, undrawn.
    const results = path.join(b, 'results');
    makeResults(results);
    fs.writeFileSync(path.join(results, 'figures', '02-beta-order.json'), '{"data": [');
    writeIndex(results);
    // An index whose plotly.js went missing.
    const missing = path.join(b, 'missing-script');
    fs.cpSync(results, missing, { recursive: true });
    fs.rmSync(path.join(missing, PLOTLY_FILE));
    const brokenPages = [path.join(b, 'syntax.html'), path.join(b, 'no-plotly.html'), path.join(results, 'index.html'), path.join(missing, 'index.html')];
    // One browser for all (the broken pages wait out the timeout side by side).
    const checks = await checkPagesInBrowser([...pagesToCheck(dir), ...brokenPages], { timeoutMs: 4000, concurrency: 6 });
    good = checks.slice(0, 2);
    broken = checks.slice(2);
    why = checks.map(describeCheck).join('\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('renderFigurePngs writes a PNG and an SVG per spec; the index shows the PNG', () => {
    const spec = path.join(dir, 'figures', '01-alpha-accuracy.json');
    assert.deepEqual(pngs, [spec.replace(/\.json$/, '.png')]);
    assert.equal(fs.readFileSync(pngs[0]).subarray(1, 4).toString(), 'PNG', 'PNG signature');
    const svg = fs.readFileSync(spec.replace(/\.json$/, '.svg'), 'utf8');
    assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, 'an SVG document');
    assert.match(svg, /Frozen-feature accuracy/, 'with the title as text');
    const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
    assert.match(html, /<img class="selfsup-figure" src="figures\/01-alpha-accuracy\.png"/, 'PNG shown');
    assert.match(html, /<a href="figures\/01-alpha-accuracy\.svg">SVG<\/a>/, 'SVG linked');
  });

  test('the index and the export open without errors, every figure drawn', () => {
    assert.deepEqual(
      good.map((c) => [path.basename(c.file), c.errors, c.figuresExpected, c.figuresDrawn, c.ok]),
      [
        ['index.html', [], 3, 3, true],
        ['01-alpha.html', [], 2, 2, true],
      ],
      why,
    );
  });

  test('a deliberately broken figure fails the check', () => {
    const [syntax, noPlotly, badSpec, missing] = broken;
    assert.ok(broken.every((c) => !c.ok), `every broken page fails:\n${why}`);
    assert.match(syntax.errors.join('\n'), /page error: .*(Unexpected token|SyntaxError)/i, why);
    assert.deepEqual([syntax.figuresExpected, syntax.figuresDrawn], [1, 0], why);
    assert.deepEqual([noPlotly.errors, noPlotly.figuresExpected, noPlotly.figuresDrawn], [[], 1, 0], why);
    assert.deepEqual([badSpec.errors, badSpec.figuresExpected, badSpec.figuresDrawn], [[], 3, 2], `the unreadable spec does not draw:\n${why}`);
    assert.match(missing.errors.join('\n'), /failed to load .*plotly\.min\.js/, why);
    assert.equal(missing.figuresDrawn, 0, why);
  });
});
