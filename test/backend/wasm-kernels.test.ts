import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, missingKernels, unregisterNativeWasmKernels } from '../../src/backend';
import { Inputs, onBoth, rand, randomValues, relativeError } from './compare';

const TOLERANCE = 1e-4;
const worst = new Map<string, number>();

function check(label: string, kernel: string, a: Float32Array, b: Float32Array): void {
  const err = relativeError(a, b);
  worst.set(kernel, Math.max(worst.get(kernel) ?? 0, err));
  assert.ok(err < TOLERANCE, `${label}: relative error ${err.toExponential(2)} >= ${TOLERANCE}`);
}

type Pad = 'same' | 'valid' | number[][];
interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  out: number;
  strides: number | [number, number];
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [
  { x: [2, 7, 7, 3], k: [3, 3], out: 4, strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 4, strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], k: [3, 3], out: 5, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 5, strides: 2, pad: 'same' },
  { x: [1, 8, 9, 2], k: [3, 3], out: 3, strides: 2, pad: 'valid' },
  { x: [2, 6, 6, 3], k: [1, 1], out: 4, strides: 2, pad: 'valid' },
  { x: [1, 9, 7, 2], k: [5, 3], out: 3, strides: [2, 1], pad: 'same' },
  { x: [1, 10, 10, 2], k: [3, 3], out: 3, strides: 3, pad: 'same' },
  { x: [2, 6, 7, 3], k: [3, 3], out: 4, strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 9, 9, 2], k: [3, 3], out: 3, strides: 2, pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { x: [1, 5, 5, 2], k: [3, 3], out: 2, strides: 1, pad: [[0, 0], [3, 3], [4, 2], [0, 0]] },
  { x: [2, 4, 4, 8], k: [3, 3], out: 16, strides: 1, pad: 'same' },
];

const attrsOf = (a: object) => a as unknown as tf.NamedAttrMap;

function describeCase(c: ConvCase): string {
  return `x [${c.x}] k ${c.k.join('x')} s ${c.strides} pad ${JSON.stringify(c.pad)}`;
}

function outShape(c: ConvCase, channels: number, depthwise = false, dilations: number | [number, number] = 1): number[] {
  const filter: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], channels];
  const info = tf.backend_util.computeConv2DInfo(
    c.x,
    filter,
    c.strides,
    dilations,
    c.pad as 'same',
    undefined,
    depthwise,
  );
  return info.outShape;
}

before(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  // these tests are of the wasm/JS kernels: the native ones that replace some of them (when
  // built) have their own tests in native-kernels.test.ts
  unregisterNativeWasmKernels();
});

after(() => {
  const lines = [...worst].map(([k, e]) => `${k}: max relative error ${e.toExponential(2)}`);
  console.log(lines.join('\n'));
});

test('every kernel the training needs is registered for wasm', () => {
  assert.deepEqual(missingKernels('wasm'), []);
});

describe('Conv2DBackpropFilter and Conv2DBackpropInput match cpu', () => {
  CONV_CASES.forEach((c, i) => {
    test(describeCase(c), async () => {
      const dyShape = outShape(c, c.out);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.out];
      const inputs: Inputs = { x: rand(c.x, 10 + i), dy: rand(dyShape, 20 + i), filter: rand(filterShape, 30 + i) };
      const base = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      const r = await onBoth(inputs, (t) => [
        tf.engine().runKernel('Conv2DBackpropFilter', { x: t.x, dy: t.dy }, attrsOf({ ...base, filterShape })) as tf.Tensor,
        tf.engine().runKernel('Conv2DBackpropInput', { dy: t.dy, filter: t.filter }, attrsOf({ ...base, inputShape: c.x })) as tf.Tensor,
      ]);
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      assert.deepEqual(r.shapes[0], [filterShape, c.x]);
      check(`dW ${describeCase(c)}`, 'Conv2DBackpropFilter', r.wasm[0], r.cpu[0]);
      check(`dx ${describeCase(c)}`, 'Conv2DBackpropInput', r.wasm[1], r.cpu[1]);
    });
  });
});

