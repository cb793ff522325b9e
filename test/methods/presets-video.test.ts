import { test } from 'node:test';
import assert from 'node:assert/strict';
import { audioVisualPreset, shuffleAndLearnPreset } from '../../src/methods/presets-video';
import { BUDGETS } from '../../src/train/budget';

test('shuffleAndLearnPreset: every budget is consistent', () => {
  for (const b of BUDGETS) {
    const p = shuffleAndLearnPreset(b);
    assert.ok(p.span >= 4 && p.span < p.sequenceLength, `${b}: a window fits in a sequence`);
    assert.equal(64 % p.frameSize, 0, `${b}: frameSize divides the 64x64 canvas`);
    assert.equal((p.frameSize / 2 ** (p.widths.length - 1)) % p.grid, 0, `${b}: grid divides the last block's map`);
    assert.ok(p.trainSequences * p.windowsPerSequence + p.clipWindows >= p.batchSize, `${b}: at least one batch`);
    assert.ok(p.knnSequences * p.knnFramesPerSequence > 200, `${b}: the kNN bank is larger than k = 200`);
    assert.ok(p.clipTrainFraction > 0 && p.clipTrainFraction < 1, `${b}: clips split in time`);
  }
  const [s, q, f] = BUDGETS.map(shuffleAndLearnPreset);
  assert.ok(s.trainSequences < q.trainSequences && q.trainSequences < f.trainSequences, 'budgets grow');
  assert.ok(s.epochs <= q.epochs && q.epochs <= f.epochs, 'epochs grow');
});

test('audioVisualPreset: every budget is consistent', () => {
  for (const b of BUDGETS) {
    const p = audioVisualPreset(b);
    assert.ok(p.trainSounds <= 2500 && p.trainSounds >= p.batchSize, `${b}: sounds of five speakers, at least one batch`);
    assert.ok(p.trainImages <= 8004 && p.knnBank <= 8004 && p.knnTest <= 1996, `${b}: within the mnist package's splits`);
    assert.ok(p.knnBank > 200, `${b}: the kNN bank is larger than k = 200`);
    assert.ok(['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'].includes(p.testSpeaker), `${b}: an FSDD speaker`);
  }
  const [s, q, f] = BUDGETS.map(audioVisualPreset);
  assert.ok(s.epochs < q.epochs && q.epochs < f.epochs, 'epochs grow');
});
