import { test } from 'node:test';
import assert from 'node:assert/strict';
import { perLayerFigure } from '../../src/viz/per-layer-figure';

test('perLayerFigure: one line per encoder over integer block ticks, legend names, percent axis', () => {
  const curve = [{ block: 1, random: 0.3, rotation: 0.32 }, { block: 2, random: 0.35, rotation: 0.45 }];
  const fig = perLayerFigure(curve, ['random', 'rotation'], { names: { random: 'random init' }, title: 'T' });
  assert.deepEqual(fig.data.map((t) => t.name), ['random init', 'rotation'], 'legend names, default the encoder');
  assert.deepEqual(fig.data[1].x, [1, 2], 'x = block');
  assert.deepEqual(fig.data[1].y, [0.32, 0.45], 'y = accuracy');
  assert.equal(fig.layout.xaxis?.dtick, 1, 'integer block ticks');
  assert.equal((fig.layout.yaxis as { tickformat?: string }).tickformat, '.0%', 'percent axis');
  assert.throws(() => perLayerFigure(curve, ['jigsaw']), /no column "jigsaw"/, 'a missing encoder is named');
});
