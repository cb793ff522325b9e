// Bad input, fuzzed: malformed files for every reader and bad values for every parameter. Each
// must give an Error that names the file (a DataError whose `file` is it) or the parameter;
// none may crash with an unnamed error, hang, or leave a cache file a later run trusts.
// Prints "fuzz: N inputs tried, M named errors, A accepted as valid, 0 crashes" at the end.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import * as tf from '@tensorflow/tfjs-core';
import { useCpu, toySet } from '../helpers';
import { tempDir, put, jpegOf, pngOf, makeTar, makeIdx, makeIdxPair, makeCifarBatch } from '../data/helpers';
import { DataError } from '../../src/data/errors';
import { decodeImage, MAX_IMAGE_PIXELS } from '../../src/data/decode-image';
import { parseIdx, readIdxImageSet, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../src/data/idx';
import { parseCifarBatch, readCifar10Binary } from '../../src/data/cifar-binary';
import { readImageFolder, decodeFolderItems, listImageFolder } from '../../src/data/image-folder';
import { loadImageFolder } from '../../src/data/load-image-folder';
import { readImageSetFile, writeImageSetFile } from '../../src/data/cache';
import { stratifiedSample, subset, trainTestIndices } from '../../src/data/split';
import { batchIndices } from '../../src/data/batch';
import { toTensor } from '../../src/data/to-tensor';
import { resizeImage } from '../../src/data/resize';
import { loadCifar10 } from '../../src/data/load-cifar10';
import { Rng } from '../../src/data/rng';
import { convNet } from '../../src/models/conv-net';
import { supervisedTask } from '../../src/methods/supervised';
import { rotationTask } from '../../src/methods/rotation';
import { checkMethod, pretrain, METHODS } from '../../src/methods/pretrain';
import { train, TrainOptions } from '../../src/train/train-loop';
import { silentProgressSink } from '../../src/train/progress';
import { saveCheckpoint, loadCheckpoint } from '../../src/train/checkpoint';
import { embed } from '../../src/eval/embed';
import { knnClassify } from '../../src/eval/knn';
import { linearProbe } from '../../src/eval/linear-probe';
import { parseRunArgs, UsageError } from '../../src/cli';
import { decodeWav, encodeWav } from '../../src/data/wav';
import { decodeVideo } from '../../src/data/video';

const tally = { tried: 0, named: 0, accepted: 0, failures: [] as string[] };
const perArea = new Map<string, number>();

/** What an input must produce: an error naming every string in `names` (and, for files, a DataError about `file`). */
interface Expect {
  area: string;
  names: string[];
  /** The DataError's `file` must equal this (or start with it, for archive members `archive:member`). */
  file?: string;
  /** The input may be valid after all (e.g. a flipped pixel byte): then `valid(result)` must hold. */
  valid?: (result: unknown) => boolean;
}

function judge(label: string, ex: Expect, outcome: { ok: true; value: unknown } | { ok: false; error: unknown }): void {
  tally.tried++;
  perArea.set(ex.area, (perArea.get(ex.area) ?? 0) + 1);
  if (outcome.ok) {
    if (ex.valid && ex.valid(outcome.value)) { tally.accepted++; return; }
    const why = `${ex.area}: ${label}: accepted without an error`;
    tally.failures.push(why);
    throw new assert.AssertionError({ message: why });
  }
  const e = outcome.error as Error;
  const problems: string[] = [];
  if (!(e instanceof Error)) problems.push(`threw a non-Error ${String(e)}`);
  else {
    for (const n of ex.names) if (!e.message.includes(n)) problems.push(`message does not name "${n}"`);
    if (ex.file !== undefined) {
      if (!(e instanceof DataError)) problems.push(`is a ${e.name}, not a DataError`);
      else if (!(e.file === ex.file || e.file.startsWith(`${ex.file}:`))) problems.push(`names file ${e.file}, not ${ex.file}`);
    }
  }
  if (problems.length) {
    const why = `${ex.area}: ${label}: ${problems.join('; ')} (${e instanceof Error ? `${e.name}: ${e.message}` : String(e)})`;
    tally.failures.push(why);
    throw new assert.AssertionError({ message: why });
  }
  tally.named++;
}

function expectSync(label: string, ex: Expect, fn: () => unknown): void {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try { outcome = { ok: true, value: fn() }; } catch (error) { outcome = { ok: false, error }; }
  judge(label, ex, outcome);
}

async function expectAsync(label: string, ex: Expect, fn: () => Promise<unknown>): Promise<void> {
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try { outcome = { ok: true, value: await fn() }; } catch (error) { outcome = { ok: false, error }; }
  judge(label, ex, outcome);
}

/** Bytes of `base` cut at `cut` (when below its length) with some bytes XOR-ed. */
function mutate(base: Uint8Array, cut: number, flips: [number, number][]): Buffer {
  const b = Buffer.from(base.subarray(0, Math.min(cut, base.length)));
  for (const [at, x] of flips) if (b.length) b[at % b.length] ^= x;
  return b;
}
const mutation = (len: number) => fc.tuple(fc.integer({ min: 0, max: len + 40 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }));
const validRaw = (r: unknown) => {
  const img = r as { width: number; height: number; channels: number; data: Uint8Array };
  return img.width > 0 && img.height > 0 && img.data.length === img.width * img.height * img.channels;
};
const FC = { seed: 20240611 };
const d = tempDir('selfsup-fuzz-');

// ---------------------------------------------------------------- readers

test('JPEG and PNG: truncated or corrupted bytes are named (or decode to a whole image)', () => {
  const jpg = jpegOf(16, 16, [200, 30, 90]);
  const png = pngOf(12, 10, [10, 200, 30]);
  fc.assert(fc.property(mutation(jpg.length), ([cut, flips]) => {
    const file = '/photos/cat/0001.jpg';
    expectSync(`jpeg cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'jpeg', names: [file], file, valid: validRaw }, () => decodeImage(mutate(jpg, cut, flips), file));
  }), { ...FC, numRuns: 60 });
  fc.assert(fc.property(mutation(png.length), ([cut, flips]) => {
    const file = '/photos/dog/0002.png';
    expectSync(`png cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'png', names: [file], file, valid: validRaw }, () => decodeImage(mutate(png, cut, flips), file));
  }), { ...FC, numRuns: 60 });
  // every strict truncation of a PNG is an error (its chunks carry lengths and CRCs)
  for (const cut of [0, 1, 8, 20, 33, png.length - 12, png.length - 1]) {
    expectSync(`png truncated at ${cut}`, { area: 'png', names: ['/t.png'], file: '/t.png' }, () => decodeImage(png.subarray(0, cut), '/t.png'));
  }
  for (const cut of [0, 2, 3, 100, Math.floor(jpg.length / 2), jpg.length - 2]) {
    expectSync(`jpeg truncated at ${cut}`, { area: 'jpeg', names: ['/t.jpg'], file: '/t.jpg' }, () => decodeImage(jpg.subarray(0, cut), '/t.jpg'));
  }
});

