import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { toTensor } from '../data/to-tensor';
import { randomCropFlip } from '../transforms/crop-flip';
import { labToRgb, lightnessInput, rgbToLab } from '../transforms/lab';
import { AbBins, abBinCounts, abBins, annealedMean, binMode, colourTargets, rebalanceWeights } from '../pretext/colourisation';
import { Backbone } from '../models/conv-net';
import { Decoder } from '../models/decoder';
import { maskedSquaredError, pixelCrossEntropy } from '../objectives/dense-losses';
import { TrainTask } from '../train/train-loop';
import { DecoderShape, DensePretrainConfig, decoderFor, lastTap, pretrainDense } from './dense-pretrain';

/** The two losses the lecture contrasts: per-pixel classification over ab bins, or L2 regression on ab. */
export type ColourLoss = 'classification' | 'regression';

/** ab values are divided by this for the regression loss and output (keeps them near unit scale). */
export const AB_SCALE = 100;

/** Options of {@link colourisationTask}. */
export interface ColourisationOptions {
  /** Default `'classification'`. */
  loss?: ColourLoss;
  /** Side of the predicted ab map (default a quarter of the image side, as in Zhang et al.). */
  outSize?: number;
  /** ab bins (classification; default `abBins(10)`). */
  bins?: AbBins;
  /** `[q]` class-rebalancing weights (classification; default none: all 1). */
  classWeights?: Float32Array;
  /** Crop+flip augmentation (default true). */
  augment?: boolean;
  /** Shape of the decoder (default one conv block of half the feature width). */
  decoder?: DecoderShape;
}

/** A trained (or training) colouriser: the backbone sees L, the decoder predicts ab. */
export interface Colouriser {
  backbone: Backbone;
  decoder: Decoder;
  loss: ColourLoss;
  bins: AbBins;
  outSize: number;
}

/**
 * Colourisation (Zhang, Isola & Efros 2016, "Colorful image colorization"): the backbone sees only
 * the lightness L of a colour image (`[batch, h, w, 1]`) and a decoder on its last feature map
 * predicts the colour channels ab at `outSize x outSize`. `classification` (the paper): Q-way
 * softmax per pixel over the quantised ab bins, cross-entropy weighted by `classWeights`
 * (class rebalancing). `regression`: 2 outputs per pixel, L2 on ab / {@link AB_SCALE}; since colour
 * is not determined by L (a car may be red or blue), its minimiser is the conditional mean, which
 * drifts to grey. The labels come from the image itself.
 * @param backbone a one-channel backbone (`inputChannels: 1`)
 * @param set colour (sRGB) images
 */
export function colourisationTask(backbone: Backbone, set: ImageSet, rng: Rng, opts: ColourisationOptions = {}): { task: TrainTask } & Colouriser {
  if (set.channels !== 3) throw new Error(`colourisationTask: "${set.name}" has ${set.channels} channels; colourisation needs colour (3-channel) images`);
  if (backbone.config.inputChannels !== 1) throw new Error(`colourisationTask: the backbone must take 1 channel (L), it takes ${backbone.config.inputChannels}`);
  if (set.height !== set.width) throw new Error(`colourisationTask: "${set.name}" images are ${set.height}x${set.width}; need square images`);
  const loss = opts.loss ?? 'classification';
  if (loss !== 'classification' && loss !== 'regression') throw new RangeError(`colourisationTask: loss must be 'classification' or 'regression', got "${loss}"`);
  const bins = opts.bins ?? abBins(10);
  const outSize = opts.outSize ?? set.height / 4;
  if (opts.classWeights && opts.classWeights.length !== bins.q) throw new RangeError(`colourisationTask: ${opts.classWeights.length} class weights for ${bins.q} bins`);
  const decoder = decoderFor(backbone, set.height, outSize, loss === 'classification' ? bins.q : 2, rng.fork('colourisation-decoder'), opts.decoder);
  const classWeights = opts.classWeights;
  const augment = opts.augment ?? true;
  const pixels = outSize * outSize;
  const task: TrainTask = {
    name: `colourisation-${loss}`,
    stores: [backbone.params, decoder.params],
    size: set.n,
    step(indices, stepRng) {
      const lab = rgbToLab(randomCropFlip(set, indices, stepRng, augment ? {} : { pad: 0, flip: false }));
      const target = colourTargets(lab, bins, outSize);
      const out = decoder.apply(lastTap(backbone, lightnessInput(lab), true), { training: true });
      if (loss === 'regression') {
        const ones = tf.ones([indices.length, outSize, outSize, 1]) as tf.Tensor4D;
        return { loss: maskedSquaredError(out, tf.div(target.ab, AB_SCALE) as tf.Tensor4D, ones) };
      }
      const weights = classWeights ? tf.tensor1d(classWeights) : undefined; // a few hundred floats a step: no tensor outlives the step
      const { loss: l, correct } = pixelCrossEntropy(out, target.bins, weights);
      return { loss: l, correct, count: indices.length * pixels };
    },
  };
  return { task, backbone, decoder, loss, bins, outSize };
}

