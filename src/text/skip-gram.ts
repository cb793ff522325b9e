import { Rng } from '../data/rng';
import { Vocabulary } from './vocabulary';

/**
 * Probability of keeping one occurrence of a word of frequency `f = count / total` when frequent
 * words are subsampled (Mikolov et al. 2013, "Distributed representations of words and phrases",
 * sec. 2.3), in the form of the reference word2vec code: `(sqrt(f / t) + 1) * t / f`, capped at 1.
 * Words rarer than about `t` are always kept; "the" (f ~ 0.07) with t = 1e-3 about one time in eight.
 */
export function keepProbability(count: number, total: number, t: number): number {
  if (!(t > 0)) throw new RangeError(`keepProbability: t must be positive, got ${t}`);
  const f = count / total;
  return Math.min(1, (Math.sqrt(f / t) + 1) * (t / f));
}

/**
 * Subsample frequent words of an encoded token stream: each occurrence of word w is kept with
 * {@link keepProbability}(counts[w], covered, t). Seeded by `rng`.
 * @param t the threshold (default 1e-3, word2vec's default)
 */
export function subsample(ids: Int32Array, vocab: Vocabulary, rng: Rng, t = 1e-3): Int32Array {
  const keep = Float64Array.from(vocab.counts, (c) => keepProbability(c, vocab.covered, t));
  const out = new Int32Array(ids.length);
  let n = 0;
  for (const id of ids) if (keep[id] >= 1 || rng.next() < keep[id]) out[n++] = id;
  return out.slice(0, n);
}

/** (centre, context) word-id pairs of the skip-gram task, two parallel arrays. */
export interface SkipGramPairs {
  centres: Int32Array;
  contexts: Int32Array;
}

/**
 * The skip-gram pretext task's (input, label) pairs (Mikolov et al. 2013, "Efficient estimation of
 * word representations in vector space"): every word of the stream is an input whose labels are
 * the words within `window` positions of it. With `rng` the window of each centre is drawn
 * uniformly from 1..window (word2vec's dynamic window: near words count more); without, it is
 * `window`. The stream is one sequence (no sentence breaks). Pairs are centre-major, contexts left
 * to right: for `[a, b, c]` and window 1: (a,b), (b,a), (b,c), (c,b).
 */
export function skipGramPairs(ids: Int32Array, window: number, rng?: Rng): SkipGramPairs {
  if (!(Number.isInteger(window) && window >= 1)) throw new RangeError(`skipGramPairs: window must be a positive integer, got ${window}`);
  const n = ids.length;
  const spans = new Int32Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = rng ? 1 + rng.int(window) : window;
    spans[i] = b;
    total += Math.min(n - 1, i + b) - Math.max(0, i - b);
  }
  const centres = new Int32Array(total);
  const contexts = new Int32Array(total);
  let k = 0;
  for (let i = 0; i < n; i++) {
    const b = spans[i];
    for (let j = Math.max(0, i - b); j <= Math.min(n - 1, i + b); j++) {
      if (j === i) continue;
      centres[k] = ids[i];
      contexts[k++] = ids[j];
    }
  }
  return { centres, contexts };
}

/**
 * The noise distribution of negative sampling (Mikolov et al. 2013, sec. 2.2): the unigram
 * distribution raised to `power` (default 3/4) and renormalised, `P(w) = c_w^0.75 / sum_v c_v^0.75`.
 * @returns `[vocabSize]` probabilities summing to 1
 */
export function noiseDistribution(counts: ArrayLike<number>, power = 0.75): Float64Array {
  const p = Float64Array.from(counts, (c) => Math.pow(c, power));
  const z = p.reduce((a, b) => a + b, 0);
  if (!(z > 0)) throw new RangeError('noiseDistribution: counts sum to zero');
  return p.map((v) => v / z);
}

/** Draws word ids from a fixed distribution (inverse CDF, binary search). */
export interface NoiseSampler {
  /** The probabilities it draws from. */
  probs: Float64Array;
  /** `n` ids drawn independently with `rng`. */
  sample(n: number, rng: Rng): Int32Array;
}

/** A {@link NoiseSampler} for {@link noiseDistribution}(counts, power). */
export function noiseSampler(counts: ArrayLike<number>, power = 0.75): NoiseSampler {
  const probs = noiseDistribution(counts, power);
  const cdf = new Float64Array(probs.length);
  let acc = 0;
  probs.forEach((p, i) => (cdf[i] = acc += p));
  cdf[cdf.length - 1] = 1;
  return {
    probs,
    sample(n, rng) {
      const out = new Int32Array(n);
      for (let s = 0; s < n; s++) {
        const u = rng.next();
        let lo = 0;
        let hi = cdf.length - 1;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (cdf[mid] > u) hi = mid;
          else lo = mid + 1;
        }
        out[s] = lo;
      }
      return out;
    },
  };
}

/**
 * Examples of the word-prediction pretext task for display: at `count` random positions of a
 * token stream, the `window` words on each side (the input) and the hidden word (the label).
 * @returns rows `{ input: 'in the ___ god created', label: 'beginning' }`
 */
export function hiddenWordExamples(tokens: readonly string[], window: number, count: number, rng: Rng): { input: string; label: string }[] {
  if (tokens.length < 2 * window + 1) throw new RangeError(`hiddenWordExamples: ${tokens.length} tokens are fewer than 2 * window + 1 = ${2 * window + 1}`);
  const rows: { input: string; label: string }[] = [];
  for (let r = 0; r < count; r++) {
    const i = window + rng.int(tokens.length - 2 * window);
    rows.push({ input: [...tokens.slice(i - window, i), '___', ...tokens.slice(i + 1, i + 1 + window)].join(' '), label: tokens[i] });
  }
  return rows;
}
