import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { clusterGridFigure, pickClusters } from '../../src/viz/cluster-grid';

test('pickClusters: the purest, median and least pure clusters, each once', () => {
  // 6 clusters of 10 items; cluster c has c wrong labels (purity 1.0 down to 0.5).
  const assignments: number[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 6; c++) for (let i = 0; i < 10; i++) { assignments.push(c); labels.push(i < c ? 9 : c); }
  const shown = pickClusters(assignments, labels, 2);
  assert.deepEqual(shown.map((s) => [s.rank, s.cluster]), [['purest', 0], ['purest', 1], ['median', 2], ['median', 3], ['least pure', 4], ['least pure', 5]]);
  assert.equal(shown[5].purity, 0.5, 'purity of the least pure');
  assert.equal(pickClusters([0, 0, 0, 1], [0, 0, 0, 1], 1, 2).length, 1, 'clusters under minSize are skipped');
});

test('clusterGridFigure: a row per cluster, captions are the true classes, blank cells for small clusters', () => {
  const set = toySet(12, 4, 3, 2);
  const assignments = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1];
  const fig = clusterGridFigure(set, assignments, [0, 1], 3, new Rng(1), { title: 't' });
  assert.equal(fig.data.length, 6, 'two rows of three');
  const captions = (fig.layout.annotations ?? []).map((a) => (a as { text: string }).text);
  assert.ok(captions.slice(0, 3).every((c) => c === 'c0' || c === 'c1'), `captions are class names (${captions})`);
  assert.equal(captions.length, 5, 'the blank cell of the two-image cluster has no caption');
  assert.throws(() => clusterGridFigure(set, assignments.slice(1), [0], 3, new Rng(1)), /11 assignments for the 12 images/);
});
