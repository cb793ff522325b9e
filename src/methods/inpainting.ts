import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { randomCropFlip } from '../transforms/crop-flip';
import { MaskOptions, channelMeans, inpaintingBatch } from '../pretext/inpainting';
import { Backbone } from '../models/conv-net';
import { Decoder } from '../models/decoder';
import { maskedSquaredError } from '../objectives/dense-losses';
import { TrainTask } from '../train/train-loop';
import { DecoderShape, DensePretrainConfig, decoderFor, lastTap, pretrainDense } from './dense-pretrain';

/** Options of {@link inpaintingTask}. */
export interface InpaintingOptions {
  /** Which region is hidden (default the centre square, a quarter of the image). */
  mask?: MaskOptions;
  /** Side of the predicted image (default the image side); smaller predictions are compared with average-pooled targets. */
  outSize?: number;
  /** Weight of the reconstruction loss on the visible pixels (default 0: only the hidden region counts). */
  outsideWeight?: number;
  /** Fill of hidden pixels, one value per channel in [0, 1] (default the set's mean colour). */
  fill?: number[];
  /** Crop+flip augmentation (default true). */
  augment?: boolean;
  /** Decoder shape (default: one block at the feature map's side, no bottleneck). */
  decoder?: DecoderShape;
}

/** A trained (or training) context encoder: the backbone sees the masked image, the decoder paints the image. */
export interface Inpainter {
  backbone: Backbone;
  decoder: Decoder;
  mask: MaskOptions;
  fill: number[];
  outSize: number;
}

/**
 * Context encoders (Pathak, Krähenbühl, Donahue, Darrell & Efros 2016, "Context encoders: feature
 * learning by inpainting"): hide a region of each image (fresh mask per image and step, filled with
 * the mean colour), encode the rest with the backbone, and let a decoder on its last feature map
 * paint the whole image (as the difference from the mean colour, so an untrained decoder paints
 * the fill); the loss is the squared error on the hidden pixels (paper eq. 1; the
 * adversarial term is left out). To fill a hole plausibly the encoder must understand the context.
 * @param set images, any number of channels; the backbone takes as many
 */
export function inpaintingTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: InpaintingOptions = {}): { task: TrainTask } & Inpainter {
  if (backbone.config.inputChannels !== set.channels) throw new Error(`inpaintingTask: backbone takes ${backbone.config.inputChannels} channels, "${set.name}" has ${set.channels}`);
  if (set.height !== set.width) throw new Error(`inpaintingTask: "${set.name}" images are ${set.height}x${set.width}; need square images`);
  const mask = opts.mask ?? { kind: 'centre' };
  const outSize = opts.outSize ?? set.height;
  if (!(Number.isInteger(outSize) && set.height % outSize === 0)) throw new RangeError(`inpaintingTask: outSize must divide the image side ${set.height}, got ${outSize}`);
  const fill = opts.fill ?? channelMeans(set);
  const outsideWeight = opts.outsideWeight ?? 0;
  const decoder = decoderFor(backbone, set.height, outSize, set.channels, rng.fork('inpainting-decoder'), opts.decoder);
  const augment = opts.augment ?? true;
  const k = set.height / outSize;
  const task: TrainTask = {
    name: `inpainting-${mask.kind}`,
    stores: [backbone.params, decoder.params],
    size: set.n,
    step(indices, stepRng) {
      const x = randomCropFlip(set, indices, stepRng.fork('crop'), augment ? {} : { pad: 0, flip: false });
      const b = inpaintingBatch(x, stepRng.fork('mask'), mask, fill);
      const pred = tf.add(decoder.apply(lastTap(backbone, b.inputs, true), { training: true }), tf.tensor1d(fill)) as tf.Tensor4D;
      const pool = (t: tf.Tensor4D) => (k > 1 ? tf.avgPool(t, k, k, 'valid') : t);
      return { loss: maskedSquaredError(pred, pool(b.targets), pool(b.mask), outsideWeight) };
    },
  };
  return { task, backbone, decoder, mask, fill, outSize };
}

/** Configuration of {@link pretrainInpainting}. */
export interface InpaintingPretrainConfig extends DensePretrainConfig {
  mask: MaskOptions;
  outSize?: number;
  outsideWeight?: number;
  /** Decoder shape (default: one block at the feature map's side, no bottleneck). */
  decoder?: DecoderShape;
}

/** What {@link pretrainInpainting} returns: a trained {@link Inpainter} plus the run. */
export type PretrainedInpainter = Awaited<ReturnType<typeof pretrainInpainting>>;

/**
 * Train a context encoder on `set`: a fresh backbone (initial weights from `cfg.seed` only, so
 * it starts where the random-init baseline is) and its decoder, through the one training loop.
 */
export async function pretrainInpainting(set: ImageSet, cfg: InpaintingPretrainConfig) {
  const outSize = cfg.outSize ?? set.height;
  return pretrainDense(
    set,
    set.channels,
    cfg,
    (backbone, rng) => inpaintingTask(backbone, set, rng, { mask: cfg.mask, outSize, outsideWeight: cfg.outsideWeight, augment: cfg.augment, decoder: cfg.decoder }),
    // `bottleneck` joins the fingerprint only when set, so runs written before the option existed (no bottleneck) still restore.
    { method: `inpainting-${cfg.mask.kind}`, mask: cfg.mask, outSize, outsideWeight: cfg.outsideWeight ?? 0, ...(cfg.decoder?.bottleneck && cfg.decoder.bottleneck !== 'none' ? { bottleneck: cfg.decoder.bottleneck } : {}) },
  );
}

