import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { adjustedRandIndex, clusterPurity, contingency, nmi } from '../../src/cluster/metrics';

const close = (a: number, b: number, eps = 1e-12) => Math.abs(a - b) <= eps;

test('identical partitions (up to renaming) score 1', () => {
  const a = [0, 0, 1, 1, 2, 2, 2];
  const renamed = [5, 5, 9, 9, 1, 1, 1];
  assert.equal(nmi(a, a), 1, 'NMI of a partition with itself');
  assert.ok(close(nmi(a, renamed), 1), 'NMI ignores the ids');
  assert.equal(adjustedRandIndex(a, renamed), 1, 'ARI ignores the ids');
  assert.equal(clusterPurity(renamed, a).purity, 1, 'purity 1');
});

test('a hand-computed case: [0,0,0,1,1,1] vs [0,0,1,1,2,2]', () => {
  const a = [0, 0, 0, 1, 1, 1];
  const b = [0, 0, 1, 1, 2, 2];
  // Contingency [[2,1,0],[0,1,2]]. MI = 2 * (2/6) ln((2/6)/((3/6)(2/6))) = (2/3) ln 2; H(a) = ln 2; H(b) = ln 3.
  const expectedNmi = ((2 / 3) * Math.log(2)) / ((Math.log(2) + Math.log(3)) / 2);
  assert.ok(close(nmi(a, b), expectedNmi), `NMI ${nmi(a, b)} vs ${expectedNmi} (= 0.5158)`);
  assert.ok(close(nmi(b, a), expectedNmi), 'NMI is symmetric');
  // Pairs: sum C(n_ij,2) = 1+0+0+0+0+1 = 2; rows 3+3 = 6; columns 1+1+1 = 3; C(6,2) = 15;
  // E = 6*3/15 = 1.2; ARI = (2 - 1.2) / ((6+3)/2 - 1.2) = 0.8 / 3.3 (scikit-learn's docs: 0.2424...).
  assert.ok(close(adjustedRandIndex(a, b), 0.8 / 3.3), `ARI ${adjustedRandIndex(a, b)}`);
  assert.ok(close(adjustedRandIndex(b, a), 0.8 / 3.3), 'ARI is symmetric');
  const c = contingency(a, b);
  assert.deepEqual(c.table, [[2, 1, 0], [0, 1, 2]], 'contingency table');
  assert.deepEqual([c.aSizes, c.bSizes], [[3, 3], [2, 2, 2]], 'marginals');
  const p = clusterPurity(b, a);
  assert.ok(close(p.purity, 5 / 6), 'purity: 2 + 1 + 2 of 6 agree with their cluster majority');
  assert.deepEqual(p.clusters.map((m) => [m.cluster, m.size, m.majority, m.purity]), [[0, 2, 0, 1], [1, 2, 0, 0.5], [2, 2, 1, 1]], 'per cluster (ties: smallest label)');
});

test('independent partitions score about 0; a below-chance ARI is negative', () => {
  const rng = new Rng(1);
  const n = 20000;
  const a = Array.from({ length: n }, () => rng.int(5));
  const b = Array.from({ length: n }, () => rng.int(4));
  assert.ok(nmi(a, b) < 0.002, `NMI ${nmi(a, b)}`);
  assert.ok(Math.abs(adjustedRandIndex(a, b)) < 0.005, `ARI ${adjustedRandIndex(a, b)}`);
  // Each cluster of b takes one item from each class of a: pairs never agree.
  assert.ok(adjustedRandIndex([0, 0, 1, 1], [0, 1, 0, 1]) < 0, 'anti-correlated: ARI < 0');
  assert.equal(nmi([0, 0, 1, 1], [0, 1, 0, 1]), 0, 'and NMI 0');
});

test('degenerate partitions and bad input', () => {
  assert.equal(nmi([0, 0, 0], [1, 1, 1]), 1, 'one cluster each: NMI 1');
  assert.equal(adjustedRandIndex([0, 0, 0], [1, 1, 1]), 1, 'one cluster each: ARI 1');
  assert.equal(nmi([0, 0, 0], [0, 1, 2]), 0, 'one cluster vs singletons: NMI 0');
  assert.equal(adjustedRandIndex([0, 1, 2], [3, 4, 5]), 1, 'singletons in both: ARI 1');
  assert.throws(() => nmi([0, 1], [0]), /label 2 and 1 items/);
  assert.throws(() => adjustedRandIndex([0, -1], [0, 1]), /a\[1\] = -1 is not a non-negative integer id/);
  assert.throws(() => nmi([], []), /empty/);
});