/** Configuration of {@link pretrainColourisation}. */
export interface ColourisationPretrainConfig extends DensePretrainConfig {
  loss: ColourLoss;
  /** Side of the predicted ab map (default a quarter of the image side). */
  outSize?: number;
  /** ab bin side (default 10). */
  gridSize?: number;
  /** Rebalancing mix λ (Zhang et al. eq. 4; default 0.5; 1 turns rebalancing off). */
  lambda?: number;
  /** Images of `set` the empirical ab distribution is counted on (default 5,000). */
  histogramImages?: number;
  /** The bin counts, when already measured (`abBinCounts` on `set` at `outSize`): skips counting. */
  counts?: Float64Array;
}

/** What {@link pretrainColourisation} returns: a trained {@link Colouriser} plus the run and the rebalancing statistics. */
export type PretrainedColouriser = Awaited<ReturnType<typeof pretrainColourisation>>;

/**
 * Train a colouriser on the colour images of `set`: a fresh one-channel backbone (initial weights
 * from `cfg.seed` only) and its decoder, through the one training loop. For `classification`, the
 * empirical distribution of the ab bins (`counts`) is measured on the set first and turned into
 * rebalancing `classWeights` with λ = `cfg.lambda`.
 */
export async function pretrainColourisation(set: ImageSet, cfg: ColourisationPretrainConfig) {
  const bins = abBins(cfg.gridSize ?? 10);
  const outSize = cfg.outSize ?? set.height / 4;
  const lambda = cfg.lambda ?? 0.5;
  let counts: Float64Array | undefined;
  let classWeights: Float32Array | undefined;
  if (cfg.loss === 'classification') {
    counts = cfg.counts ?? abBinCounts(set, bins, { outSize, maxImages: cfg.histogramImages ?? 5000 });
    if (lambda < 1) classWeights = rebalanceWeights(counts, bins, { lambda });
  }
  const run = await pretrainDense(
    set,
    1,
    cfg,
    (backbone, rng) => colourisationTask(backbone, set, rng, { loss: cfg.loss, outSize, bins, classWeights, augment: cfg.augment }),
    { method: `colourisation-${cfg.loss}`, outSize, gridSize: bins.gridSize, lambda, histogramImages: cfg.histogramImages ?? 5000 },
  );
  return { ...run, counts, classWeights };
}

/** How predicted ab is read out: the annealed mean or mode of the bin distribution (classification), or the regression output. */
export type ColourDecoding = 'annealed-mean' | 'mode' | 'mean' | 'regression';

/**
 * Predicted ab of `[batch, h, w, 3]` sRGB images at the colouriser's `outSize`.
 * @returns `[batch, outSize, outSize, 2]`
 */