const DEPTHWISE_CASES: Array<ConvCase & { multiplier: number }> = [
  { x: [2, 7, 7, 3], k: [3, 3], out: 0, multiplier: 1, strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 0, multiplier: 2, strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], k: [3, 3], out: 0, multiplier: 1, strides: 2, pad: 'same' },
  { x: [1, 9, 8, 2], k: [3, 3], out: 0, multiplier: 3, strides: 2, pad: 'valid' },
  { x: [1, 7, 9, 4], k: [5, 3], out: 0, multiplier: 1, strides: [1, 2], pad: 'same' },
  { x: [2, 6, 6, 2], k: [3, 3], out: 0, multiplier: 2, strides: 1, pad: [[0, 0], [2, 1], [0, 2], [0, 0]] },
];

describe('DepthwiseConv2dNativeBackpropFilter and -Input match cpu', () => {
  DEPTHWISE_CASES.forEach((c, i) => {
    test(`${describeCase(c)} multiplier ${c.multiplier}`, async () => {
      const channels = c.x[3] * c.multiplier;
      const dyShape = outShape(c, c.multiplier, true);
      assert.equal(dyShape[3], channels);
      const filterShape = [c.k[0], c.k[1], c.x[3], c.multiplier];
      const inputs: Inputs = { x: rand(c.x, 40 + i), dy: rand(dyShape, 50 + i), filter: rand(filterShape, 60 + i) };
      const base = { strides: c.strides, pad: c.pad, dilations: [1, 1], dimRoundingMode: undefined };
      const r = await onBoth(inputs, (t) => [
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, attrsOf({ ...base, filterShape })) as tf.Tensor,
        tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.filter }, attrsOf({ ...base, inputShape: c.x })) as tf.Tensor,
      ]);
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      check(`dW ${describeCase(c)}`, 'DepthwiseConv2dNativeBackpropFilter', r.wasm[0], r.cpu[0]);
      check(`dx ${describeCase(c)}`, 'DepthwiseConv2dNativeBackpropInput', r.wasm[1], r.cpu[1]);
    });
  });

  // tfjs-backend-cpu ignores dilations in its backprop kernels, so dilated cases are checked by
  // the adjoint identity <dy, conv(x, W)> = <dx(dy), x> = <dW(x, dy), W> with cpu's forward conv.
  test('dilation 2 satisfies the adjoint identity against cpu forward depthwise conv', async () => {
    const c = { x: [2, 9, 9, 2] as [number, number, number, number], k: [3, 3] as [number, number], out: 0, strides: 1, pad: 'same' as Pad };
    const m = 2;
    const dyShape = outShape(c, m, true, 2);
    const filterShape = [3, 3, 2, m];
    const inputs: Inputs = { x: rand(c.x, 70), dy: rand(dyShape, 71), filter: rand(filterShape, 72) };
    const attrs = { strides: 1, pad: 'same', dilations: [2, 2], dimRoundingMode: undefined };
    const r = await onBoth(inputs, (t) => [
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropFilter', { x: t.x, dy: t.dy }, attrsOf({ ...attrs, filterShape })) as tf.Tensor,
      tf.engine().runKernel('DepthwiseConv2dNativeBackpropInput', { dy: t.dy, filter: t.filter }, attrsOf({ ...attrs, inputShape: c.x })) as tf.Tensor,
      tf.depthwiseConv2d(t.x as tf.Tensor4D, t.filter as tf.Tensor4D, 1, 'same', 'NHWC', 2),
    ]);
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i] * b[i];
      return s;
    };
    const reference = dot(inputs.dy.values, r.cpu[2]);
    check('adjoint dW', 'DepthwiseConv2dNativeBackpropFilter', [dot(r.wasm[0], inputs.filter.values)] as unknown as Float32Array, [reference] as unknown as Float32Array);
    check('adjoint dx', 'DepthwiseConv2dNativeBackpropInput', [dot(r.wasm[1], inputs.x.values)] as unknown as Float32Array, [reference] as unknown as Float32Array);
  });
});

