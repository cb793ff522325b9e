import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, nativeStatus } from '../../src/backend';
import { batchNormTrain } from '../../src/models/batch-norm';
import { Inputs, onBoth, rand, randomValues, relativeError } from './compare';

// The native (oneDNN) kernels against the cpu backend, as wasm-kernels.test.ts does for the wasm
// ones: relative error < 1e-4 over shapes, strides, paddings.
const TOLERANCE = 1e-4;
const ROOT = path.resolve(__dirname, '..', '..');
const ONEDNN_HEADER = '/usr/include/oneapi/dnnl/dnnl.hpp';
const status = nativeStatus();
const disabled = /SELFSUP_NATIVE/.test(status.reason);
const skip = status.enabled ? false : `native kernels not available: ${status.reason}`;
const worst = new Map<string, number>();

function check(label: string, kernel: string, a: Float32Array, b: Float32Array): void {
  const err = relativeError(a, b);
  worst.set(kernel, Math.max(worst.get(kernel) ?? 0, err));
  assert.ok(err < TOLERANCE, `${label}: relative error ${err.toExponential(2)} >= ${TOLERANCE}`);
}

before(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
});

after(() => {
  if (worst.size > 0) console.log([...worst].map(([k, e]) => `native ${k}: max relative error ${e.toExponential(2)}`).join('\n'));
});

test('the addon is built wherever oneDNN is installed (setup builds it)', { skip: disabled ? 'SELFSUP_NATIVE disables it' : false }, () => {
  if (!fs.existsSync(ONEDNN_HEADER)) return;
  assert.ok(status.enabled, `oneDNN is installed (${ONEDNN_HEADER}) but the native kernels are not usable: ${status.reason}`);
});

type Pad = 'same' | 'valid' | number[][];
interface ConvCase {
  x: [number, number, number, number];
  k: [number, number];
  out: number;
  strides: number | [number, number];
  pad: Pad;
  dilations?: number | [number, number];
}

const CONV_CASES: ConvCase[] = [
  { x: [4, 8, 8, 3], k: [3, 3], out: 8, strides: 1, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 4, strides: 1, pad: 'valid' },
  { x: [2, 8, 8, 3], k: [3, 3], out: 5, strides: 2, pad: 'same' },
  { x: [2, 7, 7, 3], k: [3, 3], out: 5, strides: 2, pad: 'same' },
  { x: [1, 8, 9, 2], k: [3, 3], out: 3, strides: 2, pad: 'valid' },
  { x: [2, 6, 6, 3], k: [1, 1], out: 4, strides: 2, pad: 'valid' },
  { x: [1, 9, 7, 2], k: [5, 3], out: 3, strides: [2, 1], pad: 'same' },
  { x: [1, 10, 10, 2], k: [3, 3], out: 3, strides: 3, pad: 'same' },
  { x: [2, 6, 7, 3], k: [3, 3], out: 4, strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { x: [1, 9, 9, 2], k: [3, 3], out: 3, strides: 2, pad: [[0, 0], [2, 0], [1, 1], [0, 0]] },
  { x: [2, 16, 16, 32], k: [3, 3], out: 64, strides: 1, pad: 'same' },
  { x: [3, 8, 8, 64], k: [3, 3], out: 128, strides: 1, pad: 'same' },
  { x: [2, 9, 9, 4], k: [3, 3], out: 6, strides: 1, pad: 'same', dilations: 2 },
];

const attrsOf = (a: object) => a as unknown as tf.NamedAttrMap;
const describeCase = (c: ConvCase) =>
  `x [${c.x}] k ${c.k.join('x')} s ${c.strides} pad ${JSON.stringify(c.pad)}${c.dilations ? ` dil ${c.dilations}` : ''}`;

describe('native Conv2D, Conv2DBackpropInput, Conv2DBackpropFilter match cpu', { skip }, () => {
  CONV_CASES.forEach((c, i) => {
    test(describeCase(c), async () => {
      const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.out];
      const info = tf.backend_util.computeConv2DInfo(c.x, filterShape, c.strides, c.dilations ?? 1, c.pad as 'same');
      const inputs: Inputs = { x: rand(c.x, 10 + i), dy: rand(info.outShape, 20 + i), filter: rand(filterShape, 30 + i) };
      const base = { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined };
      const r = await onBoth(inputs, (t) => {
        const y = tf.engine().runKernel(tf.Conv2D, { x: t.x, filter: t.filter }, attrsOf({ ...base, dilations: c.dilations ?? 1 })) as tf.Tensor;
        if (c.dilations != null) return [y];
        return [
          y,
          tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: t.dy, filter: t.filter }, attrsOf({ ...base, inputShape: c.x })) as tf.Tensor,
          tf.engine().runKernel(tf.Conv2DBackpropFilter, { x: t.x, dy: t.dy }, attrsOf({ ...base, filterShape })) as tf.Tensor,
        ];
      });
      check(`y ${describeCase(c)}`, 'Conv2D', r.wasm[0], r.cpu[0]);
      if (c.dilations != null) return;
      check(`dx ${describeCase(c)}`, 'Conv2DBackpropInput', r.wasm[1], r.cpu[1]);
      check(`dW ${describeCase(c)}`, 'Conv2DBackpropFilter', r.wasm[2], r.cpu[2]);
    });
  });
});

