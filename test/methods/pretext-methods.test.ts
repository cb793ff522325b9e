import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { toySet, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { relativePositionTask } from '../../src/methods/relative-position';
import { activePermutations, jigsawTask } from '../../src/methods/jigsaw';
import { jigsawPreset, relativePositionPreset } from '../../src/methods/presets-pretext';
import { checkMethod } from '../../src/methods/pretrain';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { hammingPermutations } from '../../src/pretext/jigsaw';
import { patchGrid } from '../../src/pretext/relative-position';

const base: TrainOptions = { epochs: 4, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 3, progress: silentProgressSink() };

test('relative position: no tensor leaks across epochs, finite loss, accuracy over 8 classes', async () => {
  await useCpu();
  const set = toySet(16, 12, 3, 2);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const { task, head, model } = relativePositionTask(backbone, set, new Rng(1).fork('rp'), { patch: 3, gap: 1, jitter: 0, colour: 'drop' });
  assert.equal(head.inDim, 2 * backbone.featureDim, 'late fusion of two feature vectors');
  assert.equal(head.outDim, 8, '8 relative positions');
  assert.equal(model.parts, 2);
  const before = tf.memory().numTensors;
  const r = await train(task, base);
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'back to the start after training');
  for (const h of r.history) assert.ok(Number.isFinite(h.loss) && h.accuracy >= 0 && h.accuracy <= 1, `epoch ${h.epoch}: finite loss, accuracy in [0, 1]`);
  backbone.params.dispose();
  head.params.dispose();
});

test('jigsaw: no tensor leaks across epochs, a head over the permutation set, the set it was given', async () => {
  await useCpu();
  const set = toySet(16, 9, 3, 2);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const perms = hammingPermutations(5, new Rng(2), { candidates: 1000 });
  const { task, head, model, permutations } = jigsawTask(backbone, set, new Rng(1).fork('jig'), { permutations: perms, tileSize: 2 });
  assert.equal(permutations, perms, 'uses the given set');
  assert.equal(head.inDim, 9 * backbone.featureDim, 'late fusion of nine tile features');
  assert.equal(head.outDim, 5, 'one class per permutation');
  assert.equal(model.parts, 9);
  const before = tf.memory().numTensors;
  const r = await train(task, base);
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'back to the start after training');
  assert.ok(r.history.every((h) => Number.isFinite(h.loss)), 'finite losses');
  backbone.params.dispose();
  head.params.dispose();
  const bb2 = convNet({ inputChannels: 3, widths: [4] }, new Rng(1));
  assert.throws(() => jigsawTask(bb2, set, new Rng(1), { permutations: [perms[0]] }), /at least 2 permutations/);
  bb2.params.dispose();
});

test('activePermutations: 10 at the start, growing geometrically to the whole set at the curriculum fraction, the whole set after; bad values named', () => {
  assert.equal(activePermutations(1000, 0, 0.5), 10);
  assert.equal(activePermutations(1000, 0.25, 0.5), 100, 'half way through the curriculum: the geometric mean of 10 and 1,000');
  assert.equal(activePermutations(1000, 0.5, 0.5), 1000);
  assert.equal(activePermutations(1000, 0.9, 0.5), 1000);
  assert.equal(activePermutations(1000, 0.3, 0), 1000, 'no curriculum: always the whole set');
  assert.equal(activePermutations(5, 0, 0.5), 5, 'sets of 10 or fewer are whole from the start');
  let last = 0;
  for (let i = 0; i <= 100; i++) {
    const k = activePermutations(300, i / 100, 0.7);
    assert.ok(k >= last && k >= 10 && k <= 300, `monotone, within 10..300 at ${i}%`);
    last = k;
  }
  assert.throws(() => activePermutations(100, 0, 1.5), /curriculum must be a fraction of the run in \[0, 1\], got 1.5/);
  assert.throws(() => activePermutations(1, 0, 0.5), /size must be an integer >= 2, got 1/);
});

test('jigsaw curriculum: early steps draw only the first permutations of the set, later steps the whole set', async () => {
  await useCpu();
  const set = toySet(16, 9, 3, 2);
  const backbone = convNet({ inputChannels: 3, widths: [4] }, new Rng(1));
  const perms = hammingPermutations(100, new Rng(2), { candidates: 5000 });
  const { task, head } = jigsawTask(backbone, set, new Rng(1).fork('jig'), { permutations: perms, tileSize: 2, curriculum: 0.5 });
  // A head that ignores its input: uniform over the first k classes, ~0 probability elsewhere.
  const headFor = (k: number) => tf.tidy(() => {
    head.params.get('w2').assign(tf.zerosLike(head.params.get('w2')));
    head.params.get('b2').assign(tf.tensor1d(Array.from({ length: 100 }, (_, c) => (c < k ? 0 : -50))));
  });
  const idx = Int32Array.from({ length: 16 }, (_, i) => i);
  const lossAt = (step: number) => tf.tidy(() => task.step(idx, new Rng(5 + step), { step, totalSteps: 100 }).loss.dataSync()[0]);
  for (const [step, k] of [[0, 10], [25, 32]]) {
    assert.equal(activePermutations(100, step / 100, 0.5), k);
    headFor(k);
    assert.ok(Math.abs(lossAt(step) - Math.log(k)) < 1e-4, `step ${step}: every label among the first ${k} (loss ${lossAt(step)})`);
    if (k > 10) {
      headFor(k - 10);
      assert.ok(lossAt(step) > Math.log(k - 10) + 1, `step ${step}: labels ${k - 10}..${k - 1} drawn too`);
    }
  }
  headFor(10);
  assert.ok(lossAt(80) > 10, 'after the curriculum, labels beyond the first 10 appear');
  assert.ok(tf.tidy(() => task.step(idx, new Rng(9)).loss.dataSync()[0]) > 10, 'without a position: the whole set');
  backbone.params.dispose();
  head.params.dispose();
  assert.throws(() => jigsawTask(convNet({ inputChannels: 3, widths: [4] }, new Rng(1)), set, new Rng(1), { permutations: perms, curriculum: 2 }), /curriculum must be a fraction/);
});

test('pretext presets: the patch grid fits CIFAR, the jigsaw sweep spans 10..1,000 with at least 4 sizes, methods registered', () => {
  for (const b of ['smoke', 'quick', 'full'] as const) {
    const r = relativePositionPreset(b);
    assert.doesNotThrow(() => patchGrid(32, 32, r), `${b}: relative-position grid fits 32x32`);
    assert.ok(r.retrievalQueries <= 10, `${b}: at most one query per class`);
    const j = jigsawPreset(b);
    assert.ok(j.permutationSizes.length >= 4, `${b}: at least 4 set sizes`);
    assert.equal(Math.min(...j.permutationSizes), 10, `${b}: from 10`);
    assert.equal(Math.max(...j.permutationSizes), 1000, `${b}: to 1,000`);
    assert.ok(j.permutationSizes.includes(j.permutations), `${b}: the reported size is swept`);
    assert.ok(j.tileSize <= 10, `${b}: tiles fit the 10-pixel cells of a 30x30 crop`);
    assert.ok(j.curriculum >= 0 && j.curriculum <= 1, `${b}: the curriculum is a fraction of the run`);
  }
  const [s, q, f] = (['smoke', 'quick', 'full'] as const).map(relativePositionPreset);
  assert.ok(s.trainSize < q.trainSize && q.trainSize < f.trainSize, 'train sizes grow');
  assert.equal(checkMethod('relative_position'), 'relative_position');
  assert.equal(checkMethod('jigsaw'), 'jigsaw');
});