/**
 * Inpaint the images of `set` for figures and measurements, in batches of `batchSize` (default
 * 256): each image gets a mask drawn from one `new Rng(seed)` stream (the same masks for every
 * inpainter given the same seed and set).
 * @returns bytes `set.n * h * w * c` of the `masked` inputs and of the `filled` images (the
 *   prediction pasted into the hidden region, the visible pixels kept), and the hidden-pixel RMSE
 *   of the prediction and of the mean-colour fill (`rmse`, `fillRmse`, in [0, 1] pixel units).
 */
export function inpaint(p: Inpainter, set: ImageSet, seed = 0, batchSize = 256): { masked: Uint8Array; filled: Uint8Array; rmse: number; fillRmse: number } {
  const rng = new Rng(seed).fork('inpaint');
  const masked = new Uint8Array(set.images.length);
  const filled = new Uint8Array(set.images.length);
  let se = 0;
  let fillSe = 0;
  let hidden = 0;
  for (let s = 0; s < set.n; s += batchSize) {
    const idx = Int32Array.from({ length: Math.min(batchSize, set.n - s) }, (_, i) => s + i);
    const out = tf.tidy(() => {
      const x = toTensor(set, idx);
      const b = inpaintingBatch(x, rng, p.mask, p.fill);
      let pred = tf.add(p.decoder.apply(lastTap(p.backbone, b.inputs, false)), tf.tensor1d(p.fill)) as tf.Tensor4D;
      if (p.outSize !== set.height) pred = tf.image.resizeBilinear(pred, [set.height, set.width]);
      pred = tf.clipByValue(pred, 0, 1);
      const fillIn = tf.add(tf.mul(pred, b.mask), tf.mul(x, tf.sub(1, b.mask)));
      const sq = (a: tf.Tensor) => tf.sum(tf.mul(tf.squaredDifference(a, x), b.mask));
      const toBytes = (t: tf.Tensor) => tf.round(tf.mul(t, 255));
      return [toBytes(b.inputs), toBytes(fillIn), sq(pred), sq(b.inputs), tf.mul(tf.sum(b.mask), set.channels)];
    });
    const offset = s * set.height * set.width * set.channels;
    masked.set(out[0].dataSync(), offset);
    filled.set(out[1].dataSync(), offset);
    se += out[2].dataSync()[0];
    fillSe += out[3].dataSync()[0];
    hidden += out[4].dataSync()[0];
    tf.dispose(out);
  }
  return { masked, filled, rmse: Math.sqrt(se / hidden), fillRmse: Math.sqrt(fillSe / hidden) };
}

/**
 * One sentence per mask kind trained both with and without a decoder bottleneck (how the
 * bottleneck moved the frozen features' kNN and linear accuracy), and one per bottleneck trained
 * with both masks (random blocks vs centre, the paper's comparison); empty when there is neither.
 * @param rows evaluated encoders, by table label
 * @param variants the context encoders, each with the label of its row in `rows`
 */
export function inpaintingBottleneckSentence(
  rows: ReadonlyArray<{ encoder: string; knn: number; linear: number }>,
  variants: ReadonlyArray<{ mask: string; bottleneck: string; row: string }>,
): string {
  const byLabel = new Map(rows.map((r) => [r.encoder, r]));
  const find = (label: string) => {
    const r = byLabel.get(label);
    if (!r) throw new Error(`inpaintingBottleneckSentence: no row "${label}" among ${[...byLabel.keys()].join(', ')}`);
    return r;
  };
  const pts = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)}`;
  const out: string[] = [];
  for (const plain of variants.filter((v) => v.bottleneck === 'none')) {
    const p = find(plain.row);
    for (const v of variants.filter((w) => w.mask === plain.mask && w.bottleneck !== 'none')) {
      const b = find(v.row);
      out.push(`${plain.mask} mask: the ${v.bottleneck} bottleneck moves kNN from ${(p.knn * 100).toFixed(1)}% to ${(b.knn * 100).toFixed(1)}% (${pts(b.knn, p.knn)} points) and the linear probe from ${(p.linear * 100).toFixed(1)}% to ${(b.linear * 100).toFixed(1)}% (${pts(b.linear, p.linear)}).`);
    }
  }
  for (const bottleneck of new Set(variants.map((v) => v.bottleneck))) {
    const blocks = variants.find((v) => v.bottleneck === bottleneck && v.mask === 'random-blocks');
    const centre = variants.find((v) => v.bottleneck === bottleneck && v.mask === 'centre');
    if (!blocks || !centre) continue;
    const b = find(blocks.row);
    const c = find(centre.row);
    out.push(`Random blocks vs centre (bottleneck ${bottleneck}): kNN ${(b.knn * 100).toFixed(1)}% vs ${(c.knn * 100).toFixed(1)}% (${pts(b.knn, c.knn)} points), linear ${(b.linear * 100).toFixed(1)}% vs ${(c.linear * 100).toFixed(1)}% (${pts(b.linear, c.linear)}).`);
  }
  return out.join(' ');
}
