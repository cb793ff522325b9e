import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { ParamStore } from '../models/params';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';
import { NoiseSampler, SkipGramPairs, noiseSampler, skipGramPairs, subsample } from './skip-gram';
import { Vocabulary, wordId } from './vocabulary';

/**
 * A skip-gram model (Mikolov et al. 2013): two embedding tables in one ParamStore, `input`
 * `[vocabSize, dim]` (the word vectors one keeps; word2vec's syn0, uniform in +-0.5/dim) and
 * `output` `[vocabSize, dim]` (the context vectors; syn1neg, zeros).
 */
export interface SkipGramModel {
  params: ParamStore;
  vocabSize: number;
  dim: number;
}

/** Build a {@link SkipGramModel}; initial weights depend only on `rng`. */
export function skipGramModel(vocabSize: number, dim: number, rng: Rng): SkipGramModel {
  for (const [k, v] of [['vocabSize', vocabSize], ['dim', dim]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`skipGramModel: ${k} must be a positive integer, got ${v}`);
  }
  const init = rng.fork('skip-gram-init');
  const w = new Float32Array(vocabSize * dim);
  for (let i = 0; i < w.length; i++) w[i] = (init.next() - 0.5) / dim;
  const params = new ParamStore('skip-gram');
  params.add('input', tf.tensor2d(w, [vocabSize, dim]));
  params.add('output', tf.zeros([vocabSize, dim]));
  return { params, vocabSize, dim };
}

/**
 * The negative-sampling loss (Mikolov et al. 2013, eq. 4), averaged over the batch:
 * `-log s(u_o . v_c) - sum_k log s(-u_k . v_c)`, s the logistic sigmoid.
 * @param centre    `[batch, dim]` input vectors v_c of the centre words
 * @param context   `[batch, dim]` output vectors u_o of the observed context words
 * @param negatives `[batch, k, dim]` output vectors u_k of the k noise words
 * @returns the scalar loss and `correct`: pairs whose positive score beats every negative one
 */
export function negativeSamplingLoss(centre: tf.Tensor2D, context: tf.Tensor2D, negatives: tf.Tensor3D): { loss: tf.Scalar; correct: tf.Scalar } {
  return tf.tidy(() => {
    const pos = tf.sum(tf.mul(centre, context), 1); // [batch]
    const neg = tf.sum(tf.mul(negatives, tf.expandDims(centre, 1)), 2); // [batch, k]
    // -log s(x) = softplus(-x)
    const perPair = tf.add(tf.softplus(tf.neg(pos)), tf.sum(tf.softplus(neg), 1));
    const correct = tf.sum(tf.cast(tf.greater(pos, tf.max(neg, 1)), 'float32')) as tf.Scalar;
    return { loss: tf.mean(perPair) as tf.Scalar, correct };
  });
}

/**
 * Rows `indices` of a `[rows, dim]` table, `[indices.length, dim]`, differentiable: the gradient
 * is the scatter-add of the incoming gradient rows into a `[rows, dim]` zero table. Same values as
 * `tf.gather`, computed in plain JavaScript on the table's values: the wasm backend's GatherV2
 * kernel costs about 100 ns an element, which made gathers 90% of a skip-gram step.
 */
