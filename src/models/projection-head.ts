import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import type { Head } from './linear-head';
import { mlpHead } from './mlp-head';

/**
 * The projection head of contrastive methods (SimCLR, Chen et al. 2020, section 2.1 and 4.2;
 * MoCo v2; PIRL's f and g): a 2-layer MLP `[batch, inDim] -> [batch, outDim]` whose output is
 * L2-normalised, so dot products are cosine similarities. The loss sees the projection; the
 * backbone's features before it are what transfer (and what the lab evaluates).
 * @param outDim embedding size (default 128)
 * @param hidden hidden width (default `inDim`)
 */
export function projectionHead(inDim: number, rng: Rng, opts: { outDim?: number; hidden?: number } = {}): Head {
  const outDim = opts.outDim ?? 128;
  const mlp = mlpHead(inDim, opts.hidden ?? inDim, outDim, rng.fork('projection'));
  return {
    params: mlp.params,
    inDim,
    outDim,
    apply: (x) =>
      tf.tidy(() => {
        const z = mlp.apply(x);
        return tf.div(z, tf.add(tf.norm(z, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D;
      }),
  };
}
