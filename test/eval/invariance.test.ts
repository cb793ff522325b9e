import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { Rng } from '../../src/data/rng';
import { ImageSet } from '../../src/data/image-set';
import { toTensor } from '../../src/data/to-tensor';
import { Backbone, convNet } from '../../src/models/conv-net';
import { rotate90 } from '../../src/pretext/rotation';
import { lightnessSet } from '../../src/transforms/lab';
import { drawAugmentParams } from '../../src/transforms/augment';
import { embed } from '../../src/eval/embed';
import { INVARIANCE_TRANSFORMS, invarianceScores, lectureOrder, meanInvariance, spearman, transformPair } from '../../src/eval/invariance';
import { lightnessBackbone } from '../../src/eval/encoders';
import { AUGMENTATIONS, withoutAugmentation } from '../../src/eval/augmentation-study';

/** A toy encoder: `features` = f(x), no parameters. */
function toyBackbone(f: (x: tf.Tensor4D) => tf.Tensor2D, dim: number): Backbone {
  return {
    kind: 'toy',
    config: { inputChannels: 3, widths: [dim], poolAfter: [], bnMomentum: 0.9 },
    params: undefined as never,
    featureDim: dim,
    apply: (x) => ({ features: tf.tidy(() => f(x)), taps: [] }),
  };
}
/** Mean of every pixel, per channel: blind to where pixels are. */
const meanPixels = toyBackbone((x) => tf.mean(x, [1, 2]) as tf.Tensor2D, 3);
/** All pixels flattened: sees every position (identity-like). */
const flatPixels = toyBackbone((x) => tf.reshape(x, [x.shape[0], -1]) as tf.Tensor2D, 0);

/** n images of size s: each a random base colour plus a little noise (so unrelated images differ in colour). */
function colourSet(n: number, s = 12, seed = 3): ImageSet {
  const rng = new Rng(seed);
  const images = new Uint8Array(n * s * s * 3);
  for (let i = 0; i < n; i++) {
    const base = [rng.int(200), rng.int(200), rng.int(200)];
    for (let p = 0; p < s * s; p++) for (let c = 0; c < 3; c++) images[(i * s * s + p) * 3 + c] = base[c] + rng.int(56);
  }
  return { name: `colour/${n}`, images, labels: new Int32Array(n), classNames: ['c0'], n, height: s, width: s, channels: 3 };
}

test('transformPair: jigsaw shuffles the tiles of the centred crop; rotation turns by 90-270 degrees; greyscale greys', async () => {
  await useCpu();
  const set = toySet(6, 8, 3, 2, 5);
  const x = toTensor(set);
  const before = tf.memory().numTensors;
  const j = transformPair(x, 'jigsaw', new Rng(1));
  assert.deepEqual(j.reference.shape, [6, 6, 6, 3], '8x8 images: a 6x6 crop in 3x3 cells of 2 pixels');
  const a = j.reference.arraySync() as number[][][][];
  const b = j.transformed.arraySync() as number[][][][];
  for (let i = 0; i < 6; i++) {
    const sorted = (img: number[][][]) => img.flat(2).sort((p, q) => p - q);
    assert.deepEqual(sorted(b[i]), sorted(a[i]), `image ${i}: the same pixels, moved`);
    assert.notDeepEqual(b[i], a[i], `image ${i}: never the identity permutation`);
  }
  const crop = tf.slice(x, [0, 1, 1, 0], [-1, 6, 6, -1]);
  assert.equal(tf.max(tf.abs(tf.sub(crop, j.reference))).dataSync()[0], 0, 'reference = the centred crop, tiles in place');
  const r = transformPair(x, 'rotation', new Rng(2));
  const turned = [1, 2, 3].map((k) => tf.tidy(() => rotate90(x, k).arraySync() as number[][][][]));
  const rt = r.transformed.arraySync() as number[][][][];
  for (let i = 0; i < 6; i++) assert.ok(turned.some((t) => JSON.stringify(t[i]) === JSON.stringify(rt[i])), `image ${i} is a 90, 180 or 270 degree turn`);
  const g = transformPair(x, 'greyscale', new Rng(3)).transformed;
  const [red, green] = tf.split(g, 3, 3);
  assert.ok(tf.max(tf.abs(tf.sub(red, green))).dataSync()[0] < 1e-6, 'greyscale: equal channels');
  const again = transformPair(x, 'crop', new Rng(4));
  const again2 = transformPair(x, 'crop', new Rng(4));
  assert.equal(tf.max(tf.abs(tf.sub(again.transformed, again2.transformed))).dataSync()[0], 0, 'same rng, same transform');
  tf.dispose([j.reference, j.transformed, crop, r.reference, r.transformed, g, red, green, again.reference, again.transformed, again2.reference, again2.transformed]);
  assert.throws(() => transformPair(x, 'blur' as never, new Rng(1)), /unknown invariance transform "blur"; known: jigsaw, rotation/);
  for (const t of INVARIANCE_TRANSFORMS) {
    const n0 = tf.memory().numTensors;
    const p = transformPair(x, t, new Rng(5));
    assert.equal(tf.memory().numTensors, n0 + 2, `${t}: only the pair is left`);
    tf.dispose([p.reference, p.transformed]);
  }
  x.dispose();
  assert.ok(before > 0);
});

