import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { hiddenWordExamples, keepProbability, noiseDistribution, noiseSampler, skipGramPairs, subsample } from '../../src/text/skip-gram';
import { buildVocabulary, encodeTokens } from '../../src/text/vocabulary';

const pairList = (p: { centres: Int32Array; contexts: Int32Array }) => Array.from(p.centres, (c, i) => `${c}>${p.contexts[i]}`);

test('skipGramPairs, fixed window: every (centre, context) pair of a tiny stream, exhaustively', () => {
  const ids = Int32Array.from([0, 1, 2, 3]);
  assert.deepEqual(pairList(skipGramPairs(ids, 1)), ['0>1', '1>0', '1>2', '2>1', '2>3', '3>2']);
  assert.deepEqual(pairList(skipGramPairs(ids, 2)), ['0>1', '0>2', '1>0', '1>2', '1>3', '2>0', '2>1', '2>3', '3>1', '3>2']);
  assert.deepEqual(pairList(skipGramPairs(ids, 9)).length, 12, 'a window wider than the stream pairs every two positions');
  assert.deepEqual(pairList(skipGramPairs(Int32Array.from([5]), 2)), []);
  assert.throws(() => skipGramPairs(ids, 0), /window must be a positive integer/);
});

test('skipGramPairs, brute-force reference: positions (i, j), 0 < |i - j| <= window, centre-major, for every window 1..5', () => {
  const ids = Int32Array.from({ length: 11 }, (_, i) => (i * 7) % 5);
  for (let w = 1; w <= 5; w++) {
    const ref: string[] = [];
    for (let i = 0; i < ids.length; i++) for (let j = 0; j < ids.length; j++) if (i !== j && Math.abs(i - j) <= w) ref.push(`${ids[i]}>${ids[j]}`);
    assert.deepEqual(pairList(skipGramPairs(ids, w)), ref, `window ${w}`);
  }
});

test('skipGramPairs, dynamic window: each centre takes a symmetric window of 1..window words, all sizes occur, seeded', () => {
  const n = 400;
  const ids = Int32Array.from({ length: n }, (_, i) => i); // id = position, so a pair reveals its distance
  const p = skipGramPairs(ids, 4, new Rng(3));
  const spans = new Map<number, number>();
  for (let k = 0; k < p.centres.length; k++) {
    const d = Math.abs(p.centres[k] - p.contexts[k]);
    assert.ok(d >= 1 && d <= 4, `distance ${d}`);
    spans.set(p.centres[k], Math.max(spans.get(p.centres[k]) ?? 0, d));
  }
  // away from the ends, a centre with span b has exactly 2b pairs, b in 1..4 with equal chance
  const hist = [0, 0, 0, 0, 0];
  for (let c = 4; c < n - 4; c++) {
    const b = spans.get(c)!;
    let count = 0;
    for (let k = 0; k < p.centres.length; k++) if (p.centres[k] === c) count++;
    assert.equal(count, 2 * b, `centre ${c}: 2 * span pairs`);
    hist[b]++;
  }
  for (let b = 1; b <= 4; b++) assert.ok(hist[b] > 60 && hist[b] < 130, `span ${b} drawn ${hist[b]} times of ${n - 8}`);
  assert.deepEqual(pairList(skipGramPairs(ids, 4, new Rng(3))), pairList(p), 'same seed, same pairs');
});

test('keepProbability is word2vec\'s (sqrt(f/t) + 1) t / f, capped at 1; subsample keeps that fraction', () => {
  assert.equal(keepProbability(1, 1000, 1e-3), 1);
  const f = 0.07;
  assert.ok(Math.abs(keepProbability(70, 1000, 1e-3) - (Math.sqrt(f / 1e-3) + 1) * (1e-3 / f)) < 1e-12);
  assert.throws(() => keepProbability(1, 10, 0), /t must be positive/);
  // a stream where 'a' is half of all tokens: kept about (sqrt(500) + 1) / 500 = 4.67% of the time
  const tokens = Array.from({ length: 20000 }, (_, i) => (i % 2 ? 'a' : `w${i % 2000}`));
  const v = buildVocabulary(tokens, { minCount: 1 });
  const kept = subsample(encodeTokens(tokens, v), v, new Rng(1), 1e-3);
  const a = v.index.get('a')!;
  const keptA = kept.filter((x) => x === a).length;
  const expected = 10000 * keepProbability(10000, 20000, 1e-3);
  assert.ok(Math.abs(keptA - expected) < 4 * Math.sqrt(expected), `kept ${keptA} of the 10000 'a', expected about ${expected.toFixed(0)}`);
  assert.equal(kept.length - keptA, 10000, 'rare words (5 of 20000 each) are always kept');
});

test('negative sampling draws from the unigram distribution to the 3/4 power', () => {
  const counts = [1000, 100, 10, 1];
  const p = noiseDistribution(counts);
  const z = counts.reduce((s, c) => s + c ** 0.75, 0);
  counts.forEach((c, i) => assert.ok(Math.abs(p[i] - c ** 0.75 / z) < 1e-12, `P(${i})`));
  assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-12);
  const draws = noiseSampler(counts).sample(200_000, new Rng(5));
  const hist = [0, 0, 0, 0];
  for (const d of draws) hist[d]++;
  hist.forEach((h, i) => {
    const e = 200_000 * p[i];
    assert.ok(Math.abs(h - e) < 5 * Math.sqrt(e) + 1, `word ${i}: drawn ${h}, expected ${e.toFixed(0)}`);
  });
  assert.deepEqual(Array.from(noiseSampler([0, 3, 0]).sample(50, new Rng(1))), Array(50).fill(1), 'zero-count words are never drawn');
});

test('hiddenWordExamples: the window around a hidden word, and the word', () => {
  const tokens = 'in the beginning god created the heavens and the earth'.split(' ');
  const rows = hiddenWordExamples(tokens, 2, 20, new Rng(2));
  for (const r of rows) {
    const parts = r.input.split(' ');
    assert.equal(parts.length, 5);
    assert.equal(parts[2], '___');
    const i = tokens.findIndex((_, k) => k >= 2 && tokens.slice(k - 2, k + 3).join(' ') === [...parts.slice(0, 2), r.label, ...parts.slice(3)].join(' '));
    assert.ok(i >= 2, `${r.input} / ${r.label} is a window of the text`);
  }
  assert.throws(() => hiddenWordExamples(tokens.slice(0, 3), 2, 1, new Rng(1)), /fewer than/);
});