describe('UnsortedSegmentSum matches cpu', () => {
  const cases: Array<{ x: number[]; ids: number[]; n: number; dtype: 'float32' | 'int32' }> = [
    { x: [6, 4], ids: [0, 2, 2, 1, 0, 2], n: 3, dtype: 'float32' },
    { x: [5, 2, 3], ids: [4, 4, 0, 1, 4], n: 6, dtype: 'float32' },
    { x: [7], ids: [1, -1, 3, 9, 1, 0, 3], n: 4, dtype: 'float32' },
    { x: [4, 3], ids: [2, 0, 2, 2], n: 3, dtype: 'int32' },
  ];
  cases.forEach((c, i) => {
    test(`x [${c.x}] ids [${c.ids}] numSegments ${c.n} ${c.dtype}`, async () => {
      const size = c.x.reduce((a, b) => a * b, 1);
      const values = c.dtype === 'int32' ? Int32Array.from(randomValues(size, 80 + i), (v) => Math.round(v * 50)) : randomValues(size, 80 + i);
      const inputs: Inputs = {
        x: { shape: c.x, values, dtype: c.dtype },
        ids: { shape: [c.ids.length], values: Int32Array.from(c.ids), dtype: 'int32' },
      };
      const r = await onBoth(inputs, (t) => tf.unsortedSegmentSum(t.x, t.ids as tf.Tensor1D, c.n));
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      check(`segment sum ${i}`, 'UnsortedSegmentSum', r.wasm[0], r.cpu[0]);
    });
  });

  test('gradient of gather', async () => {
    const inputs: Inputs = {
      table: rand([10, 6], 90),
      idx: { shape: [8], values: Int32Array.from([3, 1, 3, 9, 0, 3, 1, 7]), dtype: 'int32' },
      w: rand([8, 6], 91),
    };
    const r = await onBoth(inputs, (t) =>
      tf.grad((table: tf.Tensor) => tf.sum(tf.mul(tf.gather(table, t.idx), t.w)))(t.table),
    );
    check('d gather', 'UnsortedSegmentSum', r.wasm[0], r.cpu[0]);
  });
});

describe('Sum and Mean match cpu (leading and middle axes take the one-pass path)', () => {
  const cases: Array<{ shape: number[]; axis: number | number[]; keepDims?: boolean }> = [
    { shape: [4, 5, 6, 3], axis: [0, 1, 2] },
    { shape: [4, 5, 6, 3], axis: [1, 2], keepDims: true },
    { shape: [4, 5, 6, 3], axis: [2, 1] },
    { shape: [4, 5, 6, 3], axis: 0 },
    { shape: [4, 5, 6, 3], axis: -2 },
    { shape: [4, 5, 6, 3], axis: [0, 2] },
    { shape: [4, 5, 6, 3], axis: [1, 2, 3] },
    { shape: [4, 5, 6, 3], axis: [0, 1, 2, 3] },
    { shape: [37, 7], axis: 0, keepDims: true },
    { shape: [9], axis: 0 },
  ];
  cases.forEach((c, i) => {
    test(`[${c.shape}] axis ${JSON.stringify(c.axis)}${c.keepDims ? ' keepDims' : ''}`, async () => {
      const r = await onBoth({ x: rand(c.shape, 300 + i) }, (t) => [
        tf.sum(t.x, c.axis, c.keepDims),
        tf.mean(t.x, c.axis, c.keepDims),
      ]);
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      check(`sum ${i}`, 'Sum', r.wasm[0], r.cpu[0]);
      check(`mean ${i}`, 'Mean', r.wasm[1], r.cpu[1]);
    });
  });

  test('int32 sums keep their dtype', async () => {
    const values = Int32Array.from({ length: 24 }, (_, k) => (k * 7) % 11 - 5);
    const r = await onBoth({ x: { shape: [2, 3, 4], values, dtype: 'int32' } }, (t) => tf.sum(t.x, [0, 1]));
    check('int sum', 'Sum', r.wasm[0], r.cpu[0]);
  });
});

