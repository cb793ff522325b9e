// Tensor hygiene: every method's training loop and every evaluation keep tf.memory().numTensors
// flat across epochs and calls. (Methods added later bring their own leak test.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { rotationTask, predictRotationGrid } from '../../src/methods/rotation';
import { supervisedTask } from '../../src/methods/supervised';
import { pretrain } from '../../src/methods/pretrain';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { embed } from '../../src/eval/embed';
import { knnAccuracy } from '../../src/eval/knn';
import { linearProbe } from '../../src/eval/linear-probe';
import { evaluateBackbone } from '../../src/eval/evaluate';
import { compareEncoders, knnMonitor } from '../../src/eval/compare';

const set = toySet(32, 8, 3, 2);
const test8 = toySet(16, 8, 3, 2, 9);
const base: TrainOptions = { epochs: 4, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 3, progress: silentProgressSink() };

/** Train `build()`'s task 4 epochs with `opts`; assert the per-epoch count is flat and everything is released. */
async function flatTraining(label: string, build: (rng: Rng) => { task: Parameters<typeof train>[0]; dispose(): void }, opts: Partial<TrainOptions> = {}): Promise<void> {
  await useCpu();
  const before = tf.memory().numTensors;
  const m = build(new Rng(5));
  const r = await train(m.task, { ...base, ...opts });
  const counts = r.history.map((h) => h.num_tensors);
  assert.equal(counts.length, 4, `${label}: four epochs`);
  assert.equal(counts[1], counts[3], `${label}: numTensors at epochs 2..4 = ${counts}`);
  assert.equal(counts[2], counts[3], `${label}: numTensors at epochs 2..4 = ${counts}`);
  m.dispose();
  assert.equal(tf.memory().numTensors, before, `${label}: numTensors back to its start after disposing the model`);
}

const rotation = (opts: { augment?: boolean; head?: 'linear' | 'mlp' }) => (rng: Rng) => {
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const { task, head } = rotationTask(backbone, set, rng.fork('rotation'), opts);
  return { task, dispose: () => { backbone.params.dispose(); head.params.dispose(); } };
};
const supervised = (opts: { augment?: boolean }) => (rng: Rng) => {
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const { task, head } = supervisedTask(backbone, set, rng.fork('supervised'), opts);
  return { task, dispose: () => { backbone.params.dispose(); head.params.dispose(); } };
};

test('rotation: flat across epochs (linear and MLP head, with and without augmentation, adam and sgd)', async () => {
  await flatTraining('rotation linear', rotation({ head: 'linear' }));
  await flatTraining('rotation mlp', rotation({ head: 'mlp', augment: false }));
  await flatTraining('rotation sgd', rotation({}), { optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9 } });
});

test('supervised: flat across epochs (with and without augmentation, adam and sgd)', async () => {
  await flatTraining('supervised', supervised({}));
  await flatTraining('supervised no-augment', supervised({ augment: false }));
  await flatTraining('supervised sgd', supervised({}), { optimizer: { name: 'sgd', lr: 0.05 } });
});

test('checkpointing, resuming, restoring and a per-epoch kNN monitor leak nothing', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-leak-'));
  const before = tf.memory().numTensors;
  const monitor = knnMonitor(set, test8, 16, 1)!;
  const cfg = { method: 'rotation' as const, widths: [4, 8], epochs: 4, batchSize: 8, optimizer: base.optimizer, seed: 3, checkpointDir: dir, onEpochEnd: monitor, progress: silentProgressSink() };
  const first = await pretrain(set, cfg); // fresh config: trains 4 epochs with the monitor and checkpoints
  const counts = first.history.map((h) => h.num_tensors);
  assert.equal(counts[1], counts[3], `pretrain with monitor and checkpoints: ${counts}`);
  first.backbone.params.dispose();
  first.head.params.dispose();
  for (let k = 0; k < 3; k++) {
    const again = await pretrain(set, cfg); // restored from the checkpoint
    assert.equal(again.resumedFrom, 4, 'restored');
    again.backbone.params.dispose();
    again.head.params.dispose();
    assert.equal(tf.memory().numTensors, before, `restore ${k + 1}: numTensors unchanged`);
  }
  // a run stopped after two epochs, then resumed from its checkpoint (optimizer state restored)
  const dir2 = path.join(dir, 'resume');
  const m1 = rotation({})(new Rng(1));
  await train(m1.task, { ...base, checkpointDir: dir2, stopAfterEpochs: 2 });
  m1.dispose();
  const m2 = rotation({})(new Rng(1));
  const resumed = await train(m2.task, { ...base, checkpointDir: dir2 });
  assert.equal(resumed.resumedFrom, 2);
  assert.equal(resumed.history[2].num_tensors, resumed.history[3].num_tensors, 'flat after resuming');
  m2.dispose();
  assert.equal(tf.memory().numTensors, before, 'nothing left behind');
  fs.rmSync(dir, { recursive: true });
});

test('every evaluation leaves numTensors unchanged across calls', async () => {
  await useCpu();
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(2));
  const { head } = rotationTask(backbone, set, new Rng(3), {});
  const monitor = knnMonitor(set, test8, 12, 1)!;
  const calls: [string, () => Promise<unknown> | unknown][] = [
    ['embed final', () => embed(backbone, set).dispose()],
    ['embed block 0', () => embed(backbone, set, { layer: 0, batchSize: 5 }).dispose()],
    ['knnAccuracy', () => tf.tidy(() => knnAccuracy(embed(backbone, set), set.labels, embed(backbone, test8), test8.labels, { k: 5, chunk: 3 }))],
    ['linearProbe', async () => {
      const a = embed(backbone, set);
      const b = embed(backbone, test8);
      await linearProbe(a, set.labels, b, test8.labels, { epochs: 3, batchSize: 8 });
      tf.dispose([a, b]);
    }],
    ['evaluateBackbone', () => evaluateBackbone(backbone, set, test8, { probe: { epochs: 2 } })],
    ['evaluateBackbone knnOnly block 1', () => evaluateBackbone(backbone, set, test8, { knnOnly: true, layer: 1 })],
    ['compareEncoders', () => compareEncoders({ a: backbone, b: backbone }, set, test8, { probe: { epochs: 2 } })],
    ['knnMonitor', () => monitor(1, backbone)],
    ['predictRotationGrid', () => predictRotationGrid(backbone, head, test8)],
  ];
  for (const [name, call] of calls) {
    const before = tf.memory().numTensors;
    for (let k = 0; k < 3; k++) {
      await call();
      assert.equal(tf.memory().numTensors, before, `${name}: numTensors after call ${k + 1} equals that before`);
    }
  }
  backbone.params.dispose();
  head.params.dispose();
});
