import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GenerativePreset, colourisationPreset, inpaintingPreset, inpaintingVariantName } from '../../src/methods/presets-generative';

test("generative presets grow from smoke to full; the supervised baseline sees as many images; the paper's colour and mask settings", () => {
  for (const preset of [colourisationPreset, inpaintingPreset] as Array<(b: 'smoke' | 'quick' | 'full') => GenerativePreset>) {
    const [s, q, f] = (['smoke', 'quick', 'full'] as const).map(preset);
    assert.ok(s.trainSize < q.trainSize && q.trainSize < f.trainSize, 'train sizes grow');
    assert.ok(q.testSize >= 2000, 'quick measures on at least 2,000 test images');
    assert.equal(f.testSize, 10000, 'full measures on the whole CIFAR-10 test set');
    assert.equal(f.trainSize, 50000, 'full trains on all of CIFAR-10');
    for (const p of [s, q, f]) assert.equal(p.supervisedEpochs, p.epochs, 'equal images through the network (one image per example)');
    assert.equal(s.monitorSize, 0, 'no monitor in smoke');
  }
  const c = colourisationPreset('full');
  assert.deepEqual([c.outSize, c.gridSize, c.lambda, c.temperature], [8, 10, 0.5, 0.38], 'Zhang et al.: quarter resolution, grid 10, lambda 0.5, T 0.38');
  const i = inpaintingPreset('full');
  assert.equal(i.hole * i.hole, 32 * 32 / 4, 'Pathak et al.: the centre hole is a quarter of the image');
  assert.equal(i.coverage, 0.25, 'random blocks hide as much as the centre hole');
  assert.deepEqual(new Set(i.encoders.map((v) => v.mask)), new Set(['centre', 'random-blocks']), 'both mask kinds');
  assert.ok(i.encoders.some((v) => v.bottleneck === 'none'), 'a context encoder without bottleneck, the control');
  assert.equal(new Set(i.encoders.map(inpaintingVariantName)).size, i.encoders.length, 'each encoder its own checkpoint folder');
});
