import * as path from 'node:path';
import * as fs from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { registerCoreGradients } from '../backend/core-gradients';
import { Rng } from '../data/rng';
import { ParamStore } from '../models/params';
import { loadCheckpoint, saveCheckpoint, fingerprint } from './checkpoint';
import { OptimizerConfig, disposeOptimizer, makeOptimizer, scheduledLr, setLearningRate } from './optimizer';
import { ProgressSink, defaultProgressSink, formatSeconds, progressBar } from './progress';

/** What a task's step returns; tensors are owned (and disposed) by the loop. */
export interface StepOutput {
  /** Scalar loss to minimise. */
  loss: tf.Scalar;
  /** Optional: number of correct predictions in the step, for a training accuracy. */
  correct?: tf.Scalar;
  /** Number of predictions `correct` counts over. */
  count?: number;
}

/**
 * One training problem: the loop calls `step` on batches of example indices and optimises
 * `stores`' trainable variables. A method (rotation, SimCLR, ...) is a function returning one.
 */
export interface TrainTask {
  /** Short name for logs, e.g. "rotation". */
  name: string;
  /** Parameters optimised (trainable) and saved (all). */
  stores: ParamStore[];
  /** Number of examples in an epoch. */
  size: number;
  /** Images the network sees per example (4 for rotation: every rotation of one image). */
  imagesPerExample?: number;
  /**
   * Forward pass and loss of one batch. Runs inside `tf.variableGrads`; `rng` is this step's own
   * stream; `at` says where the step is in the whole run (0-based, the same after a resume), for
   * tasks whose difficulty follows a schedule.
   */
  step(indices: Int32Array, rng: Rng, at?: StepPosition): StepOutput;
  /** Optional hook after each optimiser update (e.g. a momentum encoder update). */
  afterStep?(): void;
}

/** Where a step sits in its training run: `step` of `totalSteps` (0-based, counted across epochs). */
export interface StepPosition {
  step: number;
  totalSteps: number;
}

/** Options of {@link train}. */
export interface TrainOptions {
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  seed: number;
  /** Drop the last incomplete batch (default true: batch-norm statistics of tiny batches are noisy). */
  dropLast?: boolean;
  /** Folder for `checkpoint.bin`; a checkpoint per epoch, and resume from it when the configuration matches. */
  checkpointDir?: string;
  /** Extra configuration that must match for a checkpoint to be resumed (dataset, model widths, ...). */
  config?: Record<string, unknown>;
  /** Called after each epoch (e.g. a kNN monitor); its numbers join the history row. */
  onEpochEnd?: (epoch: number) => Promise<Record<string, number> | void> | Record<string, number> | void;
  /** Where progress goes; default: notebook display, terminal line, or log lines. */
  progress?: ProgressSink;
  /** Stop after this many epochs of this call (for tests of resume); the run stays resumable. */
  stopAfterEpochs?: number;
}

/** One row per epoch. */
export interface EpochRow {
  epoch: number;
  loss: number;
  /** Training accuracy of the pretext (or supervised) predictions, when the task reports one. */
  accuracy: number;
  lr: number;
  images_per_s: number;
  seconds: number;
  /** `tf.memory().numTensors` at the start of the epoch: flat when nothing leaks. */
  num_tensors: number;
  [metric: string]: number;
}

/** What {@link train} returns. */
export interface TrainResult {
  history: EpochRow[];
  /** Training images per second over all epochs of the run, restored ones included (monitor time excluded). */
  imagesPerSec: number;
  /** Wall seconds of this call. */
  wallSec: number;
  /** Epoch the run resumed after (0 when it started fresh). */
  resumedFrom: number;
}

/**
 * The one training loop: seeded shuffling per epoch, one `tf.tidy`'d step per batch, progress
 * with images/s, a history row per epoch, an atomic checkpoint per epoch and resume from it.
 * Same seed, same numbers: the batch order and every step's random stream derive from
 * `seed` and the epoch/step index only, so a resumed run continues exactly where it stopped.
 * A non-finite loss stops the run with an error naming the step and learning rate; the last
 * good checkpoint is kept.
 */
