import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { toySet } from '../helpers';
import { initBackend } from '../../src/backend/init';
import { pretrainContrastive } from '../../src/methods/contrastive';
import { checkpointDir } from '../../src/train/checkpoint-dir';
import { hasFinishedCheckpoint, trainOrRestoreEncoder, STUDY_ENCODERS, ENCODER_FAMILY } from '../../src/eval/encoders';
import { cifarSubset } from '../../src/data/split';
import { simclrStudy, withoutAugmentation } from '../../src/eval/augmentation-study';
import { invariancePreset, whichInvariancesPreset } from '../../src/methods/presets-conclusions';
import { jigsawPermutationSet, jigsawPreset } from '../../src/methods/presets-pretext';
import { pretrain } from '../../src/methods/pretrain';

const quiet = { update() {}, done() {} };

test('trainOrRestoreEncoder: trains the small stand-in when the notebook left no checkpoint, restores it the second time, frees everything', async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-encoders-'));
  process.env.SELFSUP_CHECKPOINTS = root;
  try {
    const cifar = { ...toySet(100, 32, 3, 10, 2), name: 'toy-cifar' };
    const opts = { cifarTrain: cifar, notebook: 'test-13', fallback: { trainSize: 40, widths: [4, 6, 8], epochs: 1, batchSize: 20 }, progress: quiet };
    const before = tf.memory().numTensors;
    assert.equal(hasFinishedCheckpoint(checkpointDir('02-rotation', 'rotation'), 1), false, 'no notebook checkpoint here');
    const first = await trainOrRestoreEncoder('rotation', 'smoke', opts);
    assert.equal(first.source, 'trained');
    assert.equal(first.small, true, 'the small stand-in');
    assert.equal(first.from, checkpointDir('test-13', 'rotation-rotation'));
    assert.deepEqual([first.trainSize, first.widths, first.family], [40, [4, 6, 8], 'pretext']);
    assert.equal(hasFinishedCheckpoint(first.from, 1), true);
    assert.equal(hasFinishedCheckpoint(first.from, 2), false, 'one epoch, not two');
    const x = tf.randomUniform([2, 32, 32, 3]) as tf.Tensor4D;
    const a = tf.tidy(() => first.backbone.apply(x).features.arraySync());
    first.dispose();
    const second = await trainOrRestoreEncoder('rotation', 'smoke', opts);
    assert.equal(second.source, 'restored', 'the same stand-in is restored, not retrained');
    const b = tf.tidy(() => second.backbone.apply(x).features.arraySync());
    assert.deepEqual(b, a, 'restored weights = trained weights');
    second.dispose();
    const colour = await trainOrRestoreEncoder('colourisation', 'smoke', opts);
    assert.equal(colour.input, 'lightness');
    assert.deepEqual(tf.tidy(() => colour.backbone.apply(x).features.shape), [2, 8], 'the colouriser takes RGB through its lightness view');
    colour.dispose();
    const random = await trainOrRestoreEncoder('random', 'smoke', { ...opts, randomWidths: [4, 8] });
    assert.equal(random.source, 'init');
    random.dispose();
    tf.dispose(x);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
    await assert.rejects(trainOrRestoreEncoder('sobel', 'smoke', opts), /unknown encoder "sobel"; known: random, rotation/);
  } finally {
    delete process.env.SELFSUP_CHECKPOINTS;
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('trainOrRestoreEncoder, fallback "reference": runs 08-jigsaw\'s own call in 08\'s folder (which 08\'s call then restores); the hook fills the history', async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-encoders-'));
  process.env.SELFSUP_CHECKPOINTS = root;
  try {
    const cifar = { ...toySet(300, 32, 3, 10, 2), name: 'toy-cifar' };
    const p = jigsawPreset('smoke');
    const before = tf.memory().numTensors;
    const calls: number[] = [];
    const opts = { cifarTrain: cifar, notebook: 'test-07', fallback: 'reference' as const, jigsaw: '08-jigsaw' as const, progress: quiet, onEpochEnd: (epoch: number) => (calls.push(epoch), { knn: 0.25 }) };
    const e = await trainOrRestoreEncoder('jigsaw', 'smoke', opts);
    assert.deepEqual([e.source, e.small, e.from, e.trainSize], ['trained', false, checkpointDir('08-jigsaw', `jigsaw-${p.permutations}`), p.trainSize]);
    assert.equal(calls.length, p.epochs, 'the hook ran once per trained epoch');
    assert.equal(e.history.length, p.epochs);
    assert.equal(e.history[0].knn, 0.25, 'its columns are in the history');
    const x = tf.randomUniform([2, 32, 32, 3]) as tf.Tensor4D;
    const a = tf.tidy(() => e.backbone.apply(x).features.arraySync());
    e.dispose();
    // 08-jigsaw's own call (its notebook builds its sets with jigsawPermutationSet) restores what was trained
    const own = await pretrain(cifarSubset(cifar, p.trainSize, p.seed), {
      method: 'jigsaw', widths: p.widths, epochs: p.epochs, batchSize: p.batchSize, optimizer: p.optimizer, seed: p.seed,
      options: { permutations: jigsawPermutationSet(p), tileSize: p.tileSize, colour: p.colour, curriculum: p.curriculum },
      checkpointDir: checkpointDir('08-jigsaw', `jigsaw-${p.permutations}`), progress: quiet,
    });
    assert.equal(own.resumedFrom, p.epochs, '08 restores it: same fingerprint');
    assert.deepEqual(tf.tidy(() => own.backbone.apply(x).features.arraySync()), a);
    own.backbone.params.dispose();
    own.head.params.dispose();
    const again = await trainOrRestoreEncoder('jigsaw', 'smoke', opts);
    assert.equal(again.source, 'restored');
    assert.equal(calls.length, p.epochs, 'no hook call for restored epochs');
    assert.equal(again.history[0].knn, 0.25, 'the restored history keeps the hook\'s columns');
    again.dispose();
    tf.dispose(x);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  } finally {
    delete process.env.SELFSUP_CHECKPOINTS;
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('cifarSubset is the notebooks\' subset (same images, same name); presets list known encoders', () => {
  const full = { ...toySet(200, 8, 3, 10, 1), name: 'cifar10/train' };
  const a = cifarSubset(full, 50, 1);
  const b = cifarSubset(full, 50, 1);
  assert.equal(a.name, 'cifar10/train[50]');
  assert.deepEqual(a.images, b.images);
  assert.equal(cifarSubset(full, 20, 1, 'test').name, 'cifar10/test[20]');
  for (const budget of ['smoke', 'quick', 'full'] as const) {
    const p = invariancePreset(budget);
    for (const e of p.encoders) assert.ok((STUDY_ENCODERS as readonly string[]).includes(e), `${budget}: ${e} is a study encoder`);
    const w = whichInvariancesPreset(budget);
    assert.ok(w.sizeSweep.includes(w.trainSize) && w.widthSweep.some((x) => x.join() === w.widths.join()), `${budget}: the ablation run is a point of both curves`);
  }
  assert.equal(invariancePreset('quick').encoders.length, 12);
  assert.equal(ENCODER_FAMILY.pirl, 'contrastive');
});

test('SimCLR with an augmentation dropped: no leak across epochs (history[1] vs [3]); simclrStudy frees its networks', async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  const set = toySet(32, 8, 3, 2, 3);
  const run = await pretrainContrastive(set, { method: 'simclr', widths: [4, 8], epochs: 4, batchSize: 8, optimizer: { name: 'adam', lr: 1e-3 }, seed: 1, options: { temperature: 0.2, views: withoutAugmentation('crop') }, progress: quiet });
  assert.equal(run.history[1].num_tensors, run.history[3].num_tensors, 'numTensors flat across epochs');
  run.dispose();
  const before = tf.memory().numTensors;
  const rows = await simclrStudy(
    [{ label: 'all', set, widths: [4, 8] }, { label: 'no flip', set, widths: [4, 8], views: withoutAugmentation('flip') }],
    { epochs: 1, batchSize: 8, optimizer: { name: 'adam', lr: 1e-3 }, seed: 1, temperature: 0.2, bank: set, test: toySet(12, 8, 3, 2, 4), probeEpochs: 2, progress: quiet },
  );
  assert.equal(tf.memory().numTensors, before, 'every network freed');
  assert.deepEqual(rows.map((r) => r.label), ['all', 'no flip']);
  for (const r of rows) assert.ok(r.knn >= 0 && r.knn <= 1 && r.linear >= 0 && r.linear <= 1 && Number.isFinite(r.loss));
  assert.notEqual(rows[0].loss, rows[1].loss, 'different views, different training');
});
