import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeWav } from '../../src/data/wav';
import { audioHtml, mediaRowsHtml, wavDataUrl } from '../../src/viz/audio';

test('wavDataUrl embeds a WAV that decodes back to the samples', () => {
  const samples = Float32Array.from({ length: 800 }, (_, i) => 0.5 * Math.sin(i / 10));
  const url = wavDataUrl(samples, 8000);
  assert.ok(url.startsWith('data:audio/wav;base64,'), 'a WAV data URL');
  const back = decodeWav(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'), 'url');
  assert.equal(back.sampleRate, 8000);
  assert.ok(back.samples.every((v, i) => Math.abs(v - samples[i]) < 1e-4), 'samples back');
});

test('media rows: a playable <audio> per sound, an <img> per image, captions escaped', () => {
  const sound = { samples: new Float32Array(80), sampleRate: 8000, caption: 'says "7" <loud>' };
  assert.match(audioHtml(sound), /<audio controls[^>]*><source src="data:audio\/wav;base64,[A-Za-z0-9+/=]+" type="audio\/wav">/);
  const html = mediaRowsHtml([{ query: sound, results: [{ pixels: new Uint8Array(4), h: 2, w: 2, c: 1, caption: '7 ✓' }, sound] }], { title: 'T & U' });
  assert.equal((html.match(/<audio /g) ?? []).length, 2, 'two sounds');
  assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 1, 'one image');
  assert.ok(html.includes('says &quot;7&quot; &lt;loud&gt;') && html.includes('T &amp; U'), 'escaped captions and title');
});
