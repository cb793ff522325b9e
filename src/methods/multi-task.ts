import * as tf from '@tensorflow/tfjs-core';
import { ImageSet } from '../data/image-set';
import { imageSetDigest } from '../data/cache';
import { Rng } from '../data/rng';
import { Backbone, convNet } from '../models/conv-net';
import { Head } from '../models/linear-head';
import { ParamStore } from '../models/params';
import { TrainResult, TrainTask, train } from '../train/train-loop';
import { METHODS, MethodFactory, MethodName, PretrainConfig, checkMethod } from './pretrain';

/** One task of a {@link multiTask} and the weight of its loss. */
export interface TaskPart {
  task: TrainTask;
  /** Weight of this task's loss in the sum (default 1). */
  weight?: number;
}

/** Options of {@link multiTask}. */
export interface MultiTaskOptions {
  /** Name in logs and checkpoints (default the parts' names joined by `+`). */
  name?: string;
  /**
   * How a batch of example indices is shared: `split` (default) cuts it into one contiguous
   * slice per task (the loop's order is already shuffled), so an epoch visits every example once,
   * by one of the tasks: the same image budget as one epoch of a single task; `shared` gives
   * every task the whole batch (each example is used by every task, at the sum of their costs).
   */
  batch?: 'split' | 'shared';
}

/** Per-task means since the last {@link MultiTask.takeStats}. */
export type PartStats = Record<string, number>;

/** A {@link TrainTask} made of several tasks, with per-task statistics. */
export interface MultiTask extends TrainTask {
  /** The parts' names, in order. */
  readonly parts: string[];
  /** The parts' loss weights, in order. */
  readonly weights: number[];
  /**
   * Mean loss (`<name>_loss`) and, where the part reports predictions, accuracy
   * (`<name>_accuracy`) of each part over the steps since the previous call; resets them.
   */
  takeStats(): PartStats;
}

/** The slice of `indices` part `t` of `parts` gets under the `split` policy. */
export function splitBatch(indices: Int32Array, t: number, parts: number): Int32Array {
  const n = indices.length;
  return indices.subarray(Math.floor((t * n) / parts), Math.floor(((t + 1) * n) / parts));
}

/**
 * Multi-task self-supervised learning (Doersch & Zisserman 2017, "Multi-task self-supervised
 * visual learning"): one backbone trained on several pretext tasks at once. Each part keeps its
 * own head; the step runs every part on its share of the batch (see `batch`) with its own
 * random stream (`stepRng.fork(part name)`) and minimises the weighted sum
 * `L = sum_t weight_t * L_t` over the union of the parts' parameters (a backbone shared by the
 * parts is optimised once). Build the parts over the same `Backbone`.
 * The step reports no pooled accuracy (the parts' label spaces differ): read {@link MultiTask.takeStats}.
 */
export function multiTask(parts: TaskPart[], opts: MultiTaskOptions = {}): MultiTask {
  if (parts.length < 2) throw new RangeError(`multiTask: give at least 2 tasks, got ${parts.length}`);
  const names = parts.map((p) => p.task.name);
  if (new Set(names).size !== names.length) throw new RangeError(`multiTask: task names must differ, got ${names.join(', ')}`);
  const weights = parts.map((p) => p.weight ?? 1);
  for (const [i, w] of weights.entries()) {
    if (!(Number.isFinite(w) && w >= 0)) throw new RangeError(`multiTask: weight of "${names[i]}" must be a finite number >= 0, got ${w}`);
  }
  const size = parts[0].task.size;
  for (const p of parts) {
    if (p.task.size !== size) throw new RangeError(`multiTask: every task must cover the same examples; "${p.task.name}" has ${p.task.size}, "${names[0]}" ${size}`);
  }
  const batch = opts.batch ?? 'split';
  if (batch !== 'split' && batch !== 'shared') throw new RangeError(`multiTask: batch must be 'split' or 'shared', got ${batch}`);
  const stores: ParamStore[] = [];
  for (const p of parts) for (const s of p.task.stores) if (!stores.includes(s)) stores.push(s);
  const perExample = parts.map((p) => p.task.imagesPerExample ?? 1);
  const sum = { loss: new Float64Array(parts.length), steps: new Float64Array(parts.length), correct: new Float64Array(parts.length), count: new Float64Array(parts.length) };
  const afters = parts.filter((p) => p.task.afterStep).map((p) => p.task);
  return {
    name: opts.name ?? names.join('+'),
    stores,
    size,
    // Images through the network per example of the loop's batch: each part's own count, on its share.
    imagesPerExample: batch === 'split' ? perExample.reduce((a, b) => a + b, 0) / parts.length : perExample.reduce((a, b) => a + b, 0),
    parts: names,
    weights,
    step(indices, stepRng, at) {
      if (batch === 'split' && indices.length < parts.length) {
        throw new RangeError(`multiTask: a batch of ${indices.length} cannot be split among ${parts.length} tasks; raise batchSize`);
      }
      let total: tf.Scalar | null = null;
      for (let t = 0; t < parts.length; t++) {
        const idx = batch === 'split' ? splitBatch(indices, t, parts.length) : indices;
        const out = parts[t].task.step(idx, stepRng.fork(names[t]), at);
        sum.loss[t] += out.loss.dataSync()[0];
        sum.steps[t] += 1;
        if (out.correct && out.count) {
          sum.correct[t] += out.correct.dataSync()[0];
          sum.count[t] += out.count;
        }
        const term = tf.mul(out.loss, weights[t]) as tf.Scalar;
        total = total ? (tf.add(total, term) as tf.Scalar) : term;
      }
      return { loss: total! };
    },
    afterStep: afters.length ? () => afters.forEach((t) => t.afterStep!()) : undefined,
    takeStats() {
      const out: PartStats = {};
      names.forEach((n, t) => {
        if (sum.steps[t]) out[`${n}_loss`] = sum.loss[t] / sum.steps[t];
        if (sum.count[t]) out[`${n}_accuracy`] = sum.correct[t] / sum.count[t];
      });
      for (const a of Object.values(sum)) a.fill(0);
      return out;
    },
  };
}

