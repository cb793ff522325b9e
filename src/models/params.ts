import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';

let nextId = 0;

/**
 * A named collection of variables: the trainable parameters of a model and its state
 * (such as batch-norm running statistics) that is saved with it but not optimised.
 * Owns the variables' lifetime: `dispose()` frees them.
 */
export class ParamStore {
  readonly trainable = new Map<string, tf.Variable>();
  readonly state = new Map<string, tf.Variable>();
  /** Unique prefix for the engine's variable registry (names there must be unique). */
  readonly scope: string;

  constructor(name: string) {
    this.scope = `${name}#${nextId++}`;
  }

  /** Add a trainable variable under `name`; keeps `init` (does not copy it). */
  add(name: string, init: tf.Tensor, trainable = true): tf.Variable {
    if (this.trainable.has(name) || this.state.has(name)) throw new Error(`ParamStore ${this.scope}: duplicate parameter "${name}"`);
    const v = tf.variable(init, trainable, `${this.scope}/${name}`);
    init.dispose();
    (trainable ? this.trainable : this.state).set(name, v);
    return v;
  }

  get(name: string): tf.Variable {
    const v = this.trainable.get(name) ?? this.state.get(name);
    if (!v) throw new Error(`ParamStore ${this.scope}: no parameter "${name}"`);
    return v;
  }

  /** Trainable variables in a fixed order (insertion order). */
  trainableList(): tf.Variable[] {
    return [...this.trainable.values()];
  }

  /** Every variable, trainable then state, keyed by its local name. */
  entries(): [string, tf.Variable][] {
    return [...this.trainable.entries(), ...this.state.entries()];
  }

  /** Number of trainable scalars. */
  count(): number {
    let n = 0;
    for (const v of this.trainable.values()) n += v.size;
    return n;
  }

  /** Copy values from another store with the same names and shapes (e.g. a momentum encoder). */
  copyFrom(other: ParamStore): void {
    for (const [name, v] of this.entries()) {
      const src = other.get(name);
      if (src.shape.join() !== v.shape.join()) throw new Error(`ParamStore.copyFrom: "${name}" has shape [${src.shape}] vs [${v.shape}]`);
      v.assign(src);
    }
  }

  dispose(): void {
    for (const [, v] of this.entries()) v.dispose();
    this.trainable.clear();
    this.state.clear();
  }
}

/** He-normal initialiser (He et al. 2015) with fan-in `fanIn`, seeded. */
export function heNormal(shape: number[], fanIn: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const std = Math.sqrt(2 / fanIn);
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
  return tf.tensor(data, shape);
}

/** Glorot-uniform initialiser (Glorot & Bengio 2010), seeded. */
export function glorotUniform(shape: number[], fanIn: number, fanOut: number, rng: Rng): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const limit = Math.sqrt(6 / (fanIn + fanOut));
  const data = new Float32Array(size);
  for (let i = 0; i < size; i++) data[i] = (rng.next() * 2 - 1) * limit;
  return tf.tensor(data, shape);
}
