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
  /**
   * What connects the input map to the conv blocks (default `none`):
   * - `channel-fc`: Pathak et al.'s channel-wise fully connected layer: each channel's
   *   `inSide x inSide` map is mapped by its own dense matrix (plus bias, ReLU), so every output
   *   position sees the whole context without mixing channels;
   * - `global`: the input is average-pooled to one vector per image (the very features kNN and
   *   the linear probe read) and a dense layer (plus bias, ReLU) expands it back to
   *   `inSide x inSide x inChannels`: the decoder learns nothing the pooled features do not hold.
   */
  bottleneck?: DecoderBottleneck;
  /** Side of the input map; required by the `channel-fc` and `global` bottlenecks (0 otherwise). */
  inSide?: number;
}

/** Kinds of {@link DecoderConfig.bottleneck}. */
export type DecoderBottleneck = 'none' | 'channel-fc' | 'global';
export const DECODER_BOTTLENECKS: readonly DecoderBottleneck[] = ['none', 'channel-fc', 'global'];

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
  const bottleneck = config.bottleneck ?? 'none';
  if (!DECODER_BOTTLENECKS.includes(bottleneck)) throw new RangeError(`convDecoder: bottleneck must be one of ${DECODER_BOTTLENECKS.join(', ')}, got "${bottleneck}"`);
  const inSide = config.inSide ?? 0;
  if (bottleneck !== 'none' && !(Number.isInteger(inSide) && inSide >= 1)) throw new RangeError(`convDecoder: the ${bottleneck} bottleneck needs inSide, the input map's side, as a positive integer; got ${config.inSide}`);
  const full: Required<DecoderConfig> = { inChannels, widths, upsampleBefore, outChannels, bnMomentum: config.bnMomentum ?? 0.9, bottleneck, inSide };
  const init = rng.fork('decoder-init');
  const params = new ParamStore('decoder');
  const area = inSide * inSide;
  if (bottleneck === 'channel-fc') {
    params.add('bottleneck/w', heNormal([inChannels, area, area], area, init));
    params.add('bottleneck/b', tf.zeros([inChannels, 1, area]));
  } else if (bottleneck === 'global') {
    params.add('bottleneck/w', heNormal([inChannels, area * inChannels], inChannels, init));
    params.add('bottleneck/b', tf.zeros([area * inChannels]));
  }
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
    if (bottleneck !== 'none' && (x.shape[1] !== inSide || x.shape[2] !== inSide)) throw new Error(`convDecoder.apply: the ${bottleneck} bottleneck expects [batch, ${inSide}, ${inSide}, ${inChannels}] input, got [${x.shape}]`);
    let h = x;
    const b = x.shape[0];
    if (bottleneck === 'channel-fc') {
      const perChannel = tf.transpose(tf.reshape(x, [b, area, inChannels]), [2, 0, 1]); // [c, batch, area]
      const mixed = tf.add(tf.matMul(perChannel, params.get('bottleneck/w') as tf.Tensor3D), params.get('bottleneck/b'));
      h = tf.relu(tf.reshape(tf.transpose(mixed, [1, 2, 0]), [b, inSide, inSide, inChannels])) as tf.Tensor4D;
    } else if (bottleneck === 'global') {
      const pooled = tf.mean(x, [1, 2]) as tf.Tensor2D;
      const expanded = tf.add(tf.matMul(pooled, params.get('bottleneck/w') as tf.Tensor2D), params.get('bottleneck/b'));
      h = tf.relu(tf.reshape(expanded, [b, inSide, inSide, inChannels])) as tf.Tensor4D;
    }
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
