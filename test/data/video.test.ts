import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { DataError } from '../../src/data/errors';
import { findLocalFile } from '../../src/data/source';
import { VIDEO_CLIPS, decodeVideo, loadVideoClip, temporalSplit, videoSetOf } from '../../src/data/video';
import { put, tempDir } from './helpers';

// The real clip comes from the data mirror through the source layer (SELFSUP_MIRROR or ../shared/data).
const cup = findLocalFile(VIDEO_CLIPS.cup, { quiet: true });
const skip = cup ? false : 'the data mirror (video/cup.mp4) is not available';

test('a real clip decodes to its frame count and the asked size (rgb and grey)', { skip }, async () => {
  const clip = await loadVideoClip('cup', { width: 32, height: 24 }, { quiet: true });
  assert.equal(clip.name, 'video/cup.mp4', 'named by its mirror path');
  assert.equal(clip.n, 217, 'cup.mp4 has 217 frames');
  assert.deepEqual([clip.height, clip.width, clip.channels], [24, 32, 3], 'frame shape');
  assert.equal(clip.frames.length, 217 * 24 * 32 * 3, 'bytes = n * h * w * c');
  assert.ok(Math.abs(clip.fps - 26.777) < 0.01, `native frame rate, got ${clip.fps}`);
  let sum = 0;
  for (const v of clip.frames) sum += v;
  const mean = sum / clip.frames.length;
  assert.ok(mean > 20 && mean < 235, `real image content, mean ${mean}`);
  const grey = await decodeVideo(cup!.path, { width: 16, height: 16, grey: true, fps: 5 });
  assert.equal(grey.channels, 1, 'grey: one channel');
  assert.equal(grey.fps, 5, 'resampled frame rate');
  assert.ok(Math.abs(grey.n - 41) <= 1, `8.1 s at 5 fps is about 41 frames, got ${grey.n}`);
  const few = await decodeVideo(cup!.path, { width: 8, height: 8, maxFrames: 3 });
  assert.equal(few.n, 3, 'maxFrames');
});

test('a corrupt or truncated clip is a DataError naming it', { skip }, async () => {
  const dir = tempDir();
  const garbage = put(dir, 'garbage.mp4', Buffer.from('this is not a video file at all, just text '.repeat(50)));
  await assert.rejects(decodeVideo(garbage, { width: 8, height: 8 }), (e: unknown) => e instanceof DataError && e.file === garbage && e.message.includes(garbage) && /not a readable video|no decodable/.test(e.message));
  const truncated = put(dir, 'truncated.mp4', readFileSync(cup!.path).subarray(0, 20000));
  await assert.rejects(decodeVideo(truncated, { width: 8, height: 8 }), (e: unknown) => e instanceof DataError && e.file === truncated);
  await assert.rejects(decodeVideo(`${dir}/missing.mp4`, { width: 8, height: 8 }), (e: unknown) => e instanceof DataError && /does not exist/.test(e.message));
});

test('a missing ffmpeg is a DataError naming the executable and the clip', { skip }, async () => {
  await assert.rejects(
    decodeVideo(cup!.path, { width: 8, height: 8, ffmpeg: '/nonexistent/ffmpeg' }),
    (e: unknown) => e instanceof DataError && e.file === '/nonexistent/ffmpeg' && e.message.includes(cup!.path) && /SELFSUP_FFMPEG/.test(e.message),
  );
});

test('bad sizes are RangeErrors naming the parameter', async () => {
  await assert.rejects(decodeVideo('x.mp4', { width: 0, height: 8 }), /width must be an integer/);
  await assert.rejects(decodeVideo('x.mp4', { width: 8, height: 8, fps: -1 }), /fps must be/);
});

test('videoSetOf and temporalSplit keep frames in sequence order', () => {
  const clip = (name: string, n: number, base: number) => ({ name, n, height: 2, width: 2, channels: 1, fps: 10, frames: Uint8Array.from({ length: n * 4 }, (_, i) => base + Math.floor(i / 4)) });
  const v = videoSetOf([clip('a', 10, 0), clip('b', 5, 100)]);
  assert.deepEqual(Array.from(v.starts), [0, 10, 15], 'sequence offsets');
  assert.equal(v.frames.n, 15, 'all frames');
  assert.deepEqual([v.frames.labels[9], v.frames.labels[10], v.frames.classNames], [0, 1, ['a', 'b']], 'frames labelled by clip');
  const { train, test: held } = temporalSplit(v, 0.8);
  assert.deepEqual(Array.from(train.starts), [0, 8, 12], 'train: first 80% of each sequence');
  assert.deepEqual(Array.from(held.starts), [0, 2, 3], 'test: the rest');
  assert.deepEqual(Array.from(held.frames.images.filter((_, i) => i % 4 === 0)), [8, 9, 104], 'held-out frames are the later ones');
  assert.throws(() => videoSetOf([clip('a', 2, 0), { ...clip('c', 2, 0), height: 3, frames: new Uint8Array(12) }]), /clip c is 3x2x1/);
});
