import { test } from 'node:test';
import assert from 'node:assert/strict';
import { transferTrajectory } from '../../src/eval/compare';

test('transferTrajectory: the kNN peak, its epoch, the final kNN and the pretext accuracy at both ends; undefined without a full monitor', () => {
  const h = [
    { epoch: 1, accuracy: 0.16, knn: 0.37 },
    { epoch: 2, accuracy: 0.25, knn: 0.39 },
    { epoch: 3, accuracy: 0.4, knn: 0.35 },
    { epoch: 4, accuracy: 0.52, knn: 0.33 },
  ];
  assert.deepEqual(transferTrajectory(h), { peakEpoch: 2, peakKnn: 0.39, finalKnn: 0.33, firstAccuracy: 0.16, finalAccuracy: 0.52 });
  assert.equal(transferTrajectory(h.map(({ epoch, accuracy }) => ({ epoch, accuracy }))), undefined, 'restored without a monitor');
  assert.equal(transferTrajectory([h[0], { epoch: 2, accuracy: 0.3 }]), undefined, 'a monitor on some epochs only is not a trajectory');
  assert.equal(transferTrajectory([]), undefined);
  assert.equal(transferTrajectory([{ epoch: 1, knn: 0.4 }])!.peakEpoch, 1, 'the last epoch can be the best');
});
