import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { toTensor } from '../data/to-tensor';
import { Backbone } from '../models/conv-net';

/** Options of {@link embed}. */
export interface EmbedOptions {
  /** Images per forward pass (default 256). */
  batchSize?: number;
  /**
   * Which features: `'final'` (default) the global-average-pooled last block, or a block index
   * `k` for that block's output, average-pooled to `pool x pool` cells and flattened.
   */
  layer?: 'final' | number;
  /** Spatial grid of the per-block pooling (default 2: a `[batch, 4 * width_k]` feature). */
  pool?: number;
  /** Indices of `set` to embed (default all). */
  indices?: Int32Array;
}

/**
 * Embed a dataset once with a frozen backbone (batch norm in inference mode).
 * @returns `[n, dim]` float32 features; the caller owns the tensor.
 */
export function embed(backbone: Backbone, set: ImageSet, opts: EmbedOptions = {}): tf.Tensor2D {
  const bs = opts.batchSize ?? 256;
  if (!Number.isInteger(bs) || bs < 1) throw new RangeError(`embed: batchSize must be a positive integer, got ${bs}`);
  const indices = opts.indices ?? Int32Array.from({ length: set.n }, (_, i) => i);
  if (indices.length === 0) throw new RangeError(`embed: no images to embed in "${set.name}"`);
  const layer = opts.layer ?? 'final';
  const nBlocks = backbone.config.widths.length;
  if (layer !== 'final' && !(Number.isInteger(layer) && layer >= 0 && layer < nBlocks)) {
    throw new RangeError(`embed: layer must be 'final' or a block index 0..${nBlocks - 1}, got ${layer}`);
  }
  const pool = opts.pool ?? 2;
  const parts: tf.Tensor2D[] = [];
  for (let s = 0; s < indices.length; s += bs) {
    const idx = indices.subarray(s, Math.min(indices.length, s + bs));
    parts.push(
      tf.tidy(() => {
        const x = toTensor(set, idx);
        const out = backbone.apply(x, { training: false });
        if (layer === 'final') return out.features;
        const t = out.taps[layer];
        const [, h, w] = t.shape;
        const ph = Math.max(1, Math.floor(h / pool));
        const pw = Math.max(1, Math.floor(w / pool));
        const pooled = tf.avgPool(t, [ph, pw], [ph, pw], 'valid');
        return tf.reshape(pooled, [idx.length, -1]) as tf.Tensor2D;
      }),
    );
  }
  const all = tf.concat(parts, 0) as tf.Tensor2D;
  parts.forEach((p) => p.dispose());
  return all;
}

/** Row-wise L2 normalisation of `[n, dim]` features. */
export function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)) as tf.Tensor2D);
}
