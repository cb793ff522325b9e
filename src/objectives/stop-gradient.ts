import * as tf from '@tensorflow/tfjs-core';

const stop = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
  const x = args[0] as tf.Tensor;
  return { value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** `x` as a constant for differentiation: the same values, zero gradient (tfjs has no stop_gradient). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return stop(x) as T;
}
