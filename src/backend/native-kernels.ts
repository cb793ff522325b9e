import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { NativeAddon, nativeAddon } from './native';
import { replaceWasmKernel } from './stock-kernels';
import { WasmKernelArgs } from './wasm-call';

/** Kernel names selfsup adds (for every backend that has the native kernels: only 'wasm'). */
export const BATCH_NORM_TRAIN = 'SelfsupBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'SelfsupBatchNormTrainGrad';
export const RELU_GRAD = 'SelfsupReluGrad';

type KernelArgs = Parameters<tf.KernelFunc>[0];

interface WasmInternals {
  dataIdMap: { get(id: tf.DataId): { memoryOffset: number } | undefined };
  wasm: { HEAPU8: Uint8Array };
}

/** The kernels registered for 'wasm' before the native ones, by name: their fallbacks. */
const previous = new Map<string, tf.KernelConfig>();

/** Runs the kernel the native one replaced. */
function fallbackTo(name: string, args: WasmKernelArgs): tf.TensorInfo {
  const config = previous.get(name);
  if (config == null) throw new Error(`selfsup native: no wasm kernel '${name}' to fall back to`);
  return config.kernelFunc(args as unknown as KernelArgs) as tf.TensorInfo;
}

/** Byte offset of a tensor's data in the wasm heap. */
function offsetOf(backend: BackendWasm, t: tf.TensorInfo): number {
  const data = (backend as unknown as WasmInternals).dataIdMap.get(t.dataId);
  if (data == null) throw new Error('selfsup native: tensor is not on the wasm backend');
  return data.memoryOffset;
}

/** The wasm heap now (fetch it after every allocation: growing the memory detaches the old buffer). */
function heapOf(backend: BackendWasm): ArrayBuffer {
  return (backend as unknown as WasmInternals).wasm.HEAPU8.buffer as ArrayBuffer;
}

function isFloat(...ts: tf.TensorInfo[]): boolean {
  return ts.every((t) => t.dtype === 'float32' && t.shape.every((d) => d > 0));
}

/** Shapes that made oneDNN throw, so later calls go straight to the fallback. */
const rejected = new Set<string>();
let warned = false;

/**
 * Runs `native` on the heap unless `dims` was rejected before; on an error from the addon, frees
 * `outputs`, remembers the shape, warns once and returns null (the caller falls back).
 */
function tryNative(
  backend: BackendWasm,
  key: string,
  outputs: tf.TensorInfo[],
  native: (heap: ArrayBuffer) => void,
): tf.TensorInfo[] | null {
  if (rejected.has(key)) {
    for (const o of outputs) backend.disposeData(o.dataId);
    return null;
  }
  try {
    native(heapOf(backend));
    return outputs;
  } catch (err) {
    for (const o of outputs) backend.disposeData(o.dataId);
    rejected.add(key);
    if (!warned) {
      warned = true;
      const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
      process.stderr.write(`selfsup: a native kernel fell back to wasm for ${key} (${msg})\n`);
    }
    return null;
  }
}

function convDims(info: tf.backend_util.Conv2DInfo): Int32Array {
  const p = info.padInfo;
  return Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, p.top, p.left, p.bottom, p.right,
    info.outHeight, info.outWidth,
  ]);
}

function convInfo(
  xShape: number[], filterShape: number[], strides: number | [number, number], dilations: number | [number, number],
  pad: tf.Conv2DAttrs['pad'], dimRoundingMode: tf.Conv2DAttrs['dimRoundingMode'],
): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, 'channelsLast',
  );
}

const channelsLast = (f: unknown) => f == null || f === 'NHWC';

