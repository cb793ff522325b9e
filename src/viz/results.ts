import * as fs from 'fs';
import * as path from 'path';
import { projectRoot } from '../data/data-options';
import type { Budget } from '../train/budget';

/** Encoder names a results metric may start with (DESIGN.md, "Contracts other tools read"). */
export const ENCODERS = [
  'random', 'supervised', 'rotation', 'relative_position', 'colourisation', 'inpainting', 'jigsaw',
  'npid', 'pirl', 'moco', 'simclr', 'clusterfit', 'shuffle_and_learn', 'av',
  'multi_task', // 07-what-pretext-learns: one backbone trained on several pretext tasks at once
] as const;

/** A results encoder name. */
export type Encoder = (typeof ENCODERS)[number];

/** Evaluations with fixed names; `linear.block<k>` and `invariance.<transform>` are patterns. */
export const EVALUATIONS = ['knn', 'linear', 'order_verification', 'correspondence', 'knn_audio'] as const;

/** Budgets a notebook runs in: `smoke` (CI), `quick` (default), `full` (the real figure). */
export type { Budget };

/** What a notebook run reports; {@link writeResults} writes it as `results/<notebook>.json`. */
export interface Results {
  /** Notebook name without `.ipynb`, e.g. `"02-rotation"`. */
  notebook: string;
  budget: Budget;
  /** The tfjs backend used, e.g. `"wasm"`. */
  backend: string;
  seed: number;
  /** Wall-clock seconds of the run (see {@link startTimer}). */
  wall_s: number;
  /** Training throughput; null for a notebook that trains nothing. */
  images_per_s: number | null;
  /** `"<encoder>.<evaluation>": value`; accuracies as fractions in [0, 1]. */
  metrics: Record<string, number>;
  /** Anything else worth keeping (JSON-serialisable); written under `extra`. */
  extra?: Record<string, unknown>;
}

/**
 * Check a metric name `<encoder>.<evaluation>` and its value: the encoder one of
 * {@link ENCODERS}; the evaluation `knn`, `linear`, `linear.block<k>` / `knn.block<k>` (probes of conv block k, 1-based), `order_verification`,
 * `correspondence`, `knn_audio` (06-audio-visual: kNN on the audio subnetwork's features), `invariance.<transform>` or `knn.noise<p>` / `linear.noise<p>` (an encoder
 * trained on labels with p% noise, 09-clusterfit), `knn.shots<n>` / `linear.shots<n>` (low-shot: n labels per
 * class, 00-why-self-supervision), `knn.perms<n>` / `linear.perms<n>` (jigsaw with a permutation set of n, 08-jigsaw), `knn.bank<n>` (kNN against a bank of n training images, 07-what-pretext-learns); every value finite, and accuracies (every
 * evaluation but `invariance.*`) in [0, 1]. Throws an Error naming the offending part.
 */
export function validateMetric(name: string, value: number): void {
  const dot = name.indexOf('.');
  const encoder = dot < 0 ? name : name.slice(0, dot);
  const evaluation = dot < 0 ? '' : name.slice(dot + 1);
  if (!(ENCODERS as readonly string[]).includes(encoder)) {
    throw new Error(`metric "${name}": unknown encoder "${encoder}" (known: ${ENCODERS.join(', ')})`);
  }
  const fixed = (EVALUATIONS as readonly string[]).includes(evaluation);
  const block = /^(knn|linear)\.block\d+$/.test(evaluation); // 07-what-pretext-learns: probes of block <k>, 1-based
  const invariance = /^invariance\.[a-z][a-z0-9_]*$/.test(evaluation);
  const noise = /^(knn|linear)\.noise\d{1,3}$/.test(evaluation); // 09-clusterfit: trained on labels with <p>% noise
  const shots = /^(knn|linear)\.shots\d+$/.test(evaluation); // 00-why-self-supervision: low-shot, <n> labels per class
  const perms = /^(knn|linear)\.perms\d+$/.test(evaluation); // 08-jigsaw: trained with a permutation set of <n>
  const bank = /^knn\.bank\d+$/.test(evaluation); // 07-what-pretext-learns: kNN against a bank of <n> training images
  const study = /^(knn|linear)\.(drop_[a-z_]+|width\d+|train\d+)$/.test(evaluation); // 14-which-invariances-matter: one augmentation dropped, last width <w>, <n> training images
  if (!fixed && !block && !invariance && !noise && !shots && !perms && !bank && !study) {
    throw new Error(
      `metric "${name}": unknown evaluation "${evaluation}" ` +
        `(known: ${EVALUATIONS.join(', ')}, linear.block<k>, knn.block<k>, invariance.<transform>, knn.noise<p>, linear.noise<p>, knn.shots<n>, linear.shots<n>, knn.perms<n>, linear.perms<n>, knn.bank<n>, knn.drop_<augmentation>, knn.width<w>, knn.train<n> (and linear.*))`,
    );
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error(`metric "${name}": value ${value} is not a finite number`);
  }
  if (!invariance && (value < 0 || value > 1)) {
    throw new Error(`metric "${name}": accuracy ${value} is outside [0, 1] (write fractions, not percentages)`);
  }
}


/** The results directory: env `SELFSUP_RESULTS`, else `<project root>/results`. */
export function resultsDir(): string {
  return process.env.SELFSUP_RESULTS || path.join(projectRoot(), 'results');
}

/**
 * Validate `r` and write it as `<results dir>/<notebook>.json` in the contract's shape
 * (`notebook, budget, backend, seed, wall_s, images_per_s, metrics[, extra]`), atomically: a
 * temporary file in the same directory, then a rename, so a reader never sees half a file.
 *
 * @returns the path written
 */
export function writeResults(r: Results, dir: string = resultsDir()): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(r.notebook ?? '')) throw new Error(`results: bad notebook name "${r.notebook}"`);
  if (!['smoke', 'quick', 'full'].includes(r.budget)) throw new Error(`results: budget "${r.budget}" is not smoke, quick or full`);
  if (typeof r.backend !== 'string' || !r.backend) throw new Error('results: backend must be a non-empty string');
  if (!Number.isInteger(r.seed)) throw new Error(`results: seed ${r.seed} is not an integer`);
  if (!(Number.isFinite(r.wall_s) && r.wall_s >= 0)) throw new Error(`results: wall_s ${r.wall_s} is not a time in seconds`);
  if (r.images_per_s !== null && !(Number.isFinite(r.images_per_s) && r.images_per_s >= 0)) {
    throw new Error(`results: images_per_s ${r.images_per_s} is neither null nor a non-negative number`);
  }
  for (const [name, value] of Object.entries(r.metrics ?? {})) validateMetric(name, value);
  const out: Record<string, unknown> = {
    notebook: r.notebook,
    budget: r.budget,
    backend: r.backend,
    seed: r.seed,
    wall_s: Math.round(r.wall_s * 10) / 10,
    images_per_s: r.images_per_s === null ? null : Math.round(r.images_per_s * 10) / 10,
    metrics: { ...r.metrics },
  };
  if (r.extra !== undefined) out.extra = r.extra;
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${r.notebook}.json`);
  const tmp = path.join(dir, `.${r.notebook}.json.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(tmp, JSON.stringify(out, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  return file;
}

/**
 * Start a wall-clock timer.
 *
 * @returns a function giving the seconds elapsed since the call
 * @example const elapsed = startTimer(); ...; writeResults({..., wall_s: elapsed()})
 */
export function startTimer(): () => number {
  const start = process.hrtime.bigint();
  return () => Number(process.hrtime.bigint() - start) / 1e9;
}
