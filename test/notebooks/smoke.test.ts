import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultPaths, launchChromium, listNotebooks, runLab } from '../../scripts/lab-core';
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
  if (fs.existsSync(CHROMIUM)) {
    // The HTML exports are what a reader opens: every figure must draw offline in a browser.
    const { chromium } = await import('playwright-core');
    const browser = await launchChromium(chromium, CHROMIUM);
    try {
      for (const run of runs) {
        const html = fs.readFileSync(path.join(out, `${run.notebook}.html`), 'utf8');
        const expected = (html.match(/<div id="[^"]+" class="selfsup-figure"/g) ?? []).length;
        assert.ok(expected > 0, `${run.notebook}: the HTML export has figures`);
        const page = await browser.newPage();
        await page.route(/^https?:/, (route) => route.abort());
        await page.goto(`file://${path.join(out, `${run.notebook}.html`)}`);
        await page.waitForFunction((n) => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n, expected, { timeout: 30_000 });
        const drawn = await page.evaluate(() => document.querySelectorAll('.js-plotly-plot').length);
        assert.equal(drawn, expected, `${run.notebook}: all ${expected} figures of the HTML export drew in Chromium`);
        await page.close();
      }
    } finally {
      await browser.close();
    }
  }
  fs.rmSync(out, { recursive: true, force: true });
});