test('JPEG and PNG: huge declared dimensions are refused before decoding (no allocation, no long decode)', () => {
  const jpg = jpegOf(8, 8, [1, 2, 3]);
  const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
  const png = pngOf(4, 4, [1, 2, 3]);
  const side = Math.ceil(Math.sqrt(MAX_IMAGE_PIXELS)) + 1;
  fc.assert(fc.property(fc.integer({ min: side, max: 65535 }), fc.integer({ min: side, max: 65535 }), (w, h) => {
    const j = Buffer.from(jpg);
    j.writeUInt16BE(h, sof + 5);
    j.writeUInt16BE(w, sof + 7);
    expectSync(`jpeg ${w}x${h}`, { area: 'huge-dims', names: ['/big.jpg', `${w}x${h}`, 'megapixel'], file: '/big.jpg' }, () => decodeImage(j, '/big.jpg'));
  }), { ...FC, numRuns: 15 });
  fc.assert(fc.property(fc.integer({ min: side, max: 2 ** 31 - 1 }), fc.integer({ min: side, max: 2 ** 31 - 1 }), (w, h) => {
    const p = Buffer.from(png);
    p.writeUInt32BE(w, 16);
    p.writeUInt32BE(h, 20);
    expectSync(`png ${w}x${h}`, { area: 'huge-dims', names: ['/big.png', `${w}x${h}`, 'megapixel'], file: '/big.png' }, () => decodeImage(p, '/big.png'));
  }), { ...FC, numRuns: 15 });
});