export function gatherRows(table: tf.Tensor, indices: Int32Array): tf.Tensor2D {
  if (table.rank !== 2) throw new RangeError(`gatherRows: table must be [rows, dim], got [${table.shape}]`);
  const [rows, dim] = table.shape;
  for (const i of indices) if (!(i >= 0 && i < rows)) throw new RangeError(`gatherRows: index ${i} is outside 0..${rows - 1}`);
  const op = tf.customGrad(((t: tf.Tensor) => {
    const src = t.dataSync() as Float32Array;
    const out = new Float32Array(indices.length * dim);
    for (let r = 0; r < indices.length; r++) out.set(src.subarray(indices[r] * dim, (indices[r] + 1) * dim), r * dim);
    return {
      value: tf.tensor2d(out, [indices.length, dim]),
      gradFunc: (dy: tf.Tensor) => {
        const g = dy.dataSync() as Float32Array;
        const acc = new Float32Array(rows * dim);
        for (let r = 0; r < indices.length; r++) {
          const o = indices[r] * dim;
          for (let j = 0; j < dim; j++) acc[o + j] += g[r * dim + j];
        }
        return tf.tensor2d(acc, [rows, dim]);
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]);
  return op(table) as tf.Tensor2D;
}

/**
 * Skip-gram with negative sampling as a training task for the lab's loop: each example is one
 * (centre, context) pair; each step draws `negatives` noise words per pair from `sampler` with
 * the step's own random stream (a noise word equal to the context word is left in, a rare event
 * word2vec skips).
 */
export function skipGramTask(model: SkipGramModel, pairs: SkipGramPairs, sampler: NoiseSampler, negatives = 5): TrainTask {
  if (!(Number.isInteger(negatives) && negatives >= 1)) throw new RangeError(`skipGramTask: negatives must be a positive integer, got ${negatives}`);
  if (pairs.centres.length !== pairs.contexts.length) throw new RangeError(`skipGramTask: ${pairs.centres.length} centres for ${pairs.contexts.length} contexts`);
  const input = model.params.get('input');
  const output = model.params.get('output');
  return {
    name: 'skip-gram',
    stores: [model.params],
    size: pairs.centres.length,
    step(indices, rng) {
      const b = indices.length;
      const c = new Int32Array(b);
      const o = new Int32Array(b);
      for (let i = 0; i < b; i++) {
        c[i] = pairs.centres[indices[i]];
        o[i] = pairs.contexts[indices[i]];
      }
      const noise = sampler.sample(b * negatives, rng);
      const vc = gatherRows(input, c);
      const uo = gatherRows(output, o);
      const uk = tf.reshape(gatherRows(output, noise), [b, negatives, model.dim]) as tf.Tensor3D;
      const { loss, correct } = negativeSamplingLoss(vc, uo, uk);
      return { loss, correct, count: b };
    },
  };
}

/** Configuration of {@link trainWord2Vec}. */
export interface Word2VecConfig {
  /** Embedding size. */
  dim: number;
  /** Largest distance of a context word (the window of each centre is drawn from 1..window). */
  window: number;
  /** Noise words per pair. */
  negatives: number;
  /** Subsampling threshold t (see `keepProbability`; 0 turns subsampling off). */
  subsample: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  checkpointDir?: string;
  /** Identifies the corpus in the checkpoint's configuration (e.g. its name and length). */
  corpus?: string;
  progress?: ProgressSink;
}

/** What {@link trainWord2Vec} returns: the model (the caller disposes `model.params`), the run, and the pair count. */
export interface Word2VecResult extends TrainResult {
  model: SkipGramModel;
  pairs: number;
  /** Tokens left after subsampling. */
  tokens: number;
}

/**
 * Word2Vec, skip-gram with negative sampling: subsample the encoded corpus once (seeded), make
 * its (centre, context) pairs with a dynamic window, and train the model through the lab's
 * training loop (progress, checkpoint per epoch, resume). Same seed, same vectors.
 */
export async function trainWord2Vec(ids: Int32Array, vocab: Vocabulary, cfg: Word2VecConfig): Promise<Word2VecResult> {
  const rng = new Rng(cfg.seed);
  const kept = cfg.subsample > 0 ? subsample(ids, vocab, rng.fork('subsample'), cfg.subsample) : ids;
  const pairs = skipGramPairs(kept, cfg.window, rng.fork('window'));
  const model = skipGramModel(vocab.words.length, cfg.dim, rng);
  try {
    const result = await train(skipGramTask(model, pairs, noiseSampler(vocab.counts), cfg.negatives), {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      optimizer: cfg.optimizer,
      seed: cfg.seed,
      checkpointDir: cfg.checkpointDir,
      config: { corpus: cfg.corpus ?? '', vocab: vocab.words.length, tokens: ids.length, window: cfg.window, negatives: cfg.negatives, subsample: cfg.subsample },
      progress: cfg.progress,
    });
    return { ...result, model, pairs: pairs.centres.length, tokens: kept.length };
  } catch (e) {
    model.params.dispose();
    throw e;
  }
}

/** The model's word vectors (`input` table), each row scaled to unit length: `[vocabSize * dim]` row-major. */
export function unitWordVectors(model: SkipGramModel): Float32Array {
  const v = Float32Array.from(model.params.get('input').dataSync());
  for (let i = 0; i < model.vocabSize; i++) {
    let s = 0;
    for (let j = 0; j < model.dim; j++) s += v[i * model.dim + j] ** 2;
    const inv = 1 / (Math.sqrt(s) || 1);
    for (let j = 0; j < model.dim; j++) v[i * model.dim + j] *= inv;
  }
  return v;
}

/** A word and its cosine similarity to a query. */
export interface Neighbour {
  word: string;
  similarity: number;
}

/**
 * The `k` words whose unit vectors are most similar (cosine) to `query`, the words in `exclude`
 * left out. `vectors`: from {@link unitWordVectors}, `[vocabSize * dim]`.
 */
export function nearestToVector(vectors: Float32Array, vocab: Vocabulary, query: ArrayLike<number>, k: number, exclude: ReadonlySet<number> = new Set()): Neighbour[] {
  const dim = query.length;
  const V = vocab.words.length;
  if (vectors.length !== V * dim) throw new RangeError(`nearestToVector: ${vectors.length} values for ${V} words of dim ${dim}`);
  let qn = 0;
  for (let j = 0; j < dim; j++) qn += query[j] ** 2;
  qn = Math.sqrt(qn) || 1;
  const sims: Neighbour[] = [];
  for (let i = 0; i < V; i++) {
    if (exclude.has(i)) continue;
    let s = 0;
    for (let j = 0; j < dim; j++) s += vectors[i * dim + j] * query[j];
    sims.push({ word: vocab.words[i], similarity: s / qn });
  }
  return sims.sort((a, b) => b.similarity - a.similarity).slice(0, k);
}

/** The `k` nearest words (cosine) of `word`, itself excluded. Throws a RangeError when `word` is not in the vocabulary. */
export function nearestWords(vectors: Float32Array, vocab: Vocabulary, word: string, k = 8): Neighbour[] {
  const id = wordId(vocab, word);
  const dim = vectors.length / vocab.words.length;
  return nearestToVector(vectors, vocab, vectors.subarray(id * dim, (id + 1) * dim), k, new Set([id]));
}

/**
 * Analogy by vector offset (Mikolov, Yih & Zweig 2013): the words nearest `b - a + c` ("a is to b
 * as c is to ?", e.g. man : king :: woman : ?), the three query words excluded.
 */
export function analogy(vectors: Float32Array, vocab: Vocabulary, a: string, b: string, c: string, k = 5): Neighbour[] {
  const [ia, ib, ic] = [a, b, c].map((w) => wordId(vocab, w));
  const dim = vectors.length / vocab.words.length;
  const q = new Float32Array(dim);
  for (let j = 0; j < dim; j++) q[j] = vectors[ib * dim + j] - vectors[ia * dim + j] + vectors[ic * dim + j];
  return nearestToVector(vectors, vocab, q, k, new Set([ia, ib, ic]));
}
