import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Arguments the engine passes to every kernel function registered for the wasm backend. */
export interface WasmKernelArgs {
  inputs: tf.NamedTensorInfoMap;
  backend: BackendWasm;
  attrs: tf.NamedAttrMap;
}

/**
 * Runs one of the wasm backend's registered kernels directly on tensor infos, the way the
 * backend's own kernels call each other: no engine bookkeeping, no gradient tape. The caller owns
 * the result and must {@link release} it unless it returns it.
 *
 * @throws Error when `kernelName` is not registered for 'wasm'.
 */
export function runWasm(
  backend: BackendWasm,
  kernelName: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown> = {},
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel == null) throw new Error(`selfsup: wasm kernel '${kernelName}' is not registered`);
  const out = kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap });
  return Array.isArray(out) ? out[0] : out;
}

/** Drops one reference to each intermediate tensor info made by {@link runWasm}. */
export function release(backend: BackendWasm, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** `x` reshaped to `shape` (shares memory; release it like any other result). */
export function reshapeInfo(backend: BackendWasm, x: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return runWasm(backend, 'Reshape', { x }, { shape });
}

/** `x` with its axes permuted by `perm`. */
export function transposeInfo(backend: BackendWasm, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runWasm(backend, 'Transpose', { x }, { perm });
}

/** The block of `x` starting at `begin` of extent `size` (contiguous slice). */
export function sliceInfo(backend: BackendWasm, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  return runWasm(backend, 'Slice', { x }, { begin, size });
}

/** Throws the error a kernel gives for an unsupported data format. */
export function assertChannelsLast(kernelName: string, dataFormat: unknown): void {
  if (dataFormat != null && dataFormat !== 'NHWC') {
    throw new Error(`selfsup wasm ${kernelName}: only dataFormat 'NHWC' is supported, got '${String(dataFormat)}'`);
  }
}

/**
 * A stride-1 2-D convolution (or depthwise convolution) with arbitrary, possibly negative,
 * zero padding, cut to an output of `outHeight x outWidth`:
 *
 *   out[n, i, j, k] = sum_{a, b, c} x[n, i + a*dh - top, j + b*dw - left, c] * f[a, b, c, k]
 *
 * (depthwise: `c` is not summed, `k` indexes `c*M + m`). Rows and columns of `x` that the output
 * never reads are sliced off; the rest of the padding goes to the backend's own kernel as explicit
 * padding, so XNNPACK does the work.
 *
 * @param x `[N, H, W, C]`
 * @param filter `[KH, KW, C, K]` (depthwise: `[KH, KW, C, M]`)
 * @returns `[N, outHeight, outWidth, K]` (depthwise: `C*M` channels)
 */
export function convPadded(
  backend: BackendWasm,
  x: tf.TensorInfo,
  filter: tf.TensorInfo,
  opts: {
    dilations: [number, number];
    top: number;
    left: number;
    outHeight: number;
    outWidth: number;
    depthwise?: boolean;
  },
): tf.TensorInfo {
  const [n, h, w, c] = x.shape;
  const [kh, kw] = filter.shape;
  const [dh, dw] = opts.dilations;
  const ekh = (kh - 1) * dh + 1;
  const ekw = (kw - 1) * dw + 1;
  let top = opts.top;
  let left = opts.left;
  let bottom = opts.outHeight + ekh - 1 - h - top;
  let right = opts.outWidth + ekw - 1 - w - left;
  let input = x;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) {
    const r0 = Math.max(0, -top);
    const c0 = Math.max(0, -left);
    const r1 = h - Math.max(0, -bottom);
    const c1 = w - Math.max(0, -right);
    input = sliceInfo(backend, x, [0, r0, c0, 0], [n, r1 - r0, c1 - c0, c]);
    top = Math.max(0, top);
    left = Math.max(0, left);
    bottom = Math.max(0, bottom);
    right = Math.max(0, right);
  }
  const pad = [[0, 0], [top, bottom], [left, right], [0, 0]];
  const out = runWasm(backend, opts.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', { x: input, filter }, {
    strides: [1, 1],
    pad,
    dilations: [dh, dw],
    dataFormat: 'NHWC',
    dimRoundingMode: undefined,
  });
  if (input !== x) release(backend, input);
  return out;
}

/**
 * `dy` with `sh-1` zero rows and `sw-1` zero columns after each of its rows and columns (the
 * "fractionally strided" input of a transposed convolution). The trailing zero rows and columns
 * are kept: {@link convPadded} reads them as padding or slices them off.
 *
 * @param dy `[N, OH, OW, C]`
 * @returns `[N, OH*sh, OW*sw, C]` (a new reference to `dy` when both strides are 1)
 */
export function dilateInfo(backend: BackendWasm, dy: tf.TensorInfo, sh: number, sw: number): tf.TensorInfo {
  const [n, oh, ow, c] = dy.shape;
  if (sh === 1 && sw === 1) return reshapeInfo(backend, dy, dy.shape);
  const dy5 = reshapeInfo(backend, dy, [n * oh, 1, ow, 1, c]);
  const padded = runWasm(backend, 'PadV2', { x: dy5 }, {
    paddings: [[0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
    constantValue: 0,
  });
  const out = reshapeInfo(backend, padded, [n, oh * sh, ow * sw, c]);
  release(backend, dy5, padded);
  return out;
}
