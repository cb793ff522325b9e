import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/data/rng';
import { FSDD_TAR, audioSubset, loadFsdd } from '../../src/data/load-fsdd';
import { findLocalFile } from '../../src/data/source';
import { hzToMel, logMelSpectrogram, melFilterbank, melToHz, powerSpectrogram, spectrogramImages } from '../../src/transforms/spectrogram';

/** Slow reference: Hann-windowed plain DFT power of each frame. */
function naivePower(x: Float32Array, n: number, hop: number): number[][] {
  const frames = Math.max(1, 1 + Math.floor((x.length - n) / hop));
  const out: number[][] = [];
  for (let t = 0; t < frames; t++) {
    const row: number[] = [];
    for (let k = 0; k <= n / 2; k++) {
      let re = 0, im = 0;
      for (let i = 0; i < n; i++) {
        const v = (t * hop + i < x.length ? x[t * hop + i] : 0) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
        re += v * Math.cos((2 * Math.PI * k * i) / n);
        im -= v * Math.sin((2 * Math.PI * k * i) / n);
      }
      row.push(re * re + im * im);
    }
    out.push(row);
  }
  return out;
}

test('powerSpectrogram (fft.js) equals a plain DFT, including a clip shorter than one frame', () => {
  const rng = new Rng(1);
  for (const len of [1000, 40]) {
    const x = Float32Array.from({ length: len }, () => rng.next() * 2 - 1);
    const { data, frames } = powerSpectrogram(x, 64, 48);
    const ref = naivePower(x, 64, 48);
    assert.equal(frames, ref.length, `frames for ${len} samples`);
    let err = 0, scale = 0;
    ref.forEach((row, t) => row.forEach((v, k) => { err = Math.max(err, Math.abs(data[t * 33 + k] - v)); scale = Math.max(scale, v); }));
    assert.ok(err / scale < 1e-5, `relative error ${err / scale}`);
  }
  assert.throws(() => powerSpectrogram(new Float32Array(10), 100, 10), /fftSize must be a power of 2/);
});

test('mel filterbank: triangles peaking at 1 on increasing centres, covering the band; a tone lands in its band', () => {
  assert.ok(Math.abs(melToHz(hzToMel(1234)) - 1234) < 1e-6, 'mel round trip');
  assert.ok(Math.abs(hzToMel(1000) - 1000) < 0.1, '1000 Hz is about 1000 mel');
  const fb = melFilterbank(8000, 256, 32);
  const nBins = 129;
  let lastPeak = -1;
  for (let m = 0; m < 32; m++) {
    const row = Array.from(fb.subarray(m * nBins, (m + 1) * nBins));
    assert.ok(row.every((v) => v >= 0 && v <= 1), `band ${m} weights in [0, 1]`);
    const peak = row.indexOf(Math.max(...row));
    assert.ok(Math.max(...row) > 0.3, `band ${m} is not empty`);
    assert.ok(peak >= lastPeak, `band ${m} centre at bin ${peak} after ${lastPeak}`);
    lastPeak = peak;
  }
  const tone = Float32Array.from({ length: 4000 }, (_, i) => Math.sin((2 * Math.PI * 1000 * i) / 8000));
  const s = logMelSpectrogram(tone, 8000, { fftSize: 256, melBands: 32 });
  assert.equal(s.frames, 1 + Math.floor((4000 - 256) / 128), 'frame count');
  const mid = Math.floor(s.frames / 2);
  let best = 0;
  for (let m = 1; m < 32; m++) if (s.data[m * s.frames + mid] > s.data[best * s.frames + mid]) best = m;
  const centre = melToHz(((best + 1) * hzToMel(4000)) / 33);
  assert.ok(Math.abs(centre - 1000) < 150, `the loudest band (${best}, centre ${centre.toFixed(0)} Hz) holds the 1 kHz tone`);
});

const tar = findLocalFile(FSDD_TAR, { quiet: true });
test('spectrogram images of real FSDD recordings: [melBands, frames, 1], loudest value 255, labels kept', { skip: tar ? false : 'the data mirror (fsdd) is not available' }, async () => {
  const all = await loadFsdd({ quiet: true });
  const some = audioSubset(all, [0, 1, 500, 2999]);
  const img = spectrogramImages(some, { melBands: 32, frames: 40 });
  assert.deepEqual([img.n, img.height, img.width, img.channels], [4, 32, 40, 1], 'shape');
  assert.deepEqual(Array.from(img.labels), Array.from(some.labels), 'labels');
  for (let i = 0; i < 4; i++) {
    const px = img.images.subarray(i * 1280, (i + 1) * 1280);
    assert.equal(Math.max(...px), 255, `clip ${i}: its loudest cell is 255`);
    assert.ok(px.filter((v) => v > 0).length > 200, `clip ${i}: a real spectrogram, not blank`);
  }
  const wide = spectrogramImages(audioSubset(all, [0]), { melBands: 40, frames: 200, fftSize: 512, hop: 64 });
  assert.deepEqual([wide.height, wide.width], [40, 200], 'other sizes');
  const s = logMelSpectrogram(all.clips[0], 8000);
  assert.equal(s.frames, 1 + Math.floor((all.clips[0].length - 256) / 128), 'frames of a real clip');
});