describe('MaxPoolGrad matches cpu', () => {
  const cases: Array<{ x: number[]; f: [number, number]; s: number | [number, number]; pad: 'same' | 'valid'; ties?: boolean }> = [
    { x: [2, 8, 8, 3], f: [2, 2], s: 2, pad: 'valid' },
    { x: [2, 7, 7, 4], f: [3, 3], s: 2, pad: 'same' },
    { x: [1, 6, 5, 2], f: [3, 3], s: 1, pad: 'same' },
    { x: [2, 5, 5, 3], f: [2, 2], s: 1, pad: 'valid' },
    { x: [1, 9, 8, 2], f: [3, 2], s: [2, 3], pad: 'valid' },
    { x: [2, 8, 8, 5], f: [2, 2], s: 2, pad: 'valid', ties: true },
  ];
  cases.forEach((c, i) => {
    test(`x [${c.x}] window ${c.f.join('x')} stride ${c.s} ${c.pad}${c.ties ? ' with ties' : ''}`, async () => {
      const x = rand(c.x, 400 + i);
      // Rounded, half-zero values make equal maxima within windows.
      if (c.ties) x.values = x.values.map((v) => Math.max(0, Math.round(v * 2)));
      const r = await onBoth({ x }, (t) =>
        tf.grad((a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, c.f, c.s, c.pad);
          const w = tf.tensor(randomValues(y.size, 500 + i), y.shape);
          return tf.sum(tf.mul(y, w));
        })(t.x),
      );
      check(`maxPoolGrad ${i}`, 'MaxPoolGrad', r.wasm[0], r.cpu[0]);
    });
  });
});

test('Identity and same-dtype Cast share memory safely; other casts match cpu', async () => {
  await tf.setBackend('wasm');
  const before = tf.engine().backend.numDataIds();
  const x = tf.tensor([1.5, -2.25, 3]);
  const y = tf.clone(x);
  const z = tf.cast(x, 'float32');
  x.dispose();
  assert.deepEqual(Array.from(y.dataSync()), [1.5, -2.25, 3]);
  assert.deepEqual(Array.from(z.dataSync()), [1.5, -2.25, 3]);
  tf.dispose([y, z]);
  assert.equal(tf.engine().backend.numDataIds(), before);
  const x7 = rand([7], 600);
  x7.values[3] = 0;
  const r = await onBoth({ x: x7 }, (t) => [
    tf.cast(tf.mul(t.x, 10), 'int32'),
    tf.cast(tf.mul(t.x, 3), 'bool'),
    tf.cast(tf.cast(tf.mul(t.x, 3), 'int32'), 'bool'),
  ]);
  check('cast int32', 'Cast', r.wasm[0], r.cpu[0]);
  check('cast float32 to bool', 'Cast', r.wasm[1], r.cpu[1]);
  check('cast int32 to bool', 'Cast', r.wasm[2], r.cpu[2]);
});

describe('Tile matches cpu', () => {
  const cases: Array<{ shape: number[]; reps: number[]; dtype?: 'int32' }> = [
    { shape: [1, 1, 1, 5], reps: [3, 4, 2, 1] },
    { shape: [2, 3], reps: [2, 3] },
    { shape: [4], reps: [3] },
    { shape: [2, 1, 3], reps: [1, 4, 1], dtype: 'int32' },
    { shape: [3, 2, 2, 2], reps: [2, 1, 3, 2] },
  ];
  cases.forEach((c, i) => {
    test(`[${c.shape}] reps [${c.reps}]${c.dtype ? ' int32' : ''}`, async () => {
      const x = rand(c.shape, 700 + i);
      const input = c.dtype ? { ...x, values: Int32Array.from(x.values, (v) => Math.round(v * 9)), dtype: c.dtype } : x;
      const r = await onBoth({ x: input }, (t) => tf.tile(t.x, c.reps));
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      check(`tile ${i}`, 'Tile', r.wasm[0], r.cpu[0]);
    });
  });
});

