import * as tf from '@tensorflow/tfjs-core';
import { WasmKernelArgs } from './wasm-call';

/**
 * UnsortedSegmentSum for the wasm backend (missing in tfjs-backend-wasm 4.22; it is the gradient
 * of Gather): one pass over the wasm heap,
 *
 *   out[s, ...] = sum over i with segmentIds[i] = s of x[i, ...]
 *
 * Ids outside `[0, numSegments)` are dropped (TensorFlow's rule for negative ids).
 *
 * Inputs `x: [...ids.shape, ...inner]` (float32 or int32), `segmentIds: int32`; attr
 * `numSegments`. Returns `[numSegments, ...inner]` of `x`'s dtype.
 */
export function unsortedSegmentSumWasm({ inputs, backend, attrs }: WasmKernelArgs): tf.TensorInfo {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const { numSegments } = attrs as unknown as tf.UnsortedSegmentSumAttrs;
  const idsRank = segmentIds.shape.length;
  if (!tf.util.arraysEqual(x.shape.slice(0, idsRank), segmentIds.shape)) {
    throw new Error(`selfsup wasm UnsortedSegmentSum: segmentIds [${segmentIds.shape}] must lead x [${x.shape}]`);
  }
  const innerShape = x.shape.slice(idsRank);
  const inner = tf.util.sizeFromShape(innerShape);
  const out = backend.makeOutput([numSegments, ...innerShape], x.dtype);
  const ids = backend.typedArrayFromHeap(segmentIds);
  const xs = backend.typedArrayFromHeap(x);
  const os = backend.typedArrayFromHeap(out);
  os.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner;
    const dst = s * inner;
    for (let j = 0; j < inner; j++) os[dst + j] += xs[src + j];
  }
  return out;
}

/** Kernel config registering {@link unsortedSegmentSumWasm} for 'wasm'. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: tf.UnsortedSegmentSum,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSumWasm as unknown as tf.KernelFunc,
};