function conv2dNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as tf.Conv2DAttrs;
  const fallback = () => fallbackTo(tf.Conv2D, args);
  if (!isFloat(x, filter) || x.shape.length !== 4 || !channelsLast(dataFormat)) return fallback();
  const info = convInfo(x.shape, filter.shape, strides, dilations, pad, dimRoundingMode);
  const dims = convDims(info);
  const y = backend.makeOutput(info.outShape, 'float32');
  const out = tryNative(backend, `Conv2D ${dims.join(',')}`, [y], (heap) =>
    addon.conv2d(heap, dims, offsetOf(backend, x), offsetOf(backend, filter), offsetOf(backend, y)),
  );
  return out == null ? fallback() : out[0];
}

function conv2dBackpropInputNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const fallback = () => fallbackTo(tf.Conv2DBackpropInput, args);
  if (!isFloat(dy, filter) || !channelsLast(dataFormat) || inputShape.length !== 4) return fallback();
  const info = convInfo(inputShape, filter.shape, strides, 1, pad, dimRoundingMode);
  if (!tf.util.arraysEqual(info.outShape, dy.shape)) return fallback();
  const dims = convDims(info);
  const dx = backend.makeOutput(inputShape, 'float32');
  const out = tryNative(backend, `Conv2DBackpropInput ${dims.join(',')}`, [dx], (heap) =>
    addon.conv2dBackpropInput(heap, dims, offsetOf(backend, dy), offsetOf(backend, filter), offsetOf(backend, dx)),
  );
  return out == null ? fallback() : out[0];
}

function conv2dBackpropFilterNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const fallback = () => fallbackTo(tf.Conv2DBackpropFilter, args);
  if (!isFloat(x, dy) || x.shape.length !== 4 || !channelsLast(dataFormat)) return fallback();
  const info = convInfo(x.shape, filterShape, strides, 1, pad, dimRoundingMode);
  if (!tf.util.arraysEqual(info.outShape, dy.shape)) return fallback();
  const dims = convDims(info);
  const dw = backend.makeOutput(filterShape, 'float32');
  const out = tryNative(backend, `Conv2DBackpropFilter ${dims.join(',')}`, [dw], (heap) =>
    addon.conv2dBackpropFilter(heap, dims, offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, dw)),
  );
  return out == null ? fallback() : out[0];
}

function poolDims(info: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth,
  ]);
}

/** MaxPool (NHWC float32, dilation 1); else the wasm kernel. */
function maxPoolNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolAttrs;
  if (!isFloat(x) || x.shape.length !== 4) return fallbackTo(tf.MaxPool, args);
  const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  if (info.outShape.some((d) => d < 1)) return fallbackTo(tf.MaxPool, args);
  const y = backend.makeOutput(info.outShape, 'float32');
  addon.maxPool(heapOf(backend), poolDims(info), offsetOf(backend, x), offsetOf(backend, y));
  return y;
}

function maxPoolGradNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  if (!isFloat(dy, input) || input.shape.length !== 4) return fallbackTo(tf.MaxPoolGrad, args);
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode,
  );
  if (!tf.util.arraysEqual(info.outShape, dy.shape)) return fallbackTo(tf.MaxPoolGrad, args);
  const dims = Int32Array.from([
    info.batchSize, info.inHeight, info.inWidth, info.inChannels, info.filterHeight, info.filterWidth,
    info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left, info.outHeight, info.outWidth,
  ]);
  const dx = backend.makeOutput(input.shape, 'float32');
  const out = tryNative(backend, `MaxPoolGrad ${dims.join(',')}`, [dx], (heap) =>
    addon.maxPoolGrad(heap, dims, offsetOf(backend, input), offsetOf(backend, dy), offsetOf(backend, dx)),
  );
  return out == null ? fallbackTo(tf.MaxPoolGrad, args) : out[0];
}

/**
 * SelfsupBatchNormTrain: batch normalisation in training mode over all axes but the last.
 * Inputs `x: [..., C]`, `gamma`, `beta: [C]` (float32); attrs `epsilon`, `relu` (then
 * `y = relu(batch norm)`, one pass fewer each way than a separate Relu). Outputs `y` (x's shape),
 * the batch `mean` and biased `variance` (`[C]`).
 */
function batchNormTrainNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, gamma, beta } = inputs as { x: tf.TensorInfo; gamma: tf.TensorInfo; beta: tf.TensorInfo };
  const epsilon = Number((attrs as { epsilon?: number }).epsilon ?? 1e-5);
  const relu = (attrs as { relu?: boolean }).relu ? 1 : 0;
  const c = x.shape[x.shape.length - 1];
  const rows = tf.util.sizeFromShape(x.shape) / c;
  const y = backend.makeOutput(x.shape, 'float32');
  const mean = backend.makeOutput([c], 'float32');
  const variance = backend.makeOutput([c], 'float32');
  const heap = heapOf(backend);
  addon.batchNormForward(
    heap, rows, c, epsilon, relu, offsetOf(backend, x), offsetOf(backend, gamma), offsetOf(backend, beta),
    offsetOf(backend, y), offsetOf(backend, mean), offsetOf(backend, variance),
  );
  return [y, mean, variance];
}

/**
 * SelfsupBatchNormTrainGrad: inputs `dy`, `x`, `gamma`, `beta`, `mean`, `variance`, `dMean`,
 * `dVariance`; attrs `epsilon`, `relu` (dy is then the gradient of the relu's output). Outputs
 * `dx`, `dGamma`, `dBeta`.
 */
function batchNormTrainGradNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const t = inputs as Record<'dy' | 'x' | 'gamma' | 'beta' | 'mean' | 'variance' | 'dMean' | 'dVariance', tf.TensorInfo>;
  const epsilon = Number((attrs as { epsilon?: number }).epsilon ?? 1e-5);
  const relu = (attrs as { relu?: boolean }).relu ? 1 : 0;
  const c = t.x.shape[t.x.shape.length - 1];
  const rows = tf.util.sizeFromShape(t.x.shape) / c;
  const dx = backend.makeOutput(t.x.shape, 'float32');
  const dGamma = backend.makeOutput([c], 'float32');
  const dBeta = backend.makeOutput([c], 'float32');
  const o = (k: tf.TensorInfo) => offsetOf(backend, k);
  addon.batchNormBackward(
    heapOf(backend), rows, c, epsilon, o(t.x), o(t.dy), o(t.gamma), o(t.mean), o(t.variance),
    o(dx), o(dGamma), o(dBeta), o(t.dMean), o(t.dVariance), relu, o(t.beta),
  );
  return [dx, dGamma, dBeta];
}

/** SelfsupReluGrad: inputs `dy`, `x` (relu's input or output); `dx = x > 0 ? dy : 0`. */
function reluGradNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend } = args;
  const { dy, x } = inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
  const dx = backend.makeOutput(x.shape, 'float32');
  addon.reluGrad(heapOf(backend), tf.util.sizeFromShape(x.shape), offsetOf(backend, dy), offsetOf(backend, x), offsetOf(backend, dx));
  return dx;
}

/** Smallest tensor the elementwise kernels take natively (below it the call overhead dominates). */
const ELEMENTWISE_MIN = 1 << 15;

/** Relu on float32 tensors of at least {@link ELEMENTWISE_MIN} values (else the wasm kernel). */
function reluNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const size = tf.util.sizeFromShape(x.shape);
  if (x.dtype !== 'float32' || size < ELEMENTWISE_MIN) return fallbackTo(tf.Relu, args);
  const y = backend.makeOutput(x.shape, 'float32');
  addon.relu(heapOf(backend), size, offsetOf(backend, x), offsetOf(backend, y));
  return y;
}

const BINARY_OPS: Record<string, number> = { [tf.Add]: 0, [tf.Sub]: 1, [tf.Multiply]: 2, [tf.RealDiv]: 3 };

/**
 * Add, Sub, Multiply, RealDiv of float32 `a` (at least {@link ELEMENTWISE_MIN} values) with `b`
 * of the same shape, a scalar, or a vector along a's last axis (`[C]`, `[1, ..., 1, C]`) — the
 * per-channel broadcasts the wasm backend computes on a slow general path; else the wasm kernel.
 */
