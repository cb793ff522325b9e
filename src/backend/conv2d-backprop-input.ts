import * as tf from '@tensorflow/tfjs-core';
import { WasmKernelArgs, assertChannelsLast, convPadded, dilateInfo, release, runWasm, transposeInfo } from './wasm-call';

/**
 * Conv2DBackpropInput for the wasm backend, replacing tfjs-backend-wasm's own (a scalar loop) by
 * the backend's XNNPACK Conv2D:
 *
 *   dx = conv2d(dilate(dy, stride), flip(W)^T),  padding top = KH-1-padTop, left = KW-1-padLeft
 *
 * where `flip` reverses both spatial axes and `^T` swaps in/out channels. For stride 1 `dilate` is
 * the identity; for stride s it inserts s-1 zeros between rows and columns of `dy`.
 * Padding 'same', 'valid' or explicit; NHWC only.
 *
 * Inputs `dy: [N, OH, OW, Co]`, `filter: [KH, KW, Ci, Co]`; attrs as tfjs-core's
 * `conv2DBackpropInput` (`strides`, `pad`, `dataFormat`, `dimRoundingMode`, `inputShape`).
 * Returns `[N, H, W, Ci]`.
 */
export function conv2dBackpropInputWasm({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  assertChannelsLast('Conv2DBackpropInput', dataFormat);
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
    false,
    'channelsLast',
  );
  const flipped = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const wT = transposeInfo(backend, flipped, [0, 1, 3, 2]);
  const dyD = dilateInfo(backend, dy, info.strideHeight, info.strideWidth);
  const dx = convPadded(backend, dyD, wT, {
    dilations: [1, 1],
    top: info.filterHeight - 1 - info.padInfo.top,
    left: info.filterWidth - 1 - info.padInfo.left,
    outHeight: info.inHeight,
    outWidth: info.inWidth,
  });
  release(backend, flipped, wT, dyD);
  return dx;
}

/** Kernel config registering {@link conv2dBackpropInputWasm} for 'wasm' (replaces the stock kernel). */
export const conv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