describe('BatchMatMul (transposed operands transposed first) matches cpu', () => {
  const cases: Array<{ a: number[]; b: number[]; ta: boolean; tb: boolean }> = [
    { a: [5, 7], b: [9, 7], ta: false, tb: true },
    { a: [7, 5], b: [7, 9], ta: true, tb: false },
    { a: [7, 5], b: [9, 7], ta: true, tb: true },
    { a: [5, 7], b: [7, 9], ta: false, tb: false },
    { a: [3, 4, 6], b: [3, 5, 6], ta: false, tb: true },
    { a: [3, 6, 4], b: [1, 6, 5], ta: true, tb: false },
  ];
  cases.forEach((c, i) => {
    test(`a [${c.a}]${c.ta ? 'ᵀ' : ''} x b [${c.b}]${c.tb ? 'ᵀ' : ''}`, async () => {
      const r = await onBoth({ a: rand(c.a, 800 + i), b: rand(c.b, 850 + i) }, (t) => tf.matMul(t.a, t.b, c.ta, c.tb));
      assert.deepEqual(r.shapes[0], r.shapes[1]);
      check(`matmul ${i}`, 'BatchMatMul', r.wasm[0], r.cpu[0]);
    });
  });
  test('gradients of a transposed product', async () => {
    const r = await onBoth({ a: rand([6, 4], 870), b: rand([5, 4], 871) }, (t) => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.matMul(a, b, false, true))));
      return g([t.a, t.b]);
    });
    check('d/da', 'BatchMatMul', r.wasm[0], r.cpu[0]);
    check('d/db', 'BatchMatMul', r.wasm[1], r.cpu[1]);
  });
});

/** Inputs of the gradient tests: a batch, labels, and the parameters of a tiny network. */
function netInputs(): Inputs {
  const labels = new Float32Array(4 * 5);
  [1, 4, 0, 2].forEach((c, i) => (labels[i * 5 + c] = 1));
  return {
    x: rand([4, 8, 8, 3], 100),
    labels: { shape: [4, 5], values: labels },
    w1: { shape: [3, 3, 3, 8], values: randomValues(216, 101).map((v) => v * 0.5) },
    gamma: { shape: [8], values: randomValues(8, 102).map((v) => 1 + 0.2 * v) },
    beta: rand([8], 103),
    wd: { shape: [3, 3, 8, 2], values: randomValues(144, 104).map((v) => v * 0.4) },
    w2: { shape: [3, 3, 16, 8], values: randomValues(1152, 105).map((v) => v * 0.2) },
    dense: { shape: [32, 5], values: randomValues(160, 106).map((v) => v * 0.3) },
    bias: rand([5], 107),
  };
}

const PARAMS = ['w1', 'gamma', 'beta', 'wd', 'w2', 'dense', 'bias'];

/** The loss and the gradients of the parameters `params`, via tf.variableGrads, in that order. */
function variableGradsOf(
  t: Record<string, tf.Tensor>,
  loss: (v: Record<string, tf.Variable>) => tf.Scalar,
  params = PARAMS,
): tf.Tensor[] {
  const vars: Record<string, tf.Variable> = {};
  for (const p of params) vars[p] = tf.variable(t[p], true, `${p}-${tf.getBackend()}-${Math.random()}`);
  const { grads, value } = tf.variableGrads(() => loss(vars), Object.values(vars));
  const out = [value, ...params.map((p) => grads[vars[p].name])];
  for (const v of Object.values(vars)) v.dispose();
  return out;
}

