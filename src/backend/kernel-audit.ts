import * as tf from '@tensorflow/tfjs-core';

/**
 * Every kernel the lab's training runs, forward and backward: the kernels behind conv2d,
 * depthwiseConv2d, batch norm (moments + FusedBatchNorm), relu, maxPool, avgPool, mean/sum, matMul,
 * softmax cross-entropy, gather, concat, slice, pad, transpose, tile, l2-normalise, exp/log,
 * argMax, resizeBilinear, mirror pad and Adam, and the kernels their tfjs-core gradients call.
 */
export const TRAINING_KERNELS: readonly string[] = [
  // convolutions
  'Conv2D', 'Conv2DBackpropInput', 'Conv2DBackpropFilter', 'FusedConv2D',
  'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput', 'DepthwiseConv2dNativeBackpropFilter',
  // batch norm and moments
  'FusedBatchNorm', 'Mean', 'SquaredDifference', 'Rsqrt', 'Tile',
  // activations and pooling
  'Relu', 'Step', 'Relu6', 'LeakyRelu', 'Sigmoid', 'Tanh',
  'MaxPool', 'MaxPoolGrad', 'AvgPool', 'AvgPoolGrad',
  // reductions, matmul, losses
  'Sum', 'Max', 'Min', 'ArgMax', 'BatchMatMul', '_FusedMatMul', 'Softmax', 'OneHot',
  // indexing and layout
  'GatherV2', 'UnsortedSegmentSum', 'Concat', 'SplitV', 'Slice', 'StridedSlice', 'PadV2',
  'MirrorPad', 'Transpose', 'Reshape', 'Reverse', 'Pack', 'Unpack', 'ExpandDims',
  'ResizeBilinear', 'ResizeBilinearGrad',
  // elementwise (l2-normalise, exp/log, Adam, gradients of broadcasting ops)
  'Add', 'AddN', 'Sub', 'Multiply', 'RealDiv', 'Neg', 'Square', 'Sqrt', 'Exp', 'Log', 'Abs',
  'Maximum', 'Minimum', 'GreaterEqual', 'Greater', 'Less', 'LessEqual', 'Equal', 'Select',
  'Cast', 'Identity', 'Fill', 'ZerosLike', 'OnesLike', 'Range', 'ClipByValue', 'Pow', 'Sign',
];

/**
 * The names in `names` (default {@link TRAINING_KERNELS}) that `backendName` has no kernel for,
 * in list order.
 */
export function missingKernels(backendName = 'wasm', names: readonly string[] = TRAINING_KERNELS): string[] {
  return names.filter((name) => tf.getKernel(name, backendName) == null);
}
