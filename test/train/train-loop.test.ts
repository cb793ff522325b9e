import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { supervisedTask } from '../../src/methods/supervised';
import { rotationTask } from '../../src/methods/rotation';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { loadCheckpoint } from '../../src/train/checkpoint';

const set = toySet(48, 8, 3, 2);

function build(seed: number, method: 'supervised' | 'rotation' = 'supervised', augment = true) {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const { task, head } = (method === 'supervised' ? supervisedTask : rotationTask)(backbone, set, rng.fork(method), { augment });
  return { backbone, head, task, dispose: () => { backbone.params.dispose(); head.params.dispose(); } };
}

function weights(stores: { entries(): [string, tf.Variable][] }[]): Float32Array[] {
  return stores.flatMap((s) => s.entries().map(([, v]) => Float32Array.from(v.dataSync())));
}

const base: TrainOptions = { epochs: 4, batchSize: 12, optimizer: { name: 'adam', lr: 0.01 }, seed: 7, progress: silentProgressSink() };

test('no tensor leaks: numTensors at the start of epoch 2 equals that at epoch 4, and returns to its start', async () => {
  await useCpu();
  for (const method of ['supervised', 'rotation'] as const) {
    const m = build(1, method);
    const before = tf.memory().numTensors;
    const r = await train(m.task, { ...base, onEpochEnd: () => ({ probe: 1 }) });
    assert.equal(r.history.length, 4, `${method}: four epochs`);
    assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, `${method}: tensors at epoch 2 vs epoch 4`);
    assert.equal(tf.memory().numTensors, before, `${method}: tensors after training equal tensors before`);
    assert.ok(r.imagesPerSec > 0, `${method}: images/s reported`);
    assert.equal(r.history[0].probe, 1, 'monitor values join the history');
    m.dispose();
  }
});

test('the loss falls within 20 steps on a learnable toy problem', async () => {
  await useCpu();
  const m = build(2, 'supervised', false);
  const r = await train(m.task, { ...base, epochs: 5, optimizer: { name: 'adam', lr: 0.03, schedule: 'constant' } }); // 4 steps an epoch: 20 steps
  assert.ok(r.history[4].loss < r.history[0].loss * 0.8, `loss ${r.history[0].loss} -> ${r.history[4].loss}`);
  m.dispose();
});

test('same seed, same weights; resume from a checkpoint equals an uninterrupted run', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-ckpt-'));
  const a = build(3);
  await train(a.task, base);
  const wa = weights(a.task.stores);
  const b = build(3);
  const first = await train(b.task, { ...base, checkpointDir: dir, stopAfterEpochs: 2 });
  assert.equal(first.history.length, 2, 'interrupted after two epochs');
  assert.equal(loadCheckpoint(path.join(dir, 'checkpoint.bin'))!.meta.epoch, 2, 'checkpoint holds epoch 2');
  b.dispose();
  const c = build(3); // a fresh process would rebuild the model the same way
  const resumed = await train(c.task, { ...base, checkpointDir: dir });
  assert.equal(resumed.resumedFrom, 2, 'resumed after epoch 2');
  assert.equal(resumed.history.length, 4, 'history has all four epochs');
  const wc = weights(c.task.stores);
  wa.forEach((w, i) => assert.deepEqual(Array.from(wc[i]), Array.from(w), `variable ${i} equal after resume`));
  // A finished run is restored, not retrained.
  const d = build(3);
  const again = await train(d.task, { ...base, checkpointDir: dir });
  assert.equal(again.resumedFrom, 4, 'finished run restored');
  assert.ok(again.imagesPerSec > 0, 'a restored run still reports its training speed');
  weights(d.task.stores).forEach((w, i) => assert.deepEqual(Array.from(w), Array.from(wa[i]), `restored variable ${i}`));
  // A changed configuration does not resume.
  const e = build(3);
  const changed = await train(e.task, { ...base, epochs: 1, checkpointDir: dir });
  assert.equal(changed.resumedFrom, 0, 'another configuration starts afresh');
  [a, c, d, e].forEach((m) => m.dispose());
  fs.rmSync(dir, { recursive: true });
});

test('each step is told its position in the whole run, the same after a resume', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-at-'));
  const record = (m: ReturnType<typeof build>, seen: string[]) => {
    const inner = m.task.step.bind(m.task);
    m.task.step = (idx, rng, at) => (seen.push(`${at?.step}/${at?.totalSteps}`), inner(idx, rng, at));
    return m;
  };
  const plain: string[] = [];
  const a = record(build(3), plain);
  await train(a.task, base);
  assert.deepEqual(plain, Array.from({ length: 16 }, (_, i) => `${i}/16`), '4 epochs of 4 steps, numbered across epochs');
  const resumed: string[] = [];
  const b = record(build(3), []);
  await train(b.task, { ...base, checkpointDir: dir, stopAfterEpochs: 2 });
  const c = record(build(3), resumed);
  await train(c.task, { ...base, checkpointDir: dir });
  assert.deepEqual(resumed, plain.slice(8), 'the resumed run continues at step 8 of 16');
  [a, b, c].forEach((m) => m.dispose());
  fs.rmSync(dir, { recursive: true });
});

test('a diverging run stops with the step and learning rate, and keeps the last good checkpoint', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-nan-'));
  const m = build(4);
  let calls = 0;
  const step = m.task.step;
  m.task.step = (idx, rng) => {
    const out = step(idx, rng);
    return ++calls > 6 ? { ...out, loss: tf.mul(out.loss, NaN) as tf.Scalar } : out;
  };
  const before = tf.memory().numTensors;
  await assert.rejects(train(m.task, { ...base, checkpointDir: dir }), /diverged: loss is NaN at epoch 2, step 3 of 4 \(learning rate [0-9.e-]+\).*epoch 1/);
  assert.equal(tf.memory().numTensors, before, 'a failed run releases its optimiser state');
  assert.equal(loadCheckpoint(path.join(dir, 'checkpoint.bin'))!.meta.epoch, 1, 'epoch 1 checkpoint survives');
  m.dispose();
  fs.rmSync(dir, { recursive: true });
});

test('bad parameters are named', async () => {
  await useCpu();
  const m = build(5);
  await assert.rejects(train(m.task, { ...base, epochs: 0 }), /epochs must be a positive integer, got 0/);
  await assert.rejects(train(m.task, { ...base, batchSize: -3 }), /batchSize must be a positive integer/);
  await assert.rejects(train(m.task, { ...base, batchSize: 100 }), /batchSize 100 is larger than the 48 training examples/);
  await assert.rejects(train(m.task, { ...base, optimizer: { name: 'adam', lr: NaN } }), /lr must be a positive finite number, got NaN/);
  m.dispose();
});

test('a truncated checkpoint is refused with its file name', async () => {
  await useCpu();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-trunc-'));
  const m = build(6);
  await train(m.task, { ...base, epochs: 1, checkpointDir: dir });
  const file = path.join(dir, 'checkpoint.bin');
  const buf = fs.readFileSync(file);
  fs.writeFileSync(file, buf.subarray(0, buf.length - 10));
  assert.throws(() => loadCheckpoint(file), new RegExp(`checkpoint ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} is unusable .*delete it`));
  m.dispose();
  fs.rmSync(dir, { recursive: true });
});
