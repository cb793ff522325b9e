import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { ParamStore, glorotUniform } from './params';

/** A linear (fully connected) head: `[batch, inDim] -> [batch, outDim]` logits. */
export interface Head {
  readonly params: ParamStore;
  readonly inDim: number;
  readonly outDim: number;
  apply(x: tf.Tensor2D): tf.Tensor2D;
}

/** A linear head `y = x W + b` with Glorot-uniform W and zero b. */
export function linearHead(inDim: number, outDim: number, rng: Rng): Head {
  for (const [k, v] of [['inDim', inDim], ['outDim', outDim]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`linearHead: ${k} must be a positive integer, got ${v}`);
  }
  const params = new ParamStore('linear');
  const w = params.add('w', glorotUniform([inDim, outDim], inDim, outDim, rng.fork('linear-init')));
  const b = params.add('b', tf.zeros([outDim]));
  return {
    params,
    inDim,
    outDim,
    apply: (x) => tf.add(tf.matMul(x, w), b) as tf.Tensor2D,
  };
}
