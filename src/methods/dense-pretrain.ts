import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { Backbone, convNet } from '../models/conv-net';
import { Decoder, DecoderBottleneck, convDecoder } from '../models/decoder';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { OptimizerConfig } from '../train/optimizer';
import { ProgressSink } from '../train/progress';

/** The training knobs shared by the dense (generative) pretext methods: colourisation, inpainting. */
export interface DensePretrainConfig {
  /** Conv block widths of the backbone (default [32, 64, 128]). */
  widths?: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Crop+flip augmentation (default true). */
  augment?: boolean;
  /** Checkpoint folder: resume from it, and skip training when it already holds the finished run. */
  checkpointDir?: string;
  /** Per-epoch monitor (e.g. kNN accuracy), merged into the history. */
  onEpochEnd?: (epoch: number, backbone: Backbone) => Promise<Record<string, number> | void> | Record<string, number> | void;
  progress?: ProgressSink;
}

/** Shape of the decoder {@link decoderFor} builds. */
export interface DecoderShape {
  /** Conv blocks at the feature map's own resolution, before any upsampling (default 1). */
  depth?: number;
  /** Width of those blocks (default half the backbone's feature width, at least 8). */
  width?: number;
  /** What joins the feature map to the conv blocks (default `none`; see `DecoderConfig.bottleneck`). */
  bottleneck?: DecoderBottleneck;
}

/**
 * A decoder from the backbone's last feature map (`[batch, side / 2^pools, .., widths.at(-1)]`) to
 * `outSize x outSize x outChannels`: `depth` conv blocks of `width` at the feature map's resolution,
 * then one block per 2x upsampling, halving the width each time (at least 8). A deeper decoder
 * takes more of the pretext-specific work off the backbone, like an MLP head does for rotation.
 */
export function decoderFor(backbone: Backbone, imageSide: number, outSize: number, outChannels: number, rng: Rng, shape: DecoderShape = {}): Decoder {
  const tapSide = imageSide / 2 ** backbone.config.poolAfter.length;
  const stages = Math.log2(outSize / tapSide);
  if (!Number.isInteger(tapSide) || !Number.isInteger(stages) || stages < 0) {
    throw new RangeError(`decoderFor: outSize must be the backbone's last feature-map side (${tapSide}) times a power of 2, got ${outSize}`);
  }
  const depth = shape.depth ?? 1;
  if (!(Number.isInteger(depth) && depth >= 1)) throw new RangeError(`decoderFor: depth must be a positive integer, got ${depth}`);
  const widths = new Array<number>(depth).fill(shape.width ?? Math.max(8, backbone.featureDim / 2));
  for (let s = 0; s < stages; s++) widths.push(Math.max(8, widths[widths.length - 1] / 2));
  const bottleneck = shape.bottleneck ?? 'none';
  return convDecoder({ inChannels: backbone.featureDim, widths, upsampleBefore: Array.from({ length: stages }, (_, i) => depth + i), outChannels, bottleneck, inSide: bottleneck === 'none' ? 0 : tapSide }, rng);
}

/** The backbone's last feature map (before global pooling): what a dense decoder reads. `[batch, h_k, w_k, widths.at(-1)]` */
export function lastTap(backbone: Backbone, x: tf.Tensor4D, training: boolean): tf.Tensor4D {
  const { taps } = backbone.apply(x, { training }); // the rest is freed by the caller's tidy
  return taps[taps.length - 1];
}

/**
 * Build a fresh backbone (`inputChannels`, `cfg.widths`; initial weights from `cfg.seed` only, so the
 * random-init baseline built with `convNet({ inputChannels, widths }, new Rng(seed))` starts
 * where this one started), let `build` make the method's task on it, and train it through the one
 * training loop. `config` joins the checkpoint fingerprint (whatever else identifies the run).
 */
export async function pretrainDense<T extends { task: TrainTask }>(
  set: ImageSet,
  inputChannels: number,
  cfg: DensePretrainConfig,
  build: (backbone: Backbone, rng: Rng) => T,
  config: Record<string, unknown>,
): Promise<TrainResult & T & { backbone: Backbone }> {
  const rng = new Rng(cfg.seed);
  const backbone = convNet({ inputChannels, widths: cfg.widths }, rng);
  const built = build(backbone, rng.fork(config.method as string ?? 'dense'));
  const result = await train(built.task, {
    epochs: cfg.epochs,
    batchSize: cfg.batchSize,
    optimizer: cfg.optimizer,
    seed: cfg.seed,
    checkpointDir: cfg.checkpointDir,
    config: { data: set.name, n: set.n, widths: backbone.config.widths, augment: cfg.augment ?? true, ...config },
    onEpochEnd: cfg.onEpochEnd ? (e) => cfg.onEpochEnd!(e, backbone) : undefined,
    progress: cfg.progress,
  });
  return { ...built, ...result, backbone };
}
