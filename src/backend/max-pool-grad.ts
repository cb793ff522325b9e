import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from './stock-kernels';
import { WasmKernelArgs } from './wasm-call';

/**
 * MaxPoolGrad for the wasm backend, replacing tfjs-backend-wasm's: one pass over the pooling
 * windows on the heap, all channels of a window at once (NHWC keeps them contiguous). Each
 * window's gradient goes to its first maximum in row-major window order, as in tfjs-backend-cpu;
 * overlapping windows add up.
 *
 * Inputs `dy: [N, OH, OW, C]`, `input: [N, H, W, C]` (float32; else the stock kernel), `output`
 * (unused); attrs `filterSize`, `strides`, `pad`, `dimRoundingMode`. Returns `[N, H, W, C]`.
 */
export function maxPoolGradWasm(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
    return stockKernel(tf.MaxPoolGrad).kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  }
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: oh, outWidth: ow } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const dx = backend.makeOutput(input.shape, 'float32');
  const xs = backend.typedArrayFromHeap(input) as Float32Array;
  const dys = backend.typedArrayFromHeap(dy) as Float32Array;
  const dxs = backend.typedArrayFromHeap(dx) as Float32Array;
  dxs.fill(0);
  const best = new Float32Array(c);
  const where = new Int32Array(c);
  for (let b = 0; b < n; b++) {
    const xBatch = b * h * w * c;
    for (let yr = 0; yr < oh; yr++) {
      const r0 = Math.max(0, yr * sh - top);
      const r1 = Math.min(h, yr * sh - top + fh);
      for (let yc = 0; yc < ow; yc++) {
        const c0 = Math.max(0, yc * sw - left);
        const c1 = Math.min(w, yc * sw - left + fw);
        best.fill(-Infinity);
        where.fill(-1);
        for (let xr = r0; xr < r1; xr++) {
          for (let xc = c0; xc < c1; xc++) {
            const p = xBatch + (xr * w + xc) * c;
            for (let d = 0; d < c; d++) {
              const v = xs[p + d];
              if (v > best[d]) {
                best[d] = v;
                where[d] = p + d;
              }
            }
          }
        }
        const q = ((b * oh + yr) * ow + yc) * c;
        for (let d = 0; d < c; d++) if (where[d] >= 0) dxs[where[d]] += dys[q + d];
      }
    }
  }
  return dx;
}

/** Kernel config registering {@link maxPoolGradWasm} for 'wasm' (replaces the stock kernel, which it keeps). */
export const maxPoolGradConfig: tf.KernelConfig = {
  kernelName: tf.MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGradWasm as unknown as tf.KernelFunc,
};