describe('gradients of a small network agree between wasm and cpu', () => {
  test('conv + BN + relu + maxpool + depthwise + strided conv + dense', async () => {
    const r = await onBoth(netInputs(), (t) =>
      variableGradsOf(t, (v) => {
        let h: tf.Tensor4D = tf.conv2d(t.x as tf.Tensor4D, v.w1 as tf.Tensor4D, 1, 'same');
        const { mean, variance } = tf.moments(h, [0, 1, 2]);
        h = tf.batchNorm(h, mean, variance, v.beta, v.gamma, 1e-3) as tf.Tensor4D;
        h = tf.relu(h);
        h = tf.maxPool(h, 2, 2, 'valid');
        h = tf.depthwiseConv2d(h, v.wd as tf.Tensor4D, 1, 'same');
        h = tf.relu(tf.conv2d(h, v.w2 as tf.Tensor4D, 2, 'same'));
        const logits = tf.add(tf.matMul(tf.reshape(h, [4, 32]), v.dense as tf.Tensor2D), v.bias);
        return tf.losses.softmaxCrossEntropy(t.labels, logits) as tf.Scalar;
      }),
    );
    check('loss', 'network loss', r.wasm[0], r.cpu[0]);
    PARAMS.forEach((p, i) => check(`d${p}`, `network grad ${p}`, r.wasm[i + 1], r.cpu[i + 1]));
  });

  test('gather, concat, slice, pad, transpose, tile, l2-normalise, exp/log, resize, mirror pad, avg pool', async () => {
    const used = ['w1', 'gamma', 'beta'];
    const inputs: Inputs = { ...netInputs(), idx: { shape: [6], values: Int32Array.from([0, 2, 2, 5, 1, 7]), dtype: 'int32' } };
    const r = await onBoth(inputs, (t) =>
      variableGradsOf(t, (v) => {
        let h: tf.Tensor4D = tf.conv2d(tf.mirrorPad(t.x as tf.Tensor4D, [[0, 0], [1, 1], [1, 1], [0, 0]], 'reflect'), v.w1 as tf.Tensor4D, 1, 'valid');
        h = tf.image.resizeBilinear(tf.exp(tf.mul(h, 0.3)) as tf.Tensor4D, [6, 6]);
        h = tf.concat([tf.slice(h, [0, 0, 0, 0], [4, 6, 6, 4]), tf.pad(tf.slice(h, [0, 1, 1, 4], [4, 4, 4, 4]), [[0, 0], [1, 1], [1, 1], [0, 0]])], 3);
        h = tf.avgPool(tf.transpose(h, [0, 2, 1, 3]), 2, 2, 'valid') as tf.Tensor4D;
        const rows = tf.gather(tf.reshape(h, [4 * 9, 8]), t.idx);
        const n = tf.div(rows, tf.sqrt(tf.add(tf.sum(tf.square(rows), 1, true), 1e-6)));
        const scaled = tf.mul(tf.tile(tf.reshape(v.gamma, [1, 8]), [6, 1]), n);
        const picked = tf.argMax(scaled, 1);
        const logp = tf.log(tf.add(tf.sigmoid(scaled), 0.1));
        const extra = tf.mean(tf.mul(tf.add(v.beta, 0), tf.mean(logp, 0)));
        return tf.add(tf.add(tf.sum(logp), extra), tf.mul(tf.sum(tf.cast(picked, 'float32')), 0)) as tf.Scalar;
      }, used),
    );
    check('loss', 'coverage loss', r.wasm[0], r.cpu[0]);
    used.forEach((p, i) => check(`d${p}`, `coverage grad ${p}`, r.wasm[i + 1], r.cpu[i + 1]));
  });
});

test('the kernels leak no tensors or wasm memory over training steps', async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor(randomValues(2 * 8 * 8 * 3, 1), [2, 8, 8, 3]);
  const w = tf.tensor(randomValues(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
  const wd = tf.tensor(randomValues(3 * 3 * 3 * 2, 3), [3, 3, 3, 2]);
  const step = () =>
    tf.tidy(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, d: tf.Tensor) =>
        {
          const h = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 'same');
          const { mean, variance } = tf.moments(h, [0, 1, 2]);
          const bn = tf.batchNorm(h, mean, variance, tf.zeros([4]), tf.tile(tf.ones([1]), [4]), 1e-3);
          const pooled = tf.maxPool(tf.relu(bn) as tf.Tensor4D, 2, 2, 'valid');
          return tf.add(
            tf.sum(tf.square(tf.cast(pooled, 'float32'))),
            tf.sum(tf.square(tf.depthwiseConv2d(a as tf.Tensor4D, d as tf.Tensor4D, 1, 'same'))),
          );
        },
      )([x, w, wd]);
      return tf.add(tf.add(tf.sum(g[0]), tf.sum(g[1])), tf.sum(g[2]));
    });
  step().dispose();
  const before = { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
  for (let i = 0; i < 3; i++) step().dispose();
  assert.deepEqual({ tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() }, before);
  tf.dispose([x, w, wd]);
});
