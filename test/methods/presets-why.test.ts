import { test } from 'node:test';
import assert from 'node:assert/strict';
import { whyPreset } from '../../src/methods/presets-why';
import { BUDGETS } from '../../src/train/budget';

test('whyPreset: every budget is consistent (repeats per shots value, pool big enough, source and target classes of CIFAR-10 disjoint)', () => {
  for (const b of BUDGETS) {
    const p = whyPreset(b);
    assert.equal(p.repeats.length, p.shots.length, `${b}: a repeats entry per shots value`);
    assert.deepEqual([...p.shots].sort((x, y) => x - y), p.shots, `${b}: shots ascending`);
    assert.ok(p.poolPerClass >= p.shots[p.shots.length - 1], `${b}: the pool holds the largest labelled subset`);
    assert.ok(p.scratchShots.every((n) => n <= p.poolPerClass) && (p.scratchShots.length === 0 || p.scratchSteps > 0), `${b}: scratch networks fit the pool and train`);
    assert.ok(p.sourceClasses.every((c) => c >= 0 && c < 10) && p.sourceClasses.length > 0 && p.sourceClasses.length < 10, `${b}: source classes leave a target task`);
    assert.ok(p.sourcePerClass * p.sourceClasses.length >= p.batchSize, `${b}: at least one batch of source images`);
  }
  const [s, q, f] = BUDGETS.map(whyPreset);
  assert.ok(s.sourcePerClass < q.sourcePerClass && q.sourcePerClass <= f.sourcePerClass, 'budgets grow');
  assert.ok(q.shots[0] === 1 && q.shots[q.shots.length - 1] === 500, 'quick spans 1 to 500 labels per class');
});