test('IDX: wrong magic numbers, huge declared dimensions, mismatched label counts, bad labels', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }).filter((m) => m !== IDX_IMAGES_MAGIC), (magic) => {
    const b = Buffer.alloc(16);
    b.writeUInt32BE(magic, 0);
    expectSync(`magic 0x${magic.toString(16)}`, { area: 'idx', names: ['/m/images.idx', 'magic'], file: '/m/images.idx' }, () => parseIdx(b, IDX_IMAGES_MAGIC, '/m/images.idx'));
  }), { ...FC, numRuns: 15 });
  fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 2 ** 32 - 1 }), { minLength: 3, maxLength: 3 }).filter((ds) => ds[0] * ds[1] * ds[2] > 1000), fc.boolean(), (dims, gz) => {
    const b = makeIdx(IDX_IMAGES_MAGIC, dims, new Uint8Array(1000), gz);
    expectSync(`dims ${dims.join('x')}`, { area: 'idx', names: ['/m/huge.idx', 'truncated'], file: '/m/huge.idx' }, () => parseIdx(b, IDX_IMAGES_MAGIC, '/m/huge.idx'));
  }), { ...FC, numRuns: 15 });
  fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }).filter((x) => x > 0), (n, m) => {
    fc.pre(n !== m);
    const img = put(d, `idx/${n}-${m}/images`, makeIdxPair(n).images);
    const lab = put(d, `idx/${n}-${m}/labels`, makeIdxPair(m).labels);
    expectSync(`${n} images, ${m} labels`, { area: 'idx', names: [lab, `${m} labels`, `${n} images`], file: lab }, () => readIdxImageSet(img, lab));
  }), { ...FC, numRuns: 10 });
  const img = put(d, 'idx/bad-label/images', makeIdxPair(3).images);
  const lab = put(d, 'idx/bad-label/labels', makeIdx(IDX_LABELS_MAGIC, [3], Uint8Array.from([1, 12, 2])));
  expectSync('label 12', { area: 'idx', names: [lab, 'label 12'], file: lab }, () => readIdxImageSet(img, lab));
  expectSync('missing labels file', { area: 'idx', names: [path.join(d, 'nope')], file: path.join(d, 'nope') }, () => readIdxImageSet(img, path.join(d, 'nope')));
  expectSync('images and labels swapped', { area: 'idx', names: [lab, 'magic'], file: lab }, () => readIdxImageSet(lab, img));
});

test('CIFAR binary: wrong lengths, labels out of range, missing batches, not an archive', () => {
  const good = makeCifarBatch(2);
  fc.assert(fc.property(fc.integer({ min: 0, max: 3 * 3073 }).filter((n) => n % 3073 !== 0 || n === 0), (len) => {
    const b = Buffer.alloc(len);
    expectSync(`${len} bytes`, { area: 'cifar', names: ['/c/data_batch_1.bin', `${len} bytes`], file: '/c/data_batch_1.bin' }, () => parseCifarBatch(b, '/c/data_batch_1.bin'));
  }), { ...FC, numRuns: 15 });
  fc.assert(fc.property(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 10, max: 255 }), (rec, label) => {
    const b = Buffer.from(good);
    b[rec * 3073] = label;
    expectSync(`record ${rec} label ${label}`, { area: 'cifar', names: ['/c/test_batch.bin', `label ${label}`], file: '/c/test_batch.bin' }, () => parseCifarBatch(b, '/c/test_batch.bin'));
  }), { ...FC, numRuns: 10 });
  const folder = path.join(d, 'cifar-missing', 'cifar-10-batches-bin');
  put(folder, 'test_batch.bin', good);
  put(folder, 'data_batch_1.bin', good);
  expectSync('missing data_batch_2.bin', { area: 'cifar', names: [path.join(folder, 'data_batch_2.bin')], file: path.join(folder, 'data_batch_2.bin') }, () => readCifar10Binary(path.dirname(folder), 'train'));
  const notTar = put(d, 'cifar-10-binary.tar.gz', Buffer.from('this is not an archive at all, sorry'));
  expectSync('not an archive', { area: 'cifar', names: [notTar], file: notTar }, () => readCifar10Binary(notTar, 'test'));
  const tarNoBatch = put(d, 'cifar-nobatch.tar', makeTar([{ path: 'cifar-10-batches-bin/readme.html', data: 'hi' }]));
  expectSync('archive without test_batch.bin', { area: 'cifar', names: [tarNoBatch, 'test_batch.bin'], file: tarNoBatch }, () => readCifar10Binary(tarNoBatch, 'test'));
  expectSync("split 'val'", { area: 'cifar', names: ['split', 'val'] }, () => readCifar10Binary(path.dirname(folder), 'val' as never));
});

