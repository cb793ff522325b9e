import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { ParamStore } from '../models/params';

/** Options of {@link MemoryBank}. */
export interface MemoryBankOptions {
  /**
   * Number of training examples. A bank (or queue) larger than this is rejected: a queue would
   * hold several keys of the same image, i.e. positives among its negatives.
   */
  datasetSize?: number;
  /** Name of the bank's ParamStore (default `memory-bank`). */
  name?: string;
}

/**
 * The one store of negatives that every contrastive method shares: a `[size, dim]` buffer of
 * unit vectors plus a write pointer, used two ways:
 *
 * - **memory bank** (NPID, Wu et al. 2018, section 3.2; PIRL, Misra & van der Maaten 2020, eq. 5):
 *   one row per training image, indexed by the image's index; {@link momentumUpdate} moves a row
 *   towards the image's latest embedding (`v ← normalise(m·v + (1-m)·f)`);
 *   {@link sampleNegatives} draws rows of other images.
 * - **queue** (MoCo, He et al. 2020, section 3.2): {@link enqueue} overwrites the oldest rows with
 *   the newest keys, wrapping around at the end, whether or not the batch size divides `size`.
 *
 * The buffer and the pointer are non-trainable variables of {@link params}: put that store in
 * a `TrainTask`'s `stores` and the training loop saves them with every checkpoint and restores
 * them on resume. Rows start as seeded random unit vectors. Reads for a loss go through
 * {@link snapshot} or {@link rows}, which are unaffected by later writes in the same step.
 */
export class MemoryBank {
  readonly size: number;
  readonly dim: number;
  /** The bank's state: `bank` `[size, dim]` float32 and `pointer` `[1]` int32, both non-trainable. */
  readonly params: ParamStore;
  private readonly bank: tf.Variable;
  private readonly ptr: tf.Variable;
  /**
   * A host copy of the bank for row reads and writes (a full-bank tensor op per step cost more
   * than the network's step at 50,000 rows), valid while the variable still holds the data it was
   * made from: anything else assigning the variable (a checkpoint restore) makes it re-read.
   */
  private host: Float32Array | null = null;
  private hostDataId: object | null = null;

