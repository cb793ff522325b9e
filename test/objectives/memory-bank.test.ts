import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { MemoryBank } from '../../src/objectives/memory-bank';
import { initBackend } from '../../src/backend';

const rowsOf = (t: tf.Tensor) => {
  const a = t.arraySync() as number[][];
  t.dispose();
  return a;
};

test('a new bank holds seeded unit vectors and a pointer at 0', async () => {
  await useCpu();
  const a = new MemoryBank(6, 4, new Rng(1));
  const b = new MemoryBank(6, 4, new Rng(1));
  const ra = rowsOf(a.snapshot());
  assert.deepEqual(ra, rowsOf(b.snapshot()), 'same seed, same bank');
  for (const r of ra) assert.ok(Math.abs(Math.hypot(...r) - 1) < 1e-5, 'unit rows');
  assert.equal(a.pointer, 0, 'pointer starts at 0');
  assert.deepEqual(a.params.trainableList(), [], 'nothing trainable');
  assert.deepEqual(a.params.entries().map(([n]) => n), ['bank', 'pointer'], 'bank and pointer are saved state');
  a.dispose();
  b.dispose();
});

test('write inserts rows; a snapshot taken before is unchanged', async () => {
  await useCpu();
  const before = tf.memory().numTensors;
  const m = new MemoryBank(5, 2, new Rng(2));
  const old = m.snapshot();
  const oldRows = old.arraySync() as number[][];
  const v = tf.tensor2d([[1, 0], [0, 1]]);
  m.write(Int32Array.from([3, 1]), v);
  const now = rowsOf(m.snapshot());
  assert.deepEqual(now[3], [1, 0], 'row 3 written');
  assert.deepEqual(now[1], [0, 1], 'row 1 written');
  assert.deepEqual(now[0], oldRows[0], 'row 0 untouched');
  assert.deepEqual(old.arraySync(), oldRows, 'snapshot unaffected by the write');
  assert.deepEqual(rowsOf(m.rows(Int32Array.from([1, 3]))), [[0, 1], [1, 0]], 'rows() gathers');
  assert.throws(() => m.write(Int32Array.from([1, 1]), v), /indices must be distinct/);
  assert.throws(() => m.write(Int32Array.from([0, 5]), v), /indices\[1\] = 5 is outside 0..4/);
  assert.throws(() => m.write(Int32Array.from([0]), v), /values must be \[1, 2\]/);
  old.dispose();
  v.dispose();
  m.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
});

test('momentum update: v <- normalise(m v + (1 - m) f), the plain-loop reference', async () => {
  await useCpu();
  const m = new MemoryBank(4, 3, new Rng(3));
  const old = rowsOf(m.snapshot());
  const f = [[2, 0, 0], [0, -1, 1]];
  const idx = Int32Array.from([2, 0]);
  const ft = tf.tensor2d(f);
  m.momentumUpdate(idx, ft, 0.5);
  ft.dispose();
  const now = rowsOf(m.snapshot());
  idx.forEach((row, i) => {
    const mixed = old[row].map((v, j) => 0.5 * v + 0.5 * f[i][j]);
    const n = Math.hypot(...mixed);
    mixed.forEach((v, j) => assert.ok(Math.abs(now[row][j] - v / n) < 1e-5, `row ${row}[${j}]`));
  });
  assert.deepEqual(now[1], old[1], 'other rows untouched');
  assert.deepEqual(now[3], old[3], 'other rows untouched');
  assert.throws(() => m.momentumUpdate(idx, tf.zeros([2, 3]) as tf.Tensor2D, 1), /momentum must be in \[0, 1\)/);
  m.dispose();
});

