import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { stockKernel } from './stock-kernels';
import { WasmKernelArgs } from './wasm-call';

/**
 * `shape` seen as `[outer, mid, inner]` where `mid` is the product of the reduced `axes`, when
 * those form one contiguous block that leaves the last axis out (e.g. NHWC over [0, 1, 2] for
 * batch norm, or [1, 2] for global average pooling); otherwise null.
 */
export function splitAroundAxes(shape: number[], axes: number[]): [number, number, number] | null {
  if (axes.length === 0) return null;
  const sorted = [...axes].sort((a, b) => a - b);
  const first = sorted[0];
  const last = sorted[sorted.length - 1];
  if (last - first + 1 !== sorted.length || last >= shape.length - 1) return null;
  const size = (a: number, b: number) => shape.slice(a, b).reduce((p, d) => p * d, 1);
  return [size(0, first), size(first, last + 1), size(last + 1, shape.length)];
}

/**
 * Sums `x` viewed as `[outer, mid, inner]` over `mid`, times `scale`, in one pass over the wasm
 * heap with float64 accumulators (four rows at a time). The stock wasm Sum and Mean first
 * transpose the reduced axes innermost, a full extra read and write.
 *
 * @returns `[outer * inner]` values in a new float32 output of shape `outShape`
 */
function reduceMiddle(
  backend: BackendWasm,
  x: tf.TensorInfo,
  [outer, mid, inner]: [number, number, number],
  scale: number,
  outShape: number[],
): tf.TensorInfo {
  const out = backend.makeOutput(outShape, 'float32');
  const xs = backend.typedArrayFromHeap(x) as Float32Array;
  const os = backend.typedArrayFromHeap(out) as Float32Array;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(0);
    const base = o * mid * inner;
    let m = 0;
    for (; m + 4 <= mid; m += 4) {
      const p = base + m * inner;
      for (let j = 0; j < inner; j++) {
        acc[j] += xs[p + j] + xs[p + inner + j] + (xs[p + 2 * inner + j] + xs[p + 3 * inner + j]);
      }
    }
    for (; m < mid; m++) {
      const p = base + m * inner;
      for (let j = 0; j < inner; j++) acc[j] += xs[p + j];
    }
    const q = o * inner;
    for (let j = 0; j < inner; j++) os[q + j] = acc[j] * scale;
  }
  return out;
}

function makeReduce(kernelName: 'Sum' | 'Mean'): (args: WasmKernelArgs) => tf.TensorInfo {
  return (args) => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x as tf.TensorInfo;
    const { axis, keepDims } = attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const split = x.dtype === 'float32' ? splitAroundAxes(x.shape, axes) : null;
    if (split == null || split[1] === 1) {
      return stockKernel(kernelName).kernelFunc(args as unknown as Parameters<tf.KernelFunc>[0]) as tf.TensorInfo;
    }
    const [outShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const shape = keepDims ? tf.backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
    return reduceMiddle(backend, x, split, kernelName === 'Mean' ? 1 / split[1] : 1, shape);
  };
}

/**
 * Sum for the wasm backend: over a contiguous block of axes that leaves the last axis out (the
 * reductions of batch norm, global pooling and broadcasting gradients), one pass over the heap;
 * otherwise tfjs-backend-wasm's own Sum. Inputs `x`; attrs `axis`, `keepDims`.
 */
export const sumWasm = makeReduce('Sum');

/** Mean for the wasm backend, on the same terms as {@link sumWasm}. */
export const meanWasm = makeReduce('Mean');

/** Kernel config registering {@link sumWasm} for 'wasm' (replaces the stock kernel, which it keeps). */
export const sumConfig: tf.KernelConfig = {
  kernelName: tf.Sum,
  backendName: 'wasm',
  kernelFunc: sumWasm as unknown as tf.KernelFunc,
};

/** Kernel config registering {@link meanWasm} for 'wasm' (replaces the stock kernel, which it keeps). */
export const meanConfig: tf.KernelConfig = {
  kernelName: tf.Mean,
  backendName: 'wasm',
  kernelFunc: meanWasm as unknown as tf.KernelFunc,
};
