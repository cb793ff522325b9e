import * as tf from '@tensorflow/tfjs-core';

/** Optimiser settings. */
export interface OptimizerConfig {
  /** `adam` (Kingma & Ba 2015) or `sgd` with momentum. */
  name: 'adam' | 'sgd';
  /** Peak learning rate. */
  lr: number;
  /** SGD momentum (default 0.9). */
  momentum?: number;
  /** Learning-rate schedule over the whole run: `constant` or `cosine` (to 0, Loshchilov & Hutter 2017). Default `cosine`. */
  schedule?: 'constant' | 'cosine';
}

/** Build a tfjs optimiser; checks `lr` and `momentum`. */
export function makeOptimizer(cfg: OptimizerConfig): tf.Optimizer {
  if (!Number.isFinite(cfg.lr) || cfg.lr <= 0) throw new RangeError(`optimizer: lr must be a positive finite number, got ${cfg.lr}`);
  if (cfg.name === 'adam') return tf.train.adam(cfg.lr);
  if (cfg.name === 'sgd') {
    const m = cfg.momentum ?? 0.9;
    if (!(m >= 0 && m < 1)) throw new RangeError(`optimizer: momentum must be in [0, 1), got ${m}`);
    return tf.train.momentum(cfg.lr, m);
  }
  throw new RangeError(`optimizer: unknown name "${(cfg as { name: string }).name}" (use "adam" or "sgd")`);
}

/** Learning rate at `progress` in [0, 1] of the run. */
export function scheduledLr(cfg: OptimizerConfig, progress: number): number {
  if ((cfg.schedule ?? 'cosine') === 'constant') return cfg.lr;
  return 0.5 * cfg.lr * (1 + Math.cos(Math.PI * Math.min(1, Math.max(0, progress))));
}

/**
 * Set the learning rate of a tfjs optimiser built by {@link makeOptimizer}. Adam reads its
 * `learningRate` field at every `applyGradients`; SGD and momentum instead keep `-lr` in a
 * scalar tensor made once, so for them the field alone would leave the rate unchanged (a
 * schedule would silently do nothing): their own `setLearningRate` remakes that tensor.
 */
export function setLearningRate(opt: tf.Optimizer, lr: number): void {
  const o = opt as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (o.learningRate === lr) return;
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr);
  o.learningRate = lr;
}

/**
 * Dispose a tfjs optimiser and all its tensors. tfjs's momentum optimiser's `dispose` forgets
 * the `-lr` scalar it inherits from SGD (one tensor leaked per run); this releases it too.
 */
export function disposeOptimizer(opt: tf.Optimizer): void {
  opt.dispose();
  const c = (opt as unknown as { c?: tf.Tensor }).c;
  if (c && !c.isDisposed) c.dispose();
}
