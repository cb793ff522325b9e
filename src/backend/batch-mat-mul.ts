import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from './stock-kernels';
import { WasmKernelArgs, release, transposeInfo } from './wasm-call';

/** `x` with its last two axes swapped. */
function swapLastTwo(args: WasmKernelArgs, x: tf.TensorInfo): tf.TensorInfo {
  const r = x.shape.length;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return transposeInfo(args.backend, x, perm);
}

/**
 * BatchMatMul for the wasm backend: tfjs-backend-wasm's kernel is several times slower when an
 * operand is transposed (measured, `[128, 128] x [4096, 128]ᵀ`: 169 ms against 25 ms for the same
 * product with the operand stored transposed), and every matMul gradient transposes one operand.
 * A transposed operand is transposed once with the backend's Transpose kernel, then the stock
 * kernel multiplies plain operands. Same inputs, attrs and result as the stock kernel.
 */
export function batchMatMulWasm(args: WasmKernelArgs): tf.TensorInfo {
  const { inputs, attrs } = args;
  const { transposeA, transposeB } = attrs as unknown as tf.BatchMatMulAttrs;
  const stock = stockKernel(tf.BatchMatMul).kernelFunc;
  if (!transposeA && !transposeB) return stock(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  const a = inputs.a as tf.TensorInfo;
  const b = inputs.b as tf.TensorInfo;
  const at = transposeA ? swapLastTwo(args, a) : a;
  const bt = transposeB ? swapLastTwo(args, b) : b;
  try {
    return stock({ ...args, inputs: { a: at, b: bt }, attrs: { ...attrs, transposeA: false, transposeB: false } } as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
  } finally {
    if (at !== a) release(args.backend, at);
    if (bt !== b) release(args.backend, bt);
  }
}

/** Kernel config registering {@link batchMatMulWasm} for 'wasm' (replaces the stock kernel, which it keeps). */
export const batchMatMulConfig: tf.KernelConfig = {
  kernelName: tf.BatchMatMul,
  backendName: 'wasm',
  kernelFunc: batchMatMulWasm as unknown as tf.KernelFunc,
};
