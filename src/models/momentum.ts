import * as tf from '@tensorflow/tfjs-core';
import { ParamStore } from './params';

/**
 * Make every variable of `store` non-trainable: move it to the store's state, so the training
 * loop saves and restores it with checkpoints but never optimises it (a momentum encoder's
 * weights). Returns `store`.
 */
export function freezeParams(store: ParamStore): ParamStore {
  for (const [name, v] of [...store.trainable.entries()]) {
    v.trainable = false;
    store.state.set(name, v);
    store.trainable.delete(name);
  }
  return store;
}

/**
 * A frozen copy of a model for a momentum (key) encoder: `build()` makes a second model of the
 * same shape; its variables are frozen ({@link freezeParams}) and set to `source`'s values.
 */
export function momentumCopy<M extends { params: ParamStore }>(build: () => M, source: ParamStore): M {
  const copy = build();
  freezeParams(copy.params);
  copy.params.copyFrom(source);
  return copy;
}

/**
 * The momentum (exponential moving average) update of a key encoder (MoCo, He et al. 2020, eq. 2):
 * `θ_k ← m·θ_k + (1 - m)·θ_q` for every *trainable* variable of `source` (the query encoder);
 * state such as batch-norm running statistics is left to the target's own forward passes.
 * @param momentum `m` in [0, 1] (MoCo: 0.999 on ImageNet, 0.99 on CIFAR-10)
 */
export function momentumUpdate(target: ParamStore, source: ParamStore, momentum: number): void {
  if (!(momentum >= 0 && momentum <= 1)) throw new RangeError(`momentumUpdate: momentum must be in [0, 1], got ${momentum}`);
  tf.tidy(() => {
    for (const [name, q] of source.trainable) {
      const k = target.get(name);
      if (k.shape.join() !== q.shape.join()) throw new Error(`momentumUpdate: "${name}" has shape [${k.shape}] in the target, [${q.shape}] in the source`);
      k.assign(tf.add(tf.mul(k, momentum), tf.mul(q, 1 - momentum)));
    }
  });
}