describe('native MaxPool and MaxPoolGrad match cpu', { skip }, () => {
  const cases: Array<{ x: number[]; f: [number, number]; s: number | [number, number]; pad: 'same' | 'valid'; ties?: boolean }> = [
    { x: [2, 8, 8, 3], f: [2, 2], s: 2, pad: 'valid' },
    { x: [2, 7, 7, 4], f: [3, 3], s: 2, pad: 'same' },
    { x: [1, 6, 5, 2], f: [3, 3], s: 1, pad: 'same' },
    { x: [1, 9, 8, 2], f: [3, 2], s: [2, 3], pad: 'valid' },
    { x: [2, 8, 8, 5], f: [2, 2], s: 2, pad: 'valid', ties: true },
    { x: [4, 16, 16, 64], f: [2, 2], s: 2, pad: 'valid' },
  ];
  cases.forEach((c, i) => {
    test(`x [${c.x}] window ${c.f.join('x')} stride ${c.s} ${c.pad}${c.ties ? ' with ties' : ''}`, async () => {
      const x = rand(c.x, 400 + i);
      if (c.ties) x.values = x.values.map((v) => Math.max(0, Math.round(v * 2)));
      const r = await onBoth({ x }, (t) =>
        tf.grad((a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, c.f, c.s, c.pad);
          return tf.sum(tf.mul(y, tf.tensor(randomValues(y.size, 500 + i), y.shape)));
        })(t.x),
      );
      check(`maxPoolGrad ${i}`, 'MaxPoolGrad', r.wasm[0], r.cpu[0]);
      const f = await onBoth({ x }, (t) => tf.maxPool(t.x as tf.Tensor4D, c.f, c.s, c.pad));
      check(`maxPool ${i}`, 'MaxPool', f.wasm[0], f.cpu[0]);
    });
  });
});