test('invarianceScores: a pixel-averaging encoder is fully invariant to jigsaw and rotation, an identity-like one is not', async () => {
  await useCpu();
  const set = colourSet(40);
  const before = tf.memory().numTensors;
  const mean = invarianceScores(meanPixels, set, new Rng(7), { batchSize: 16 });
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  assert.deepEqual(mean.map((r) => r.transform), [...INVARIANCE_TRANSFORMS]);
  const by = Object.fromEntries(mean.map((r) => [r.transform, r]));
  assert.ok(Math.abs(by.jigsaw.score - 1) < 1e-4, `mean pixels: jigsaw score 1, got ${by.jigsaw.score}`);
  assert.ok(Math.abs(by.rotation.score - 1) < 1e-4, `mean pixels: rotation score 1, got ${by.rotation.score}`);
  assert.ok(by.greyscale.score < 0.9, `mean pixels see colour: greyscale score below 1, got ${by.greyscale.score}`);
  assert.ok(by.jigsaw.negative < 0.99, 'unrelated images differ');
  for (const r of mean) assert.ok(Math.abs(r.score - (r.positive - r.negative) / (1 - r.negative)) < 1e-9, 'score = (pos - neg) / (1 - neg)');
  const flat = invarianceScores(flatPixels, toySet(40, 8, 3, 2, 9), new Rng(7), { transforms: ['rotation', 'jigsaw'] });
  for (const r of flat) assert.ok(r.score < 0.5, `flattened pixels are not invariant to ${r.transform}: ${r.score}`);
  assert.ok(Math.abs(meanInvariance(mean) - mean.reduce((a, r) => a + r.score, 0) / 5) < 1e-12);
  const again = invarianceScores(meanPixels, set, new Rng(7), { transforms: ['crop'], batchSize: 16 });
  assert.equal(again[0].score, by.crop.score, 'a transform draws from its own stream: same number alone or with others');
  assert.throws(() => invarianceScores(meanPixels, colourSet(1), new Rng(1)), /need at least 2 images/);
});

