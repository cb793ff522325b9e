import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clusterFitPreset } from '../../src/methods/presets-clusterfit';

test('ClusterFit presets grow from smoke to full and fit their data', () => {
  const [s, q, f] = (['smoke', 'quick', 'full'] as const).map(clusterFitPreset);
  assert.ok(s.trainSize < q.trainSize && q.trainSize < f.trainSize, 'train sizes grow');
  assert.deepEqual(f.noiseLevels, [0, 0.25, 0.5, 0.75], 'full: the issue\'s four noise levels');
  for (const p of [s, q, f]) {
    assert.ok(p.ks.includes(p.k), 'ClusterFit\'s k is one of the sweep');
    assert.ok(Math.max(...p.ks) <= p.trainSize && p.noiseK <= p.noiseTrainSize, 'k never exceeds the images');
    assert.ok(p.noiseTrainSize <= p.trainSize, 'the noise control uses part of the training subset');
    assert.ok(p.batchSize <= p.noiseTrainSize, 'a batch fits the smallest training set');
  }
});

test('the ClusterFit network sees as many images as the rotation network it learns from', () => {
  for (const b of ['smoke', 'quick', 'full'] as const) {
    const p = clusterFitPreset(b);
    assert.equal(p.clusterFitEpochs, 4 * p.rotationEpochs, `${b}: 4 rotations an image`);
  }
});
