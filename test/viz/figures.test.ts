import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { from } from 'arquero';
import {
  barFigure,
  columnValues,
  heatmapFigure,
  imageGridFigure,
  lineFigure,
  metricsToGroups,
  pngDataUrl,
  trainingCurveFigure,
  Trace,
} from '../../src/viz';

function decodePng(url: string): PNG {
  assert.ok(url.startsWith('data:image/png;base64,'), 'a PNG data URL');
  return PNG.sync.read(Buffer.from(url.slice('data:image/png;base64,'.length), 'base64'));
}

describe('lineFigure', () => {
  const history = { epoch: [1, 2, 3], loss: [2.3, 1.9, 1.5], knn: [0.2, 0.3, 0.35] };

  test('from a record of columns: one scatter trace per column, axis titles', () => {
    const fig = lineFigure(history, { x: 'epoch', ys: ['loss'], y2s: ['knn'], title: 'rotation', yTitle: 'loss', y2Title: 'kNN accuracy', y2Format: '.0%' });
    assert.equal(fig.data.length, 2, 'two traces');
    assert.deepEqual(fig.data.map((t) => t.type), ['scatter', 'scatter'], 'scatter traces');
    assert.deepEqual(fig.data[0].x, [1, 2, 3], 'x from the epoch column');
    assert.deepEqual(fig.data[0].y, [2.3, 1.9, 1.5], 'loss values');
    assert.equal(fig.data[1].yaxis, 'y2', 'knn on the right axis');
    assert.equal(fig.layout.title?.text, 'rotation', 'title');
    assert.equal(fig.layout.xaxis?.title?.text, 'epoch', 'x title defaults to the x column');
    assert.equal(fig.layout.yaxis?.title?.text, 'loss', 'y title');
    assert.equal(fig.layout.yaxis2?.title?.text, 'kNN accuracy', 'y2 title');
    assert.equal(fig.layout.yaxis2?.tickformat, '.0%', 'y2 tick format');
    assert.equal(fig.layout.paper_bgcolor, 'white', 'white background');
  });

  test('colors: one colour for a column on each axis; the right one stays dashed', () => {
    const fig = lineFigure(history, { x: 'epoch', ys: ['loss'], y2s: ['knn'], colors: { loss: '#123456', knn: '#123456' } });
    assert.deepEqual(fig.data.map((t) => t.line), [{ color: '#123456' }, { dash: 'dash', color: '#123456' }]);
    assert.deepEqual(lineFigure(history, { x: 'epoch', ys: ['loss'], y2s: ['knn'] }).data.map((t) => t.line), [undefined, { dash: 'dash' }], 'no colours given: the colorway');
  });

  test('from an arquero table and from rows, the same traces', () => {
    const opts = { x: 'epoch', ys: ['loss', 'knn'] };
    const fromColumns = lineFigure(history, opts);
    assert.deepEqual(lineFigure(from([...history.epoch.keys()].map((i) => ({ epoch: history.epoch[i], loss: history.loss[i], knn: history.knn[i] }))), opts).data, fromColumns.data, 'arquero table');
    assert.deepEqual(lineFigure([{ epoch: 1, loss: 2.3, knn: 0.2 }, { epoch: 2, loss: 1.9, knn: 0.3 }, { epoch: 3, loss: 1.5, knn: 0.35 }], opts).data, fromColumns.data, 'rows');
  });

  test('x defaults to 1..n; NaN becomes a gap; a missing column is named', () => {
    const fig = lineFigure({ loss: [1, NaN, 0.5] }, { ys: ['loss'] });
    assert.deepEqual(fig.data[0].x, [1, 2, 3], 'default x');
    assert.deepEqual(fig.data[0].y, [1, null, 0.5], 'gap');
    assert.throws(() => columnValues(history, 'acc'), /no column "acc"; columns are: epoch, loss, knn/);
  });
});

describe('barFigure', () => {
  const groups = { random: { knn: 0.312, linear: 0.35 }, rotation: { knn: 0.47, linear: 0.521 } };

  test('one bar trace per series, percentages with text labels', () => {
    const fig = barFigure(groups, { title: 'CIFAR-10' });
    assert.equal(fig.data.length, 2, 'knn and linear');
    assert.deepEqual(fig.data.map((t) => t.name), ['knn', 'linear'], 'series names');
    assert.deepEqual(fig.data[0].x, ['random', 'rotation'], 'groups on x');
    assert.deepEqual((fig.data[0].y as number[]).map((v) => Math.round(v * 10) / 10), [31.2, 47], 'values x100');
    assert.deepEqual(fig.data[1].text, ['35.0%', '52.1%'], 'labels');
    assert.equal(fig.layout.barmode, 'group', 'grouped');
    assert.equal(fig.layout.yaxis?.title?.text, 'accuracy (%)', 'y title');
  });

  test('missing values are null; raw values when percent is false', () => {
    const fig = barFigure({ a: { knn: 2 }, b: { linear: 3 } }, { percent: false, series: ['knn', 'linear'] });
    assert.deepEqual(fig.data[0].y, [2, null], 'knn of b missing');
    assert.deepEqual(fig.data[1].text, ['', '3.0'], 'no % sign');
  });

  test('metricsToGroups splits at the first dot', () => {
    assert.deepEqual(metricsToGroups({ 'rotation.knn': 0.4, 'rotation.linear.block2': 0.3, 'random.knn': 0.1 }), {
      rotation: { knn: 0.4, 'linear.block2': 0.3 },
      random: { knn: 0.1 },
    });
    assert.throws(() => metricsToGroups({ knn: 1 }), /not <encoder>.<evaluation>/);
  });
});