/** One pretext method of {@link pretrainMultiTask}. */
export interface MultiTaskMethod {
  method: MethodName;
  /** Weight of its loss (default 1). */
  weight?: number;
  /** Method-specific knobs passed to its factory (as `PretrainConfig.options`). */
  options?: Record<string, unknown>;
}

/** Configuration of {@link pretrainMultiTask}: {@link PretrainConfig} with several methods. */
export interface MultiTaskPretrainConfig extends Omit<PretrainConfig, 'method' | 'options'> {
  methods: MultiTaskMethod[];
  /** How each batch is shared among the methods (default `split`: the same image budget as one method). */
  batch?: 'split' | 'shared';
}

/** What {@link pretrainMultiTask} returns: the backbone and one head per method (the caller disposes their params). */
export interface MultiTaskPretrained extends TrainResult {
  methods: MethodName[];
  backbone: Backbone;
  heads: Head[];
}

/**
 * Build a fresh backbone and train it on several pretext methods at once ({@link multiTask})
 * through the one training loop. The backbone and each method's head start from the same
 * weights as `pretrain` with the same seed would give them, so a multi-task run and the
 * single-method runs differ only in their training. Each history row gets the per-method
 * `<method>_loss` and `<method>_accuracy` columns, then `onEpochEnd`'s.
 */
export async function pretrainMultiTask(set: ImageSet, cfg: MultiTaskPretrainConfig): Promise<MultiTaskPretrained> {
  const methods = cfg.methods.map((m) => checkMethod(m.method));
  const rng = new Rng(cfg.seed);
  const backbone = convNet({ inputChannels: set.channels, widths: cfg.widths }, rng);
  const built: { task: TrainTask; head: Head }[] = [];
  try {
    for (const [i, m] of cfg.methods.entries()) {
      const factory = METHODS[methods[i]] as MethodFactory;
      built.push(factory(backbone, set, rng.fork(methods[i]), { ...m.options, augment: cfg.augment, head: cfg.head }));
    }
    const task = multiTask(built.map((b, i) => ({ task: b.task, weight: cfg.methods[i].weight })), { batch: cfg.batch });
    const result = await train(task, {
      epochs: cfg.epochs,
      batchSize: cfg.batchSize,
      optimizer: cfg.optimizer,
      seed: cfg.seed,
      checkpointDir: cfg.checkpointDir,
      config: {
        data: set.name,
        n: set.n,
        content: imageSetDigest(set),
        widths: backbone.config.widths,
        augment: cfg.augment ?? true,
        head: cfg.head ?? 'linear',
        batch: cfg.batch ?? 'split',
        methods: cfg.methods.map((m) => ({ method: m.method, weight: m.weight ?? 1, ...(m.options ? { options: m.options } : {}) })),
      },
      onEpochEnd: async (e) => ({ ...task.takeStats(), ...((await cfg.onEpochEnd?.(e, backbone)) ?? {}) }),
      progress: cfg.progress,
    });
    return { ...result, methods, backbone, heads: built.map((b) => b.head) };
  } catch (err) {
    backbone.params.dispose();
    for (const b of built) b.head.params.dispose();
    throw err;
  }
}
