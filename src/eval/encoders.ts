import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { cifarSubset } from '../data/split';
import { lightnessInput, rgbToLab } from '../transforms/lab';
import { Backbone, convNet } from '../models/conv-net';
import { pretrain, type PretrainConfig } from '../methods/pretrain';
import { pretrainContrastive } from '../methods/contrastive';
import { clusterFit } from '../methods/clusterfit';
import { pretrainColourisation } from '../methods/colourisation';
import { pretrainInpainting } from '../methods/inpainting';
import { rotationPreset } from '../methods/presets';
import { jigsawPermutationSet, jigsawPreset, relativePositionPreset } from '../methods/presets-pretext';
import { colourisationPreset, inpaintingPreset, inpaintingVariantName } from '../methods/presets-generative';
import { clusterFitPreset } from '../methods/presets-clusterfit';
import { contrastivePreset, mocoSimclrPreset, pirlPreset } from '../methods/presets-contrastive';
import type { EncoderOverride } from '../methods/presets-conclusions';
import { clusterEncoder } from '../cluster/cluster-encoder';
import type { Budget } from '../train/budget';
import { checkpointDir } from '../train/checkpoint-dir';
import { loadCheckpoint } from '../train/checkpoint';
import type { OptimizerConfig } from '../train/optimizer';
import type { ProgressSink } from '../train/progress';
import type { EpochRow } from '../train/train-loop';

/** The encoders the lab trains, by results name, in the lecture's order (baselines last). */
export const STUDY_ENCODERS = ['random', 'rotation', 'relative_position', 'jigsaw', 'colourisation', 'inpainting', 'clusterfit', 'npid', 'pirl', 'moco', 'simclr', 'supervised'] as const;

/** An encoder of {@link STUDY_ENCODERS}. */
export type StudyEncoder = (typeof STUDY_ENCODERS)[number];

/** Where an encoder sits in the lecture's invariance-vs-performance figure. */
export type EncoderFamily = 'baseline' | 'pretext' | 'clustering' | 'contrastive';

/** The family of each study encoder. */
export const ENCODER_FAMILY: Record<StudyEncoder, EncoderFamily> = {
  random: 'baseline', supervised: 'baseline',
  rotation: 'pretext', relative_position: 'pretext', jigsaw: 'pretext', colourisation: 'pretext', inpainting: 'pretext',
  clusterfit: 'clustering',
  npid: 'contrastive', pirl: 'contrastive', moco: 'contrastive', simclr: 'contrastive',
};

/** Check an encoder name; throws a RangeError listing the known ones. */
export function checkStudyEncoder(name: string): StudyEncoder {
  if (!(STUDY_ENCODERS as readonly string[]).includes(name)) throw new RangeError(`unknown encoder "${name}"; known: ${STUDY_ENCODERS.join(', ')}`);
  return name as StudyEncoder;
}

/**
 * A colour-input view of a one-channel (lightness) backbone, such as the colouriser's: RGB in
 * [0, 1] is turned into L* the way `lightnessSet` does (CIE Lab, L scaled to [0, 1] in 1/255
 * steps), then encoded. Shares `backbone`'s parameters (dispose those, not this).
 */
export function lightnessBackbone(backbone: Backbone): Backbone {
  if (backbone.config.inputChannels !== 1) throw new RangeError(`lightnessBackbone: the backbone takes ${backbone.config.inputChannels} channels, expected 1`);
  return {
    kind: `${backbone.kind}+lightness`,
    config: { ...backbone.config, inputChannels: 3 },
    params: backbone.params,
    featureDim: backbone.featureDim,
    apply: (x, opts) => {
      const l = tf.tidy(() => lightnessInput(rgbToLab(x)));
      try {
        return backbone.apply(l, opts);
      } finally {
        l.dispose();
      }
    },
  };
}

/** One training recipe of a study encoder: its notebook's call, with that notebook's preset values. */
interface Recipe {
  /** Notebook whose checkpoint folder holds the runs (`checkpoints/<notebook>/<run>`). */
  notebook: string;
  /** Run (checkpoint folder) of the encoder itself, and its number of epochs. */
  finalRun: string;
  finalEpochs: number;
  trainSize: number;
  widths: number[];
  seed: number;
  input: 'rgb' | 'lightness';
  train(set: ImageSet, ckpt: (run: string) => string, progress?: ProgressSink, onEpochEnd?: EpochHook): Promise<{ backbone: Backbone; imagesPerSec: number; resumedFrom: number; history: EpochRow[]; dispose(): void }>;
}

/** A per-epoch hook of the encoder's own training run (a kNN monitor), as `PretrainConfig.onEpochEnd`. */
export type EpochHook = NonNullable<PretrainConfig['onEpochEnd']>;