  constructor(size: number, dim: number, rng: Rng, opts: MemoryBankOptions = {}) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`MemoryBank: size must be a positive integer, got ${size}`);
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`MemoryBank: dim must be a positive integer, got ${dim}`);
    if (opts.datasetSize !== undefined && size > opts.datasetSize) {
      throw new RangeError(
        `MemoryBank: size ${size} is larger than the dataset (${opts.datasetSize} examples); ` +
          `a bank or queue may hold at most one entry per training example: use a size of at most ${opts.datasetSize}`,
      );
    }
    this.size = size;
    this.dim = dim;
    this.params = new ParamStore(opts.name ?? 'memory-bank');
    const r = rng.fork('memory-bank-init');
    const data = new Float32Array(size * dim);
    for (let i = 0; i < size; i++) {
      let norm = 0;
      for (let j = 0; j < dim; j++) {
        const v = r.normal();
        data[i * dim + j] = v;
        norm += v * v;
      }
      norm = Math.sqrt(norm) || 1;
      for (let j = 0; j < dim; j++) data[i * dim + j] /= norm;
    }
    this.bank = this.params.add('bank', tf.tensor2d(data, [size, dim]), false);
    this.ptr = this.params.add('pointer', tf.tensor1d([0], 'int32'), false);
  }

  /** Index of the row the next {@link enqueue} writes first. */
  get pointer(): number {
    return this.ptr.dataSync()[0];
  }

  /** A copy of the whole bank, `[size, dim]`, unaffected by later writes (the caller owns it). */
  snapshot(): tf.Tensor2D {
    return tf.clone(this.bank) as tf.Tensor2D;
  }

  /** Rows `indices` of the bank, `[indices.length, dim]` (the caller owns it). */
  rows(indices: Int32Array): tf.Tensor2D {
    this.checkIndices(indices, 'rows');
    const h = this.hostRows();
    const d = this.dim;
    const out = new Float32Array(indices.length * d);
    for (let i = 0; i < indices.length; i++) out.set(h.subarray(indices[i] * d, indices[i] * d + d), i * d);
    return tf.tensor2d(out, [indices.length, d]);
  }

  private hostRows(): Float32Array {
    if (this.host === null || this.hostDataId !== this.bank.dataId) {
      this.host = Float32Array.from(this.bank.dataSync() as Float32Array);
      this.hostDataId = this.bank.dataId;
    }
    return this.host;
  }

  /** Overwrite rows `indices` (distinct) with `values` `[indices.length, dim]`. */
  write(indices: Int32Array, values: tf.Tensor2D): void {
    this.checkIndices(indices, 'write');
    if (values.rank !== 2 || values.shape[0] !== indices.length || values.shape[1] !== this.dim) {
      throw new RangeError(`MemoryBank.write: values must be [${indices.length}, ${this.dim}], got [${values.shape}]`);
    }
    if (new Set(indices).size !== indices.length) throw new RangeError('MemoryBank.write: indices must be distinct');
    const h = this.hostRows();
    const v = values.dataSync() as Float32Array;
    const d = this.dim;
    for (let i = 0; i < indices.length; i++) h.set(v.subarray(i * d, i * d + d), indices[i] * d);
    // A fresh tensor, so that tensors read earlier (snapshots, rows) keep their own data. The cpu
    // backend keeps the array it is given (so it gets a copy: the host array changes with the next
    // write); wasm copies it into its heap at once (a JS copy of 25 MB costs more than the write).
    const next = tf.tensor2d(tf.getBackend() === 'wasm' ? h : h.slice(), [this.size, d]);
    this.bank.assign(next);
    next.dispose();
    this.hostDataId = this.bank.dataId;
  }

  /**
   * Queue write (MoCo): put `keys` `[b, dim]` (unit vectors) at the pointer, wrapping around,
   * and advance the pointer by `b` modulo `size`.
   */
  enqueue(keys: tf.Tensor2D): void {
    const b = keys.shape[0];
    if (b > this.size) throw new RangeError(`MemoryBank.enqueue: ${b} keys do not fit a queue of size ${this.size}; use a queue at least as large as the batch`);
    const p = this.pointer;
    const idx = Int32Array.from({ length: b }, (_, j) => (p + j) % this.size);
    this.write(idx, keys);
    tf.tidy(() => this.ptr.assign(tf.tensor1d([(p + b) % this.size], 'int32')));
  }

  /**
   * Memory-bank update (NPID eq. 6 and section 3.3; PIRL section 3): for each `indices[i]`,
   * `v ← normalise(momentum · v + (1 - momentum) · features[i])`. `features` `[b, dim]` need not be unit vectors.
   */
  momentumUpdate(indices: Int32Array, features: tf.Tensor2D, momentum: number): void {
    if (!(momentum >= 0 && momentum < 1)) throw new RangeError(`MemoryBank.momentumUpdate: momentum must be in [0, 1), got ${momentum}`);
    const next = tf.tidy(() => {
      const old = this.rows(indices);
      const mixed = tf.add(tf.mul(old, momentum), tf.mul(features, 1 - momentum));
      return tf.div(mixed, tf.add(tf.norm(mixed, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
    });
    this.write(indices, next);
    next.dispose();
  }

  /**
   * `count` distinct row indices drawn uniformly from the bank, none of them in `exclude` (the
   * batch's own images, whose rows are positives). Throws when fewer than `count` rows remain.
   */
  sampleNegatives(count: number, rng: Rng, exclude: ArrayLike<number> = []): Int32Array {
    if (!Number.isInteger(count) || count < 1) throw new RangeError(`MemoryBank.sampleNegatives: count must be a positive integer, got ${count}`);
    const banned = new Uint8Array(this.size);
    for (let i = 0; i < exclude.length; i++) if (exclude[i] >= 0 && exclude[i] < this.size) banned[exclude[i]] = 1;
    const pool = new Int32Array(this.size);
    let n = 0;
    for (let i = 0; i < this.size; i++) if (!banned[i]) pool[n++] = i;
    if (count > n) {
      throw new RangeError(`MemoryBank.sampleNegatives: asked for ${count} negatives but only ${n} of the bank's ${this.size} rows are not positives; use at most ${n}`);
    }
    for (let i = 0; i < count; i++) {
      const j = i + rng.int(n - i);
      const t = pool[i];
      pool[i] = pool[j];
      pool[j] = t;
    }
    return pool.slice(0, count);
  }

  dispose(): void {
    this.params.dispose();
  }

  private checkIndices(indices: Int32Array, fn: string): void {
    if (indices.length === 0) throw new RangeError(`MemoryBank.${fn}: indices is empty`);
    for (let i = 0; i < indices.length; i++) {
      const v = indices[i];
      if (!(Number.isInteger(v) && v >= 0 && v < this.size)) throw new RangeError(`MemoryBank.${fn}: indices[${i}] = ${v} is outside 0..${this.size - 1}`);
    }
  }
}
