import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  defaultPaths,
  ensureCellIds,
  findPython,
  injectParameters,
  isKernelRegistered,
  kernelSpecPath,
  LabOptions,
  LabPaths,
  launchChromium,
  NotebookJson,
  NotebookRun,
  parseLabArgs,
  runLab,
  selectNotebooks,
  summaryTable,
} from '../../scripts/lab-core';

const ROOT = path.resolve(__dirname, '..', '..');
const CHROMIUM = '/usr/bin/chromium';

function code(source: string, tags?: string[]) {
  return { cell_type: 'code' as const, metadata: tags ? { tags } : {}, source, outputs: [], execution_count: null };
}

function notebook(cells: ReturnType<typeof code>[]): NotebookJson {
  return { nbformat: 4, nbformat_minor: 4, metadata: {}, cells };
}

describe('parseLabArgs', () => {
  test('defaults: every notebook, quick budget, html and png', () => {
    assert.deepEqual(parseLabArgs([]), { notebooks: [], budget: 'quick', sets: {}, html: true, png: true });
  });
  test('names, budget, sets (JSON where it parses) and switches', () => {
    const o = parseLabArgs(['notebooks/02-rotation.ipynb', '--budget', 'smoke', '--set', 'epochs=3', '--set=method=moco', '--set', 'lrs=[0.1,0.2]', '--no-png']);
    assert.deepEqual(o.notebooks, ['02-rotation'], 'name without folder and .ipynb');
    assert.equal(o.budget, 'smoke', 'budget');
    assert.deepEqual(o.sets, { epochs: 3, method: 'moco', lrs: [0.1, 0.2] }, 'typed values');
    assert.equal(o.png, false, '--no-png');
    assert.equal(o.html, true, 'html stays on');
  });
  test('rejects a bad budget, a bad --set and unknown options', () => {
    assert.throws(() => parseLabArgs(['--budget', 'huge']), /--budget huge/);
    assert.throws(() => parseLabArgs(['--jobs', '0']), /--jobs 0/);
    assert.throws(() => parseLabArgs(['--jobs', 'two']), /--jobs two/);
    assert.equal(parseLabArgs(['--jobs', '2']).jobs, 2);
    assert.throws(() => parseLabArgs(['--set', 'noequals']), /--set noequals/);
    assert.throws(() => parseLabArgs(['--fast']), /unknown option --fast/);
  });
});

describe('injectParameters and ensureCellIds', () => {
  const nb = notebook([code('# title'), code('let epochs = 1;\nlet name = "a";', ['parameters']), code('console.log(epochs)')]);
  test('inserts one tagged cell right after the parameters cell', () => {
    const out = injectParameters(nb, { epochs: 3, name: 'moco' });
    assert.equal(out.cells.length, 4, 'one cell added');
    assert.deepEqual(out.cells[2].metadata.tags, ['injected-parameters'], 'tag');
    assert.match(out.cells[2].source as string, /^epochs = 3;$/m, 'number assignment');
    assert.match(out.cells[2].source as string, /^name = "moco";$/m, 'string assignment');
    assert.equal(nb.cells.length, 3, 'input untouched');
  });
  test('rejects overriding a const, and --set without a parameters cell', () => {
    assert.throws(() => injectParameters(notebook([code('const epochs = 1;', ['parameters'])]), { epochs: 2 }), /declares "epochs" with const/);
    assert.throws(() => injectParameters(notebook([code('let x = 1;')]), { x: 2 }), /no cell tagged "parameters"/);
  });
  test('every cell gets a unique id and nbformat 4.5', () => {
    const out = ensureCellIds(injectParameters(nb, {}));
    const ids = out.cells.map((c) => c.id);
    assert.ok(ids.every((id) => typeof id === 'string' && /^[A-Za-z0-9_-]+$/.test(id!)), 'valid ids');
    assert.equal(new Set(ids).size, ids.length, 'unique');
    assert.equal(out.nbformat_minor, 5, 'nbformat_minor');
  });
});

