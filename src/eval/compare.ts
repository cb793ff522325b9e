import { ImageSet } from '../data/image-set';
import { Rng } from '../data/rng';
import { stratifiedSample, subset } from '../data/split';
import { Backbone } from '../models/conv-net';
import { EvaluateOptions, Evaluation, evaluateBackbone } from './evaluate';

/** One row of {@link compareEncoders}: an encoder's accuracies, fractions in [0, 1]. */
export interface EncoderRow extends Evaluation {
  encoder: string;
}

/**
 * Evaluate several frozen backbones the same way (kNN and linear probe, same bank, same test
 * images) and return one row each plus the flat metric map of the results contract
 * (`"<encoder>.knn"`, `"<encoder>.linear"`).
 */
export async function compareEncoders(
  encoders: Record<string, Backbone>,
  bank: ImageSet,
  test: ImageSet,
  opts: EvaluateOptions = {},
): Promise<{ rows: EncoderRow[]; metrics: Record<string, number> }> {
  const rows: EncoderRow[] = [];
  const metrics: Record<string, number> = {};
  for (const [encoder, backbone] of Object.entries(encoders)) {
    const e = await evaluateBackbone(backbone, bank, test, opts);
    rows.push({ encoder, ...e });
    metrics[`${encoder}.knn`] = e.knn;
    if (!opts.knnOnly) metrics[`${encoder}.linear`] = e.linear;
  }
  return { rows, metrics };
}

/**
 * A per-epoch kNN monitor for the training loop (the MoCo CIFAR demo's, k=200, t=0.1): kNN
 * accuracy on `size` test images against `size` bank images, both class-balanced and fixed
 * for the run. Returns undefined when `size` is 0 (monitor off).
 */
export function knnMonitor(
  bank: ImageSet,
  test: ImageSet,
  size: number,
  seed: number,
): ((epoch: number, backbone: Backbone) => Promise<Record<string, number>>) | undefined {
  if (!size) return undefined;
  const rng = new Rng(seed).fork('knn-monitor');
  const b = subset(bank, stratifiedSample(bank, { total: Math.min(size, bank.n) }, rng));
  const t = subset(test, stratifiedSample(test, { total: Math.min(size, test.n) }, rng));
  return async (_epoch, backbone) => ({ knn: (await evaluateBackbone(backbone, b, t, { knnOnly: true })).knn });
}

/** What {@link transferTrajectory} reads of a run's history: its per-epoch kNN monitor and training accuracy. */
export interface MonitoredEpoch {
  epoch: number;
  accuracy?: number;
  knn?: number;
}

/**
 * How a pretext run's transfer moved while it learned its task: the epoch where the kNN monitor
 * peaked, its value there and at the end, and the pretext (training) accuracy at the first and last
 * epoch. Undefined when the history has no kNN monitor (monitor off, or a run restored from a
 * checkpoint written without one).
 */
export function transferTrajectory(history: readonly MonitoredEpoch[]): { peakEpoch: number; peakKnn: number; finalKnn: number; firstAccuracy: number; finalAccuracy: number } | undefined {
  const rows = history.filter((h) => typeof h.knn === 'number' && Number.isFinite(h.knn));
  if (rows.length === 0 || rows.length !== history.length) return undefined;
  const peak = rows.reduce((a, b) => (b.knn! > a.knn! ? b : a));
  return { peakEpoch: peak.epoch, peakKnn: peak.knn!, finalKnn: rows[rows.length - 1].knn!, firstAccuracy: history[0].accuracy ?? NaN, finalAccuracy: history[history.length - 1].accuracy ?? NaN };
}
