import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { batchNormInfer, batchNormTrain } from './batch-norm';
import { ParamStore, heNormal } from './params';

/** Configuration of {@link convDecoder}. */
export interface DecoderConfig {
  /** Channels of the feature map it decodes (the backbone tap's width). */
  inChannels: number;
  /** Output channels of each conv3x3 -> batch norm -> ReLU block. */
  widths: number[];
  /** Blocks (0-based) preceded by a 2x nearest-neighbour upsampling; each doubles the side. */
  upsampleBefore: number[];
  /** Channels of the final 1x1 conv (with bias, no activation): Q bin logits, 2 ab values, 3 RGB values, ... */
  outChannels: number;
  /** Momentum of the batch-norm running statistics. Default 0.9. */
  bnMomentum?: number;
}

/** A dense-prediction decoder: maps a backbone's feature map to a per-pixel output. */
export interface Decoder {
  readonly config: Required<DecoderConfig>;
  readonly params: ParamStore;
  /** Side multiplier: output side = input side * `scale`. */
  readonly scale: number;
  /**
   * `[batch, h, w, inChannels]` -> `[batch, h * scale, w * scale, outChannels]`.
   * With `training`, batch statistics normalise and the running statistics are updated.
   */
  apply(x: tf.Tensor4D, opts?: { training?: boolean }): tf.Tensor4D;
}

/**
 * 2x nearest-neighbour upsampling, each pixel repeated into a 2x2 block:
 * `[batch, h, w, c] -> [batch, 2h, 2w, c]`. Built from reshape and a broadcasting multiply,
 * so its gradient (a sum over each 2x2 block) needs no resize kernel on any backend; equal to
 * `tf.image.resizeNearestNeighbor(x, [2h, 2w])`.
 */
export function upsample2x(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.tidy(() => tf.reshape(tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [b, 2 * h, 2 * w, c]));
}

/**
 * A small upsampling decoder for dense pretext tasks (colourisation, inpainting): blocks of
 * [2x nearest upsample ->] conv3x3 (no bias) -> batch norm -> ReLU, then a 1x1 conv with bias.
 * Upsample-then-convolve instead of a transposed convolution avoids checkerboard artefacts
 * (Odena, Dumoulin & Olah 2016, "Deconvolution and checkerboard artifacts").
 * No skip connections from early backbone blocks (as in Pathak et al. 2016): everything the
 * decoder knows must pass through the backbone's last feature map, the one we evaluate.
 */
export function convDecoder(config: DecoderConfig, rng: Rng): Decoder {
  const { inChannels, widths, upsampleBefore, outChannels } = config;
  for (const [k, v] of [['inChannels', inChannels], ['outChannels', outChannels]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`convDecoder: ${k} must be a positive integer, got ${v}`);
  }
  if (widths.some((w) => !Number.isInteger(w) || w < 1)) throw new RangeError(`convDecoder: widths must be positive integers, got [${widths}]`);
  if (upsampleBefore.some((i) => !Number.isInteger(i) || i < 0 || i >= widths.length)) {
    throw new RangeError(`convDecoder: upsampleBefore must index blocks 0..${widths.length - 1}, got [${upsampleBefore}]`);
  }
  const full: Required<DecoderConfig> = { inChannels, widths, upsampleBefore, outChannels, bnMomentum: config.bnMomentum ?? 0.9 };
  const init = rng.fork('decoder-init');
  const params = new ParamStore('decoder');
  let cin = inChannels;
  widths.forEach((cout, i) => {
    params.add(`block${i}/conv`, heNormal([3, 3, cin, cout], 9 * cin, init));
    params.add(`block${i}/gamma`, tf.ones([cout]));
    params.add(`block${i}/beta`, tf.zeros([cout]));
    params.add(`block${i}/mean`, tf.zeros([cout]), false);
    params.add(`block${i}/var`, tf.ones([cout]), false);
    cin = cout;
  });
  params.add('out/w', tf.tidy(() => tf.mul(heNormal([1, 1, cin, outChannels], cin, init), 0.5))); // a calm start: outputs near 0
  params.add('out/b', tf.zeros([outChannels]));

  function apply(x: tf.Tensor4D, opts: { training?: boolean } = {}): tf.Tensor4D {
    if (x.rank !== 4 || x.shape[3] !== inChannels) throw new Error(`convDecoder.apply: expected [batch, h, w, ${inChannels}] input, got [${x.shape}]`);
    let h = x;
    widths.forEach((_, i) => {
      if (upsampleBefore.includes(i)) h = upsample2x(h);
      const conv = tf.conv2d(h, params.get(`block${i}/conv`) as tf.Tensor4D, 1, 'same');
      const gamma = params.get(`block${i}/gamma`) as tf.Tensor1D;
      const beta = params.get(`block${i}/beta`) as tf.Tensor1D;
      const runMean = params.get(`block${i}/mean`);
      const runVar = params.get(`block${i}/var`);
      let y: tf.Tensor;
      if (opts.training) {
        const bn = batchNormTrain(conv, gamma, beta);
        y = bn.y;
        const m = full.bnMomentum;
        runMean.assign(tf.add(tf.mul(runMean, m), tf.mul(bn.mean, 1 - m)));
        runVar.assign(tf.add(tf.mul(runVar, m), tf.mul(bn.variance, 1 - m)));
      } else {
        y = batchNormInfer(conv, gamma, beta, runMean as tf.Tensor1D, runVar as tf.Tensor1D);
      }
      h = tf.relu(y) as tf.Tensor4D;
    });
    return tf.add(tf.conv2d(h, params.get('out/w') as tf.Tensor4D, 1, 'same'), params.get('out/b')) as tf.Tensor4D;
  }

  return { config: full, params, scale: 2 ** new Set(upsampleBefore).size, apply };
}
