import * as tf from '@tensorflow/tfjs-core';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter';
import { conv2dBackpropInputConfig } from './conv2d-backprop-input';
import { depthwiseConv2dBackpropFilterConfig } from './depthwise-conv2d-backprop-filter';
import { depthwiseConv2dBackpropInputConfig } from './depthwise-conv2d-backprop-input';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum';
import { replaceWasmKernel } from './stock-kernels';
import { meanConfig, sumConfig } from './reduce-kernels';
import { maxPoolGradConfig } from './max-pool-grad';
import { castConfig, identityConfig } from './identity';
import { tileConfig } from './tile';
import { batchMatMulConfig } from './batch-mat-mul';
import { registerNativeWasmKernels, unregisterNativeWasmKernels } from './native-kernels';

/**
 * The kernels selfsup adds to the wasm backend, or replaces there by faster ones
 * (Conv2DBackpropInput, Sum, Mean, MaxPoolGrad, Identity, Cast, Tile, BatchMatMul), each composed of the backend's own kernels or written over
 * its heap.
 */
export const WASM_GRAD_KERNELS: readonly tf.KernelConfig[] = [
  conv2dBackpropFilterConfig,
  conv2dBackpropInputConfig,
  depthwiseConv2dBackpropFilterConfig,
  depthwiseConv2dBackpropInputConfig,
  unsortedSegmentSumConfig,
  sumConfig,
  meanConfig,
  maxPoolGradConfig,
  identityConfig,
  castConfig,
  tileConfig,
  batchMatMulConfig,
];

/**
 * Registers {@link WASM_GRAD_KERNELS} for the 'wasm' backend, replacing any kernel already
 * registered under the same name (kept, see `restoreStockWasmKernels`), then, when the native
 * addon is built and not disabled (`SELFSUP_NATIVE=0`), selfsup's native kernels over those
 * (see `registerNativeWasmKernels`; the wasm ones become their fallbacks). Idempotent. Needs
 * tfjs-backend-wasm loaded (its kernels are called), but not initialised.
 *
 * @returns the kernel names now served by selfsup's kernels (wasm or native)
 */
export function registerWasmGradKernels(): string[] {
  unregisterNativeWasmKernels();
  for (const config of WASM_GRAD_KERNELS) replaceWasmKernel(config);
  const native = registerNativeWasmKernels();
  return [...new Set([...WASM_GRAD_KERNELS.map((c) => c.kernelName), ...native])];
}
