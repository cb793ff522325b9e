import * as tf from '@tensorflow/tfjs-core';
import { WasmKernelArgs, convPadded, dilateInfo, release, reshapeInfo, runWasm } from './wasm-call';

/**
 * DepthwiseConv2dNativeBackpropInput for the wasm backend (missing in tfjs-backend-wasm 4.22):
 *
 *   dx[n, y, x, c] = sum_{a, b, m} dy[n, (y + top - a*d)/s, (x + left - b*d)/s, c*M + m] * W[a, b, c, m]
 *
 * is a depthwise convolution (multiplier 1) of `dilate(dy, stride)` with the spatially flipped
 * filter reshaped to `[KH, KW, C*M, 1]`, padding top = (KH-1)*d - padTop, followed, when the
 * channel multiplier M > 1, by a sum over m. Any strides, dilations and paddings; NHWC.
 *
 * Inputs `dy: [N, OH, OW, C*M]`, `filter: [KH, KW, C, M]`; attrs as tfjs-core's
 * `depthwiseConv2dNativeBackpropInput` (`strides`, `pad`, `dimRoundingMode`, `dilations`,
 * `inputShape`). Returns `[N, H, W, C]`.
 */
export function depthwiseConv2dBackpropInputWasm({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, dilations, inputShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropInputAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filter.shape;
  const [n, h, w] = inputShape;
  const flipped = runWasm(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
  const w1 = reshapeInfo(backend, flipped, [kh, kw, c * m, 1]);
  const dyD = dilateInfo(backend, dy, info.strideHeight, info.strideWidth);
  const dxM = convPadded(backend, dyD, w1, {
    dilations: [info.dilationHeight, info.dilationWidth],
    top: (kh - 1) * info.dilationHeight - info.padInfo.top,
    left: (kw - 1) * info.dilationWidth - info.padInfo.left,
    outHeight: h,
    outWidth: w,
    depthwise: true,
  });
  release(backend, flipped, w1, dyD);
  if (m === 1) return dxM;
  const dx5 = reshapeInfo(backend, dxM, [n, h, w, c, m]);
  const dx = runWasm(backend, 'Sum', { x: dx5 }, { axis: [4], keepDims: false });
  release(backend, dxM, dx5);
  return dx;
}

/** Kernel config registering {@link depthwiseConv2dBackpropInputWasm} for 'wasm'. */
export const depthwiseConv2dBackpropInputConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropInputWasm as unknown as tf.KernelFunc,
};