test('invarianceScores on a convnet: finite scores, no leaks; the lightness view matches the grey set', async () => {
  await useCpu();
  const set = toySet(12, 12, 3, 2, 4);
  const rgbNet = convNet({ inputChannels: 3, widths: [4, 6] }, new Rng(1));
  const before = tf.memory().numTensors;
  const rows = invarianceScores(rgbNet, set, new Rng(2), { batchSize: 5 });
  assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
  for (const r of rows) assert.ok(Number.isFinite(r.score) && r.score <= 1 + 1e-6, `${r.transform}: ${r.score}`);
  const greyNet = convNet({ inputChannels: 1, widths: [4, 6] }, new Rng(1));
  const viaView = embed(lightnessBackbone(greyNet), set);
  const viaSet = embed(greyNet, lightnessSet(set));
  const diff = tf.max(tf.abs(tf.sub(viaView, viaSet))).dataSync()[0];
  assert.ok(diff < 2e-2, `lightness view = the network on lightnessSet (max diff ${diff})`);
  tf.dispose([viaView, viaSet]);
  assert.throws(() => lightnessBackbone(rgbNet), /takes 3 channels, expected 1/);
  rgbNet.params.dispose();
  greyNet.params.dispose();
});

test('lectureOrder and spearman', () => {
  const pts = [
    { encoder: 'rotation', invariance: 0.2, linear: 0.3 },
    { encoder: 'jigsaw', invariance: 0.4, linear: 0.35 },
    { encoder: 'clusterfit', invariance: 0.5, linear: 0.4 },
    { encoder: 'pirl', invariance: 0.7, linear: 0.38 },
    { encoder: 'supervised', invariance: 0.9, linear: 0.6 },
  ];
  const o = lectureOrder(pts)!;
  assert.ok(Math.abs(o.invariance.pretext - 0.3) < 1e-12, 'pretext = mean of rotation and jigsaw');
  assert.equal(o.invariance.holds, true);
  assert.equal(o.linear.holds, false, 'PIRL below ClusterFit in accuracy');
  assert.equal(lectureOrder(pts.filter((p) => p.encoder !== 'pirl')), undefined);
  assert.equal(spearman([1, 2, 3, 4], [10, 20, 30, 40]), 1);
  assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 2, 3, 4]) - 0.9486832980505138) < 1e-9, 'ties get mean ranks');
  assert.ok(Number.isNaN(spearman([1, 2], [1, 2])));
});

test('withoutAugmentation switches off exactly one part of SimCLR\'s augmentation', () => {
  const n = 200;
  const draw = (drop: Parameters<typeof withoutAugmentation>[0]) => drawAugmentParams(n, 32, 32, new Rng(1), withoutAugmentation(drop));
  const all = draw('none');
  const mirrored = (p: ReturnType<typeof draw>) => Array.from({ length: n }, (_, i) => p.boxes[4 * i + 1] > p.boxes[4 * i + 3]).filter(Boolean).length;
  const whole = (p: ReturnType<typeof draw>) => Array.from({ length: n }, (_, i) => Math.abs(Math.abs(p.boxes[4 * i + 3] - p.boxes[4 * i + 1]) - 1) < 1e-6 && Math.abs(p.boxes[4 * i + 2] - p.boxes[4 * i] - 1) < 1e-6).filter(Boolean).length;
  const jittered = (p: ReturnType<typeof draw>) => Array.from(p.brightness).filter((v) => v !== 1).length;
  const grey = (p: ReturnType<typeof draw>) => Array.from(p.grey).filter((v) => v === 1).length;
  assert.ok(mirrored(all) > 60 && whole(all) < n / 2 && jittered(all) > 120 && grey(all) > 20, 'the full recipe does everything');
  const noCrop = draw('crop');
  assert.equal(whole(noCrop), n, 'no crop: the whole image');
  assert.ok(mirrored(noCrop) > 60, 'no crop: still mirrored');
  assert.equal(mirrored(draw('flip')), 0, 'no flip');
  assert.equal(jittered(draw('colour_jitter')), 0, 'no colour jitter');
  assert.equal(grey(draw('greyscale')), 0, 'no greyscale');
  assert.deepEqual([...AUGMENTATIONS], ['crop', 'flip', 'colour_jitter', 'greyscale']);
  assert.throws(() => withoutAugmentation('blur' as never), /unknown augmentation "blur"/);
});
