import { MIRROR_SHA256 } from './catalog';
import type { DataOptions } from './data-options';
import { DataError, HINT_REPLACE_FILE } from './errors';
import { resolveFile, type FileSpec } from './source';
import { readTarFile } from './tar';
import { decodeWav } from './wav';

/**
 * The Free Spoken Digit Dataset (Jackson et al., GitHub Jakobovski/free-spoken-digit-dataset,
 * CC BY-SA 4.0) as the mirror holds it: a tar of `recordings/{digit}_{speaker}_{take}.wav`,
 * 3,000 recordings (6 speakers x 10 digits x 50 takes), PCM 16-bit mono 8 kHz. No download
 * URL (the project's mirror is its source); checked against the mirror's sha256.
 */
export const FSDD_TAR: FileSpec = {
  name: 'Free Spoken Digit Dataset (WAV tar)',
  path: 'fsdd/fsdd-recordings.tar',
  sha256: [MIRROR_SHA256['fsdd/fsdd-recordings.tar']],
};

/** A labelled set of mono recordings: the audio counterpart of an ImageSet. */
export interface AudioSet {
  /** e.g. "fsdd/all". */
  name: string;
  /** One mono clip per recording, samples in [-1, 1]; lengths differ. */
  clips: Float32Array[];
  sampleRate: number;
  /** `[n]` index into `classNames` (the spoken digit). */
  labels: Int32Array;
  classNames: string[];
  /** `[n]` index into `speakers`. */
  speakerOf: Int32Array;
  /** Speaker names, sorted. */
  speakers: string[];
  /** `[n]` take number (0-49 in FSDD; the official split holds takes 0-4 out for test). */
  takes: Int32Array;
  /** `[n]` archive member of each recording, e.g. `recordings/7_jackson_32.wav`. */
  files: string[];
  n: number;
}

const MEMBER = /(?:^|\/)(\d)_([A-Za-z]+)_(\d+)\.wav$/;

/**
 * Load the Free Spoken Digit Dataset: every recording decoded (with `wavefile`) to mono float
 * samples at 8 kHz, labelled by digit, speaker and take, sorted by (speaker, digit, take).
 * About 1 s for the 3,000 files (no decoded cache needed).
 *
 * The tar comes from the mirror (`SELFSUP_MIRROR`, or `../shared/data`) or the download cache,
 * checksum-verified. A missing archive, a member whose name does not follow
 * `{digit}_{speaker}_{take}.wav`, a WAV that is not 8 kHz like the rest, or a corrupt WAV gives a
 * `DataError` naming it (`<archive>:<member>`).
 */
export async function loadFsdd(opts: DataOptions = {}): Promise<AudioSet> {
  const t0 = performance.now();
  const src = await resolveFile(FSDD_TAR, opts);
  const set = readFsddTar(src.path);
  if (!opts.quiet) {
    const secs = ((performance.now() - t0) / 1000).toFixed(2);
    process.stderr.write(`selfsup: ${set.name} ${set.n} recordings (${set.speakers.length} speakers, ${set.sampleRate} Hz) from ${src.path} (${secs} s)\n`);
  }
  return set;
}

/** Decode an FSDD-layout tar at `path` (see {@link loadFsdd}); the parsing step, for tests. */
export function readFsddTar(path: string, hint: string = HINT_REPLACE_FILE): AudioSet {
  const rows: { digit: number; speaker: string; take: number; file: string; samples: Float32Array; rate: number }[] = [];
  for (const e of readTarFile(path, hint)) {
    if (e.type !== 'file' || !e.path.endsWith('.wav')) continue;
    const m = MEMBER.exec(e.path);
    const where = `${path}:${e.path}`;
    if (!m) throw new DataError(where, 'is not named {digit}_{speaker}_{take}.wav as FSDD recordings are', hint);
    const clip = decodeWav(e.data, where, hint);
    rows.push({ digit: +m[1], speaker: m[2], take: +m[3], file: e.path, samples: clip.samples, rate: clip.sampleRate });
  }
  if (rows.length === 0) throw new DataError(path, 'holds no .wav recordings', hint);
  const rate = rows[0].rate;
  const odd = rows.find((r) => r.rate !== rate);
  if (odd) throw new DataError(`${path}:${odd.file}`, `has sample rate ${odd.rate} Hz, the others ${rate} Hz`, hint);
  const speakers = [...new Set(rows.map((r) => r.speaker))].sort();
  rows.sort((a, b) => (a.speaker < b.speaker ? -1 : a.speaker > b.speaker ? 1 : a.digit - b.digit || a.take - b.take));
  return {
    name: 'fsdd/all',
    clips: rows.map((r) => r.samples),
    sampleRate: rate,
    labels: Int32Array.from(rows, (r) => r.digit),
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    speakerOf: Int32Array.from(rows, (r) => speakers.indexOf(r.speaker)),
    speakers,
    takes: Int32Array.from(rows, (r) => r.take),
    files: rows.map((r) => r.file),
    n: rows.length,
  };
}

/**
 * The recordings at `indices` (in that order) as a new AudioSet named `name`. An index outside
 * `0..n-1` is a `RangeError` naming `indices`.
 */
export function audioSubset(set: AudioSet, indices: ArrayLike<number>, name = `${set.name}[subset]`): AudioSet {
  const ix = Array.from(indices);
  ix.forEach((i, j) => {
    if (!(Number.isInteger(i) && i >= 0 && i < set.n)) throw new RangeError(`audioSubset: indices[${j}] = ${i} is outside 0..${set.n - 1} of ${set.name}`);
  });
  return {
    ...set,
    name,
    clips: ix.map((i) => set.clips[i]),
    labels: Int32Array.from(ix, (i) => set.labels[i]),
    speakerOf: Int32Array.from(ix, (i) => set.speakerOf[i]),
    takes: Int32Array.from(ix, (i) => set.takes[i]),
    files: ix.map((i) => set.files[i]),
    n: ix.length,
  };
}

/**
 * Split by speaker: the recordings of `testSpeakers` form the test set, the rest train (a
 * speaker-independent split: no voice is heard in both). An unknown speaker is a `RangeError`
 * listing the known ones.
 */
export function speakerSplit(set: AudioSet, testSpeakers: string[]): { train: AudioSet; test: AudioSet } {
  for (const s of testSpeakers) {
    if (!set.speakers.includes(s)) throw new RangeError(`speakerSplit: testSpeakers contains "${s}", not a speaker of ${set.name} (${set.speakers.join(', ')})`);
  }
  const test: number[] = [];
  const train: number[] = [];
  for (let i = 0; i < set.n; i++) (testSpeakers.includes(set.speakers[set.speakerOf[i]]) ? test : train).push(i);
  const base = set.name.replace(/\/all$/, '');
  return { train: audioSubset(set, train, `${base}/train`), test: audioSubset(set, test, `${base}/test[${testSpeakers.join(',')}]`) };
}
