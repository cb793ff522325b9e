import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { correspondencePairs } from '../../src/pretext/av-pairs';

test('correspondence labels are right for every pair, half positive, negatives of every other class, seeded', () => {
  const soundLabels = Int32Array.from({ length: 300 }, (_, i) => i % 10);
  const imageLabels = Int32Array.from({ length: 200 }, (_, i) => (i * 7) % 10);
  imageLabels[5] = -1; // an unlabelled image is never drawn
  const sounds = Int32Array.from({ length: 300 }, (_, i) => i);
  const reps = 20;
  let pos = 0;
  const negClasses = new Map<number, Set<number>>();
  for (let r = 0; r < reps; r++) {
    const p = correspondencePairs(sounds, soundLabels, imageLabels, new Rng(r));
    for (let j = 0; j < sounds.length; j++) {
      const same = imageLabels[p.images[j]] === soundLabels[p.sounds[j]];
      assert.equal(p.labels[j], same ? 1 : 0, `pair ${j}`);
      assert.notEqual(p.images[j], 5, 'unlabelled image skipped');
      pos += p.labels[j];
      if (!same) {
        const c = soundLabels[p.sounds[j]];
        if (!negClasses.has(c)) negClasses.set(c, new Set());
        negClasses.get(c)!.add(imageLabels[p.images[j]]);
      }
    }
  }
  assert.ok(Math.abs(pos / (reps * 300) - 0.5) < 0.02, `half positive, got ${pos / (reps * 300)}`);
  for (const [c, s] of negClasses) assert.equal(s.size, 9, `class ${c}: negatives from all 9 other classes`);
  assert.deepEqual(correspondencePairs(sounds, soundLabels, imageLabels, new Rng(3)), correspondencePairs(sounds, soundLabels, imageLabels, new Rng(3)), 'seeded');
  assert.throws(() => correspondencePairs([0], Int32Array.from([4]), Int32Array.from([1, 2]), new Rng(1)), /no image of class 4/);
  assert.throws(() => correspondencePairs([0], Int32Array.from([1]), Int32Array.from([1, 1]), new Rng(1), 0), /needs another class/);
});
