import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { ParamStore, glorotUniform, heNormal } from './params';
import type { Head } from './linear-head';

/**
 * A two-layer MLP head, `[batch, inDim] -> ReLU(x W1 + b1) W2 + b2 -> [batch, outDim]`.
 * Between a backbone and a pretext loss it keeps the backbone's own features from
 * specialising to the pretext task (the projection-head effect, Chen et al. 2020, SimCLR, section 4.2).
 */
export function mlpHead(inDim: number, hidden: number, outDim: number, rng: Rng): Head {
  for (const [k, v] of [['inDim', inDim], ['hidden', hidden], ['outDim', outDim]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`mlpHead: ${k} must be a positive integer, got ${v}`);
  }
  const init = rng.fork('mlp-init');
  const params = new ParamStore('mlp');
  const w1 = params.add('w1', heNormal([inDim, hidden], inDim, init));
  const b1 = params.add('b1', tf.zeros([hidden]));
  const w2 = params.add('w2', glorotUniform([hidden, outDim], hidden, outDim, init));
  const b2 = params.add('b2', tf.zeros([outDim]));
  return {
    params,
    inDim,
    outDim,
    apply: (x) => tf.add(tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2), b2) as tf.Tensor2D,
  };
}
