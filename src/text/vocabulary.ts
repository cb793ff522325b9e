/** Words kept for training, most frequent first, with their counts in the corpus. */
export interface Vocabulary {
  /** `words[i]` is word id i; sorted by count, descending (ties alphabetically). */
  words: string[];
  /** `counts[i]`: occurrences of `words[i]` in the tokens. */
  counts: Int32Array;
  /** Word -> id. */
  index: Map<string, number>;
  /** Tokens the vocabulary covers (sum of `counts`). */
  covered: number;
  /** All tokens it was built from, in or out of the vocabulary. */
  total: number;
}

/**
 * The vocabulary of a token stream: words occurring at least `minCount` times (default 5, as
 * word2vec), at most `maxSize` of them (default all), most frequent first.
 * @throws RangeError naming `minCount` or `maxSize` when not a positive integer, or when no word is left
 */
export function buildVocabulary(tokens: readonly string[], opts: { minCount?: number; maxSize?: number } = {}): Vocabulary {
  const minCount = opts.minCount ?? 5;
  const maxSize = opts.maxSize ?? Infinity;
  if (!(Number.isInteger(minCount) && minCount >= 1)) throw new RangeError(`buildVocabulary: minCount must be a positive integer, got ${minCount}`);
  if (!(maxSize === Infinity || (Number.isInteger(maxSize) && maxSize >= 1))) throw new RangeError(`buildVocabulary: maxSize must be a positive integer, got ${maxSize}`);
  const freq = new Map<string, number>();
  for (const t of tokens) freq.set(t, (freq.get(t) ?? 0) + 1);
  const kept = [...freq.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxSize);
  if (kept.length === 0) throw new RangeError(`buildVocabulary: no word occurs minCount = ${minCount} times in the ${tokens.length} tokens`);
  const words = kept.map(([w]) => w);
  const counts = Int32Array.from(kept, ([, c]) => c);
  return { words, counts, index: new Map(words.map((w, i) => [w, i])), covered: counts.reduce((a, b) => a + b, 0), total: tokens.length };
}

/** Word ids of `tokens`, in order; words outside the vocabulary are dropped (as word2vec does). */
export function encodeTokens(tokens: readonly string[], vocab: Vocabulary): Int32Array {
  const out = new Int32Array(tokens.length);
  let n = 0;
  for (const t of tokens) {
    const id = vocab.index.get(t);
    if (id !== undefined) out[n++] = id;
  }
  return out.slice(0, n);
}

/** Id of `word`; throws a RangeError naming the word when it is not in the vocabulary. */
export function wordId(vocab: Vocabulary, word: string): number {
  const id = vocab.index.get(word);
  if (id === undefined) throw new RangeError(`"${word}" is not in the vocabulary (${vocab.words.length} words occurring at least ${vocab.counts[vocab.counts.length - 1]} times)`);
  return id;
}