test('image folders and archives: empty, no images in a class, loose images, bad layouts, corrupt members', () => {
  const png = pngOf(6, 6, [9, 9, 9]);
  const cases: [string, (root: string) => string, (root: string) => string][] = [
    ['empty folder', (r) => r, (r) => r],
    ['only a text file', (r) => (put(r, 'notes.txt', 'x'), r), (r) => r],
    ['class folder with no images', (r) => (put(r, 'cat/1.png', png), fs.mkdirSync(path.join(r, 'dog')), r), (r) => path.join(r, 'dog')],
    ['class folder with only non-images', (r) => (put(r, 'cat/1.png', png), put(r, 'dog/readme.md', 'x'), r), (r) => path.join(r, 'dog')],
    ['image outside any class folder', (r) => (put(r, 'cat/1.png', png), put(r, 'stray.png', png), r), (r) => path.join(r, 'stray.png')],
    ['train/ without test/', (r) => (put(r, 'train/cat/1.png', png), r), (r) => r],
    ['split mixed with other folders', (r) => (put(r, 'train/cat/1.png', png), put(r, 'test/cat/1.png', png), put(r, 'extra/cat/1.png', png), r), (r) => r],
    ['zero-byte image', (r) => (put(r, 'cat/1.png', png), put(r, 'cat/2.png', ''), r), (r) => path.join(r, 'cat/2.png')],
    ['text file named .jpg', (r) => (put(r, 'cat/1.jpg', 'hello'), put(r, 'dog/1.png', png), r), (r) => path.join(r, 'cat/1.jpg')],
    ['truncated PNG in a class', (r) => (put(r, 'cat/1.png', png), put(r, 'dog/1.png', png.subarray(0, 40)), r), (r) => path.join(r, 'dog/1.png')],
    ['mixed sizes without a size option', (r) => (put(r, 'cat/1.png', png), put(r, 'dog/1.png', pngOf(7, 6, [1, 1, 1])), r), (r) => path.join(r, 'dog/1.png')],
    ['missing folder', (r) => path.join(r, 'does-not-exist'), (r) => path.join(r, 'does-not-exist')],
    ['a file that is not an archive', (r) => put(r, 'photos.tar', 'plain text, not tar'), (r) => path.join(r, 'photos.tar')],
  ];
  for (const [label, make, named] of cases) {
    const root = tempDir('selfsup-fuzz-folder-');
    const src = make(root);
    expectSync(label, { area: 'image-folder', names: [named(root)], file: named(root) }, () => readImageFolder(src));
  }
  // archives of a good folder, cut and corrupted: a DataError about the archive (or a member), or a valid set
  const tar = makeTar([{ path: 'cat/1.png', data: png }, { path: 'cat/2.png', data: png }, { path: 'dog/1.png', data: pngOf(6, 6, [200, 9, 9]) }]);
  let k = 0;
  fc.assert(fc.property(mutation(tar.length), ([cut, flips]) => {
    const p = put(d, `tars/${k++}.tar`, mutate(tar, cut, flips));
    expectSync(`tar cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'image-folder', names: [p], file: p, valid: (r) => (r as { layout: string }).layout === 'flat' }, () => readImageFolder(p));
  }), { ...FC, numRuns: 25 });
  // bad decode parameters
  const good = tempDir('selfsup-fuzz-good-');
  put(good, 'cat/1.png', png);
  put(good, 'dog/1.png', png);
  const items = listImageFolder(good).items.all!;
  for (const size of [0, -4, 1.5, NaN, [0, 8], [8, -1]] as const) {
    expectSync(`size ${JSON.stringify(size)}`, { area: 'params', names: ['size'] }, () => decodeFolderItems(items, ['cat', 'dog'], 'x', { size: size as never }));
  }
  expectSync('channels 2', { area: 'params', names: ['channels', '2'] }, () => decodeFolderItems(items, ['cat', 'dog'], 'x', { channels: 2 as never }));
  expectSync('resize to 0x5', { area: 'params', names: ['height', 'width', '0x5'] }, () => resizeImage({ data: new Uint8Array(4), height: 2, width: 2, channels: 1 }, 0, 5));
});

test('decoded-set cache: damaged files are never trusted; a reader failing mid-way leaves no cache file', async () => {
  const set = toySet(6, 4, 3, 2);
  const file = path.join(d, 'cache', 'set.bin');
  writeImageSetFile(file, set, 'key1');
  const base = fs.readFileSync(file);
  const sameAsSet = (r: unknown) => Buffer.compare(Buffer.from((r as typeof set).images), Buffer.from(set.images)) === 0 && Buffer.compare(Buffer.from((r as typeof set).labels.buffer), Buffer.from(set.labels.buffer)) === 0;
  fc.assert(fc.property(mutation(base.length), ([cut, flips]) => {
    const p = path.join(d, 'cache', 'mutated.bin');
    fs.writeFileSync(p, mutate(base, cut, flips));
    expectSync(`cache cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'cache', names: [p], file: p, valid: sameAsSet }, () => readImageSetFile(p, 'key1'));
  }), { ...FC, numRuns: 30 });
  expectSync('cache with another key', { area: 'cache', names: [file, 'key'], file }, () => readImageSetFile(file, 'key2'));

  // a folder whose last image is corrupt: the load fails naming it and writes no cache file
  const cacheDir = tempDir('selfsup-fuzz-cache-');
  const folder = tempDir('selfsup-fuzz-partial-');
  for (let i = 0; i < 5; i++) put(folder, `cat/${i}.png`, pngOf(6, 6, [10 * i, 0, 0]));
  for (let i = 0; i < 4; i++) put(folder, `dog/${i}.png`, pngOf(6, 6, [0, 10 * i, 0]));
  const bad = put(folder, 'dog/9.png', pngOf(6, 6, [1, 1, 1]).subarray(0, 50));
  await expectAsync('folder with a corrupt last image', { area: 'cache', names: [bad], file: bad }, () => loadImageFolder(folder, { cacheDir, quiet: true }));
  const written = () => (fs.existsSync(path.join(cacheDir, 'decoded')) ? fs.readdirSync(path.join(cacheDir, 'decoded')) : []);
  assert.deepEqual(written(), [], 'a failed load leaves no file (complete, partial or temporary) in the cache');
  // fixed, it loads and caches; a cache file cut short (as by a crash outside the atomic rename) is rebuilt, not trusted
  fs.writeFileSync(bad, pngOf(6, 6, [0, 90, 0]));
  const first = await loadImageFolder(folder, { cacheDir, quiet: true });
  const files = written();
  assert.equal(files.length, 1, `one cache file after a good load (${files})`);
  const cached = path.join(cacheDir, 'decoded', files[0]);
  fs.writeFileSync(cached, fs.readFileSync(cached).subarray(0, 100));
  const again = await loadImageFolder(folder, { cacheDir, quiet: true });
  assert.deepEqual(Array.from(again.train.images), Array.from(first.train.images), 'rebuilt from the images, same pixels');
  assert.ok(fs.statSync(cached).size > 100, 'the damaged cache file was replaced');
});

