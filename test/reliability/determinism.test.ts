// Determinism: the same seed gives the same numbers run to run on one backend (byte-equal
// weights and history); across the cpu and wasm backends the numbers agree within a stated
// tolerance. Also: a learning-rate schedule takes effect for every optimiser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { initBackend } from '../../src/backend/init';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { rotationTask } from '../../src/methods/rotation';
import { supervisedTask } from '../../src/methods/supervised';
import { train } from '../../src/train/train-loop';
import { makeOptimizer, setLearningRate } from '../../src/train/optimizer';
import { OptimizerConfig } from '../../src/train/optimizer';
import { silentProgressSink } from '../../src/train/progress';
import { evaluateBackbone } from '../../src/eval/evaluate';

/**
 * Tolerances between the cpu and wasm backends on the run below (3 epochs of rotation and 3 of
 * supervised, 4 steps each, widths [4, 8]). Measured: per-epoch mean loss differs by a relative
 * 8e-8 (rotation) and 4e-8 (supervised), final weights by at most 6e-6 and 1e-6 absolute, kNN
 * and linear-probe accuracy not at all (float32 summation order differs between the backends'
 * kernels; the differences grow slowly with steps). Stated bounds, with margin:
 */
export const CPU_WASM_TOLERANCE = {
  /** |loss_cpu - loss_wasm| / loss_cpu per epoch. */
  lossRel: 1e-4,
  /** max |w_cpu - w_wasm| over all weights after training. */
  weightAbs: 1e-3,
  /** |acc_cpu - acc_wasm| of the kNN and linear-probe accuracy (fractions): at most one test image of 24 flips. */
  accuracyAbs: 1 / 24 + 1e-9,
};

const set = toySet(32, 8, 3, 2);
const testSet = toySet(24, 8, 3, 2, 7);

interface Outcome { weights: Float32Array; losses: number[]; accuracies: number[]; knn: number; linear: number }

async function run(method: 'rotation' | 'supervised', seed: number, optimizer: OptimizerConfig = { name: 'adam', lr: 0.01 }): Promise<Outcome> {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, rng);
  const { task, head } = (method === 'rotation' ? rotationTask : supervisedTask)(backbone, set, rng.fork(method), {});
  const r = await train(task, { epochs: 3, batchSize: 8, optimizer, seed, progress: silentProgressSink() });
  const ev = await evaluateBackbone(backbone, set, testSet, { knn: { k: 5 }, probe: { epochs: 5, seed } });
  const weights = Float32Array.from(task.stores.flatMap((s) => s.entries().flatMap(([, v]) => Array.from(v.dataSync()))));
  backbone.params.dispose();
  head.params.dispose();
  return { weights, losses: r.history.map((h) => h.loss), accuracies: r.history.map((h) => h.accuracy), knn: ev.knn, linear: ev.linear };
}

function assertIdentical(a: Outcome, b: Outcome, what: string): void {
  assert.ok(Buffer.from(a.weights.buffer).equals(Buffer.from(b.weights.buffer)), `${what}: weights byte-equal`);
  assert.deepEqual(a.losses, b.losses, `${what}: losses equal`);
  assert.deepEqual(a.accuracies, b.accuracies, `${what}: accuracies equal`);
  assert.equal(a.knn, b.knn, `${what}: kNN equal`);
  assert.equal(a.linear, b.linear, `${what}: linear probe equal`);
}

const results: Record<string, Outcome> = {};

test('cpu: the same seed twice gives byte-equal weights, losses and accuracies; another seed does not', async () => {
  await useCpu();
  for (const method of ['rotation', 'supervised'] as const) {
    results[`cpu:${method}`] = await run(method, 4);
    assertIdentical(await run(method, 4), results[`cpu:${method}`], `cpu ${method}`);
  }
  const other = await run('rotation', 5);
  assert.ok(!Buffer.from(other.weights.buffer).equals(Buffer.from(results['cpu:rotation'].weights.buffer)), 'seed 5 differs from seed 4');
});

test('wasm: the same seed twice gives byte-equal weights, losses and accuracies', async () => {
  const info = await initBackend({ prefer: 'wasm', quiet: true });
  assert.equal(info.name, 'wasm');
  for (const method of ['rotation', 'supervised'] as const) {
    results[`wasm:${method}`] = await run(method, 4);
    assertIdentical(await run(method, 4), results[`wasm:${method}`], `wasm ${method}`);
  }
  await useCpu();
});

test(`cpu vs wasm agree within the stated tolerance (loss rel ${CPU_WASM_TOLERANCE.lossRel}, weights abs ${CPU_WASM_TOLERANCE.weightAbs}, accuracy abs 1/24)`, () => {
  for (const method of ['rotation', 'supervised'] as const) {
    const c = results[`cpu:${method}`];
    const w = results[`wasm:${method}`];
    assert.ok(c && w, 'both backends ran');
    const lossRel = Math.max(...c.losses.map((l, i) => Math.abs(l - w.losses[i]) / Math.abs(l)));
    let weightAbs = 0;
    for (let i = 0; i < c.weights.length; i++) weightAbs = Math.max(weightAbs, Math.abs(c.weights[i] - w.weights[i]));
    const accAbs = Math.max(Math.abs(c.knn - w.knn), Math.abs(c.linear - w.linear));
    console.log(`# ${method} cpu vs wasm: loss rel diff ${lossRel.toExponential(2)}, weight abs diff ${weightAbs.toExponential(2)}, accuracy diff ${accAbs} (kNN ${c.knn} / ${w.knn}, linear ${c.linear} / ${w.linear})`);
    assert.ok(lossRel <= CPU_WASM_TOLERANCE.lossRel, `${method}: loss relative difference ${lossRel}`);
    assert.ok(weightAbs <= CPU_WASM_TOLERANCE.weightAbs, `${method}: weight difference ${weightAbs}`);
    assert.ok(accAbs <= CPU_WASM_TOLERANCE.accuracyAbs, `${method}: accuracy difference ${accAbs}`);
  }
});

test('a learning-rate schedule takes effect with sgd/momentum too (tfjs keeps their rate in a tensor)', async () => {
  await useCpu();
  for (const cfg of [{ name: 'sgd', lr: 1, momentum: 0 }, { name: 'sgd', lr: 1, momentum: 0.9 }, { name: 'adam', lr: 1 }] as OptimizerConfig[]) {
    const opt = makeOptimizer(cfg);
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    setLearningRate(opt, 0);
    const g = tf.tensor1d([1, 1, 1]);
    opt.applyGradients([{ name: v.name, tensor: g }]);
    assert.deepEqual(Array.from(v.dataSync()), [1, 2, 3], `${cfg.name} momentum ${cfg.momentum}: learning rate 0 leaves the weights unchanged`);
    setLearningRate(opt, 0.5);
    opt.applyGradients([{ name: v.name, tensor: g }]);
    assert.ok(v.dataSync()[0] < 1, `${cfg.name}: learning rate 0.5 moves them`);
    opt.dispose();
    tf.dispose([v, g]);
  }
  const cosine = await run('supervised', 4, { name: 'sgd', lr: 0.05, schedule: 'cosine' });
  const constant = await run('supervised', 4, { name: 'sgd', lr: 0.05, schedule: 'constant' });
  assert.notDeepEqual(cosine.losses.slice(1), constant.losses.slice(1), 'cosine and constant sgd runs differ after the first epoch');
});