export function predictAb(c: Colouriser, rgb: tf.Tensor4D, decoding: ColourDecoding, T = 0.38): tf.Tensor4D {
  if ((decoding === 'regression') !== (c.loss === 'regression')) throw new Error(`predictAb: decoding "${decoding}" does not fit a ${c.loss} colouriser`);
  return tf.tidy(() => {
    const out = c.decoder.apply(lastTap(c.backbone, lightnessInput(rgbToLab(rgb)), false));
    switch (decoding) {
      case 'regression':
        return tf.mul(out, AB_SCALE) as tf.Tensor4D;
      case 'mode':
        return binMode(out, c.bins) as tf.Tensor4D;
      case 'mean':
        return annealedMean(out, c.bins, 1) as tf.Tensor4D;
      default:
        return annealedMean(out, c.bins, T) as tf.Tensor4D;
    }
  });
}

/**
 * Colourised images for figures: each image's own full-resolution L with the predicted ab
 * (bilinearly upsampled from `outSize`), back to sRGB bytes.
 * @returns `set.n * h * w * 3` bytes
 */
export function colourise(c: Colouriser, set: ImageSet, decoding: ColourDecoding, T = 0.38): Uint8Array {
  return tf.tidy(() => {
    const rgb = toTensor(set);
    const lab = rgbToLab(rgb);
    const ab = tf.image.resizeBilinear(predictAb(c, rgb, decoding, T), [set.height, set.width]);
    const L = tf.slice(lab, [0, 0, 0, 0], [-1, -1, -1, 1]);
    return toBytes(labToRgb(tf.concat([L, ab], 3) as tf.Tensor4D));
  });
}

/** The grey version of colour images, as a person sees it (Lab with a = b = 0, back to sRGB bytes). */
export function greyImages(set: ImageSet): Uint8Array {
  return tf.tidy(() => {
    const lab = rgbToLab(toTensor(set));
    return toBytes(labToRgb(tf.mul(lab, tf.tensor1d([1, 0, 0])) as tf.Tensor4D));
  });
}

function toBytes(x: tf.Tensor): Uint8Array {
  return Uint8Array.from(tf.round(tf.mul(x, 255)).dataSync());
}

/** Colour statistics of one decoding on a test set (ab units, at the colouriser's `outSize`). */
export interface ColourStats {
  decoding: ColourDecoding;
  /** Root mean squared ab error against the true (average-pooled) ab: lowest for the conditional mean. */
  abRmse: number;
  /** Mean chroma `sqrt(a² + b²)` of the predictions: how colourful they are. */
  chroma: number;
  /** Mean chroma of the true ab at the same resolution. */
  trueChroma: number;
}

/**
 * How close and how colourful the predictions of `decoding` are on `set`, in batches of `batchSize`.
 * Regression wins on `abRmse` (it minimises it) but loses on `chroma`: the lecture's "averages to grey".
 */
export function colourStats(c: Colouriser, set: ImageSet, decoding: ColourDecoding, opts: { T?: number; batchSize?: number } = {}): ColourStats {
  const bs = opts.batchSize ?? 256;
  let se = 0;
  let chroma = 0;
  let trueChroma = 0;
  let pixels = 0;
  for (let s = 0; s < set.n; s += bs) {
    const idx = Int32Array.from({ length: Math.min(bs, set.n - s) }, (_, i) => s + i);
    const [d, p, t] = tf.tidy(() => {
      const rgb = toTensor(set, idx);
      const truth = colourTargets(rgbToLab(rgb), c.bins, c.outSize).ab;
      const pred = predictAb(c, rgb, decoding, opts.T);
      const norm = (x: tf.Tensor) => tf.sum(tf.sqrt(tf.sum(tf.square(x), 3)));
      return [tf.sum(tf.squaredDifference(pred, truth)), norm(pred), norm(truth)];
    });
    se += d.dataSync()[0];
    chroma += p.dataSync()[0];
    trueChroma += t.dataSync()[0];
    pixels += idx.length * c.outSize * c.outSize;
    for (const x of [d, p, t]) x.dispose();
  }
  return { decoding, abRmse: Math.sqrt(se / pixels), chroma: chroma / pixels, trueChroma: trueChroma / pixels };
}
