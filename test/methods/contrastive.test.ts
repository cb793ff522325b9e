import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { toySet } from '../helpers';
import { initBackend } from '../../src/backend/init';

// The wasm backend (deterministic, and about 5x faster than cpu for these convnets).
const useWasm = async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
};
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { simclrTask } from '../../src/methods/simclr';
import { mocoTask } from '../../src/methods/moco';
import { npidTask } from '../../src/methods/npid';
import { pirlTask, jigsawDistances } from '../../src/methods/pirl';
import { train, TrainOptions, TrainTask } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

const small = toySet(48, 8, 3, 2);
const big = toySet(36, 12, 3, 2); // PIRL: a 12x12 crop in 4x4 cells, 3x3 tiles

type Built = { task: TrainTask; dispose(): void };
function build(method: string, seed: number): Built {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const free = (extra: { dispose(): void } | null, heads: { params: { dispose(): void } }[]) => () => {
    backbone.params.dispose();
    heads.forEach((h) => h.params.dispose());
    extra?.dispose();
  };
  switch (method) {
    case 'simclr': {
      const s = simclrTask(backbone, small, rng.fork('m'));
      return { task: s.task, dispose: free(null, [s.head]) };
    }
    case 'moco': {
      const m = mocoTask(backbone, small, rng.fork('m'), { queueSize: 20, bnGroupSize: 4 }); // batch 12 does not divide 20
      return { task: m.task, dispose: free(m, [m.head]) };
    }
    case 'npid': {
      const n = npidTask(backbone, small, rng.fork('m'), { negatives: 16 });
      return { task: n.task, dispose: free(n, [n.head]) };
    }
    case 'npid-nce': {
      const n = npidTask(backbone, small, rng.fork('m'), { negatives: 16, loss: 'nce' });
      return { task: n.task, dispose: free(n, [n.head]) };
    }
    default: {
      const p = pirlTask(backbone, big, rng.fork('m'), { negatives: 16, tileSize: 3 });
      return { task: p.task, dispose: free(p, [p.head, p.tileHead]) };
    }
  }
}

const base: TrainOptions = { epochs: 4, batchSize: 12, optimizer: { name: 'adam', lr: 0.01 }, seed: 7, progress: silentProgressSink() };
const METHODS = ['simclr', 'moco', 'npid', 'npid-nce', 'pirl'];

test('leak test: tensor count flat across epochs, and back to its start, for every contrastive method', async () => {
  await useWasm();
  for (const method of METHODS) {
    const before = tf.memory().numTensors;
    const m = build(method, 1);
    const r = await train(m.task, base);
    assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, `${method}: tensors at epoch 2 vs epoch 4`);
    assert.ok(r.history.every((h) => Number.isFinite(h.loss)), `${method}: finite losses`);
    assert.ok(r.history.every((h) => h.accuracy >= 0 && h.accuracy <= 1), `${method}: an instance-discrimination accuracy`);
    m.dispose();
    assert.equal(tf.memory().numTensors, before, `${method}: everything freed`);
  }
});

test('MoCo: the key encoder moves only by the momentum update, and the queue fills with keys', async () => {
  await useWasm();
  const rng = new Rng(2);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const m = mocoTask(backbone, small, rng.fork('m'), { queueSize: 20, momentum: 0.9 });
  assert.ok(!m.task.stores.some((s) => s === m.keyBackbone.params && s.trainableList().length > 0), 'key encoder not trainable');
  const k0 = Float32Array.from(m.keyBackbone.params.get('block0/conv').dataSync());
  const q0 = Float32Array.from(backbone.params.get('block0/conv').dataSync());
  assert.deepEqual(Array.from(k0), Array.from(q0), 'starts as a copy');
  const q0Before = Float32Array.from(m.queue.snapshot().dataSync());
  await train(m.task, { ...base, epochs: 1, batchSize: 12 }); // 4 steps
  const k1 = m.keyBackbone.params.get('block0/conv').dataSync();
  const q1 = backbone.params.get('block0/conv').dataSync();
  assert.notDeepEqual(Array.from(k1), Array.from(k0), 'key encoder moved');
  assert.notDeepEqual(Array.from(k1), Array.from(q1), 'but is not the query encoder');
  assert.equal(m.queue.pointer, 48 % 20, 'pointer advanced by 4 x 12 keys modulo 20');
  const qAfter = m.queue.snapshot();
  const norms = tf.norm(qAfter, 'euclidean', 1).dataSync();
  norms.forEach((v) => assert.ok(Math.abs(v - 1) < 1e-4, 'queue holds unit keys'));
  assert.notDeepEqual(Array.from(qAfter.dataSync()), Array.from(q0Before), 'queue rewritten');
  qAfter.dispose();
  // One more step by hand: after the optimiser update, afterStep applies θk ← m θk + (1-m) θq.
  const kBefore = Float32Array.from(m.keyBackbone.params.get('block0/conv').dataSync());
  const qNow = Float32Array.from(backbone.params.get('block0/conv').dataSync());
  m.task.afterStep!();
  const kAfter = m.keyBackbone.params.get('block0/conv').dataSync();
  kAfter.forEach((v, i) => assert.ok(Math.abs(v - (0.9 * kBefore[i] + 0.1 * qNow[i])) < 1e-6, `momentum update [${i}]`));
  backbone.params.dispose();
  m.head.params.dispose();
  m.dispose();
});

