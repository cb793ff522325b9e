import * as tf from '@tensorflow/tfjs-core';
import { stockKernel } from './stock-kernels';
import { WasmKernelArgs, release, runWasm } from './wasm-call';

/**
 * Identity for the wasm backend: the output shares the input's heap memory (one more reference),
 * as on tfjs-backend-cpu, instead of tfjs-backend-wasm's full copy. Tensors are immutable and
 * variables take new memory on `assign`, so sharing is safe. The engine clones every tensor it
 * saves for a gradient, so this removes a copy per saved tensor from every training step.
 *
 * Input `x`; returns a tensor info of the same data, shape and dtype.
 */
export function identityWasm({ inputs, backend }: WasmKernelArgs): tf.TensorInfo {
  const x = inputs.x as tf.TensorInfo;
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * Cast for the wasm backend: to the same dtype it shares memory like {@link identityWasm}
 * (tfjs-core's relu gradient casts a float32 mask to float32); to bool it is `x != 0` (the stock
 * wasm Cast truncates the bytes instead: 2.5 -> 2, -1.9 -> 255); otherwise the stock Cast.
 * Input `x`; attr `dtype`.
 */
export function castWasm(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const x = args.inputs.x as tf.TensorInfo;
  const dtype = (args.attrs as unknown as tf.CastAttrs).dtype;
  if (dtype === x.dtype) return identityWasm(args);
  if (dtype === 'bool' && (x.dtype === 'float32' || x.dtype === 'int32')) {
    const zero = backend.makeOutput([], x.dtype);
    backend.typedArrayFromHeap(zero).fill(0);
    const out = runWasm(backend, 'NotEqual', { a: x, b: zero });
    release(backend, zero);
    return out;
  }
  return stockKernel(tf.Cast).kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
}

/** Kernel config registering {@link identityWasm} for 'wasm' (replaces the stock kernel). */
export const identityConfig: tf.KernelConfig = {
  kernelName: tf.Identity,
  backendName: 'wasm',
  kernelFunc: identityWasm as unknown as tf.KernelFunc,
};

/** Kernel config registering {@link castWasm} for 'wasm' (replaces the stock kernel, which it keeps). */
export const castConfig: tf.KernelConfig = {
  kernelName: tf.Cast,
  backendName: 'wasm',
  kernelFunc: castWasm as unknown as tf.KernelFunc,
};
