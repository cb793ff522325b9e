import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { inpaint, inpaintingBottleneckSentence, inpaintingTask, pretrainInpainting } from '../../src/methods/inpainting';
import type { DecoderBottleneck } from '../../src/models/decoder';
import { MaskKind, centreMask } from '../../src/pretext/inpainting';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';

const set = toySet(48, 8, 3, 2);
const base: TrainOptions = { epochs: 4, batchSize: 12, optimizer: { name: 'adam', lr: 0.01 }, seed: 7, progress: silentProgressSink() };

function build(kind: MaskKind, seed = 1, outSize = 8, bottleneck: DecoderBottleneck = 'none') {
  const rng = new Rng(seed);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8, 8] }, rng);
  const p = inpaintingTask(backbone, set, rng.fork('i'), { mask: { kind, blockSize: 2 }, outSize, augment: false, decoder: { bottleneck } });
  return { ...p, dispose: () => { backbone.params.dispose(); p.decoder.params.dispose(); } };
}

test('inpainting (centre and random blocks, each decoder bottleneck): no tensor leaks across epochs, none after', async () => {
  await useCpu();
  for (const [kind, bottleneck] of [['centre', 'none'], ['random-blocks', 'none'], ['centre', 'global'], ['random-blocks', 'channel-fc']] as const) {
    const m = build(kind, 1, 8, bottleneck);
    const before = tf.memory().numTensors;
    const r = await train(m.task, base);
    assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, `${kind}/${bottleneck}: tensors at epoch 2 vs epoch 4`);
    assert.equal(tf.memory().numTensors, before, `${kind}/${bottleneck}: tensors after training equal tensors before`);
    m.dispose();
  }
});

test('inpainting: the loss falls within 20 steps on toy data (full-size and pooled outputs)', async () => {
  await useCpu();
  for (const [kind, outSize, bottleneck] of [['centre', 8, 'none'], ['random-blocks', 4, 'none'], ['centre', 8, 'global'], ['centre', 4, 'channel-fc']] as const) {
    const m = build(kind, 2, outSize, bottleneck);
    const r = await train(m.task, { ...base, epochs: 5, optimizer: { name: 'adam', lr: 0.02, schedule: 'constant' } });
    assert.ok(r.history[4].loss < r.history[0].loss * 0.8, `${kind}/${outSize}/${bottleneck}: loss ${r.history[0].loss} -> ${r.history[4].loss}`);
    m.dispose();
  }
});

test('inpaint: visible pixels kept, hidden ones painted, the mean fill shown in the masked input; same seed, same masks', async () => {
  await useCpu();
  const m = build('centre', 3);
  const before = tf.memory().numTensors;
  const few = { ...set, n: 2, images: set.images.subarray(0, 2 * 8 * 8 * 3), labels: set.labels.subarray(0, 2) };
  const r = inpaint(m, few, 1);
  const hole = centreMask(8, 8);
  for (let i = 0; i < 2; i++) {
    for (let p = 0; p < 64; p++) {
      for (let c = 0; c < 3; c++) {
        const k = (i * 64 + p) * 3 + c;
        if (!hole[p]) {
          assert.equal(r.filled[k], few.images[k], `visible pixel ${p} kept`);
          assert.equal(r.masked[k], few.images[k], `visible pixel ${p} in the input`);
        } else assert.equal(r.masked[k], Math.round(m.fill[c] * 255), `hidden pixel ${p} shows the fill`);
      }
    }
  }
  assert.ok(Number.isFinite(r.rmse) && r.fillRmse > 0, `rmse ${r.rmse}, fill ${r.fillRmse}`);
  const blocks = build('random-blocks', 3);
  assert.deepEqual(inpaint(blocks, few, 4).masked, inpaint(blocks, few, 4).masked, 'same seed, same masks');
  assert.equal(tf.memory().numTensors, before + blocks.backbone.params.entries().length + blocks.decoder.params.entries().length, 'no tensors left behind');
  assert.throws(() => inpaintingTask(convNet({ inputChannels: 1, widths: [4] }, new Rng(1)), set, new Rng(1)), /backbone takes 1 channels, "toy\/48" has 3/);
  m.dispose();
  blocks.dispose();
});

test('pretrainInpainting: trains from the seed\'s random init and returns the inpainter', async () => {
  await useCpu();
  const r = await pretrainInpainting(set, { mask: { kind: 'random-blocks', blockSize: 2 }, widths: [4, 8, 8], epochs: 1, batchSize: 16, optimizer: { name: 'adam', lr: 0.01 }, seed: 5, progress: silentProgressSink() });
  assert.equal(r.history.length, 1);
  assert.equal(r.outSize, 8);
  assert.equal(r.fill.length, 3);
  r.backbone.params.dispose();
  r.decoder.params.dispose();
});

test('inpaintingBottleneckSentence: compares each mask with and without its bottleneck, from the rows given; a missing row is named', () => {
  const rows = [
    { encoder: 'random', knn: 0.36, linear: 0.45 },
    { encoder: 'inpainting (centre-global)', knn: 0.421, linear: 0.47 },
    { encoder: 'inpainting (random-blocks-global)', knn: 0.38, linear: 0.44 },
    { encoder: 'inpainting (centre)', knn: 0.398, linear: 0.461 },
  ];
  const variants = [
    { mask: 'centre', bottleneck: 'global', row: 'inpainting (centre-global)' },
    { mask: 'random-blocks', bottleneck: 'global', row: 'inpainting (random-blocks-global)' },
    { mask: 'centre', bottleneck: 'none', row: 'inpainting (centre)' },
  ];
  assert.equal(
    inpaintingBottleneckSentence(rows, variants),
    'centre mask: the global bottleneck moves kNN from 39.8% to 42.1% (+2.3 points) and the linear probe from 46.1% to 47.0% (+0.9). ' +
      'Random blocks vs centre (bottleneck global): kNN 38.0% vs 42.1% (-4.1 points), linear 44.0% vs 47.0% (-3.0).',
  );
  assert.equal(inpaintingBottleneckSentence(rows, [variants[0], variants[2]]), 'centre mask: the global bottleneck moves kNN from 39.8% to 42.1% (+2.3 points) and the linear probe from 46.1% to 47.0% (+0.9).', 'one mask only');
  assert.equal(inpaintingBottleneckSentence(rows, [variants[0]]), '', 'nothing to compare');
  assert.throws(() => inpaintingBottleneckSentence(rows.slice(0, 3), variants), /no row "inpainting \(centre\)"/);
});
