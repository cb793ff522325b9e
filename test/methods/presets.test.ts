import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rotationPreset } from '../../src/methods/presets';
import { checkMethod } from '../../src/methods/pretrain';
import { budgetFromEnv } from '../../src/train/budget';

test('budget presets grow from smoke to full; supervised sees as many images as rotation', () => {
  const [s, q, f] = (['smoke', 'quick', 'full'] as const).map(rotationPreset);
  assert.ok(s.trainSize < q.trainSize && q.trainSize < f.trainSize, 'train sizes grow');
  assert.ok(q.testSize >= 2000, 'quick measures on at least 2,000 test images');
  assert.equal(f.testSize, 10000, 'full measures on the whole CIFAR-10 test set');
  for (const p of [q, f]) assert.equal(p.supervisedEpochs, 4 * p.epochs, 'equal images through the network (4 rotations per image)');
});

test('budgetFromEnv reads SELFSUP_BUDGET and names it when wrong; checkMethod lists known methods', () => {
  const old = process.env.SELFSUP_BUDGET;
  try {
    delete process.env.SELFSUP_BUDGET;
    assert.equal(budgetFromEnv('quick'), 'quick');
    process.env.SELFSUP_BUDGET = 'full';
    assert.equal(budgetFromEnv('quick'), 'full');
    process.env.SELFSUP_BUDGET = 'huge';
    assert.throws(() => budgetFromEnv(), /SELFSUP_BUDGET="huge" is not a budget; use one of smoke, quick, full/);
  } finally {
    if (old === undefined) delete process.env.SELFSUP_BUDGET;
    else process.env.SELFSUP_BUDGET = old;
  }
  assert.equal(checkMethod('rotation'), 'rotation');
  assert.throws(() => checkMethod('jigsaw9'), /unknown method "jigsaw9"; known methods: rotation, supervised/);
});