describe('native batch norm (training) and relu gradient match the composed ops on cpu', { skip }, () => {
  const shapes = [[4, 5, 5, 3], [8, 16, 16, 32], [16, 8], [2, 3, 3, 128]];
  const cases = [...shapes.map((shape) => ({ shape, fused: false })), ...shapes.map((shape) => ({ shape, fused: true }))];
  cases.forEach(({ shape, fused }, i) => {
    test(`[${shape}]${fused ? ' with the relu fused in' : ''}`, async () => {
      const c = shape[shape.length - 1];
      // offset and scale the input so the variance is not ~1 and the mean not ~0
      const inputs: Inputs = { x: rand(shape, 700 + i), gamma: rand([c], 710 + i), beta: rand([c], 720 + i), w: rand(shape, 730 + i), a: rand([c], 740 + i), b: rand([c], 750 + i) };
      const r = await onBoth(inputs, (t) => {
        const x = tf.add(tf.mul(t.x, 3), 0.7);
        const f = (xv: tf.Tensor, g: tf.Tensor, be: tf.Tensor) => {
          const bn = batchNormTrain(xv, g as tf.Tensor1D, be as tf.Tensor1D, 1e-5, { relu: fused });
          // uses mean and variance too, so their gradients (dMean, dVariance) are tested
          const y = fused ? bn.y : tf.relu(bn.y);
          return tf.add(tf.sum(tf.mul(y, t.w)), tf.add(tf.sum(tf.mul(bn.mean, t.a)), tf.sum(tf.mul(bn.variance, t.b)))) as tf.Scalar;
        };
        const bn = batchNormTrain(x, t.gamma as tf.Tensor1D, t.beta as tf.Tensor1D, 1e-5, { relu: fused });
        const grads = tf.grads(f)([x, t.gamma, t.beta]);
        return [bn.y, bn.mean, bn.variance, ...grads];
      });
      ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'].forEach((name, k) => check(`${name} [${shape}]`, `batch norm ${name}`, r.wasm[k], r.cpu[k]));
    });
  });

  test('the wasm backend runs SelfsupBatchNormTrain and SelfsupReluGrad (one kernel each way)', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(randomValues(2 * 4 * 4 * 8, 1), [2, 4, 4, 8]);
    const prof = await tf.profile(() =>
      tf.grad((a: tf.Tensor) => tf.sum(tf.relu(batchNormTrain(a, tf.ones([8]), tf.zeros([8])).y)))(x),
    );
    const names = prof.kernels.map((k) => k.name);
    for (const k of ['SelfsupBatchNormTrain', 'SelfsupBatchNormTrainGrad', 'SelfsupReluGrad']) assert.ok(names.includes(k), `${k} ran (ran: ${names.join(', ')})`);
    assert.ok(!names.includes('Step'), 'relu gradient did not compose Step + Multiply');
    tf.dispose(prof.result as tf.Tensor);
    const fused = await tf.profile(() =>
      tf.grad((a: tf.Tensor) => tf.sum(batchNormTrain(a, tf.ones([8]), tf.zeros([8]), 1e-5, { relu: true }).y))(x),
    );
    const fusedNames = fused.kernels.map((k) => k.name);
    assert.ok(!fusedNames.includes('Relu') && !fusedNames.includes('SelfsupReluGrad'), `relu fused into the batch norm (ran: ${fusedNames.join(', ')})`);
    tf.dispose(fused.result as tf.Tensor);
    x.dispose();
  });
});

describe('native Relu and Add/Sub/Multiply/RealDiv (per-channel broadcasts) match cpu', { skip }, () => {
  const cases: Array<{ a: number[]; b: number[] }> = [
    { a: [64, 32, 32, 3], b: [3] },
    { a: [16, 16, 16, 32], b: [1, 1, 1, 32] },
    { a: [8, 64, 128], b: [] },
    { a: [40, 1000], b: [40, 1000] },
    { a: [8, 8, 8, 128], b: [8, 1, 1, 128] }, // a broadcast the native kernels leave to wasm
    { a: [10, 10], b: [10] }, // too small: wasm
  ];
  cases.forEach((c, i) => {
    test(`[${c.a}] with [${c.b}]`, async () => {
      const b = rand(c.b, 810 + i);
      b.values = b.values.map((v) => v + (v >= 0 ? 0.5 : -0.5)); // no division by ~0
      const r = await onBoth({ a: rand(c.a, 800 + i), b }, (t) => [
        tf.add(t.a, t.b), tf.sub(t.a, t.b), tf.mul(t.a, t.b), tf.div(t.a, t.b), tf.relu(t.a),
      ]);
      ['Add', 'Sub', 'Multiply', 'RealDiv', 'Relu'].forEach((k, j) => check(`${k} [${c.a}] [${c.b}]`, k, r.wasm[j], r.cpu[j]));
    });
  });
});

describe('native Reverse matches cpu', { skip }, () => {
  const cases: Array<{ shape: number[]; axes: number[]; int?: boolean }> = [
    { shape: [4, 8, 8, 3], axes: [1] },
    { shape: [4, 8, 8, 3], axes: [2] },
    { shape: [4, 8, 8, 3], axes: [1, 2] },
    { shape: [4, 8, 8, 3], axes: [0, 3] },
    { shape: [5, 7], axes: [-1] },
    { shape: [9], axes: [0] },
    { shape: [3, 4, 5], axes: [0, 2], int: true },
  ];
  cases.forEach((c, i) => {
    test(`[${c.shape}] axes [${c.axes}]${c.int ? ' int32' : ''}`, async () => {
      const x = c.int
        ? { shape: c.shape, values: Int32Array.from(randomValues(c.shape.reduce((a, b) => a * b, 1), 900 + i), (v) => Math.round(v * 1000)), dtype: 'int32' as const }
        : rand(c.shape, 900 + i);
      const r = await onBoth({ x }, (t) => tf.cast(tf.reverse(t.x, c.axes), 'float32'));
      check(`reverse ${i}`, 'Reverse', r.wasm[0], r.cpu[0]);
    });
  });
});