/** Which jigsaw encoder {@link trainOrRestoreEncoder} means: 11-pirl's (PIRL's images, the method's default set) or 08-jigsaw's reported one (its permutation-set size, curriculum and images). */
export type JigsawSource = '11-pirl' | '08-jigsaw';

interface Knobs {
  seed: number;
  trainSize: number;
  widths: number[];
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
}

/** The preset's knobs with the override's in their place (batch size at most the training set). */
function knobs(p: { seed: number; trainSize: number; widths: number[]; batchSize: number; optimizer: OptimizerConfig }, epochs: number, o?: EncoderOverride): Knobs {
  const trainSize = o?.trainSize ?? p.trainSize;
  return { seed: p.seed, trainSize, widths: o?.widths ?? p.widths, epochs: o?.epochs ?? epochs, batchSize: Math.min(o?.batchSize ?? p.batchSize, trainSize), optimizer: p.optimizer };
}

/**
 * How `name` is trained at `budget`: exactly the call its own notebook makes (same preset, same
 * options, same checkpoint run names), so the checkpoint fingerprints match; with `override`,
 * the same recipe at another size (13's own small version).
 */
function recipe(name: Exclude<StudyEncoder, 'random'>, budget: Budget, override?: EncoderOverride, jigsawFrom: JigsawSource = '11-pirl'): Recipe {
  const base = (notebook: string, finalRun: string, k: Knobs, input: 'rgb' | 'lightness' = 'rgb') => ({ notebook, finalRun, finalEpochs: k.epochs, trainSize: k.trainSize, widths: k.widths, seed: k.seed, input });
  const common = (k: Knobs) => ({ widths: k.widths, epochs: k.epochs, batchSize: k.batchSize, optimizer: k.optimizer, seed: k.seed });
  const done = <T extends { backbone: Backbone; imagesPerSec: number; resumedFrom: number; history: EpochRow[] }>(r: T, dispose: () => void) => ({ backbone: r.backbone, imagesPerSec: r.imagesPerSec, resumedFrom: r.resumedFrom, history: r.history, dispose });
  switch (name) {
    case 'supervised':
    case 'rotation': {
      const p = rotationPreset(budget);
      const k = knobs(p, name === 'rotation' ? p.epochs : p.supervisedEpochs, override);
      return {
        ...base('02-rotation', name, k),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrain(set, { method: name, ...common(k), ...(name === 'rotation' ? { head: p.head } : {}), checkpointDir: ckpt(name), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.head.params.dispose()));
        },
      };
    }
    case 'relative_position': {
      const p = relativePositionPreset(budget);
      const k = knobs(p, p.epochs, override);
      return {
        ...base('01-relative-position', 'relative_position', k),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrain(set, { method: 'relative_position', ...common(k), options: { patch: p.patch, gap: p.gap, jitter: p.jitter, colour: p.colour }, checkpointDir: ckpt('relative_position'), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.head.params.dispose()));
        },
      };
    }
    case 'jigsaw': {
      if (jigsawFrom === '08-jigsaw') {
        // 08-jigsaw's reported network: its permutation set (greedy Hamming, seeded as the notebook seeds it), tiles, colour treatment and curriculum
        const p = jigsawPreset(budget);
        const k = knobs(p, p.epochs, override);
        const run = `jigsaw-${p.permutations}`;
        return {
          ...base('08-jigsaw', run, k),
          async train(set, ckpt, progress, onEpochEnd) {
            const permutations = jigsawPermutationSet(p);
            const r = await pretrain(set, { method: 'jigsaw', ...common(k), options: { permutations, tileSize: p.tileSize, colour: p.colour, curriculum: p.curriculum }, checkpointDir: ckpt(run), progress, onEpochEnd });
            return done(r, () => (r.backbone.params.dispose(), r.head.params.dispose()));
          },
        };
      }
      // 11-pirl's jigsaw encoder (the 08-jigsaw recipe with its default 100 Hamming permutations), trained on PIRL's images
      const p = pirlPreset(budget);
      const k = knobs(p, p.jigsawEpochs, override);
      return {
        ...base('11-pirl', 'jigsaw', k),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrain(set, { method: 'jigsaw', ...common(k), checkpointDir: ckpt('jigsaw'), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.head.params.dispose()));
        },
      };
    }
    case 'colourisation': {
      const p = colourisationPreset(budget);
      const k = knobs(p, p.epochs, override);
      return {
        ...base('03-colourisation', 'classification', k, 'lightness'),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrainColourisation(set, { ...common(k), outSize: p.outSize, gridSize: p.gridSize, lambda: p.lambda, loss: 'classification', checkpointDir: ckpt('classification'), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.decoder.params.dispose()));
        },
      };
    }
    case 'inpainting': {
      const p = inpaintingPreset(budget);
      const k = knobs(p, p.epochs, override);
      const v = p.encoders[0];
      const name = inpaintingVariantName(v);
      return {
        ...base('04-fill-in-the-blanks', name, k),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrainInpainting(set, { ...common(k), mask: { kind: v.mask, hole: p.hole, blockSize: p.blockSize, coverage: p.coverage }, outSize: p.outSize, decoder: { bottleneck: v.bottleneck }, checkpointDir: ckpt(name), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.decoder.params.dispose()));
        },
      };
    }
    case 'clusterfit': {
      const p = clusterFitPreset(budget);
      const k = knobs(p, p.rotationEpochs, override);
      const clusters = override ? Math.max(10, Math.min(p.k, Math.round(k.trainSize / 100))) : p.k;
      const cfEpochs = override?.epochs !== undefined ? 2 * override.epochs : p.clusterFitEpochs;
      return {
        ...base('09-clusterfit', `clusterfit-k${clusters}-n${k.trainSize}`, k),
        finalEpochs: cfEpochs,
        async train(set, ckpt, progress, onEpochEnd) {
          const rotation = await pretrain(set, { method: 'rotation', ...common(k), head: 'mlp', checkpointDir: ckpt(`rotation-n${k.trainSize}`), progress });
          let assignments: Int32Array;
          try {
            assignments = clusterEncoder(rotation.backbone, set, { ks: [clusters], rng: new Rng(k.seed).fork('kmeans-rotation') })[0].assignments;
          } finally {
            rotation.backbone.params.dispose();
            rotation.head.params.dispose();
          }
          const r = await clusterFit(set, assignments, clusters, { ...common(k), epochs: cfEpochs, checkpointDir: ckpt(`clusterfit-k${clusters}-n${k.trainSize}`), progress, onEpochEnd });
          return done(r, () => (r.backbone.params.dispose(), r.head.params.dispose()));
        },
      };
    }
    case 'npid':
    case 'pirl':
    case 'moco':
    case 'simclr': {
      const c = contrastivePreset(budget);
      const pi = pirlPreset(budget);
      const ms = mocoSimclrPreset(budget);
      const p = name === 'npid' ? c : name === 'pirl' ? pi : ms;
      const notebook = name === 'npid' ? '10-contrastive' : name === 'pirl' ? '11-pirl' : '12-moco-simclr';
      const options =
        name === 'npid' ? { negatives: c.negatives, temperature: c.temperature, bankMomentum: c.bankMomentum }
        : name === 'pirl' ? { lambda: pi.lambda, bankMomentum: pi.bankMomentum, temperature: pi.temperature, negatives: pi.negatives }
        : name === 'moco' ? { temperature: ms.mocoTemperature, queueSize: ms.queueSize, momentum: ms.mocoMomentum }
        : { temperature: ms.simclrTemperature };
      const k = knobs(p, p.epochs, override);
      // a memory bank or queue larger than the (smaller) training set is capped to it
      if (override && 'negatives' in options) options.negatives = Math.min(options.negatives ?? Infinity, k.trainSize - k.batchSize);
      if (override && 'queueSize' in options) options.queueSize = Math.min(options.queueSize ?? Infinity, k.trainSize);
      return {
        ...base(notebook, name, k),
        async train(set, ckpt, progress, onEpochEnd) {
          const r = await pretrainContrastive(set, { method: name, ...common(k), options, checkpointDir: ckpt(name), progress, onEpochEnd });
          return done(r, () => r.dispose());
        },
      };
    }
  }
}

