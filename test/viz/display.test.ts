import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, test } from 'node:test';
import { figureHtml, lineFigure, MimeBundle, PLOTLY_MIME, showFigure, showImages, showMarkdown, showTable } from '../../src/viz';

const fig = lineFigure({ loss: [3, 2, 1] }, { ys: ['loss'], title: 'loss </script> curve' });

/** Capture console.log while `fn` runs. */
function captureLog(fn: () => void): string[] {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.join(' '));
  try {
    fn();
  } finally {
    console.log = original;
  }
  return lines;
}

/**
 * Pretend to be inside tslab: a module at a tslab/dist/jupyter.js path in require.cache with a
 * `lastWriteDisplayData` that records what it is sent, as the kernel's does.
 */
function fakeKernel(): { sent: MimeBundle[]; remove(): void } {
  const file = path.join(os.tmpdir(), 'fake', 'node_modules', 'tslab', 'dist', 'jupyter.js');
  const sent: MimeBundle[] = [];
  const exports = { lastWriteDisplayData: (msg: { data: MimeBundle }) => sent.push(msg.data) };
  require.cache[file] = { id: file, filename: file, loaded: true, exports } as unknown as NodeJS.Module;
  return { sent, remove: () => delete require.cache[file] };
}

describe('outside tslab', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env.SELFSUP_RESULTS = saved.SELFSUP_RESULTS;
    process.env.SELFSUP_NOTEBOOK = saved.SELFSUP_NOTEBOOK;
    if (saved.SELFSUP_RESULTS === undefined) delete process.env.SELFSUP_RESULTS;
    if (saved.SELFSUP_NOTEBOOK === undefined) delete process.env.SELFSUP_NOTEBOOK;
  });

  test('showFigure prints a one-line summary', () => {
    delete process.env.SELFSUP_RESULTS;
    const lines = captureLog(() => showFigure(fig, { name: 'loss' }));
    assert.deepEqual(lines, ['[figure] loss </script> curve: 1 scatter'], 'summary, nothing saved without env');
  });

  test('with SELFSUP_RESULTS and SELFSUP_NOTEBOOK set, a named figure is saved as JSON', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-fig-'));
    process.env.SELFSUP_RESULTS = dir;
    process.env.SELFSUP_NOTEBOOK = '02-rotation';
    const file = path.join(dir, 'figures', '02-rotation-loss.json');
    const lines = captureLog(() => showFigure(fig, { name: 'loss' }));
    assert.deepEqual(lines, [`[figure] loss </script> curve: 1 scatter -> ${file}`], 'summary names the file');
    assert.deepEqual(JSON.parse(fs.readFileSync(file, 'utf8')), fig, 'spec saved');
    assert.throws(() => showFigure(fig, { name: '../x' }), /figure name/);
    fs.rmSync(dir, { recursive: true });
  });

  test('showTable and showMarkdown print text', () => {
    const lines = captureLog(() => {
      showTable([{ encoder: 'rotation', knn: 0.4712345 }], { title: 'accuracy', digits: 2 });
      showMarkdown('# hello');
    });
    assert.match(lines[0], /^accuracy\n\|encoder\|knn\|/, 'markdown table with title');
    assert.match(lines[0], /\|rotation\|0\.47\|/, 'digits');
    assert.equal(lines[1], '# hello', 'markdown');
  });
});

describe('inside tslab (a fake kernel)', () => {
  test('one display per figure with the plotly mime type, HTML and text; plotly.js inlined once', () => {
    const kernel = fakeKernel();
    const globals = globalThis as Record<symbol, unknown>;
    delete globals[Symbol.for('selfsup.viz.plotlyInlined')];
    try {
      showFigure(fig);
      showImages(new Uint8Array(2 * 2 * 2 * 3), 2, 2, 2, 3, ['a', 'b']);
      assert.equal(kernel.sent.length, 2, 'two displays');
      const [first, second] = kernel.sent;
      assert.deepEqual(Object.keys(first).sort(), [PLOTLY_MIME, 'text/html', 'text/plain'], 'mime bundle');
      assert.deepEqual((first[PLOTLY_MIME] as { data: unknown }).data, fig.data, 'plotly JSON');
      const html1 = first['text/html'] as string;
      const html2 = second['text/html'] as string;
      assert.ok(html1.length > 3e6 && html1.includes('plotly.js v3'), 'first figure inlines plotly.js');
      assert.ok(html2.length < 1e5 && !html2.includes('plotly.js v3'), 'second does not');
      assert.match(html2, /window\.Plotly\.newPlot/, 'draws with newPlot');
      assert.match(html2, /if \(window\.Plotly\)/, 'waits for Plotly');
      assert.equal((second['text/plain'] as string), '[figure] figure: 2 image', 'summary');
      showTable([{ a: 1 }]);
      showMarkdown('*x*');
      assert.match(kernel.sent[2]['text/html'] as string, /^<table/, 'table HTML');
      assert.equal(kernel.sent[3]['text/markdown'], '*x*', 'markdown');
    } finally {
      kernel.remove();
    }
  });

  test('figure JSON inside the script cannot close it', () => {
    const html = figureHtml(fig, 'f1', false);
    assert.equal(html.match(/<\/script>/g)?.length, 1, 'only the real closing tag');
    assert.match(html, /loss \\u003c\/script> curve/, 'escaped title');
  });
});
