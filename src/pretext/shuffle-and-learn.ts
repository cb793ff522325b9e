import type { Rng } from '../data/rng';
import type { VideoSet } from '../data/video';

/**
 * Shuffle & Learn's tuples (Misra, Zitnick & Hebert 2016, "Shuffle and Learn: Unsupervised
 * Learning using Temporal Order Verification", section 3.1): from five frames a < b < c < d < e
 * of a high-motion window, the positive triple is (b, c, d) (or its reverse, (d, c, b): the
 * direction of time is not asked), the negatives are (b, a, d) and (b, e, d) (or their reverses):
 * the middle frame is out of order. Each entry names the window positions 0..4 (= a..e) shown as
 * first, middle and last frame.
 */
export const TRIPLE_KINDS = [
  { name: 'bcd', positions: [1, 2, 3] },
  { name: 'dcb', positions: [3, 2, 1] },
  { name: 'bad', positions: [1, 0, 3] },
  { name: 'dab', positions: [3, 0, 1] },
  { name: 'bed', positions: [1, 4, 3] },
  { name: 'deb', positions: [3, 4, 1] },
] as const;

/** The two positive kinds and the four negative ones, as indices into {@link TRIPLE_KINDS}. */
const POSITIVE_KINDS = [0, 1];
const NEGATIVE_KINDS = [2, 3, 4, 5];

/**
 * The order label of three frames shown at times `t0, t1, t2`: 1 when the middle one lies
 * strictly between the other two in time (in order, forwards or backwards), else 0.
 */
export function orderLabel(t0: number, t1: number, t2: number): 0 | 1 {
  return (t0 < t1 && t1 < t2) || (t0 > t1 && t1 > t2) ? 1 : 0;
}

/**
 * Motion of each frame: the mean absolute difference (in [0, 1]) between it and the previous
 * frame of its sequence; 0 for a sequence's first frame. A cheap stand-in for the paper's mean
 * optical-flow magnitude.
 * @returns `[frames.n]`
 */
export function frameMotion(v: VideoSet): Float32Array {
  const f = v.frames;
  const size = f.height * f.width * f.channels;
  const out = new Float32Array(f.n);
  for (let s = 0; s + 1 < v.starts.length; s++) {
    for (let t = v.starts[s] + 1; t < v.starts[s + 1]; t++) {
      let d = 0;
      const a = t * size;
      const b = (t - 1) * size;
      for (let i = 0; i < size; i++) d += Math.abs(f.images[a + i] - f.images[b + i]);
      out[t] = d / size / 255;
    }
  }
  return out;
}

/** Options of {@link sampleWindows}. */
export interface WindowOptions {
  /** Windows to draw (with replacement among the candidates). */
  count: number;
  /** Frames from a to e: e = a + span (default 8; at least 4). */
  span?: number;
  /**
   * Keep only the candidate windows whose mean motion is in the top `topFraction` of all
   * candidates (default 0.5): the paper samples where frames change most. 1 keeps all.
   */
  topFraction?: number;
}

/** Sampled windows, and the motion threshold they passed. */
export interface Windows {
  /** `[count * 5]`: frame indices (into `v.frames`) a < b < c < d < e of each window, all in one sequence. */
  frames: Int32Array;
  count: number;
  /** Mean motion a window needed to be kept. */
  threshold: number;
  /** Candidate windows considered and kept. */
  candidates: number;
  kept: number;
}

/**
 * Draw `count` five-frame windows from high-motion stretches of `v` (Shuffle & Learn's
 * sampling): every start a with a + span inside its sequence is a candidate, scored by the mean
 * {@link frameMotion} of frames a+1..e; candidates below the top `topFraction` are dropped; each
 * draw picks a kept candidate uniformly, then b < c < d uniformly among the frames strictly
 * between a and e. Deterministic for a given `rng` state. A set with no sequence longer than
 * `span` is a `RangeError` naming `span`.
 */
