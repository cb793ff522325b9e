import * as tf from '@tensorflow/tfjs-core';
import { WasmKernelArgs, release, reshapeInfo, runWasm } from './wasm-call';

/**
 * DepthwiseConv2dNativeBackpropFilter for the wasm backend (missing in tfjs-backend-wasm 4.22):
 *
 *   dW[a, b, c, m] = sum_{n, p, q} xpad[n, p*sh + a*dh, q*sw + b*dw, c] * dy[n, p, q, c*M + m]
 *
 * one filter tap at a time: a (strided) slice of the zero-padded input, a broadcast Multiply with
 * `dy` viewed as `[P, C, M]`, and a Sum over the `P = N*OH*OW` positions; the `KH*KW` rows are
 * concatenated. Any strides, dilations and paddings; NHWC.
 *
 * Inputs `x: [N, H, W, C]`, `dy: [N, OH, OW, C*M]`; attrs as tfjs-core's
 * `depthwiseConv2dNativeBackpropFilter` (`strides`, `pad`, `dimRoundingMode`, `dilations`,
 * `filterShape`). Returns `[KH, KW, C, M]`.
 */
export function depthwiseConv2dBackpropFilterWasm({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dimRoundingMode, dilations, filterShape } =
    attrs as unknown as tf.DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    dilations ?? 1,
    pad,
    dimRoundingMode,
    true,
  );
  const [kh, kw, c, m] = filterShape;
  const [n, h, w] = x.shape;
  const { outHeight: oh, outWidth: ow, strideHeight: sh, strideWidth: sw } = info;
  const { dilationHeight: dh, dilationWidth: dw } = info;
  if (oh !== dy.shape[1] || ow !== dy.shape[2]) {
    throw new Error(
      `selfsup wasm DepthwiseConv2dNativeBackpropFilter: dy is [${dy.shape}] but x [${x.shape}] gives ${oh}x${ow}`,
    );
  }
  const { top, left } = info.padInfo;
  const bottom = Math.max(0, (oh - 1) * sh + (kh - 1) * dh + 1 - h - top);
  const right = Math.max(0, (ow - 1) * sw + (kw - 1) * dw + 1 - w - left);
  const xp =
    top || bottom || left || right
      ? runWasm(backend, 'PadV2', { x }, { paddings: [[0, 0], [top, bottom], [left, right], [0, 0]], constantValue: 0 })
      : reshapeInfo(backend, x, x.shape);
  const positions = n * oh * ow;
  const dy3 = reshapeInfo(backend, dy, [positions, c, m]);
  const rows: tf.TensorInfo[] = [];
  for (let a = 0; a < kh; a++) {
    for (let b = 0; b < kw; b++) {
      const tap =
        sh === 1 && sw === 1
          ? runWasm(backend, 'Slice', { x: xp }, { begin: [0, a * dh, b * dw, 0], size: [n, oh, ow, c] })
          : runWasm(backend, 'StridedSlice', { x: xp }, {
              begin: [0, a * dh, b * dw, 0],
              end: [n, a * dh + (oh - 1) * sh + 1, b * dw + (ow - 1) * sw + 1, c],
              strides: [1, sh, sw, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            });
      const tap3 = reshapeInfo(backend, tap, [positions, c, 1]);
      const prod = runWasm(backend, 'Multiply', { a: tap3, b: dy3 });
      const prod2 = reshapeInfo(backend, prod, [positions, c * m]);
      rows.push(runWasm(backend, 'Sum', { x: prod2 }, { axis: [0], keepDims: true }));
      release(backend, tap, tap3, prod, prod2);
    }
  }
  const stacked = runWasm(backend, 'Concat', rows as unknown as Record<string, tf.TensorInfo>, { axis: 0 });
  const dW = reshapeInfo(backend, stacked, [kh, kw, c, m]);
  release(backend, xp, dy3, stacked, ...rows);
  return dW;
}

/** Kernel config registering {@link depthwiseConv2dBackpropFilterWasm} for 'wasm'. */
export const depthwiseConv2dBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dBackpropFilterWasm as unknown as tf.KernelFunc,
};
