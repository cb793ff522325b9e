import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { MIRROR_SHA256 } from './catalog';
import type { DataOptions } from './data-options';
import { DataError, HINT_REPLACE_FILE } from './errors';
import { validateImageSet, type ImageSet } from './image-set';
import { resolveFile, type FileSpec } from './source';

/** Frames of one decoded clip: `n * height * width * channels` bytes, NHWC, uint8. */
export interface VideoClip {
  /** e.g. "video/cup.mp4". */
  name: string;
  frames: Uint8Array;
  n: number;
  height: number;
  width: number;
  /** 3 (rgb24) or 1 (grey). */
  channels: number;
  /** Frames per second of the decoded stream (the `fps` asked for, else the clip's own rate). */
  fps: number;
}

/** Options of {@link decodeVideo}. */
export interface DecodeVideoOptions {
  /** Output frame size in pixels (ffmpeg `scale`, area averaging; the aspect ratio is not kept). */
  width: number;
  height: number;
  /** Resample to this frame rate (ffmpeg `fps` filter); default: every frame of the clip. */
  fps?: number;
  /** Decode to one grey channel instead of RGB (default false). */
  grey?: boolean;
  /** Stop after this many frames. */
  maxFrames?: number;
  /** The ffmpeg executable; default env `SELFSUP_FFMPEG`, else `ffmpeg` on the PATH. */
  ffmpeg?: string;
}

const HINT_FFMPEG = 'Install ffmpeg (Debian: apt-get install ffmpeg; scripts/setup.sh installs it), or set SELFSUP_FFMPEG to its path.';

/**
 * Decode a video file's frames with ffmpeg (spawned as a child process; raw `rgb24` or `gray`
 * frames read from its stdout): `ffmpeg -i <path> -vf [fps=<fps>,]scale=<w>:<h>:flags=area -f rawvideo -`.
 * About 0.5 s for the mirror's clips at 64x64.
 *
 * Errors are `DataError`s: a missing ffmpeg names the executable (and the clip it was to
 * decode); a missing, unreadable or corrupt clip, or one that yields no frames, names the clip
 * and quotes ffmpeg's own message.
 */
export async function decodeVideo(path: string, opts: DecodeVideoOptions): Promise<VideoClip> {
  for (const k of ['width', 'height'] as const) {
    if (!(Number.isInteger(opts[k]) && opts[k] >= 1 && opts[k] <= 4096)) throw new RangeError(`decodeVideo: ${k} must be an integer in 1..4096, got ${opts[k]}`);
  }
  if (opts.fps !== undefined && !(opts.fps > 0 && opts.fps <= 240)) throw new RangeError(`decodeVideo: fps must be in (0, 240], got ${opts.fps}`);
  if (opts.maxFrames !== undefined && !(Number.isInteger(opts.maxFrames) && opts.maxFrames >= 1)) throw new RangeError(`decodeVideo: maxFrames must be a positive integer, got ${opts.maxFrames}`);
  try {
    if (!statSync(path).isFile()) throw new DataError(path, 'is not a file', 'Check the path and run again.');
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(path, 'does not exist', 'Check the path and run again.', { cause: e });
  }
  const ffmpeg = opts.ffmpeg ?? (process.env.SELFSUP_FFMPEG || 'ffmpeg');
  const channels = opts.grey ? 1 : 3;
  const frameBytes = opts.width * opts.height * channels;
  const filters = [...(opts.fps ? [`fps=${opts.fps}`] : []), `scale=${opts.width}:${opts.height}:flags=area`];
  const args = ['-nostdin', '-v', 'error', '-i', path, '-an', '-vf', filters.join(','),
    ...(opts.maxFrames ? ['-frames:v', String(opts.maxFrames)] : []),
    '-f', 'rawvideo', '-pix_fmt', opts.grey ? 'gray' : 'rgb24', '-'];
  return new Promise<VideoClip>((resolveP, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => { if (stderr.length < 8000) stderr += b.toString('utf8'); });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT' || e.code === 'EACCES') {
        reject(new DataError(ffmpeg, `cannot be run (${e.code === 'ENOENT' ? 'not found' : 'permission denied'}; it is needed to decode ${path})`, HINT_FFMPEG, { cause: e }));
      } else {
        reject(new DataError(path, `could not be decoded (starting ${ffmpeg} failed: ${e.message})`, HINT_FFMPEG, { cause: e }));
      }
    });
    child.on('close', (code, signal) => {
      const msg = lastLines(stderr);
      if (code !== 0) {
        reject(new DataError(path, `is not a readable video (ffmpeg exited with ${code ?? signal}${msg ? `: ${msg}` : ''})`, HINT_REPLACE_FILE));
        return;
      }
      const all = Buffer.concat(chunks);
      if (all.length === 0) {
        reject(new DataError(path, `holds no decodable video frames${msg ? ` (ffmpeg: ${msg})` : ''}`, HINT_REPLACE_FILE));
        return;
      }
      if (all.length % frameBytes !== 0) {
        reject(new DataError(path, `decoded to ${all.length} bytes, not a whole number of ${opts.width}x${opts.height}x${channels} frames`, HINT_REPLACE_FILE));
        return;
      }
      resolveP({
        name: path, frames: new Uint8Array(all.buffer, all.byteOffset, all.length), n: all.length / frameBytes,
        height: opts.height, width: opts.width, channels, fps: opts.fps ?? NaN,
      });
    });
  }).then(async (clip) => (Number.isNaN(clip.fps) ? { ...clip, fps: await probeFps(path, ffmpeg) } : clip));
}