/** Is there a checkpoint in `dir` that finished `epochs` epochs? (Its fingerprint is checked when training restores it.) */
export function hasFinishedCheckpoint(dir: string, epochs: number): boolean {
  const file = path.join(dir, 'checkpoint.bin');
  if (!fs.existsSync(file)) return false;
  let ck: ReturnType<typeof loadCheckpoint> = null;
  try {
    ck = loadCheckpoint(file);
    return !!ck && ck.meta.epoch >= epochs;
  } catch {
    return false; // a damaged file: train afresh (the training loop reports it if it is reused)
  } finally {
    if (ck) for (const t of ck.tensors.values()) t.dispose();
  }
}

/** What {@link trainOrRestoreEncoder} returns. */
export interface StudyEncoderRun {
  encoder: StudyEncoder;
  family: EncoderFamily;
  /** Takes `[b, h, w, 3]` RGB in [0, 1] (a lightness encoder converts inside). */
  backbone: Backbone;
  /** What the encoder itself sees: colour, or lightness only (the colouriser). */
  input: 'rgb' | 'lightness';
  /** `restored`: a finished checkpoint was loaded; `trained`: trained (or resumed) in this call; `init`: random init. */
  source: 'restored' | 'trained' | 'init';
  /** True when this is the small stand-in (`fallback`) because the encoder's own notebook left no finished checkpoint. */
  small: boolean;
  /** Checkpoint folder of the encoder (empty for random init). */
  from: string;
  trainSize: number;
  widths: number[];
  /** Training images/s of the run (restored epochs included; 0 for random init). */
  imagesPerSec: number;
  /** Per-epoch rows of the encoder's own training run (restored with its checkpoint; empty for random init). */
  history: EpochRow[];
  seconds: number;
  dispose(): void;
}

