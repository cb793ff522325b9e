import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { maxRelError, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { train } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { noiseSampler, skipGramPairs } from '../../src/text/skip-gram';
import { buildVocabulary, encodeTokens } from '../../src/text/vocabulary';
import { analogy, gatherRows, nearestWords, negativeSamplingLoss, skipGramModel, skipGramTask, trainWord2Vec, unitWordVectors } from '../../src/text/word2vec';

const rand = (rng: Rng, n: number) => Float32Array.from({ length: n }, () => rng.normal() * 0.5);

test('negativeSamplingLoss equals a plain-loop reference: mean of -log s(u_o.v_c) - sum_k log s(-u_k.v_c)', async () => {
  await useCpu();
  const rng = new Rng(1);
  const [B, K, D] = [6, 4, 5];
  const vc = rand(rng, B * D), uo = rand(rng, B * D), uk = rand(rng, B * K * D);
  const logSig = (x: number) => -Math.log1p(Math.exp(-x));
  let ref = 0;
  let refCorrect = 0;
  for (let b = 0; b < B; b++) {
    const dot = (u: Float32Array, off: number) => { let s = 0; for (let j = 0; j < D; j++) s += u[off + j] * vc[b * D + j]; return s; };
    const pos = dot(uo, b * D);
    let l = -logSig(pos);
    let maxNeg = -Infinity;
    for (let k = 0; k < K; k++) { const s = dot(uk, (b * K + k) * D); l -= logSig(-s); maxNeg = Math.max(maxNeg, s); }
    ref += l / B;
    if (pos > maxNeg) refCorrect++;
  }
  const { loss, correct } = negativeSamplingLoss(tf.tensor2d(vc, [B, D]), tf.tensor2d(uo, [B, D]), tf.tensor3d(uk, [B, K, D]));
  assert.ok(Math.abs(loss.dataSync()[0] - ref) < 1e-5, `loss ${loss.dataSync()[0]} vs reference ${ref}`);
  assert.equal(correct.dataSync()[0], refCorrect);
});

test('gatherRows: the same rows and the same gradient (scatter-add, repeats summed) as tf.gather', async () => {
  await useCpu();
  const rng = new Rng(2);
  const table = tf.variable(tf.tensor2d(rand(rng, 7 * 3), [7, 3]));
  const idx = Int32Array.from([4, 0, 4, 6, 4, 1]);
  const w = tf.tensor2d(rand(rng, 6 * 3), [6, 3]);
  const mine = tf.variableGrads(() => tf.sum(tf.mul(gatherRows(table, idx), w)) as tf.Scalar, [table]);
  const ref = tf.variableGrads(() => tf.sum(tf.mul(tf.gather(table, tf.tensor1d(idx, 'int32')), w)) as tf.Scalar, [table]);
  assert.deepEqual(Array.from(gatherRows(table, idx).dataSync()), Array.from(tf.gather(table, tf.tensor1d(idx, 'int32')).dataSync()));
  assert.ok(maxRelError(mine.grads[table.name].dataSync(), ref.grads[table.name].dataSync()) < 1e-6);
  assert.throws(() => gatherRows(table, Int32Array.from([7])), /index 7 is outside 0..6/);
  table.dispose();
});

// Two "topics" that never share a window: animals and numbers, each word surrounded by its own kind.
function toyCorpus(n: number, seed: number): string[] {
  const rng = new Rng(seed);
  const topics = [['cat', 'dog', 'cow', 'horse', 'sheep'], ['one', 'two', 'three', 'four', 'five']];
  const out: string[] = [];
  while (out.length < n) {
    const t = topics[rng.int(2)];
    for (let k = 0; k < 8; k++) out.push(t[rng.int(t.length)]);
    out.push('and');
  }
  return out;
}

test('skip-gram training: no tensor leaks across epochs, and the loss falls within 20 steps', async () => {
  await useCpu();
  const tokens = toyCorpus(2000, 1);
  const vocab = buildVocabulary(tokens, { minCount: 1 });
  const pairs = skipGramPairs(encodeTokens(tokens, vocab), 2);
  const model = skipGramModel(vocab.words.length, 8, new Rng(1));
  const before = tf.memory().numTensors;
  const r = await train(skipGramTask(model, pairs, noiseSampler(vocab.counts), 3), {
    epochs: 4, batchSize: Math.floor(pairs.centres.length / 5), optimizer: { name: 'adam', lr: 0.1, schedule: 'constant' }, seed: 1, progress: silentProgressSink(),
  });
  assert.equal(r.history[1].num_tensors, r.history[3].num_tensors, 'tensors at epoch 2 vs epoch 4');
  assert.equal(tf.memory().numTensors, before, 'tensors after training equal tensors before');
  assert.ok(r.history[3].loss < r.history[0].loss * 0.8, `loss ${r.history[0].loss} -> ${r.history[3].loss} over 20 steps`);
  model.params.dispose();
});

test('trainWord2Vec on a toy corpus: words of the same topic become each other\'s nearest words; same seed, same vectors', async () => {
  await useCpu();
  const tokens = toyCorpus(3000, 2);
  const vocab = buildVocabulary(tokens, { minCount: 1 });
  const cfg = { dim: 8, window: 2, negatives: 3, subsample: 0, epochs: 3, batchSize: 512, optimizer: { name: 'adam' as const, lr: 0.05 }, seed: 4, progress: silentProgressSink() };
  const r = await trainWord2Vec(encodeTokens(tokens, vocab), vocab, cfg);
  const v = unitWordVectors(r.model);
  const animals = new Set(['cat', 'dog', 'cow', 'horse', 'sheep']);
  for (const q of ['cat', 'horse', 'two', 'five']) {
    const near = nearestWords(v, vocab, q, 3).map((n) => n.word);
    assert.ok(near.every((w) => animals.has(w) === animals.has(q)), `${q}: nearest ${near.join(', ')}`);
  }
  const again = await trainWord2Vec(encodeTokens(tokens, vocab), vocab, cfg);
  assert.deepEqual(Array.from(unitWordVectors(again.model)), Array.from(v));
  r.model.params.dispose();
  again.model.params.dispose();
});

test('nearestWords and analogy on hand-made vectors (cosine, query words excluded)', () => {
  const vocab = buildVocabulary(['king', 'queen', 'man', 'woman', 'apple'].flatMap((w, i) => Array(10 - i).fill(w)), { minCount: 1 });
  // axes: royalty, female, fruit
  const raw: Record<string, number[]> = { king: [1, 0, 0], queen: [1, 1, 0], man: [0, 0, 0.1], woman: [0, 1, 0.1], apple: [0, 0, 1] };
  const v = new Float32Array(vocab.words.flatMap((w) => { const x = raw[w]; const n = Math.hypot(...x); return x.map((a) => a / n); }));
  assert.equal(nearestWords(v, vocab, 'king', 1)[0].word, 'queen');
  assert.ok(Math.abs(nearestWords(v, vocab, 'king', 1)[0].similarity - Math.SQRT1_2) < 1e-6);
  assert.equal(analogy(v, vocab, 'man', 'king', 'woman', 1)[0].word, 'queen');
  assert.throws(() => nearestWords(v, vocab, 'pear'), /"pear" is not in the vocabulary/);
});