describe('imageGridFigure', () => {
  const n = 5, h = 4, w = 3, c = 3;
  const images = new Uint8Array(n * h * w * c).map((_, i) => i % 251);

  test('one image trace per image, each a PNG of the right pixels, captions as annotations', () => {
    const fig = imageGridFigure(images, n, h, w, c, ['a', 'b', 'c', 'd', 'e'], { cols: 3, scale: 2 });
    const traces = fig.data.filter((t): t is Trace & { source: string } => t.type === 'image');
    assert.equal(traces.length, n, 'five image traces');
    assert.equal(new Set(traces.map((t) => t.yaxis)).size, n, 'each on its own axes');
    const png = decodePng(traces[1].source);
    assert.equal(png.width, w * 2, 'upscaled width');
    assert.equal(png.height, h * 2, 'upscaled height');
    const first = h * w * c; // image 1 starts here; pixel (0,0) and its 2x copy at (1,1)
    assert.deepEqual([...png.data.subarray(0, 4)], [images[first], images[first + 1], images[first + 2], 255], 'pixel (0,0)');
    assert.deepEqual([...png.data.subarray((1 * w * 2 + 1) * 4, (1 * w * 2 + 1) * 4 + 3)], [images[first], images[first + 1], images[first + 2]], 'nearest-neighbour copy');
    assert.deepEqual(fig.layout.annotations?.map((a) => a.text), ['a', 'b', 'c', 'd', 'e'], 'captions');
    assert.ok(fig.layout.xaxis4 && fig.layout.yaxis5, 'axes for the second row');
  });

  test('grey images expand to RGB; wrong sizes are rejected', () => {
    const grey = new Uint8Array([0, 255, 128, 64]);
    const fig = imageGridFigure(grey, 1, 2, 2, 1, [], { scale: 1 });
    const png = decodePng(fig.data[0].source as string);
    assert.deepEqual([...png.data.subarray(4, 8)], [255, 255, 255, 255], 'grey pixel as RGBA');
    assert.equal(fig.layout.annotations?.length, 0, 'no captions');
    assert.throws(() => imageGridFigure(grey, 2, 2, 2, 1), /4 bytes for n\*h\*w\*c = 2\*2\*2\*1/);
    assert.throws(() => pngDataUrl(new Uint8Array(8), 2, 2, 2), /channels must be 1, 3 or 4/);
  });
});

describe('heatmapFigure', () => {
  test('confusion matrix: one heatmap, rows top-down, counts as text, labels', () => {
    const m = [[5, 1], [2, 7]];
    const fig = heatmapFigure(m, { x: ['cat', 'dog'], title: 'confusion' });
    assert.equal(fig.data.length, 1, 'one trace');
    assert.equal(fig.data[0].type, 'heatmap', 'heatmap');
    assert.deepEqual(fig.data[0].z, m, 'values');
    assert.deepEqual(fig.data[0].y, ['cat', 'dog'], 'row labels default to the column labels');
    assert.deepEqual(fig.data[0].text, [['5', '1'], ['2', '7']], 'counts');
    assert.equal(fig.layout.yaxis?.autorange, 'reversed', 'row 0 at the top');
    assert.equal(fig.layout.xaxis?.title?.text, 'predicted', 'x title');
    assert.equal(fig.layout.yaxis?.title?.text, 'true', 'y title');
  });

  test('normalize divides each row by its sum; ragged rows are rejected', () => {
    const fig = heatmapFigure([[1, 3], [0, 0]], { normalize: true });
    assert.deepEqual(fig.data[0].z, [[0.25, 0.75], [0, 0]], 'row fractions');
    assert.deepEqual(fig.data[0].text, [['0.25', '0.75'], ['0.00', '0.00']], 'fraction text');
    assert.throws(() => heatmapFigure([[1, 2], [3]]), /row 1 has 1 values, row 0 has 2/);
  });
});

test('trainingCurveFigure: loss on the left axis, accuracy and monitors on the right in percent', () => {
  const history = [1, 2, 3].map((epoch) => ({ epoch, loss: 2 / epoch, accuracy: 0.2 * epoch, knn: 0.1 * epoch }));
  const fig = trainingCurveFigure(history, { title: 'Pretext training', accuracy: 'rotation accuracy (train)', monitors: { knn: 'kNN accuracy (test monitor)' } });
  const traces = fig.data as Trace[];
  assert.deepEqual(traces.map((t) => t.name), ['loss', 'rotation accuracy (train)', 'kNN accuracy (test monitor)']);
  assert.deepEqual(Array.from(traces[0].y as number[]), [2, 1, 2 / 3]);
  assert.deepEqual(traces.map((t) => t.yaxis ?? 'y'), ['y', 'y2', 'y2']);
  assert.equal((fig.layout as { yaxis2: { tickformat: string } }).yaxis2.tickformat, '.0%');
});
