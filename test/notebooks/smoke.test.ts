import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkPagesInBrowser } from '../../scripts/browser-check';
import { defaultPaths, listNotebooks, runLab } from '../../scripts/lab-core';
import { gatherResults, writeIndex } from '../../scripts/results-page';
import { validateMetric } from '../../src/viz/results';

// Every notebook, executed headless through Jupyter in the smoke budget (DESIGN.md: budgets):
// proves it runs top to bottom and writes its outputs in the contract's shape; asserts no accuracy.
const paths = defaultPaths();
const CHROMIUM = '/usr/bin/chromium';
const notebooks = listNotebooks(paths.notebooksDir);

test('every notebook executes in the smoke budget and writes results/<name>.json, HTML and figures', { timeout: 15 * 60_000 }, async () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-smoke-'));
  process.env.SELFSUP_CHECKPOINTS = path.join(out, 'checkpoints');
  assert.ok(notebooks.length >= 1, 'there are notebooks');
  const runs = await runLab({ notebooks: [], budget: 'smoke', sets: {}, html: true, png: true, jobs: 2 }, { ...paths, resultsDir: out }, () => {});
  for (const run of runs) {
    const where = `${run.notebook} (${run.wall_s.toFixed(1)} s)`;
    assert.equal(run.status, 'ok', `${where} failed:\n${run.error}`);
    assert.ok(run.wall_s < 120, `${where}: the smoke budget should stay near a minute`);
    const json = JSON.parse(fs.readFileSync(path.join(out, `${run.notebook}.json`), 'utf8'));
    assert.equal(json.notebook, run.notebook, `${where}: notebook name`);
    assert.equal(json.budget, 'smoke', `${where}: budget recorded`);
    assert.ok(['wasm', 'cpu', 'tensorflow'].includes(json.backend), `${where}: backend recorded (${json.backend})`);
    assert.ok(Number.isInteger(json.seed), `${where}: seed`);
    assert.ok(json.wall_s > 0, `${where}: wall_s`);
    assert.ok(json.images_per_s === null || json.images_per_s > 0, `${where}: images_per_s`);
    assert.ok(Object.keys(json.metrics).length > 0, `${where}: some metrics`);
    for (const [k, v] of Object.entries(json.metrics)) validateMetric(k, v as number);
    const html = fs.readFileSync(path.join(out, `${run.notebook}.html`), 'utf8');
    assert.match(html, /Plotly\.newPlot/, `${where}: the HTML export draws its figures`);
    assert.ok(run.pngs.length > 0 || !fs.existsSync('/usr/bin/chromium'), `${where}: figures rendered to PNG`);
  }
  assert.deepEqual(runs.map((r) => r.notebook).sort(), [...notebooks].sort(), 'all notebooks ran');
  // The results page gathers every notebook's JSON and figures (what `npm run lab` writes last).
  const index = writeIndex(out, { runs });
  assert.equal(gatherResults(out).groupby('notebook').count().numRows(), runs.length, 'every notebook in the results table');
  if (fs.existsSync(CHROMIUM)) {
    // The HTML exports and the results page are what a reader opens: every figure must draw offline in a browser.
    const checks = await checkPagesInBrowser([index, ...runs.map((run) => path.join(out, `${run.notebook}.html`))]);
    for (const c of checks) {
      const name = path.basename(c.file);
      assert.deepEqual(c.errors, [], `${name}: no page errors`);
      assert.ok(c.figuresExpected > 0, `${name}: the page has figures`);
      assert.equal(c.figuresDrawn, c.figuresExpected, `${name}: all ${c.figuresExpected} figures drew in Chromium`);
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
});