test('checkpoint and resume restore the key encoder, the queue and the memory bank', async () => {
  await useWasm();
  for (const method of ['moco', 'npid']) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `selfsup-${method}-`));
    const a = build(method, 3);
    await train(a.task, base);
    const wa = a.task.stores.flatMap((s) => s.entries().map(([n, v]) => [n, Array.from(v.dataSync())] as const));
    const b = build(method, 3);
    await train(b.task, { ...base, checkpointDir: dir, stopAfterEpochs: 2 });
    b.dispose();
    const c = build(method, 3);
    const r = await train(c.task, { ...base, checkpointDir: dir });
    assert.equal(r.resumedFrom, 2, `${method}: resumed after epoch 2`);
    const wc = c.task.stores.flatMap((s) => s.entries().map(([n, v]) => [n, Array.from(v.dataSync())] as const));
    wa.forEach(([n, w], i) => assert.deepEqual(wc[i][1], w, `${method}: ${n} equal to an uninterrupted run`));
    a.dispose();
    c.dispose();
    fs.rmSync(dir, { recursive: true });
  }
});

test('each method trains its loss down on a toy set', async () => {
  await useWasm();
  for (const method of ['simclr', 'moco', 'npid']) {
    const m = build(method, 4);
    const r = await train(m.task, { ...base, epochs: 6, optimizer: { name: 'adam', lr: 0.01, schedule: 'constant' } });
    // MoCo's loss first rises while the queue's random initial keys are replaced by real ones.
    const first = r.history[method === 'moco' ? 1 : 0].loss;
    const last = r.history[5].loss;
    assert.ok(last < first, `${method}: loss ${first.toFixed(3)} -> ${last.toFixed(3)}`);
    m.dispose();
  }
});

test('bad options are named', async () => {
  await useWasm();
  const backbone = convNet({ inputChannels: 3, widths: [4] }, new Rng(1));
  assert.throws(() => mocoTask(backbone, small, new Rng(1), { queueSize: 100 }), /size 100 is larger than the dataset \(48 examples\)/);
  assert.throws(() => mocoTask(backbone, small, new Rng(1), { momentum: 1 }), /momentum must be in \[0, 1\)/);
  assert.throws(() => pirlTask(backbone, big, new Rng(1), { lambda: 2 }), /lambda must be in \[0, 1\]/);
  assert.throws(() => simclrTask(backbone, small, new Rng(1), { temperature: 0 }), /temperature must be positive/);
  backbone.params.dispose();
});

test('jigsaw distances: zero for a 1x1 grid, within [0, 2] otherwise', async () => {
  await useWasm();
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(1));
  const one = jigsawDistances(backbone, big, new Rng(1), { grid: 1, tileSize: 12 });
  one.same.forEach((d) => assert.ok(Math.abs(d) < 1e-5, 'one tile: nothing to shuffle'));
  const three = jigsawDistances(backbone, big, new Rng(1), { grid: 3, tileSize: 3, batchSize: 10 });
  assert.equal(three.same.length, big.n);
  three.same.forEach((d) => assert.ok(d >= -1e-5 && d <= 2, 'cosine distance range'));
  assert.ok(three.other > 0, 'different images differ');
  backbone.params.dispose();
});
