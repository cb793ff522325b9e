import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { abBins } from '../../src/pretext/colourisation';
import { colourStats, colourisationTask, colourise, greyImages, pretrainColourisation } from '../../src/methods/colourisation';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

const set = toySet(48, 8, 3, 2);
const base: TrainOptions = { epochs: 4, batchSize: 12, optimizer: { name: 'adam', lr: 0.01 }, seed: 7, progress: silentProgressSink() };

function build(loss: 'classification' | 'regression', seed = 1) {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 1, widths: [4, 8, 8] }, rng);
  const c = colourisationTask(backbone, set, rng.fork('c'), { loss, outSize: 2, augment: false, classWeights: loss === 'classification' ? new Float32Array(abBins(10).q).fill(1.5) : undefined });
  return { ...c, dispose: () => { backbone.params.dispose(); c.decoder.params.dispose(); } };
}

test('colourisation (classification and regression): no tensor leaks across epochs, none after', async () => {
  await useCpu();
  for (const loss of ['classification', 'regression'] as const) {
    const m = build(loss);
    const before = tf.memory().numTensors;
    const r = await train(m.task, base);
    assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, `${loss}: tensors at epoch 2 vs epoch 4`);
    assert.equal(tf.memory().numTensors, before, `${loss}: tensors after training equal tensors before`);
    if (loss === 'classification') assert.ok(r.history[0].accuracy >= 0 && r.history[0].accuracy <= 1, 'pixel accuracy reported');
    m.dispose();
  }
});

test('colourisation: the loss falls within 20 steps on toy data (both losses)', async () => {
  await useCpu();
  for (const loss of ['classification', 'regression'] as const) {
    const m = build(loss, 2);
    const r = await train(m.task, { ...base, epochs: 5, optimizer: { name: 'adam', lr: 0.02, schedule: 'constant' } });
    assert.ok(r.history[4].loss < r.history[0].loss * 0.8, `${loss}: loss ${r.history[0].loss} -> ${r.history[4].loss}`);
    m.dispose();
  }
});

test('colourise / greyImages / colourStats: shapes, grey is grey, statistics are finite; checks name their parameter', async () => {
  await useCpu();
  const m = build('classification', 3);
  const before = tf.memory().numTensors;
  const few = { ...set, n: 3, images: set.images.subarray(0, 3 * 8 * 8 * 3), labels: set.labels.subarray(0, 3) };
  for (const d of ['annealed-mean', 'mode', 'mean'] as const) {
    const out = colourise(m, few, d);
    assert.equal(out.length, 3 * 8 * 8 * 3, `${d}: bytes`);
    const s = colourStats(m, few, d, { batchSize: 2 });
    assert.ok(Number.isFinite(s.abRmse) && s.chroma >= 0 && s.trueChroma >= 0, `${d}: stats ${JSON.stringify(s)}`);
  }
  const grey = greyImages(few);
  for (let p = 0; p < grey.length; p += 3) assert.ok(Math.abs(grey[p] - grey[p + 1]) <= 1 && Math.abs(grey[p] - grey[p + 2]) <= 1, 'grey pixels have equal channels');
  assert.throws(() => colourise(m, few, 'regression'), /decoding "regression" does not fit a classification colouriser/);
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.throws(() => colourisationTask(convNet({ inputChannels: 3, widths: [4] }, new Rng(1)), set, new Rng(1)), /the backbone must take 1 channel \(L\), it takes 3/);
  m.dispose();
});

test('pretrainColourisation: counts the ab distribution, builds rebalancing weights, starts from the seed\'s random init', async () => {
  await useCpu();
  const r = await pretrainColourisation(set, { loss: 'classification', widths: [4, 8, 8], outSize: 2, epochs: 1, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 }, seed: 5, progress: silentProgressSink() });
  assert.equal(r.counts!.reduce((a, b) => a + b, 0), 48 * 4, 'every target pixel counted');
  assert.equal(r.classWeights!.length, r.bins.q);
  assert.equal(r.history.length, 1);
  assert.equal(r.backbone.config.inputChannels, 1);
  const random = convNet({ inputChannels: 1, widths: [4, 8, 8] }, new Rng(5));
  const w0 = random.params.get('block0/conv').dataSync();
  assert.notDeepEqual(Array.from(r.backbone.params.get('block0/conv').dataSync()), Array.from(w0), 'trained weights moved from the init');
  r.backbone.params.dispose();
  r.decoder.params.dispose();
  random.params.dispose();
});
