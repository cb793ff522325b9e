import * as tf from '@tensorflow/tfjs-core';
import { WasmKernelArgs, assertChannelsLast, convPadded, release, transposeInfo } from './wasm-call';

/**
 * Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has none), composed of the
 * backend's own Transpose and Conv2D (XNNPACK) kernels:
 *
 *   dW[a, b, ci, co] = sum_{n, p, q} x[n, p*sh + a - top, q*sw + b - left, ci] * dy[n, p, q, co]
 *
 * is a stride-1 convolution of `x^T` (`[Ci, H, W, N]`, batch and channels swapped) with the filter
 * `dy^T` (`[OH, OW, N, Co]`) at dilation = stride, cut to `KH x KW`, then transposed back.
 * Padding 'same', 'valid' or explicit; any strides; NHWC only.
 *
 * Inputs `x: [N, H, W, Ci]`, `dy: [N, OH, OW, Co]`; attrs as tfjs-core's `conv2DBackpropFilter`
 * (`strides`, `pad`, `dataFormat`, `dimRoundingMode`, `filterShape`). Returns `[KH, KW, Ci, Co]`.
 */
export function conv2dBackpropFilterWasm({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  assertChannelsLast('Conv2DBackpropFilter', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) {
    throw new Error(
      `selfsup wasm Conv2DBackpropFilter: dy is [${dy.shape}] but x [${x.shape}] with this padding and stride ` +
        `gives ${info.outHeight}x${info.outWidth}`,
    );
  }
  const xT = transposeInfo(backend, x, [3, 1, 2, 0]);
  const dyT = transposeInfo(backend, dy, [1, 2, 0, 3]);
  const dwT = convPadded(backend, xT, dyT, {
    dilations: [info.strideHeight, info.strideWidth],
    top: info.padInfo.top,
    left: info.padInfo.left,
    outHeight: info.filterHeight,
    outWidth: info.filterWidth,
  });
  const dw = transposeInfo(backend, dwT, [1, 2, 0, 3]);
  release(backend, xT, dyT, dwT);
  return dw;
}

/** Kernel config registering {@link conv2dBackpropFilterWasm} for 'wasm'. */
export const conv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