test('the native kernels leak no tensors or wasm memory over training steps', { skip }, async () => {
  await tf.setBackend('wasm');
  const x = tf.tensor(randomValues(4 * 8 * 8 * 3, 1), [4, 8, 8, 3]);
  const w = tf.tensor(randomValues(3 * 3 * 3 * 8, 2), [3, 3, 3, 8]);
  const w2 = tf.tensor(randomValues(3 * 3 * 8 * 8, 3), [3, 3, 8, 8]);
  const step = () =>
    tf.tidy(() => {
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
        let h = tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same');
        h = tf.maxPool(tf.relu(batchNormTrain(h, tf.ones([8]), tf.zeros([8])).y) as tf.Tensor4D, 2, 2, 'valid');
        h = tf.conv2d(h, c as tf.Tensor4D, 1, 'same');
        return tf.sum(tf.square(h));
      })([x, w, w2]);
      return tf.add(tf.add(tf.sum(g[0]), tf.sum(g[1])), tf.sum(g[2]));
    });
  step().dispose();
  const before = { tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() };
  for (let i = 0; i < 3; i++) step().dispose();
  assert.deepEqual({ tensors: tf.memory().numTensors, dataIds: tf.engine().backend.numDataIds() }, before);
  tf.dispose([x, w, w2]);
});

test('SELFSUP_NATIVE=0 falls back to the wasm kernels, says so in the backend line, and trains the same', () => {
  const script = `
    const tf = require('@tensorflow/tfjs-core');
    const { initBackend } = require('./src/backend');
    const { batchNormTrain } = require('./src/models/batch-norm');
    (async () => {
      const info = await initBackend({ prefer: 'wasm' });
      const x = tf.randomUniform([2, 6, 6, 3], -1, 1, 'float32', 1);
      const w = tf.randomUniform([3, 3, 3, 4], -1, 1, 'float32', 2);
      const g = tf.grad((f) => tf.sum(tf.relu(batchNormTrain(tf.conv2d(x, f, 1, 'same'), tf.ones([4]), tf.zeros([4])).y)))(w);
      const k = tf.getKernel('SelfsupBatchNormTrain', 'wasm');
      console.log(JSON.stringify({ native: info.native, bnKernel: k != null, grad: Array.from(g.dataSync()) }));
    })();`;
  const run = (env: NodeJS.ProcessEnv) =>
    spawnSync(path.join(ROOT, 'node_modules', '.bin', 'tsx'), ['-e', script], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
  const off = run({ SELFSUP_NATIVE: '0' });
  assert.equal(off.status, 0, off.stderr);
  assert.match(off.stderr, /native kernels off: disabled by SELFSUP_NATIVE=0/);
  assert.equal(off.stderr.trim().split('\n').length, 1, `one log line, got: ${off.stderr}`);
  const a = JSON.parse(off.stdout.trim().split('\n').pop()!);
  assert.equal(a.native.enabled, false);
  assert.equal(a.bnKernel, false);
  if (!status.enabled) return;
  const on = run({ SELFSUP_NATIVE: '1' });
  assert.equal(on.status, 0, on.stderr);
  assert.match(on.stderr, /native kernels on: oneDNN/);
  const b = JSON.parse(on.stdout.trim().split('\n').pop()!);
  assert.equal(b.bnKernel, true);
  const err = relativeError(Float32Array.from(b.grad), Float32Array.from(a.grad));
  assert.ok(err < TOLERANCE, `native vs wasm gradient: relative error ${err.toExponential(2)}`);
});

test('the build step skips with one line (and succeeds) where oneDNN is absent', () => {
  const out = execFileSync('bash', [path.join(ROOT, 'scripts', 'build-native.sh')], {
    cwd: ROOT,
    env: { ...process.env, SELFSUP_ONEDNN_HEADER: '/nonexistent/dnnl.hpp' },
    encoding: 'utf8',
  });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 1, out);
  assert.match(lines[0], /oneDNN.*not found.*pure wasm/);
});
