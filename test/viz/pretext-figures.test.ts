import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toySet, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { retrievalGridFigure } from '../../src/viz/retrieval-grid';
import { jigsawFigure, relativePositionFigure } from '../../src/viz/patch-figures';
import { permutationCurveFigure } from '../../src/viz/permutation-curve';
import { hammingPermutations } from '../../src/pretext/jigsaw';

test('retrievalGridFigure: one row per query and encoder, query first, checks on same-class neighbours', () => {
  const set = toySet(10, 8, 3, 2);
  const queries = { ...set, n: 2, images: set.images.subarray(0, 2 * 192), labels: set.labels.subarray(0, 2) };
  const nb = { k: 3, indices: Int32Array.from([2, 3, 4, 5, 6, 7]), similarities: new Float32Array(6) };
  const fig = retrievalGridFigure(queries, set, [{ encoder: 'random', neighbours: nb }, { encoder: 'jigsaw', neighbours: nb, label: 'jig' }]);
  assert.equal(fig.data.length, 2 * 2 * 4, '2 queries x 2 encoders x (1 + k) images');
  const captions = (fig.layout.annotations ?? []).map((a) => String(a.text));
  assert.deepEqual(captions.slice(0, 8), ['▶ random', 'c0 ✓', 'c1 ✗', 'c0 ✓', '▶ jig', 'c0 ✓', 'c1 ✗', 'c0 ✓']);
  assert.throws(() => retrievalGridFigure(queries, set, [{ encoder: 'x', neighbours: { ...nb, k: 2 } }]), /expected 2/);
});

test('pretext figures and the permutation curve build', async () => {
  await useCpu();
  const set = toySet(4, 32, 3, 2);
  const rp = relativePositionFigure(set, 2, new Rng(1), { colour: 'jitter' });
  assert.equal(rp.data.length, 8, 'image, cut, anchor, query per example');
  const perms = hammingPermutations(10, new Rng(1), { candidates: 2000 });
  const jf = jigsawFigure(set, 2, perms, new Rng(1), { colour: 'drop' });
  assert.equal(jf.data.length, 6, 'image, shuffled, solved per example');
  const curve = permutationCurveFigure([{ size: 100, knn: 0.3, linear: 0.4 }, { size: 10, knn: 0.2, linear: 0.3 }], { random: { knn: 0.1, linear: 0.2 } });
  assert.deepEqual(curve.data[0].x, [10, 100], 'sorted by size');
  assert.equal(curve.layout.xaxis?.type, 'log', 'log x axis');
  assert.equal(curve.data.length, 4, 'jigsaw kNN/linear + random kNN/linear');
});