function binaryNative(name: string, args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend } = args;
  const { a, b } = inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
  const size = tf.util.sizeFromShape(a.shape);
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || size < ELEMENTWISE_MIN || b.shape.length > a.shape.length) {
    return fallbackTo(name, args);
  }
  const c = a.shape[a.shape.length - 1];
  const bSize = tf.util.sizeFromShape(b.shape);
  const full = tf.util.arraysEqual(a.shape, b.shape);
  const lastAxis = bSize === c && b.shape.slice(0, -1).every((d) => d === 1) && (b.shape.length === 0 || b.shape[b.shape.length - 1] === c);
  if (!full && bSize !== 1 && !lastAxis) return fallbackTo(name, args);
  const cols = full ? c : bSize === 1 ? 1 : c;
  const out = backend.makeOutput(a.shape, 'float32');
  addon.binary(heapOf(backend), BINARY_OPS[name], size / cols, cols, full ? 1 : 0, offsetOf(backend, a), offsetOf(backend, b), offsetOf(backend, out));
  return out;
}

/**
 * Reverse of a float32 or int32 tensor of rank <= 4 (the rotation pretext task flips every batch;
 * the wasm kernel takes ~25 ns a value); else the wasm kernel.
 */
function reverseNative(args: WasmKernelArgs, addon: NativeAddon): tf.TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs as { x: tf.TensorInfo };
  const rank = x.shape.length;
  if ((x.dtype !== 'float32' && x.dtype !== 'int32') || rank < 1 || rank > 4 || x.shape.some((d) => d < 1)) {
    return fallbackTo(tf.Reverse, args);
  }
  const dims = (attrs as unknown as tf.ReverseAttrs).dims;
  const axes = tf.util.parseAxisParam(dims, x.shape);
  const spec = new Int32Array(8);
  const pad = 4 - rank;
  for (let k = 0; k < 4; k++) spec[k] = k < pad ? 1 : x.shape[k - pad];
  for (const ax of axes) spec[4 + pad + ax] = 1;
  const y = backend.makeOutput(x.shape, x.dtype);
  addon.reverse(heapOf(backend), spec, offsetOf(backend, x), offsetOf(backend, y));
  return y;
}

function wasmConfig(name: string, f: (args: WasmKernelArgs, addon: NativeAddon) => tf.TensorInfo | tf.TensorInfo[], addon: NativeAddon): tf.KernelConfig {
  return { kernelName: name, backendName: 'wasm', kernelFunc: ((args: WasmKernelArgs) => f(args, addon)) as unknown as tf.KernelFunc };
}

let configs: tf.KernelConfig[] | null = null;

/**
 * The native kernel configs for 'wasm' (empty when the addon is absent or disabled): Conv2D,
 * Conv2DBackpropInput, Conv2DBackpropFilter (oneDNN), MaxPool, MaxPoolGrad, Relu, Reverse, Add/Sub/Multiply/
 * RealDiv (large float32 tensors, per-channel broadcasts), and selfsup's own SelfsupBatchNormTrain(Grad)
 * and SelfsupReluGrad. Each replaced kernel falls back to the wasm one for what it does not
 * handle (other dtypes, NCHW, small tensors, other broadcasts, shapes oneDNN rejects).
 */
