import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { toySet, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { rotationTask } from '../../src/methods/rotation';
import { supervisedTask } from '../../src/methods/supervised';
import { multiTask, pretrainMultiTask, splitBatch } from '../../src/methods/multi-task';
import { checkLayersEncoders, layersMultiTask, layersPreset } from '../../src/methods/presets-layers';
import { rotationPreset } from '../../src/methods/presets';
import { jigsawPermutationSet, jigsawPreset, relativePositionPreset } from '../../src/methods/presets-pretext';
import { checkMethod } from '../../src/methods/pretrain';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

const set = toySet(32, 8, 3, 2);
const base: TrainOptions = { epochs: 4, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 3, progress: silentProgressSink() };

function build(seed = 1) {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const rot = rotationTask(backbone, set, rng.fork('rotation'), { augment: false });
  const sup = supervisedTask(backbone, set, rng.fork('supervised'), { augment: false });
  const dispose = () => [backbone.params, rot.head.params, sup.head.params].forEach((p) => p.dispose());
  return { backbone, rot, sup, dispose };
}

test('multiTask: its loss is the weighted sum of its parts, on split or shared batches', async () => {
  await useCpu();
  const m = build();
  const indices = Int32Array.from([5, 1, 9, 30, 12, 7, 22]);
  for (const batch of ['split', 'shared'] as const) {
    const task = multiTask([{ task: m.rot.task, weight: 0.3 }, { task: m.sup.task, weight: 2 }], { batch });
    const stepRng = new Rng(11);
    const total = tf.tidy(() => task.step(indices, stepRng).loss.dataSync()[0]);
    // Reference: each part alone on its share of the batch, with its own fork of the step's stream.
    const share = (t: number) => (batch === 'split' ? splitBatch(indices, t, 2) : indices);
    const lr = tf.tidy(() => m.rot.task.step(share(0), stepRng.fork('rotation')).loss.dataSync()[0]);
    const ls = tf.tidy(() => m.sup.task.step(share(1), stepRng.fork('supervised')).loss.dataSync()[0]);
    assert.ok(Math.abs(total - (0.3 * lr + 2 * ls)) < 1e-5 * Math.abs(total), `${batch}: ${total} = 0.3 * ${lr} + 2 * ${ls}`);
    const stats = task.takeStats();
    assert.ok(Math.abs(stats.rotation_loss - lr) < 1e-6 && Math.abs(stats.supervised_loss - ls) < 1e-6, `${batch}: per-part losses recorded`);
    assert.ok(stats.rotation_accuracy >= 0 && stats.rotation_accuracy <= 1, `${batch}: per-part accuracy`);
    assert.deepEqual(task.takeStats(), {}, `${batch}: takeStats resets`);
  }
  assert.deepEqual(Array.from(splitBatch(indices, 0, 2)), [5, 1, 9], 'split: contiguous halves');
  assert.deepEqual(Array.from(splitBatch(indices, 1, 2)), [30, 12, 7, 22]);
  m.dispose();
});

test('multiTask: a shared backbone is optimised once; images per example follow the batch policy; bad input named', async () => {
  await useCpu();
  const m = build();
  const split = multiTask([{ task: m.rot.task }, { task: m.sup.task }]);
  assert.equal(split.name, 'rotation+supervised');
  assert.equal(split.stores.length, 3, 'backbone, rotation head, supervised head (backbone not twice)');
  assert.equal(split.imagesPerExample, (4 + 1) / 2, 'split: each example goes to one task');
  assert.equal(multiTask([{ task: m.rot.task }, { task: m.sup.task }], { batch: 'shared' }).imagesPerExample, 5, 'shared: every task sees every example');
  assert.deepEqual(split.weights, [1, 1], 'default weights 1');
  assert.throws(() => multiTask([{ task: m.rot.task }]), /at least 2 tasks/);
  assert.throws(() => multiTask([{ task: m.rot.task }, { task: m.rot.task }]), /names must differ/);
  assert.throws(() => multiTask([{ task: m.rot.task, weight: -1 }, { task: m.sup.task }]), /weight of "rotation" must be a finite number >= 0, got -1/);
  assert.throws(() => multiTask([{ task: m.rot.task }, { task: m.sup.task }], { batch: 'half' as 'split' }), /batch must be 'split' or 'shared'/);
  assert.throws(() => split.step(Int32Array.from([1]), new Rng(1)), /a batch of 1 cannot be split among 2 tasks/);
  m.dispose();
});

test('multiTask: no tensor leaks across epochs (num_tensors flat), and the summed loss falls', async () => {
  await useCpu();
  const m = build(2);
  const task = multiTask([{ task: m.rot.task }, { task: m.sup.task }]);
  const before = tf.memory().numTensors;
  const r = await train(task, { ...base, epochs: 5, optimizer: { name: 'adam', lr: 0.03, schedule: 'constant' }, onEpochEnd: () => task.takeStats() });
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'back to the start after training');
  assert.ok(r.history[4].loss < r.history[0].loss, `summed loss falls: ${r.history[0].loss} -> ${r.history[4].loss}`);
  assert.ok(Number.isFinite(r.history[0].rotation_loss) && Number.isFinite(r.history[0].supervised_accuracy), 'per-task columns in the history');
  m.dispose();
});

