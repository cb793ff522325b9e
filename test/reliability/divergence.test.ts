// Divergence: a loss that becomes non-finite stops the run with a message naming the epoch, step
// and learning rate, and the last good checkpoint survives byte for byte, holds finite weights,
// and is what a rerun with the same settings resumes from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { tempDir } from '../data/helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { supervisedTask } from '../../src/methods/supervised';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { loadCheckpoint } from '../../src/train/checkpoint';

const set = toySet(32, 8, 3, 2);

function build() {
  const rng = new Rng(9);
  const backbone = convNet({ inputChannels: 3, widths: [4] }, rng);
  const { task, head } = supervisedTask(backbone, set, rng.fork('s'), { augment: false });
  return { task, dispose: () => { backbone.params.dispose(); head.params.dispose(); } };
}

test('an exploding run stops naming epoch, step and learning rate; the last good checkpoint survives intact and resumes', async () => {
  await useCpu();
  const dir = tempDir('selfsup-diverge-');
  const file = path.join(dir, 'checkpoint.bin');
  const opts: TrainOptions = { epochs: 3, batchSize: 8, optimizer: { name: 'sgd', lr: 0.5, schedule: 'constant' }, seed: 2, checkpointDir: dir, progress: silentProgressSink() };
  // From epoch 2 on the loss is scaled by 1e38: the real optimiser's update overflows the
  // weights to +-Infinity, and a following loss is NaN. (Nothing mocks the NaN itself.)
  const m = build();
  const step = m.task.step;
  let calls = 0;
  let atEpoch2: Buffer | undefined;
  m.task.step = (idx, rng) => {
    if (++calls === 5) atEpoch2 = fs.readFileSync(file); // the checkpoint as epoch 1 left it
    const out = step(idx, rng);
    return calls > 4 ? { ...out, loss: tf.mul(out.loss, 1e38) as tf.Scalar } : out;
  };
  const before = tf.memory().numTensors;
  const message = await train(m.task, opts).then(() => '', (e: Error) => e.message);
  assert.equal(tf.memory().numTensors, before, 'a diverged run releases its optimiser state');
  m.dispose();
  console.log(`# divergence message: ${message}`);
  assert.match(message, /"supervised" diverged: loss is (NaN|Infinity|-Infinity) at epoch 2, step [1-4] of 4 \(learning rate 0\.500\)/);
  assert.match(message, /Lower optimizer\.lr/);
  assert.ok(message.includes(`last good checkpoint (epoch 1) is kept at ${file}`), 'names the checkpoint kept');
  assert.ok(atEpoch2 && fs.readFileSync(file).equals(atEpoch2), 'the epoch-1 checkpoint is byte-identical after the divergence');
  assert.deepEqual(fs.readdirSync(dir), ['checkpoint.bin'], 'no temporary file left');
  const ck = loadCheckpoint(file)!;
  assert.equal(ck.meta.epoch, 1);
  for (const [name, t] of ck.tensors) assert.ok(Array.from(t.dataSync()).every(Number.isFinite), `${name}: finite`);
  tf.dispose([...ck.tensors.values()]);
  // the same settings resume from it (here without the explosion) and finish
  const again = build();
  const r = await train(again.task, opts);
  assert.equal(r.resumedFrom, 1, 'resumed after epoch 1');
  assert.ok(r.history.every((h) => Number.isFinite(h.loss)), 'finite losses');
  again.dispose();
});