/** Options of {@link trainOrRestoreEncoder}. */
export interface StudyEncoderOptions {
  /** The full CIFAR-10 training split (`loadCifar10('train')`). */
  cifarTrain: ImageSet;
  /** Notebook whose checkpoint folder holds the encoders trained here (e.g. `13-invariance-vs-performance`). */
  notebook: string;
  /**
   * When the encoder's own notebook left no finished checkpoint at this budget: an
   * {@link EncoderOverride} trains that small version here (in `opts.notebook`'s folder);
   * `'reference'` runs the notebook's own call at this budget in the notebook's own folder, so the
   * encoder is the notebook's exactly and the notebook restores it when it runs later.
   */
  fallback: EncoderOverride | 'reference';
  /** Which jigsaw encoder (default `11-pirl`'s; `08-jigsaw`: 08's reported permutation set). */
  jigsaw?: JigsawSource;
  /** Per-epoch hook of the encoder's own training run (not called for epochs restored from a checkpoint). */
  onEpochEnd?: EpochHook;
  /** Random init: widths and seed (default the rotation preset's at this budget). */
  randomWidths?: number[];
  seed?: number;
  progress?: ProgressSink;
}

/**
 * Get a study encoder without retraining what the lab already trained: when its own notebook
 * (01-12) left a finished checkpoint at `budget` (in `checkpoints/<notebook>/<run>`), the
 * notebook's exact training call restores it; otherwise the same recipe at the `fallback` size
 * is trained (or restored) in `checkpoints/<opts.notebook>/<encoder>-<run>`, or with fallback
 * `'reference'` the notebook's own call runs in the notebook's folder. The jigsaw encoder is
 * 11-pirl's unless `opts.jigsaw` says 08's; ClusterFit re-clusters its restored rotation encoder (same seed, same clusters)
 * before restoring the ClusterFit network. The caller disposes the result.
 */
export async function trainOrRestoreEncoder(name: string, budget: Budget, opts: StudyEncoderOptions): Promise<StudyEncoderRun> {
  const encoder = checkStudyEncoder(name);
  const t0 = performance.now();
  if (encoder === 'random') {
    const widths = opts.randomWidths ?? rotationPreset(budget).widths;
    const backbone = convNet({ inputChannels: 3, widths }, new Rng(opts.seed ?? rotationPreset(budget).seed));
    return { encoder, family: 'baseline', backbone, input: 'rgb', source: 'init', small: false, from: '', trainSize: 0, widths, imagesPerSec: 0, history: [], seconds: (performance.now() - t0) / 1000, dispose: () => backbone.params.dispose() };
  }
  const reference = recipe(encoder, budget, undefined, opts.jigsaw);
  const fallback = opts.fallback;
  // the notebook's own run: restored when finished, else (fallback 'reference') trained or resumed where the notebook keeps it
  const own = fallback === 'reference' || hasFinishedCheckpoint(checkpointDir(reference.notebook, reference.finalRun), reference.finalEpochs);
  const r = own ? reference : recipe(encoder, budget, fallback as EncoderOverride, opts.jigsaw);
  const ckpt = own ? (run: string) => checkpointDir(r.notebook, run) : (run: string) => checkpointDir(opts.notebook, `${encoder}-${run}`);
  const set = cifarSubset(opts.cifarTrain, r.trainSize, r.seed);
  const run = await r.train(set, ckpt, opts.progress, opts.onEpochEnd);
  const backbone = r.input === 'lightness' ? lightnessBackbone(run.backbone) : run.backbone;
  return {
    encoder,
    family: ENCODER_FAMILY[encoder],
    backbone,
    input: r.input,
    source: run.resumedFrom >= r.finalEpochs ? 'restored' : 'trained',
    small: !own,
    from: ckpt(r.finalRun),
    trainSize: r.trainSize,
    widths: r.widths,
    imagesPerSec: run.imagesPerSec,
    history: run.history,
    seconds: (performance.now() - t0) / 1000,
    dispose: run.dispose,
  };
}