/** The last non-empty lines of ffmpeg's stderr, joined, for an error message. */
function lastLines(s: string, k = 2): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).slice(-k).join(' / ');
}

/** The clip's average frame rate via ffprobe beside `ffmpeg`; NaN when it cannot tell. */
function probeFps(path: string, ffmpeg: string): Promise<number> {
  const ffprobe = ffmpeg.replace(/ffmpeg(\.exe)?$/, 'ffprobe$1');
  return new Promise((res) => {
    if (ffprobe === ffmpeg) { res(NaN); return; }
    const child = spawn(ffprobe, ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=avg_frame_rate', '-of', 'csv=p=0', path], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.on('error', () => res(NaN));
    child.on('close', () => {
      const m = /^(\d+)(?:\/(\d+))?/.exec(out.trim());
      res(m ? +m[1] / (m[2] ? +m[2] : 1) : NaN);
    });
  });
}

/** The real clips of the project's mirror (OpenCV samples, Debian package opencv-doc; Apache-2.0 / BSD-3-Clause). */
export const VIDEO_CLIPS = {
  /** 768x576, 795 frames at 10 fps: pedestrians, a static camera. */
  vtest: clipSpec('vtest.avi', 'pedestrians (OpenCV sample vtest.avi)'),
  /** 640x480 H.264, about 456 frames at 30 fps: a hand moving a box. */
  box: clipSpec('box.mp4', 'a hand moving a box (OpenCV sample box.mp4)'),
  /** 640x480 H.264, 217 frames at about 27 fps: a cup. */
  cup: clipSpec('cup.mp4', 'a cup (OpenCV sample cup.mp4)'),
} as const satisfies Record<string, FileSpec>;

export type VideoClipName = keyof typeof VIDEO_CLIPS;

function clipSpec(file: string, what: string): FileSpec {
  const path = `video/${file}`;
  return {
    name: `video clip ${what}`,
    path,
    sha256: [MIRROR_SHA256[path]],
    systemPaths: [`/usr/share/doc/opencv-doc/examples/data/${file}`, `/usr/share/opencv4/samples/data/${file}`],
  };
}

/**
 * One of the mirror's real clips ({@link VIDEO_CLIPS}), checksum-verified through the source
 * layer (`SELFSUP_MIRROR`, `../shared/data`, or an opencv-doc install), decoded by
 * {@link decodeVideo}; the clip's `name` is its mirror path, e.g. `video/cup.mp4`.
 */
export async function loadVideoClip(name: VideoClipName, decode: DecodeVideoOptions, opts: DataOptions = {}): Promise<VideoClip> {
  const spec = (VIDEO_CLIPS as Record<string, FileSpec>)[name];
  if (!spec) throw new RangeError(`loadVideoClip: unknown clip "${name}"; known: ${Object.keys(VIDEO_CLIPS).join(', ')}`);
  const t0 = performance.now();
  const src = await resolveFile(spec, opts);
  const clip = { ...(await decodeVideo(src.path, decode)), name: spec.path };
  if (!opts.quiet) {
    process.stderr.write(`selfsup: ${spec.path} ${clip.n}x${clip.height}x${clip.width}x${clip.channels} at ${clip.fps.toFixed(1)} fps from ${basename(src.path)} via ffmpeg (${((performance.now() - t0) / 1000).toFixed(2)} s)\n`);
  }
  return clip;
}

/**
 * Several frame sequences held as one ImageSet of all their frames (sequence after sequence)
 * plus the offsets where each sequence starts: sequence `s` is frames `starts[s] ..
 * starts[s + 1] - 1`. Frame labels are the ImageSet's (-1 where a frame has none).
 */
export interface VideoSet {
  name: string;
  frames: ImageSet;
  /** `[nSequences + 1]`, ascending, `starts[0] = 0`, last = `frames.n`. */
  starts: Int32Array;
  /** One name per sequence (e.g. a clip's path, or `moving-mnist#17`). */
  sequenceNames: string[];
}

/** Number of sequences of a {@link VideoSet}. */
export function sequenceCount(v: VideoSet): number {
  return v.starts.length - 1;
}

/**
 * Clips (all of one frame size and channel count) as one {@link VideoSet}; each frame is labelled
 * with its clip (class names: the clips' file names without extension, e.g. `cup`). A clip of
 * another size is a `RangeError` naming it.
 */
export function videoSetOf(clips: VideoClip[], name = 'clips'): VideoSet {
  if (clips.length === 0) throw new RangeError('videoSetOf: no clips');
  const { height, width, channels } = clips[0];
  const bad = clips.find((c) => c.height !== height || c.width !== width || c.channels !== channels);
  if (bad) throw new RangeError(`videoSetOf: clip ${bad.name} is ${bad.height}x${bad.width}x${bad.channels}, the first ${height}x${width}x${channels}`);
  const n = clips.reduce((s, c) => s + c.n, 0);
  const images = new Uint8Array(n * height * width * channels);
  const starts = new Int32Array(clips.length + 1);
  clips.forEach((c, i) => {
    images.set(c.frames, starts[i] * height * width * channels);
    starts[i + 1] = starts[i] + c.n;
  });
  const labels = new Int32Array(n);
  clips.forEach((_, i) => labels.fill(i, starts[i], starts[i + 1]));
  const classNames = clips.map((c) => basename(c.name).replace(/\.[^.]*$/, ''));
  const frames = validateImageSet({ name: `${name}/frames`, images, labels, classNames, n, height, width, channels });
  return { name, frames, starts, sequenceNames: clips.map((c) => c.name) };
}

/**
 * Split each sequence in time: its first `round(trainFraction * length)` frames go to `train`,
 * the rest to `test` (held-out later footage of the same clips). Both keep the sequence names.
 */
export function temporalSplit(v: VideoSet, trainFraction: number): { train: VideoSet; test: VideoSet } {
  if (!(trainFraction > 0 && trainFraction < 1)) throw new RangeError(`temporalSplit: trainFraction must be in (0, 1), got ${trainFraction}`);
  const size = v.frames.height * v.frames.width * v.frames.channels;
  const part = (which: 'train' | 'test'): VideoSet => {
    const ranges: [number, number][] = [];
    for (let s = 0; s + 1 < v.starts.length; s++) {
      const a = v.starts[s];
      const b = v.starts[s + 1];
      const cut = a + Math.round(trainFraction * (b - a));
      ranges.push(which === 'train' ? [a, cut] : [cut, b]);
    }
    const n = ranges.reduce((t, [a, b]) => t + b - a, 0);
    const images = new Uint8Array(n * size);
    const labels = new Int32Array(n);
    const starts = new Int32Array(ranges.length + 1);
    ranges.forEach(([a, b], s) => {
      images.set(v.frames.images.subarray(a * size, b * size), starts[s] * size);
      labels.set(v.frames.labels.subarray(a, b), starts[s]);
      starts[s + 1] = starts[s] + b - a;
    });
    const name = `${v.name}/${which}`;
    return { name, frames: validateImageSet({ ...v.frames, name: `${name}/frames`, images, labels, n }), starts, sequenceNames: [...v.sequenceNames] };
  };
  return { train: part('train'), test: part('test') };
}