export function sampleWindows(v: VideoSet, opts: WindowOptions, rng: Rng, motion: Float32Array = frameMotion(v)): Windows {
  const span = opts.span ?? 8;
  const top = opts.topFraction ?? 0.5;
  if (!(Number.isInteger(opts.count) && opts.count >= 1)) throw new RangeError(`sampleWindows: count must be a positive integer, got ${opts.count}`);
  if (!(Number.isInteger(span) && span >= 4)) throw new RangeError(`sampleWindows: span must be an integer >= 4, got ${span}`);
  if (!(top > 0 && top <= 1)) throw new RangeError(`sampleWindows: topFraction must be in (0, 1], got ${top}`);
  const starts: number[] = [];
  const scores: number[] = [];
  for (let s = 0; s + 1 < v.starts.length; s++) {
    for (let a = v.starts[s]; a + span < v.starts[s + 1]; a++) {
      let m = 0;
      for (let t = a + 1; t <= a + span; t++) m += motion[t];
      starts.push(a);
      scores.push(m / span);
    }
  }
  if (starts.length === 0) throw new RangeError(`sampleWindows: span = ${span} is longer than every sequence of ${v.name}`);
  const sorted = [...scores].sort((x, y) => y - x);
  const threshold = sorted[Math.max(0, Math.ceil(top * sorted.length) - 1)];
  const kept = starts.filter((_, i) => scores[i] >= threshold);
  const frames = new Int32Array(opts.count * 5);
  for (let w = 0; w < opts.count; w++) {
    const a = kept[rng.int(kept.length)];
    const inner = pickSorted(span - 1, 3, rng); // offsets 0..span-2 -> frames a+1..a+span-1
    frames.set([a, a + 1 + inner[0], a + 1 + inner[1], a + 1 + inner[2], a + span], w * 5);
  }
  return { frames, count: opts.count, threshold, candidates: starts.length, kept: kept.length };
}

/** `k` distinct sorted integers from 0..n-1. */
function pickSorted(n: number, k: number, rng: Rng): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(n - i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k).sort((x, y) => x - y);
}

/** Triples of frame indices and their order labels. */
export interface Triples {
  /** `[count * 3]` frame indices: first, middle, last of each triple. */
  frames: Int32Array;
  /** `[count]` 1 = in order, 0 = middle frame out of order. */
  labels: Int32Array;
  /** `[count]` index into {@link TRIPLE_KINDS}. */
  kinds: Int32Array;
}

/**
 * One triple per window (`windows` as in {@link Windows.frames}, `[n * 5]` frames a..e): with
 * probability `positiveFraction` (default 0.5, so chance is 50%) a positive kind ((b,c,d) or
 * (d,c,b)), else one of the four negatives, each uniformly. Labels come from the frames' times
 * (their indices), through {@link orderLabel}.
 */
export function sampleTriples(windows: Int32Array, rng: Rng, positiveFraction = 0.5): Triples {
  if (windows.length % 5 !== 0) throw new RangeError(`sampleTriples: windows has ${windows.length} entries, not a multiple of 5`);
  if (!(positiveFraction >= 0 && positiveFraction <= 1)) throw new RangeError(`sampleTriples: positiveFraction must be in [0, 1], got ${positiveFraction}`);
  const n = windows.length / 5;
  const frames = new Int32Array(n * 3);
  const labels = new Int32Array(n);
  const kinds = new Int32Array(n);
  for (let w = 0; w < n; w++) {
    const pool = rng.next() < positiveFraction ? POSITIVE_KINDS : NEGATIVE_KINDS;
    const kind = pool[rng.int(pool.length)];
    const pos = TRIPLE_KINDS[kind].positions;
    const f = pos.map((p) => windows[w * 5 + p]);
    frames.set(f, w * 3);
    labels[w] = orderLabel(f[0], f[1], f[2]);
    kinds[w] = kind;
  }
  return { frames, labels, kinds };
}
