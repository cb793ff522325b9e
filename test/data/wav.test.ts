import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DataError } from '../../src/data/errors';
import { FSDD_TAR, loadFsdd, readFsddTar, speakerSplit } from '../../src/data/load-fsdd';
import { findLocalFile } from '../../src/data/source';
import { readTarFile } from '../../src/data/tar';
import { decodeWav, encodeWav } from '../../src/data/wav';
import { makeTar, put, tempDir } from './helpers';

// Real recordings come from the data mirror through the source layer (SELFSUP_MIRROR or ../shared/data).
const tar = findLocalFile(FSDD_TAR, { quiet: true });
const skip = tar ? false : 'the data mirror (fsdd/fsdd-recordings.tar) is not available';

test('real FSDD WAVs decode: 3,000 recordings, 8 kHz mono, 0.14-2.28 s, 6 speakers x 10 digits x 50 takes', { skip }, async () => {
  const set = await loadFsdd({ quiet: true });
  assert.equal(set.n, 3000, 'recordings');
  assert.equal(set.sampleRate, 8000, 'sample rate');
  assert.deepEqual(set.speakers, ['george', 'jackson', 'lucas', 'nicolas', 'theo', 'yweweler'], 'speakers');
  const perDigit = new Array(10).fill(0);
  set.labels.forEach((l) => perDigit[l]++);
  assert.deepEqual(perDigit, new Array(10).fill(300), '300 recordings of each digit');
  const lengths = set.clips.map((c) => c.length);
  assert.ok(Math.min(...lengths) >= 0.13 * 8000 && Math.max(...lengths) <= 2.3 * 8000, `durations ${Math.min(...lengths)}..${Math.max(...lengths)} samples`);
  const i = set.files.indexOf('recordings/7_jackson_32.wav');
  assert.ok(i >= 0, 'files are named by archive member');
  assert.deepEqual([set.labels[i], set.speakers[set.speakerOf[i]], set.takes[i]], [7, 'jackson', 32], 'label, speaker, take from the name');
  let peak = 0;
  for (const v of set.clips[i]) peak = Math.max(peak, Math.abs(v));
  assert.ok(peak > 0.05 && peak <= 1, `samples scaled to [-1, 1], peak ${peak}`);
  const { train, test: held } = speakerSplit(set, ['theo']);
  assert.equal(held.n, 500, 'one held-out speaker');
  assert.equal(train.n, 2500, 'five training speakers');
  assert.ok(!Array.from(train.speakerOf).some((s) => set.speakers[s] === 'theo'), 'no held-out voice in train');
  assert.throws(() => speakerSplit(set, ['nobody']), /not a speaker .*george/);
});

test('encodeWav round-trips real samples at 16-bit precision', { skip }, () => {
  const member = readTarFile(tar!.path).find((e) => e.path.endsWith('3_george_0.wav'))!;
  const clip = decodeWav(member.data, member.path);
  const back = decodeWav(encodeWav(clip.samples, clip.sampleRate), 'round-trip');
  assert.equal(back.sampleRate, 8000);
  assert.equal(back.samples.length, clip.samples.length);
  let err = 0;
  clip.samples.forEach((v, j) => (err = Math.max(err, Math.abs(v - back.samples[j]))));
  assert.ok(err <= 1.5 / 32767, `max error ${err}`);
});

test('a corrupt WAV is a DataError naming the file (and the archive member)', () => {
  assert.throws(() => decodeWav(new TextEncoder().encode('RIFF....WAVEnot really'), 'bad.wav'), (e: unknown) => e instanceof DataError && e.file === 'bad.wav' && /bad\.wav is not a readable WAV/.test(e.message));
  const good = encodeWav(new Float32Array([0, 0.5, -0.5, 0.25]), 8000);
  const dir = tempDir();
  const archive = put(dir, 'fsdd.tar', makeTar([
    { path: 'recordings/1_ann_0.wav', data: good },
    { path: 'recordings/2_ann_0.wav', data: good.subarray(0, 20) },
  ]));
  assert.throws(() => readFsddTar(archive), (e: unknown) => e instanceof DataError && e.file === `${archive}:recordings/2_ann_0.wav`);
  const misnamed = put(dir, 'misnamed.tar', makeTar([{ path: 'recordings/hello.wav', data: good }]));
  assert.throws(() => readFsddTar(misnamed), (e: unknown) => e instanceof DataError && /\{digit\}_\{speaker\}_\{take\}\.wav/.test(e.message));
  const ok = readFsddTar(put(dir, 'ok.tar', makeTar([{ path: 'recordings/1_ann_0.wav', data: good }])));
  assert.deepEqual(Array.from(ok.clips[0]).map((v) => Math.round(v * 4) / 4), [0, 0.5, -0.5, 0.25], 'samples back');
});
