import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { toySet, useCpu } from '../helpers';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { cosineNeighbours, pickQueries, retrievalPrecision, retrieve } from '../../src/eval/retrieval';

/** Slow reference: cosine similarity of every pair, sorted by hand. */
function bruteForce(q: number[][], g: number[][], k: number, exclude: number[] = []): number[][] {
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return q.map((a, i) => {
    const sims = g.map((b, j) => ({ j, s: a.reduce((s, x, d) => s + x * b[d], 0) / (norm(a) * norm(b)) }));
    return sims.filter((e) => e.j !== exclude[i]).sort((x, y) => y.s - x.s).slice(0, k).map((e) => e.j);
  });
}

test('cosineNeighbours matches a brute-force reference, with and without excluding the query, in small chunks', async () => {
  await useCpu();
  const rng = new Rng(4);
  const g = Array.from({ length: 30 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const qi = [3, 17, 29, 0];
  const q = qi.map((i) => g[i]);
  const G = tf.tensor2d(g);
  const Q = tf.tensor2d(q);
  const before = tf.memory().numTensors;
  const plain = cosineNeighbours(Q, G, 4, { chunk: 3 });
  assert.deepEqual(Array.from(plain.indices), bruteForce(q, g, 4).flat(), 'top-4 without exclusion');
  for (let i = 0; i < qi.length; i++) assert.equal(plain.indices[4 * i], qi[i], `query ${i} finds itself first`);
  const ex = cosineNeighbours(Q, G, 4, { exclude: qi, chunk: 2 });
  assert.deepEqual(Array.from(ex.indices), bruteForce(q, g, 4, qi).flat(), 'top-4 excluding the query itself');
  for (let i = 0; i < qi.length; i++) {
    for (let j = 1; j < 4; j++) assert.ok(ex.similarities[4 * i + j - 1] >= ex.similarities[4 * i + j], 'similarities decrease');
  }
  assert.equal(tf.memory().numTensors, before, 'no tensors leak');
  assert.throws(() => cosineNeighbours(Q, G, 30, { exclude: qi }), /k must be an integer in 1\.\.29/);
  tf.dispose([G, Q]);
});

test('retrievalPrecision counts neighbours of the query class; retrieve embeds a set and skips the query', async () => {
  await useCpu();
  const nb = { k: 2, indices: Int32Array.from([1, 2, 0, 3]), similarities: new Float32Array(4) };
  assert.equal(retrievalPrecision(nb, [0, 1], [0, 0, 1, 1]), 0.5, '(1 + 1) of 4 neighbours share the class');
  const set = toySet(12, 8, 3, 2);
  const backbone = convNet({ inputChannels: 3, widths: [4] }, new Rng(1));
  const r = retrieve(backbone, set, 3, { queries: Int32Array.from([0, 5]) });
  assert.equal(r.indices.length, 6, '2 queries x 3 neighbours');
  assert.ok(r.indices[0] !== 0 && r.indices.slice(3).every((i) => i !== 5), 'a query is never its own neighbour');
  assert.throws(() => retrieve(backbone, set, 3, { queries: Int32Array.from([12]) }), /queries\[0\] = 12 is outside 0\.\.11/);
  backbone.params.dispose();
});

test('pickQueries selects the rows of the given queries', () => {
  const nb = { k: 2, indices: Int32Array.from([1, 2, 0, 3, 5, 4]), similarities: Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]) };
  const p = pickQueries(nb, [2, 0]);
  assert.deepEqual(Array.from(p.indices), [5, 4, 1, 2]);
  assert.deepEqual(Array.from(p.similarities), [0.5, 0.4, 0.9, 0.8].map(Math.fround));
  assert.throws(() => pickQueries(nb, [3]), /rows\[0\] = 3 is outside 0\.\.2/);
});