export function nativeWasmKernels(): tf.KernelConfig[] {
  if (configs != null) return configs;
  const addon = nativeAddon();
  configs = addon == null ? [] : [
    wasmConfig(tf.Conv2D, conv2dNative, addon),
    wasmConfig(tf.Conv2DBackpropInput, conv2dBackpropInputNative, addon),
    wasmConfig(tf.Conv2DBackpropFilter, conv2dBackpropFilterNative, addon),
    wasmConfig(tf.MaxPoolGrad, maxPoolGradNative, addon),
    wasmConfig(tf.MaxPool, maxPoolNative, addon),
    wasmConfig(BATCH_NORM_TRAIN, batchNormTrainNative, addon),
    wasmConfig(BATCH_NORM_TRAIN_GRAD, batchNormTrainGradNative, addon),
    wasmConfig(RELU_GRAD, reluGradNative, addon),
    wasmConfig(tf.Relu, reluNative, addon),
    wasmConfig(tf.Reverse, reverseNative, addon),
    ...Object.keys(BINARY_OPS).map((name) => wasmConfig(name, (args, ad) => binaryNative(name, args, ad), addon)),
  ];
  return configs;
}

/**
 * Registers {@link nativeWasmKernels} for 'wasm' over the kernels registered there (call after
 * selfsup's wasm kernels, whose JS versions become the fallbacks). Idempotent.
 * @returns the kernel names now served natively (none without the addon)
 */
export function registerNativeWasmKernels(): string[] {
  const list = nativeWasmKernels();
  for (const config of list) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current != null && current.kernelFunc !== config.kernelFunc) previous.set(config.kernelName, current);
    replaceWasmKernel(config, { overlay: true });
  }
  return list.map((c) => c.kernelName);
}

/**
 * Unregisters the native kernels from 'wasm' and puts selfsup's wasm/JS kernels back (for
 * comparisons: tests, benchmarks). A later `registerWasmGradKernels` brings them back.
 */
export function unregisterNativeWasmKernels(): void {
  for (const config of nativeWasmKernels()) {
    const current = tf.getKernel(config.kernelName, 'wasm');
    if (current == null || current.kernelFunc !== config.kernelFunc) continue;
    tf.unregisterKernel(config.kernelName, 'wasm');
    const before = previous.get(config.kernelName);
    if (before != null) tf.registerKernel(before);
  }
}

/** Whether a kernel is registered for the active backend (the native ones exist only on 'wasm'). */
export function hasKernel(name: string): boolean {
  return tf.getKernel(name, tf.getBackend()) != null;
}

/**
 * Gradients for selfsup's native kernels, and a Relu gradient that uses SelfsupReluGrad where the
 * active backend has it (else tfjs-core's `dy * step(x)`). Idempotent; call after tfjs-core's
 * gradients are registered.
 */
export function registerNativeGradients(): void {
  if (tf.getGradient(BATCH_NORM_TRAIN) == null) {
    tf.registerGradient({
      kernelName: BATCH_NORM_TRAIN,
      inputsToSave: ['x', 'gamma', 'beta'],
      outputsToSave: [false, true, true],
      gradFunc: (dys, saved, attrs) => {
        const [dy, dMean, dVariance] = dys as tf.Tensor[];
        const [x, gamma, beta, mean, variance] = saved;
        const [dx, dGamma, dBeta] = tf.engine().runKernel(
          BATCH_NORM_TRAIN_GRAD,
          { dy, x, gamma, beta, mean, variance, dMean, dVariance } as unknown as tf.NamedTensorMap,
          attrs as unknown as tf.NamedAttrMap,
        ) as tf.Tensor[];
        return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
      },
    });
  }
  const relu = tf.getGradient(tf.Relu) as (tf.GradConfig & { replaced?: tf.GradConfig }) | undefined;
  if (relu != null && relu.replaced == null) {
    tf.registerGradient({
      kernelName: tf.Relu,
      inputsToSave: ['x'],
      gradFunc: (dy, saved, attrs) => {
        const [x] = saved;
        if (x.dtype === 'float32' && hasKernel(RELU_GRAD)) {
          return { x: () => tf.engine().runKernel(RELU_GRAD, { dy: dy as tf.Tensor, x } as unknown as tf.NamedTensorMap) as tf.Tensor };
        }
        return relu.gradFunc(dy, saved, attrs);
      },
      replaced: relu,
    } as tf.GradConfig);
  }
}