test('checkpoints: truncated or corrupted files are refused with their name, never loaded', async () => {
  await useCpu();
  const file = path.join(d, 'ckpt', 'checkpoint.bin');
  const w = tf.tensor2d([[1, 2], [3, 4]]);
  const it = tf.scalar(7, 'int32');
  saveCheckpoint(file, [{ name: 'w', tensor: w }, { name: 'opt:iter', tensor: it }], { fingerprint: 'abc', epoch: 2, history: [{ epoch: 1, loss: 0.5 }, { epoch: 2, loss: NaN }] });
  tf.dispose([w, it]);
  const base = fs.readFileSync(file);
  const before = tf.memory().numTensors;
  fc.assert(fc.property(mutation(base.length), ([cut, flips]) => {
    fc.pre(cut < base.length || flips.length > 0);
    const p = path.join(d, 'ckpt', 'mutated.bin');
    fs.writeFileSync(p, mutate(base, cut, flips));
    expectSync(`checkpoint cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'checkpoint', names: [p] }, () => loadCheckpoint(p));
  }), { ...FC, numRuns: 40 });
  assert.equal(tf.memory().numTensors, before, 'refused checkpoints allocate no tensors');
});

// ---------------------------------------------------------------- parameters

test('data parameters: sample sizes, subsets, splits, batches, indices', async () => {
  await useCpu();
  const set = toySet(20, 4, 3, 2);
  const rng = new Rng(1);
  for (const perClass of [0, -1, 1.5, NaN, 11, 1e9]) expectSync(`perClass ${perClass}`, { area: 'params', names: ['perClass', String(perClass)] }, () => stratifiedSample(set, { perClass }, rng));
  for (const total of [0, -5, NaN, 21, Infinity]) expectSync(`total ${total}`, { area: 'params', names: ['total', String(total)] }, () => stratifiedSample(set, { total }, rng));
  for (const i of [-1, 20, NaN, 1.5]) expectSync(`subset index ${i}`, { area: 'params', names: ['indices[1]', String(i)] }, () => subset(set, [0, i]));
  for (const f of [0, 1, -0.1, NaN, 2, 0.01]) expectSync(`testFraction ${f}`, { area: 'params', names: ['testFraction', String(f)] }, () => trainTestIndices(set, f, rng));
  for (const b of [0, -1, NaN, 21]) expectSync(`batchIndices batchSize ${b}`, { area: 'params', names: ['batchSize', String(b)] }, () => batchIndices(20, b, rng));
  for (const i of [20, -1]) expectSync(`toTensor index ${i}`, { area: 'params', names: ['indices', String(i)] }, () => toTensor(set, [i]));
  // flat folder with one image per class: the 80/20 split leaves test empty, named
  const folder = tempDir('selfsup-fuzz-one-');
  put(folder, 'a/1.png', pngOf(4, 4, [1, 1, 1]));
  put(folder, 'b/1.png', pngOf(4, 4, [2, 2, 2]));
  await expectAsync('one image per class, testFraction 0.2', { area: 'params', names: ['testFraction'] }, () => loadImageFolder(folder, { cache: false, quiet: true }));
  await expectAsync("loadCifar10('val')", { area: 'params', names: ['split', 'val'] }, () => loadCifar10('val' as never, { quiet: true }));
});

test('training parameters: epochs, batch size, learning rate, momentum, optimiser and method names', async () => {
  await useCpu();
  const set = toySet(24, 8, 3, 2);
  const rng = new Rng(3);
  const backbone = convNet({ inputChannels: 3, widths: [4] }, rng);
  const { task, head } = supervisedTask(backbone, set, rng.fork('s'), {});
  const base: TrainOptions = { epochs: 1, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 1, progress: silentProgressSink() };
  const before = tf.memory().numTensors;
  for (const epochs of [0, -1, 1.5, NaN, Infinity]) await expectAsync(`epochs ${epochs}`, { area: 'params', names: ['epochs', String(epochs)] }, () => train(task, { ...base, epochs }));
  for (const batchSize of [0, -3, NaN, 2.5]) await expectAsync(`batchSize ${batchSize}`, { area: 'params', names: ['batchSize', String(batchSize)] }, () => train(task, { ...base, batchSize }));
  await expectAsync('batchSize larger than the data', { area: 'params', names: ['batchSize 25', '24 training examples'] }, () => train(task, { ...base, batchSize: 25 }));
  for (const lr of [NaN, -1, 0, Infinity, -Infinity]) await expectAsync(`lr ${lr}`, { area: 'params', names: ['lr', String(lr)] }, () => train(task, { ...base, optimizer: { name: 'adam', lr } }));
  for (const momentum of [1, -0.1, NaN, 2]) await expectAsync(`momentum ${momentum}`, { area: 'params', names: ['momentum', String(momentum)] }, () => train(task, { ...base, optimizer: { name: 'sgd', lr: 0.1, momentum } }));
  await expectAsync('optimizer rmsprop', { area: 'params', names: ['rmsprop'] }, () => train(task, { ...base, optimizer: { name: 'rmsprop' as never, lr: 0.1 } }));
  await expectAsync('a task with no examples', { area: 'params', names: ['no examples', 'empty'] }, () => train({ ...task, name: 'empty', size: 0 }, base));
  assert.equal(tf.memory().numTensors, before, 'refused runs allocate nothing');
  for (const widths of [[], [0], [-4], [4, NaN]]) expectSync(`widths ${JSON.stringify(widths)}`, { area: 'params', names: ['widths'] }, () => convNet({ inputChannels: 3, widths }, new Rng(1)));
  expectSync('rotation on non-square images', { area: 'params', names: ['rotation', 'square'] }, () => rotationTask(backbone, { ...set, width: 4, height: 16 }, new Rng(1)));
  fc.assert(fc.property(fc.string({ maxLength: 12 }).filter((s) => !(s in METHODS)), (name) => {
    expectSync(`method ${JSON.stringify(name)}`, { area: 'methods', names: [`"${name}"`, ...Object.keys(METHODS)] }, () => checkMethod(name));
  }), { ...FC, numRuns: 20 });
  await expectAsync('pretrain method "simclr2"', { area: 'methods', names: ['"simclr2"'] }, () => pretrain(set, { method: 'simclr2' as never, epochs: 1, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 1 }));
  const cli: [string[], string][] = [
    [['--method', 'nope', '--data', '/x'], '--method'], [['--method', 'rotation', '--data', '/x', '--seed', '-1'], '--seed'],
    [['--method', 'rotation', '--data', '/x', '--seed', '1.5'], '--seed'], [['--method', 'rotation', '--data', '/x', '--size', '3'], '--size'],
    [['--method', 'rotation', '--data', '/x', '--budget', 'huge'], '--budget'], [['--method', 'rotation', '--data', '/x', '--epochs', '3'], '--epochs'],
    [['--method'], '--method'], [['--method', 'rotation'], '--data'], [[], '--method'],
  ];
  for (const [argv, flag] of cli) {
    expectSync(`selfsup run ${argv.join(' ')}`, { area: 'cli', names: [flag] }, () => parseRunArgs(argv));
    assert.throws(() => parseRunArgs(argv), UsageError, 'a usage error (exit code 2, no stack)');
  }
  backbone.params.dispose();
  head.params.dispose();
});

test('evaluation parameters: k, temperature, batch sizes, layers, label counts', async () => {
  await useCpu();
  const set = toySet(12, 8, 3, 2);
  const backbone = convNet({ inputChannels: 3, widths: [4, 8] }, new Rng(2));
  const bank = tf.randomNormal([10, 6], 0, 1, 'float32', 1) as tf.Tensor2D;
  const q = tf.randomNormal([4, 6], 0, 1, 'float32', 2) as tf.Tensor2D;
  const q5 = tf.randomNormal([4, 5], 0, 1, 'float32', 3) as tf.Tensor2D;
  const labels = Int32Array.from({ length: 10 }, (_, i) => i % 2);
  const ql = Int32Array.from([0, 1, 0, 1]);
  const before = tf.memory().numTensors;
  for (const k of [0, -1, 1.5, NaN]) expectSync(`knn k ${k}`, { area: 'eval', names: ['k', String(k)] }, () => knnClassify(bank, labels, q, { k }));
  for (const t of [0, -1, NaN]) expectSync(`knn t ${t}`, { area: 'eval', names: ['t', String(t)] }, () => knnClassify(bank, labels, q, { t }));
  expectSync('knn 9 labels for 10 bank rows', { area: 'eval', names: ['9 bank labels', '10 bank features'] }, () => knnClassify(bank, labels.subarray(0, 9), q));
  expectSync('knn query dim 5 vs bank dim 6', { area: 'eval', names: ['dim 6', 'dim 5'] }, () => knnClassify(bank, labels, q5));
  // k larger than the bank is capped at the bank, by design (the k=200 monitor on small banks): same as k = bank size
  const capped = knnClassify(bank, labels, q, { k: 1000 });
  expectSync('knn k 1000 > bank of 10 (capped)', { area: 'eval', names: [], valid: (r) => Array.from(r as Int32Array).join() === Array.from(knnClassify(bank, labels, q, { k: 10 })).join() }, () => capped);
  for (const batchSize of [0, -2, 1.5]) expectSync(`embed batchSize ${batchSize}`, { area: 'eval', names: ['batchSize', String(batchSize)] }, () => embed(backbone, set, { batchSize }));
  for (const layer of [2, -1, 0.5]) expectSync(`embed layer ${layer}`, { area: 'eval', names: ['layer', String(layer)] }, () => embed(backbone, set, { layer }));
  expectSync('embed no indices', { area: 'eval', names: ['no images'] }, () => embed(backbone, set, { indices: new Int32Array(0) }));
  await expectAsync('probe 9 labels for 10 rows', { area: 'eval', names: ['9 labels', '10 training rows'] }, () => linearProbe(bank, labels.subarray(0, 9), q, ql));
  await expectAsync('probe 3 test labels for 4 rows', { area: 'eval', names: ['3 labels', '4 test rows'] }, () => linearProbe(bank, labels, q, ql.subarray(0, 3)));
  await expectAsync('probe dims 6 vs 5', { area: 'eval', names: ['dim 6', 'dim 5'] }, () => linearProbe(bank, labels, q5, ql));
  await expectAsync('probe epochs 0', { area: 'eval', names: ['epochs', '0'] }, () => linearProbe(bank, labels, q, ql, { epochs: 0 }));
  await expectAsync('probe lr NaN', { area: 'eval', names: ['lr', 'NaN'] }, () => linearProbe(bank, labels, q, ql, { lr: NaN }));
  assert.equal(tf.memory().numTensors, before, 'refused evaluations leak no tensors');
  tf.dispose([bank, q, q5]);
  backbone.params.dispose();
});

test('WAV and video: truncated, corrupt or empty files are named (or decode to whole audio)', async () => {
  const tone = Float32Array.from({ length: 400 }, (_, i) => Math.sin(i / 5) * 0.5);
  const wav = encodeWav(tone, 8000);
  const validAudio = (r: unknown) => {
    const a = r as { samples: Float32Array; sampleRate: number };
    return a.sampleRate > 0 && a.samples.length > 0 && a.samples.every((v) => Number.isFinite(v));
  };
  fc.assert(fc.property(mutation(wav.length), ([cut, flips]) => {
    const file = '/fsdd/7_jackson_3.wav';
    expectSync(`wav cut ${cut} flips ${JSON.stringify(flips)}`, { area: 'wav', names: [file], file, valid: validAudio }, () => decodeWav(mutate(wav, cut, flips), file));
  }), { ...FC, numRuns: 60 });
  for (const cut of [0, 4, 12, 36, 43]) {
    expectSync(`wav truncated at ${cut}`, { area: 'wav', names: ['/t.wav'], file: '/t.wav' }, () => decodeWav(wav.subarray(0, cut), '/t.wav'));
  }
  // video: ffmpeg refuses these; each error names the clip
  const clips: [string, Uint8Array][] = [
    ['empty.mp4', new Uint8Array(0)],
    ['noise.mp4', Uint8Array.from({ length: 4096 }, (_, i) => (i * 2654435761) >>> 24)],
    ['wav-as-video.avi', wav],
    ['mp4-header-only.mp4', Uint8Array.from([0, 0, 0, 24, ...Buffer.from('ftypisom'), 0, 0, 2, 0, ...Buffer.from('isomiso2'), 0, 0, 0, 8, ...Buffer.from('free')])],
  ];
  for (const [name, bytes] of clips) {
    const file = put(d, `video/${name}`, bytes);
    await expectAsync(`video ${name}`, { area: 'video', names: [file], file }, () => decodeVideo(file, { width: 16, height: 16, maxFrames: 2 }));
  }
  // ffmpeg reads a still image as a one-frame video: valid, and it must come back whole
  const still = put(d, 'video/still.png', pngOf(8, 8, [1, 2, 3]));
  const oneFrame = (r: unknown) => { const v = r as { n: number; frames: Uint8Array }; return v.n >= 1 && v.frames.length === v.n * 16 * 16 * 3; };
  await expectAsync('video: a PNG still', { area: 'video', names: [still], file: still, valid: oneFrame }, () => decodeVideo(still, { width: 16, height: 16, maxFrames: 2 }));
  const missing = path.join(d, 'video/missing.mp4');
  await expectAsync('video missing file', { area: 'video', names: [missing], file: missing }, () => decodeVideo(missing, { width: 16, height: 16 }));
  for (const width of [0, -1, 1.5, 5000]) {
    await expectAsync(`video width ${width}`, { area: 'video', names: ['width', String(width)] }, () => decodeVideo(missing, { width, height: 16 }));
  }
});

after(() => {
  const areas = [...perArea.entries()].map(([a, n]) => `${a} ${n}`).join(', ');
  console.log(`fuzz: ${tally.tried} inputs tried, ${tally.named} named errors, ${tally.accepted} accepted as valid, ${tally.failures.length} crashes or unnamed errors (${areas})`);
  for (const f of tally.failures) console.log(`  ${f}`);
});
