import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PNG } from 'pngjs';
import { abPlaneFigure, comparisonGridFigure } from '../../src/viz/generative-figures';
import { abBins } from '../../src/pretext/colourisation';

function decode(source: unknown): PNG {
  return PNG.sync.read(Buffer.from(String(source).split(',')[1], 'base64'));
}

test('comparisonGridFigure: one cell per image and version, versions side by side, grey repeated to RGB, captions per column', () => {
  const n = 3;
  const grey = Uint8Array.from({ length: n * 4 }, (_, i) => i * 10);
  const colour = Uint8Array.from({ length: n * 4 * 3 }, (_, i) => 255 - i);
  const fig = comparisonGridFigure([{ label: 'grey', images: grey, channels: 1 }, { label: 'colour', images: colour }], n, 2, 2, { title: 't', scale: 1, perRow: 2 });
  assert.equal(fig.data.length, 6, 'n x columns images');
  assert.deepEqual(fig.layout.annotations!.map((a) => a.text), ['grey', 'colour', 'grey', 'colour', 'grey', 'colour']);
  // Cell 2 is image 1's grey version: its first pixel is grey[4] on all three channels.
  const png = decode(fig.data[2].source);
  assert.deepEqual([png.data[0], png.data[1], png.data[2]], [40, 40, 40]);
  const png3 = decode(fig.data[3].source);
  assert.deepEqual([png3.data[0], png3.data[1], png3.data[2]], [255 - 12, 255 - 13, 255 - 14], 'image 1, colour version');
  // Two images per row: cells 0-3 share a row.
  assert.equal(fig.layout.yaxis!.domain![1], (fig.layout.yaxis4 as { domain: number[] }).domain[1]);
  assert.notEqual(fig.layout.yaxis!.domain![1], (fig.layout.yaxis5 as { domain: number[] }).domain[1]);
  assert.throws(() => comparisonGridFigure([{ label: 'bad', images: new Uint8Array(5) }], 1, 2, 2), /column "bad" has 5 bytes, expected n\*h\*w\*c = 1\*2\*2\*3/);
});

test('abPlaneFigure: a heatmap over the ab grid, in-gamut bins filled, the rest blank; log scale on request', () => {
  const bins = abBins(10);
  const values = Float64Array.from({ length: bins.q }, (_, k) => k + 1);
  const fig = abPlaneFigure(values, bins, { log10: true });
  const z = fig.data[0].z as (number | null)[][];
  assert.equal(z.length, bins.cells);
  const filled = z.flat().filter((v) => v !== null).length;
  assert.equal(filled, bins.q, 'one cell per bin');
  const k = 5;
  const col = Math.round(bins.centres[2 * k] / 10) + bins.half;
  const row = Math.round(bins.centres[2 * k + 1] / 10) + bins.half;
  assert.ok(Math.abs(z[row][col]! - Math.log10(k + 1)) < 1e-12, 'bin k at (b row, a column)');
  assert.throws(() => abPlaneFigure([1, 2], bins), /2 values for \d+ bins/);
});