describe('selectNotebooks', () => {
  test('sorted, unique prefixes, unknown names named', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-nbs-'));
    for (const n of ['02-rotation', '00-why', '01-pretext']) fs.writeFileSync(path.join(dir, `${n}.ipynb`), '{}');
    assert.deepEqual(selectNotebooks(dir, []), ['00-why', '01-pretext', '02-rotation'], 'all, sorted');
    assert.deepEqual(selectNotebooks(dir, ['02']), ['02-rotation'], 'prefix');
    assert.throws(() => selectNotebooks(dir, ['0']), /ambiguous/);
    assert.throws(() => selectNotebooks(dir, ['09-nope']), /"09-nope" not found/);
    fs.rmSync(dir, { recursive: true });
  });
});

/** Why the real-path tests cannot run here (no Python with nbclient and nbconvert), else false. */
function noJupyter(): string | false {
  try {
    findPython();
    return false;
  } catch (err) {
    return `no Jupyter here (${(err as Error).message.split(':')[0]}); run npm run setup`;
  }
}

// The real path: kernel registration, nbclient on the tslab kernel, parameter injection, HTML
// export, figure PNG. Each notebook costs a kernel start (~3 s).
describe('runLab on throwaway notebooks', { skip: noJupyter() }, () => {
  let tmp: string;
  let paths: LabPaths;
  let ok: NotebookRun;
  let broken: NotebookRun;
  const lines: string[] = [];
  const options: LabOptions = { notebooks: ['01-tiny'], budget: 'smoke', sets: { epochs: 3, label: 'injected-label' }, html: true, png: true };

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-lab-'));
    paths = { ...defaultPaths(ROOT), notebooksDir: path.join(tmp, 'notebooks'), resultsDir: path.join(tmp, 'results'), jupyterPrefix: path.join(tmp, 'jupyter') };
    fs.mkdirSync(paths.notebooksDir);
    const tiny = notebook([
      code('let epochs = 1;\nlet label = "default";\nconst budget = process.env.SELFSUP_BUDGET ?? "quick";', ['parameters']),
      code(
        [
          'import { lineFigure, showFigure, writeResults } from "./src/viz";',
          'console.log(`epochs=${epochs} label=${label} budget=${budget}`);',
          'showFigure(lineFigure({ epoch: [1, 2, 3], loss: [2.3, 1.7, 1.2] }, { x: "epoch", ys: ["loss"], title: "tiny loss" }), { name: "loss" });',
          'writeResults({ notebook: process.env.SELFSUP_NOTEBOOK!, budget: "smoke", backend: "none", seed: 1, wall_s: 0.1, images_per_s: null, metrics: { "random.knn": 0.1 } });',
        ].join('\n'),
      ),
      code('import { barFigure, showTable } from "./src/viz";\nshowTable([{ epoch: 1, loss: 2.3 }], { title: "history" });\nshowFigure(barFigure({ random: { knn: 0.1 } }));'),
    ]);
    fs.writeFileSync(path.join(paths.notebooksDir, '01-tiny.ipynb'), JSON.stringify(tiny));
    const bad = notebook([code('let epochs = 1;', ['parameters']), code('const n: number = "not a number";\nconsole.log(n);'), code('console.log("never runs");')]);
    fs.writeFileSync(path.join(paths.notebooksDir, '02-broken.ipynb'), JSON.stringify(bad));
    [ok] = await runLab(options, paths, (l) => lines.push(l));
    [broken] = await runLab({ ...options, notebooks: ['02-broken'], sets: {}, png: false }, paths, (l) => lines.push(l));
  });

  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('registers the kernel under the given prefix', () => {
    assert.ok(fs.existsSync(kernelSpecPath(paths.jupyterPrefix)), 'kernel.json written');
    assert.ok(isKernelRegistered(paths.jupyterPrefix, ROOT), 'points at scripts/tslab-kernel');
  });

  test('executes the notebook with the injected parameters and budget', () => {
    assert.equal(ok.status, 'ok', `status (error: ${ok.error}; log:\n${lines.join('\n')})`);
    const nb = JSON.parse(fs.readFileSync(ok.executed!, 'utf8')) as NotebookJson;
    const text = JSON.stringify(nb.cells.map((c) => c.outputs));
    assert.match(text, /epochs=3 label=injected-label budget=smoke/, 'injected values and SELFSUP_BUDGET reach the kernel');
    assert.deepEqual(nb.cells[1].metadata.tags, ['injected-parameters'], 'injected cell after parameters');
    assert.ok(nb.cells.every((c) => c.id), 'every cell has an id');
  });

  test('a figure arrives as one display with the plotly mime type and an HTML fallback', () => {
    const nb = JSON.parse(fs.readFileSync(ok.executed!, 'utf8')) as NotebookJson;
    const displays = (nb.cells[2].outputs as Array<{ output_type: string; data?: Record<string, unknown> }>).filter((o) => o.output_type === 'display_data');
    assert.equal(displays.length, 1, 'one display output');
    const data = displays[0].data!;
    assert.deepEqual(Object.keys(data).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain'], 'mime bundle');
    const spec = data['application/vnd.plotly.v1+json'] as { data: Array<{ y: number[] }> };
    assert.deepEqual(spec.data[0].y, [2.3, 1.7, 1.2], 'plotly JSON carries the data');
  });

  test('writes the results JSON, the HTML export with the plotly fallback, and the PNG', () => {
    assert.equal(ok.results, path.join(paths.resultsDir, '01-tiny.json'), 'results json reported');
    assert.equal(JSON.parse(fs.readFileSync(ok.results!, 'utf8')).metrics['random.knn'], 0.1, 'metrics');
    const html = fs.readFileSync(ok.html!, 'utf8');
    assert.match(html, /Plotly\.newPlot/, 'newPlot call in the export');
    assert.match(html, /plotly\.js v3/, 'plotly.js bundle inlined');
    assert.match(html, /<table/, 'the table');
    if (fs.existsSync(CHROMIUM)) {
      assert.equal(ok.pngs.length, 1, 'one PNG');
      const png = fs.readFileSync(ok.pngs[0]);
      assert.equal(png.subarray(1, 4).toString(), 'PNG', 'PNG signature');
    }
    assert.match(summaryTable([ok, broken], paths.resultsDir), /01-tiny\s+ok\s+[\d.]+\s+01-tiny\.json/, 'summary row');
  });

  test('a failing cell fails the run with its error, later cells unrun, executed copy kept', () => {
    assert.equal(broken.status, 'failed', 'status');
    assert.match(broken.error ?? '', /code cell 3 of 4/, 'names the cell (the injected cell counts)');
    assert.match(broken.error ?? '', /not assignable to type 'number'/, "carries tslab's error text");
    const nb = JSON.parse(fs.readFileSync(broken.executed!, 'utf8')) as NotebookJson;
    assert.doesNotMatch(JSON.stringify(nb.cells[3].outputs), /never runs/, 'stopped at the first error');
    assert.ok(broken.html, 'failed notebooks are exported too');
  });

  test('the exported HTML renders the figure in headless Chromium', { skip: !fs.existsSync(CHROMIUM) && `${CHROMIUM} not found` }, async () => {
    const { chromium } = await import('playwright-core');
    const browser = await launchChromium(chromium, CHROMIUM);
    try {
      const page = await browser.newPage();
      await page.route(/^https?:/, (route) => route.abort()); // offline: the export must not need the network
      await page.goto(`file://${ok.html}`);
      await page.waitForFunction(() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2, undefined, { timeout: 15_000 });
      assert.equal(await page.locator('.js-plotly-plot').count(), 2, 'both figures: the one that inlines plotly.js and a later one');
      assert.equal(await page.locator('.js-plotly-plot .barlayer .point').count(), 1, 'the bar is drawn');
    } finally {
      await browser.close();
    }
  });
});