test('queue: enqueue wraps around when the queue size does not divide the batch size', async () => {
  await useCpu();
  const q = new MemoryBank(5, 1, new Rng(4));
  const written: number[] = [];
  for (let s = 0; s < 4; s++) {
    const keys = tf.tensor2d([[10 * s + 1], [10 * s + 2], [10 * s + 3]]); // batch 3, queue 5
    q.enqueue(keys);
    keys.dispose();
    written.push(10 * s + 1, 10 * s + 2, 10 * s + 3);
    assert.equal(q.pointer, (3 * (s + 1)) % 5, `pointer after ${s + 1} batches`);
  }
  // Reference: a plain array queue of length 5 written cyclically.
  const ref = new Array(5).fill(NaN);
  written.forEach((v, i) => (ref[i % 5] = v));
  assert.deepEqual(rowsOf(q.snapshot()).map((r) => r[0]), ref, 'the newest 5 keys, at their cyclic slots');
  const big = tf.zeros([6, 1]) as tf.Tensor2D;
  assert.throws(() => q.enqueue(big), /6 keys do not fit a queue of size 5/);
  big.dispose();
  q.dispose();
});

test('sampling negatives never returns a positive, draws distinct rows, and is seeded', async () => {
  await useCpu();
  const m = new MemoryBank(20, 2, new Rng(5));
  const pos = [3, 7, 11];
  for (let seed = 0; seed < 20; seed++) {
    const s = m.sampleNegatives(17, new Rng(seed), pos);
    assert.equal(s.length, 17);
    assert.equal(new Set(s).size, 17, 'distinct');
    for (const i of s) assert.ok(!pos.includes(i) && i >= 0 && i < 20, `index ${i} is a valid negative`);
  }
  assert.deepEqual(m.sampleNegatives(5, new Rng(9), pos), m.sampleNegatives(5, new Rng(9), pos), 'same rng, same sample');
  assert.throws(() => m.sampleNegatives(18, new Rng(1), pos), /asked for 18 negatives but only 17/);
  m.dispose();
});

test('a bank larger than the dataset is rejected with a clear error', async () => {
  await useCpu();
  assert.throws(() => new MemoryBank(60001, 8, new Rng(1), { datasetSize: 60000 }), /size 60001 is larger than the dataset \(60000 examples\).*at most 60000/);
  assert.throws(() => new MemoryBank(0, 8, new Rng(1)), /size must be a positive integer/);
  const ok = new MemoryBank(10, 2, new Rng(1), { datasetSize: 10 });
  ok.dispose();
});

for (const backend of ['cpu', 'wasm'] as const) {
  test(`host-side rows and writes on ${backend}: earlier reads unchanged, a restore (assign) is seen`, async () => {
    if (backend === 'cpu') await useCpu();
    else await initBackend({ prefer: 'wasm', quiet: true });
    assert.equal(tf.getBackend(), backend);
    const before = tf.memory().numTensors;
    const m = new MemoryBank(6, 3, new Rng(4));
    const snap = m.snapshot();
    const r = m.rows(Int32Array.from([2, 4]));
    const snapRows = snap.arraySync() as number[][];
    const rRows = r.arraySync() as number[][];
    for (let k = 0; k < 3; k++) {
      const v = tf.tensor2d([[k, 1, 0], [0, k, 1]]);
      m.write(Int32Array.from([2, 4]), v);
      v.dispose();
      assert.deepEqual(rowsOf(m.rows(Int32Array.from([4, 2]))), [[0, k, 1], [k, 1, 0]], `write ${k} read back`);
    }
    assert.deepEqual(snap.arraySync(), snapRows, 'snapshot taken before the writes unchanged');
    assert.deepEqual(r.arraySync(), rRows, 'rows read before the writes unchanged');
    // A checkpoint restore assigns the variable directly: the next read must see it.
    const [, bankVar] = m.params.entries().find(([n]) => n === 'bank')!;
    const restored = tf.fill([6, 3], 0.5);
    (bankVar as tf.Variable).assign(restored);
    restored.dispose();
    assert.deepEqual(rowsOf(m.rows(Int32Array.from([0, 5]))), [[0.5, 0.5, 0.5], [0.5, 0.5, 0.5]], 'restored rows read');
    const v = tf.tensor2d([[1, 2, 3]]);
    m.write(Int32Array.from([1]), v);
    v.dispose();
    const all = rowsOf(m.snapshot());
    assert.deepEqual(all[1], [1, 2, 3], 'write after restore');
    assert.deepEqual(all[0], [0.5, 0.5, 0.5], 'the rest keeps the restored values');
    snap.dispose();
    r.dispose();
    m.dispose();
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  });
}
