import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { siameseClassifier } from '../../src/models/siamese';

test('siameseClassifier: shared backbone per part, concatenation in part order, MLP head', async () => {
  await useCpu();
  const backbone = convNet({ inputChannels: 3, widths: [4, 6] }, new Rng(1));
  const model = siameseClassifier(backbone, 3, 5, new Rng(2), { hidden: 7 });
  const x = tf.randomUniform([6, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const [logits, ref] = tf.tidy(() => {
    const out = model.apply(x);
    // slow reference: embed each part separately, concatenate per example, apply the head
    const rows = [0, 1].map((b) =>
      tf.concat([0, 1, 2].map((p) => backbone.apply(tf.slice(x, [3 * b + p], [1]) as tf.Tensor4D).features), 1),
    );
    return [out.arraySync(), model.head.apply(tf.concat(rows, 0) as tf.Tensor2D).arraySync()];
  });
  assert.equal(tf.memory().numTensors, before, 'no leaks inside tidy');
  assert.equal(logits.length, 2, 'one row per example');
  assert.equal(logits[0].length, 5, 'one logit per class');
  for (let b = 0; b < 2; b++) for (let k = 0; k < 5; k++) assert.ok(Math.abs(logits[b][k] - ref[b][k]) < 1e-4, `logit ${b},${k} matches per-part reference`);
  assert.throws(() => model.apply(tf.zeros([4, 8, 8, 3]) as tf.Tensor4D), /not a multiple of parts = 3/);
  assert.throws(() => siameseClassifier(backbone, 0, 5, new Rng(1)), /parts must be a positive integer/);
  x.dispose();
  backbone.params.dispose();
  model.head.params.dispose();
});
