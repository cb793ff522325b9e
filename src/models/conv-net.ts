import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../data/rng';
import { batchNormInfer, batchNormTrain } from './batch-norm';
import { ParamStore, heNormal } from './params';

/** Configuration of {@link convNet}. */
export interface ConvNetConfig {
  /** Input channels: 3 for colour, 1 for grey. */
  inputChannels: number;
  /** Output channels of each 3x3 conv block. Default `[32, 64, 128]` (the lab's benchmark CNN). */
  widths?: number[];
  /** Blocks (0-based) followed by a 2x2 max-pool. Default: every block but the last. */
  poolAfter?: number[];
  /** Momentum of the batch-norm running statistics. Default 0.9. */
  bnMomentum?: number;
}

/** What one forward pass returns. */
export interface BackboneOutput {
  /** `[batch, featureDim]`: global average pool of the last block. */
  features: tf.Tensor2D;
  /** `[batch, h_k, w_k, widths[k]]`: each block's output (after ReLU and pooling), for per-layer probes. */
  taps: tf.Tensor4D[];
}

/** A feature extractor: owns its parameters, maps images to features. */
export interface Backbone {
  readonly kind: string;
  readonly config: Required<ConvNetConfig>;
  readonly params: ParamStore;
  /** Length of `features`. */
  readonly featureDim: number;
  /**
   * Forward pass on `[batch, height, width, inputChannels]` images in [0, 1].
   * With `training`, batch statistics normalise and the running statistics are updated.
   */
  apply(x: tf.Tensor4D, opts?: { training?: boolean }): BackboneOutput;
}

/** Per-channel mean and std of natural images (ImageNet), used to centre inputs. */
const RGB_MEAN = [0.485, 0.456, 0.406];
const RGB_STD = [0.229, 0.224, 0.225];

/**
 * A small convnet: blocks of conv3x3 (no bias) -> batch norm -> ReLU [-> max-pool 2x2],
 * then global average pooling. With the defaults this is the lab's benchmark CNN
 * (conv 32-64-128, BN, ReLU, two max-pools, GAP): 93k parameters.
 */
export function convNet(config: ConvNetConfig, rng: Rng): Backbone {
  const widths = config.widths ?? [32, 64, 128];
  if (!Number.isInteger(config.inputChannels) || config.inputChannels < 1) {
    throw new RangeError(`convNet: inputChannels must be a positive integer, got ${config.inputChannels}`);
  }
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new RangeError(`convNet: widths must be positive integers, got [${widths}]`);
  }
  const full: Required<ConvNetConfig> = {
    inputChannels: config.inputChannels,
    widths,
    poolAfter: config.poolAfter ?? widths.slice(0, -1).map((_, i) => i),
    bnMomentum: config.bnMomentum ?? 0.9,
  };
  const params = new ParamStore('convnet');
  const init = rng.fork('convnet-init');
  let cin = full.inputChannels;
  widths.forEach((cout, i) => {
    params.add(`block${i}/conv`, heNormal([3, 3, cin, cout], 9 * cin, init));
    params.add(`block${i}/gamma`, tf.ones([cout]));
    params.add(`block${i}/beta`, tf.zeros([cout]));
    params.add(`block${i}/mean`, tf.zeros([cout]), false);
    params.add(`block${i}/var`, tf.ones([cout]), false);
    cin = cout;
  });
  const mean = full.inputChannels === 3 ? RGB_MEAN : [0.5];
  const std = full.inputChannels === 3 ? RGB_STD : [0.25];

  function apply(x: tf.Tensor4D, opts: { training?: boolean } = {}): BackboneOutput {
    if (x.rank !== 4 || x.shape[3] !== full.inputChannels) {
      throw new Error(`convNet.apply: expected [batch, h, w, ${full.inputChannels}] input, got [${x.shape}]`);
    }
    const taps: tf.Tensor4D[] = [];
    let h: tf.Tensor4D = tf.div(tf.sub(x, mean), std);
    widths.forEach((_, i) => {
      const conv = tf.conv2d(h, params.get(`block${i}/conv`) as tf.Tensor4D, 1, 'same');
      const gamma = params.get(`block${i}/gamma`) as tf.Tensor1D;
      const beta = params.get(`block${i}/beta`) as tf.Tensor1D;
      const runMean = params.get(`block${i}/mean`);
      const runVar = params.get(`block${i}/var`);
      if (opts.training) {
        // batch norm and ReLU in one kernel each way where the backend has it (native)
        const bn = batchNormTrain(conv, gamma, beta, 1e-5, { relu: true });
        h = bn.y as tf.Tensor4D;
        const m = full.bnMomentum;
        runMean.assign(tf.add(tf.mul(runMean, m), tf.mul(bn.mean, 1 - m)));
        runVar.assign(tf.add(tf.mul(runVar, m), tf.mul(bn.variance, 1 - m)));
      } else {
        h = tf.relu(batchNormInfer(conv, gamma, beta, runMean as tf.Tensor1D, runVar as tf.Tensor1D)) as tf.Tensor4D;
      }
      if (full.poolAfter.includes(i)) h = tf.maxPool(h, 2, 2, 'valid');
      taps.push(h);
    });
    const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
    return { features, taps };
  }

  return { kind: 'convnet', config: full, params, featureDim: widths[widths.length - 1], apply };
}