test('pretrainMultiTask: per-method columns, same initial backbone as pretrain, resumes from its checkpoint', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-multi-'));
  const cfg = {
    methods: [{ method: 'rotation' as const }, { method: 'supervised' as const, weight: 0.5 }],
    widths: [4, 8], epochs: 2, batchSize: 8, optimizer: { name: 'adam' as const, lr: 0.01 }, seed: 4,
    checkpointDir: dir, progress: silentProgressSink(), onEpochEnd: () => ({ probe: 1 }),
  };
  const before = tf.memory().numTensors;
  const a = await pretrainMultiTask(set, cfg);
  assert.deepEqual(a.methods, ['rotation', 'supervised']);
  assert.equal(a.heads.length, 2);
  assert.equal(a.history.length, 2);
  for (const k of ['rotation_loss', 'rotation_accuracy', 'supervised_loss', 'supervised_accuracy', 'probe']) assert.ok(k in a.history[1], `history has ${k}`);
  const b = await pretrainMultiTask(set, cfg);
  assert.equal(b.resumedFrom, 2, 'a finished run is restored from its checkpoint');
  const wa = a.backbone.params.get('block0/conv').dataSync();
  assert.deepEqual(Array.from(b.backbone.params.get('block0/conv').dataSync()), Array.from(wa), 'restored weights');
  for (const r of [a, b]) [r.backbone.params, ...r.heads.map((h) => h.params)].forEach((p) => p.dispose());
  assert.equal(tf.memory().numTensors, before, 'nothing left once the caller disposes backbone and heads');
  // The backbone starts where pretrain's would: convNet from new Rng(seed).
  const fresh = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(4));
  const c = await pretrainMultiTask(set, { ...cfg, epochs: 1, checkpointDir: undefined, optimizer: { name: 'adam', lr: 1e-30 } });
  assert.deepEqual(Array.from(c.backbone.params.get('block0/conv').dataSync()), Array.from(fresh.params.get('block0/conv').dataSync()), 'lr 1e-30: weights stay at the seed-determined init');
  [fresh.params, c.backbone.params, ...c.heads.map((h) => h.params)].forEach((p) => p.dispose());
  await assert.rejects(pretrainMultiTask(set, { ...cfg, methods: [{ method: 'rotation' as const }, { method: 'nope' as 'rotation' }] }), /unknown method "nope"/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('07 presets: the probed encoders share shape and seed; the multi-task run is rotation\'s budget split with 08\'s jigsaw task', () => {
  const [s, q, f] = (['smoke', 'quick', 'full'] as const).map(layersPreset);
  assert.ok(s.bankSize < q.bankSize && q.bankSize < f.bankSize, 'banks grow');
  assert.deepEqual([f.bankSize, f.largeBankSize, f.testSize], [jigsawPreset('full').trainSize, 50000, 10000], 'full: 08\'s 20,000 images as the bank, all 50,000 as the large one');
  for (const budget of ['smoke', 'quick', 'full'] as const) {
    assert.doesNotThrow(() => checkLayersEncoders(budget), budget);
    const p = layersPreset(budget);
    assert.ok(p.multiMethods.length >= 2, 'two or more tasks at once');
    for (const m of p.multiMethods) assert.equal(checkMethod(m), m);
    const mt = layersMultiTask(budget);
    const r = rotationPreset(budget);
    const j = jigsawPreset(budget);
    assert.deepEqual([mt.trainSize, mt.epochs, mt.widths, mt.head], [r.trainSize, r.epochs, r.widths, r.head], `${budget}: rotation\'s images, epochs, shape and head`);
    assert.ok(mt.batchSize % mt.methods.length === 0, 'batches split evenly among the tasks');
    const jig = mt.methods.find((m) => m.method === 'jigsaw')!.options!;
    assert.deepEqual(jig.permutations, jigsawPermutationSet(j), '08\'s reported permutation set');
    assert.equal((jig.permutations as Int32Array[]).length, j.permutations);
    assert.deepEqual([jig.tileSize, jig.colour, jig.curriculum], [j.tileSize, j.colour, j.curriculum]);
    // the jigsaw tiles must survive the backbone's max-pools (valid padding)
    assert.ok(j.tileSize >> (mt.widths.length - 1) >= 1, `tiles of ${j.tileSize} px survive ${mt.widths.length - 1} pools`);
  }
  // a preset that drifts apart is named
  assert.throws(() => checkLayersEncoders('quick', { relativePosition: { ...relativePositionPreset('quick'), monitorSize: 500 } }), /relativePositionPreset\.monitorSize 500 differs from rotationPreset\.monitorSize 1000/);
  assert.throws(() => checkLayersEncoders('full', { rotation: { ...rotationPreset('full'), widths: [8, 16] } }), /relativePositionPreset\.widths 32-64-128 differ from rotationPreset\.widths 8-16/);
});
