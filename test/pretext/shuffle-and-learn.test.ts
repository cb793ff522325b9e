import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import type { VideoSet } from '../../src/data/video';
import { TRIPLE_KINDS, frameMotion, orderLabel, sampleTriples, sampleWindows } from '../../src/pretext/shuffle-and-learn';

/** Two sequences of 1x1 frames whose pixel value is given: motion = |difference| / 255. */
function video(values: number[][]): VideoSet {
  const flat = values.flat();
  const starts = [0];
  for (const v of values) starts.push(starts[starts.length - 1] + v.length);
  return {
    name: 'toy', sequenceNames: values.map((_, i) => `s${i}`), starts: Int32Array.from(starts),
    frames: { name: 'toy/frames', images: Uint8Array.from(flat), labels: new Int32Array(flat.length).fill(-1), classNames: [], n: flat.length, height: 1, width: 1, channels: 1 },
  };
}

test('orderLabel is 1 exactly when the middle time lies between the outer two, for every permutation of three times', () => {
  const times = [3, 7, 11];
  for (const a of [0, 1, 2]) for (const b of [0, 1, 2]) for (const c of [0, 1, 2]) {
    if (a === b || b === c || a === c) continue;
    const [t0, t1, t2] = [times[a], times[b], times[c]];
    const between = Math.min(t0, t2) < t1 && t1 < Math.max(t0, t2);
    assert.equal(orderLabel(t0, t1, t2), between ? 1 : 0, `(${t0}, ${t1}, ${t2})`);
  }
  assert.equal(orderLabel(1, 1, 2), 0, 'a repeated frame is not strictly in order');
});

test('every triple kind has the right label for every choice of five ordered frames (exhaustive on 0..7)', () => {
  let checked = 0;
  for (let a = 0; a < 8; a++) for (let b = a + 1; b < 8; b++) for (let c = b + 1; c < 8; c++) for (let d = c + 1; d < 8; d++) for (let e = d + 1; e < 8; e++) {
    const w = [a, b, c, d, e];
    for (const kind of TRIPLE_KINDS) {
      const [t0, t1, t2] = kind.positions.map((p) => w[p]);
      const expected = kind.name === 'bcd' || kind.name === 'dcb' ? 1 : 0;
      assert.equal(orderLabel(t0, t1, t2), expected, `${kind.name} of [${w}]`);
      checked++;
    }
  }
  assert.equal(checked, 56 * 6, 'all C(8,5) windows x 6 kinds');
});

test('sampleTriples: labels match the frame times, positives and negatives balanced, all six kinds drawn, seeded', () => {
  const rng = new Rng(1);
  const n = 4000;
  const windows = new Int32Array(n * 5);
  for (let w = 0; w < n; w++) {
    const base = rng.int(1000);
    let t = base;
    for (let k = 0; k < 5; k++) windows[w * 5 + k] = t += 1 + rng.int(3);
  }
  const t = sampleTriples(windows, new Rng(2));
  const kinds = new Array(6).fill(0);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const [f0, f1, f2] = [t.frames[3 * i], t.frames[3 * i + 1], t.frames[3 * i + 2]];
    assert.equal(t.labels[i], orderLabel(f0, f1, f2), `triple ${i}`);
    assert.deepEqual([f0, f1, f2], TRIPLE_KINDS[t.kinds[i]].positions.map((p) => windows[i * 5 + p]), `triple ${i} is its kind`);
    kinds[t.kinds[i]]++;
    pos += t.labels[i];
  }
  assert.ok(Math.abs(pos / n - 0.5) < 0.03, `half positive, got ${pos / n}`);
  assert.ok(kinds.every((k) => k > n / 12 * 0.8), `every kind drawn: ${kinds}`);
  assert.deepEqual(sampleTriples(windows, new Rng(2)), t, 'same seed, same triples');
  assert.ok(sampleTriples(windows, new Rng(3), 1).labels.every((l) => l === 1), 'positiveFraction 1: all positive');
});

test('frameMotion and sampleWindows: windows stay inside one sequence and come from the high-motion stretch', () => {
  // Sequence 0: still for 20 frames then moving; sequence 1: short and moving.
  const s0 = [...new Array(20).fill(10), ...Array.from({ length: 20 }, (_, i) => (i % 2 ? 200 : 0))];
  const s1 = Array.from({ length: 9 }, (_, i) => (i % 2 ? 255 : 0));
  const v = video([s0, s1]);
  const m = frameMotion(v);
  assert.equal(m[0], 0, 'first frame of a sequence has no motion');
  assert.equal(m[40], 0, 'nor the first of the second sequence');
  assert.equal(m[5], 0, 'still frames');
  assert.ok(Math.abs(m[21] - 200 / 255) < 1e-6 && Math.abs(m[41] - 1) < 1e-6, 'moving frames');
  const w = sampleWindows(v, { count: 500, span: 6, topFraction: 0.4 }, new Rng(4));
  assert.equal(w.candidates, 34 + 3, 'candidate starts: 40-6 and 9-6');
  for (let i = 0; i < w.count; i++) {
    const f = Array.from(w.frames.subarray(i * 5, i * 5 + 5));
    assert.ok(f.every((x, k) => k === 0 || x > f[k - 1]), `window ${i} strictly increasing: ${f}`);
    assert.equal(f[4] - f[0], 6, 'span');
    const seq = f[0] < 40 ? 0 : 1;
    assert.ok(f.every((x) => (x < 40 ? 0 : 1) === seq), `window ${i} within one sequence`);
    assert.ok(f[0] >= 19, `window ${i} starts at ${f[0]}, in the still stretch`);
  }
  const all = sampleWindows(v, { count: 500, span: 6, topFraction: 1 }, new Rng(4));
  assert.ok(Array.from(all.frames).some((f, i) => i % 5 === 0 && f < 10), 'topFraction 1 keeps still windows too');
  assert.throws(() => sampleWindows(v, { count: 1, span: 50 }, new Rng(1)), /span = 50 is longer than every sequence/);
  assert.throws(() => sampleWindows(v, { count: 1, span: 3 }, new Rng(1)), /span must be an integer >= 4/);
});