export async function train(task: TrainTask, opts: TrainOptions): Promise<TrainResult> {
  for (const [k, v] of [['epochs', opts.epochs], ['batchSize', opts.batchSize]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`train: ${k} must be a positive integer, got ${v}`);
  }
  registerCoreGradients(); // idempotent; tfjs-core's Node build has no gradients of its own
  const dropLast = opts.dropLast ?? true;
  if (task.size < 1) throw new RangeError(`train: task "${task.name}" has no examples (size ${task.size})`);
  if (dropLast && opts.batchSize > task.size) {
    throw new RangeError(`train: batchSize ${opts.batchSize} is larger than the ${task.size} training examples of "${task.name}"; lower batchSize or use more data`);
  }
  const t0 = performance.now();
  const optimizer = makeOptimizer(opts.optimizer);
  const vars = task.stores.flatMap((s) => s.trainableList());
  const allNamed = () =>
    task.stores.flatMap((s, i) => s.entries().map(([name, v]) => ({ name: `${i}:${name}`, tensor: v as tf.Tensor })));
  const fp = fingerprint({
    task: task.name,
    size: task.size,
    epochs: opts.epochs,
    batchSize: opts.batchSize,
    optimizer: opts.optimizer,
    seed: opts.seed,
    dropLast,
    config: opts.config ?? {},
    shapes: allNamed().map((e) => [e.name, e.tensor.shape]),
  });
  const ckptFile = opts.checkpointDir ? path.join(opts.checkpointDir, 'checkpoint.bin') : null;
  const history: EpochRow[] = [];
  let startEpoch = 1;
  if (ckptFile) {
    let ck: ReturnType<typeof loadCheckpoint> = null;
    try {
      ck = loadCheckpoint(ckptFile); // a damaged file is an error naming it, never loaded
      if (ck && ck.meta.fingerprint === fp) {
        const named = allNamed();
        for (const { name, tensor } of named) {
          const t = ck.tensors.get(name);
          if (!t || t.size !== tensor.size) throw new Error(`checkpoint ${ckptFile} lacks "${name}" or holds it in another shape; delete it to start afresh`);
        }
        for (const { name, tensor } of named) (tensor as tf.Variable).assign(ck.tensors.get(name)!);
        const optWeights = [...ck.tensors.entries()]
          .filter(([n]) => n.startsWith('opt:'))
          .map(([n, t]) => ({ name: n.slice(4), tensor: t }));
        if (optWeights.length) await optimizer.setWeights(optWeights);
        history.push(...(ck.meta.history as EpochRow[]));
        startEpoch = ck.meta.epoch + 1;
      }
    } catch (e) {
      disposeOptimizer(optimizer);
      throw e;
    } finally {
      if (ck) for (const t of ck.tensors.values()) t.dispose(); // setWeights copied what it needs
    }
  }
  const resumedFrom = startEpoch - 1;
  const sink = opts.progress ?? defaultProgressSink();
  const rng = new Rng(opts.seed).fork(`train:${task.name}`);
  const stepsPerEpoch = dropLast ? Math.floor(task.size / opts.batchSize) : Math.ceil(task.size / opts.batchSize);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const perExample = task.imagesPerExample ?? 1;
  let epochsThisCall = 0;

  try {
    for (let epoch = startEpoch; epoch <= opts.epochs; epoch++) {
      if (opts.stopAfterEpochs !== undefined && epochsThisCall >= opts.stopAfterEpochs) break;
      const numTensors = tf.memory().numTensors;
      const order = rng.fork(`epoch:${epoch}`).permutation(task.size);
      let lossSum = 0;
      let correctSum = 0;
      let countSum = 0;
      let images = 0;
      const e0 = performance.now();
      let lr = opts.optimizer.lr;
      for (let s = 0; s < stepsPerEpoch; s++) {
        const globalStep = (epoch - 1) * stepsPerEpoch + s;
        lr = scheduledLr(opts.optimizer, globalStep / totalSteps);
        setLearningRate(optimizer, lr);
        const idx = order.subarray(s * opts.batchSize, Math.min(task.size, (s + 1) * opts.batchSize));
        const stepRng = rng.fork(`step:${globalStep}`);
        let correctT: tf.Scalar | undefined;
        let count = 0;
        const lossValue = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const out = task.step(idx, stepRng, { step: globalStep, totalSteps });
            if (out.correct) correctT = tf.keep(out.correct);
            count = out.count ?? 0;
            return out.loss;
          }, vars);
          optimizer.applyGradients(grads);
          return value;
        });
        const l = (await lossValue.data())[0];
        lossValue.dispose();
        if (correctT) {
          correctSum += (await correctT.data())[0];
          correctT.dispose();
          countSum += count;
        }
        if (!Number.isFinite(l)) {
          throw new Error(
            `train: "${task.name}" diverged: loss is ${l} at epoch ${epoch}, step ${s + 1} of ${stepsPerEpoch} (learning rate ${lr.toPrecision(3)}). ` +
              `Lower optimizer.lr and run again${ckptFile ? ` (a changed learning rate trains from the start); this run's last good checkpoint (epoch ${epoch - 1}) is kept at ${ckptFile}` : ''}.`,
          );
        }
        task.afterStep?.();
        lossSum += l;
        images += idx.length * perExample;
        const sec = (performance.now() - e0) / 1000;
        const done = (globalStep + 1) / totalSteps;
        sink.update(
          `${task.name} epoch ${epoch}/${opts.epochs} ${progressBar((s + 1) / stepsPerEpoch)} step ${s + 1}/${stepsPerEpoch} ` +
            `loss ${(lossSum / (s + 1)).toFixed(4)} | ${(images / sec).toFixed(0)} img/s | ${formatSeconds(sec)} (run ${Math.round(done * 100)}%)`,
        );
      }
      const seconds = (performance.now() - e0) / 1000;
      epochsThisCall++;
      const row: EpochRow = {
        epoch,
        loss: lossSum / stepsPerEpoch,
        accuracy: countSum ? correctSum / countSum : NaN,
        lr,
        images_per_s: images / seconds,
        seconds,
        num_tensors: numTensors,
      };
      const extra = await opts.onEpochEnd?.(epoch);
      if (extra) Object.assign(row, extra);
      history.push(row);
      const extraText = extra ? ' | ' + Object.entries(extra).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ') : '';
      sink.done(
        `${task.name} epoch ${epoch}/${opts.epochs} loss ${row.loss.toFixed(4)}` +
          (countSum ? ` acc ${(row.accuracy * 100).toFixed(1)}%` : '') +
          ` | ${row.images_per_s.toFixed(0)} img/s | ${formatSeconds(seconds)}${extraText}`,
      );
      if (ckptFile) {
        const optW = await optimizer.getWeights();
        saveCheckpoint(
          ckptFile,
          [...allNamed(), ...optW.map((w) => ({ name: `opt:${w.name}`, tensor: w.tensor }))],
          { fingerprint: fp, epoch, history },
        );
        for (const w of optW) if (w.name === 'iter') w.tensor.dispose();
      }
    }
  } finally {
    disposeOptimizer(optimizer); // its moment estimates, also when a step throws
  }
  if (resumedFrom > 0 && resumedFrom >= opts.epochs) {
    sink.done(`${task.name}: all ${opts.epochs} epochs restored from ${ckptFile} (delete it to retrain)`);
  }
  // Over the whole run, restored epochs included, so a run restored from its checkpoint still reports its speed.
  const runImages = history.reduce((a, r) => a + r.images_per_s * r.seconds, 0);
  const runSec = history.reduce((a, r) => a + r.seconds, 0);
  return {
    history,
    imagesPerSec: runSec > 0 ? runImages / runSec : NaN,
    wallSec: (performance.now() - t0) / 1000,
    resumedFrom,
  };
}

/** Remove a run's checkpoint folder (e.g. to force retraining). */
export function clearCheckpoint(checkpointDir: string): void {
  fs.rmSync(checkpointDir, { recursive: true, force: true });
}
