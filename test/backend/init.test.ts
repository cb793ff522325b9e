import { afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_CHOICES, backendName, describeBackend, initBackend, nativeStatus } from '../../src/backend';

const saved = process.env.SELFSUP_BACKEND;
afterEach(() => {
  if (saved == null) delete process.env.SELFSUP_BACKEND;
  else process.env.SELFSUP_BACKEND = saved;
});

function installed(pkg: string): boolean {
  try {
    require.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

test('an unknown SELFSUP_BACKEND is an error naming the variable and the allowed values', async () => {
  process.env.SELFSUP_BACKEND = 'webgpu';
  await assert.rejects(initBackend({ quiet: true }), (err: Error) => {
    assert.match(err.message, /SELFSUP_BACKEND/);
    for (const choice of BACKEND_CHOICES) assert.ok(err.message.includes(choice), `message lists ${choice}`);
    assert.match(err.message, /webgpu/);
    return true;
  });
});

test('an unknown prefer is an error too', async () => {
  await assert.rejects(initBackend({ prefer: 'gpu', quiet: true }), /prefer.*wasm, cpu, tensorflow, node, node-gpu/);
});

test('SELFSUP_BACKEND=cpu selects cpu, then =wasm selects wasm with SIMD and without threads', async () => {
  process.env.SELFSUP_BACKEND = 'cpu';
  const cpu = await initBackend({ quiet: true });
  assert.equal(cpu.name, 'cpu');
  assert.equal(backendName(), 'cpu');
  process.env.SELFSUP_BACKEND = 'WASM';
  const wasm = await initBackend({ quiet: true });
  const native = nativeStatus();
  assert.deepEqual(wasm, { name: 'wasm', simd: true, threads: false, fallbacks: [], native: { enabled: native.enabled, reason: native.reason } });
  assert.equal(backendName(), 'wasm');
});

test('prefer wins over SELFSUP_BACKEND', async () => {
  process.env.SELFSUP_BACKEND = 'wasm';
  assert.equal((await initBackend({ prefer: 'cpu', quiet: true })).name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
});

test('a second call returns the same info at once and re-activates its backend', async () => {
  const first = await initBackend({ prefer: 'wasm', quiet: true });
  await tf.setBackend('cpu');
  const start = performance.now();
  const second = await initBackend({ prefer: 'wasm', quiet: true });
  assert.equal(second, first);
  assert.equal(tf.getBackend(), 'wasm');
  assert.ok(performance.now() - start < 50, 'cached call is cheap');
});

test('the automatic order skips tfjs-node(-gpu) when absent, says why, and logs one line', async (t) => {
  if (installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu')) {
    t.skip('tfjs-node is installed here');
    return;
  }
  delete process.env.SELFSUP_BACKEND;
  const lines: string[] = [];
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string) => (lines.push(String(chunk)), true)) as typeof process.stderr.write;
  let info;
  try {
    info = await initBackend();
  } finally {
    process.stderr.write = write;
  }
  assert.equal(info.name, 'wasm');
  assert.deepEqual(info.fallbacks, ['tfjs-node-gpu not installed', 'tfjs-node not installed']);
  const native = nativeStatus();
  const nativeText = `native kernels ${native.enabled ? 'on' : 'off'}: ${native.reason}`;
  assert.deepEqual(lines, [
    `selfsup: backend wasm (SIMD on, threads off, ${nativeText}; tfjs-node-gpu not installed, tfjs-node not installed)\n`,
  ]);
});

test('forcing tfjs-node when it is not installed is an error, not a silent fallback', async (t) => {
  if (installed('@tensorflow/tfjs-node')) {
    t.skip('tfjs-node is installed here');
    return;
  }
  process.env.SELFSUP_BACKEND = 'node';
  await assert.rejects(initBackend({ quiet: true }), /SELFSUP_BACKEND=node cannot be used: tfjs-node not installed/);
});

test('tfjs-core gradients are registered and the wasm backend shares our tfjs-core', async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  for (const kernel of ['Conv2D', 'FusedBatchNorm', 'Sum', 'GatherV2', 'MaxPool']) {
    assert.ok(tf.getGradient(kernel) != null, `gradient of ${kernel}`);
  }
  const wasmDir = require.resolve('@tensorflow/tfjs-backend-wasm');
  assert.equal(require.resolve('@tensorflow/tfjs-core', { paths: [wasmDir] }), require.resolve('@tensorflow/tfjs-core'));
  const g = tf.grad((x: tf.Tensor) => tf.sum(tf.square(x)))(tf.tensor1d([1, -2, 3]));
  assert.deepEqual(Array.from(g.dataSync()), [2, -4, 6]);
});

test('describeBackend formats the log line', () => {
  assert.equal(describeBackend({ name: 'cpu', fallbacks: [] }), 'backend cpu');
  assert.equal(
    describeBackend({ name: 'wasm', simd: true, threads: false, fallbacks: ['tfjs-node not installed'] }),
    'backend wasm (SIMD on, threads off; tfjs-node not installed)',
  );
  assert.equal(
    describeBackend({ name: 'wasm', simd: true, threads: false, fallbacks: [], native: { enabled: false, reason: 'disabled by SELFSUP_NATIVE=0' } }),
    'backend wasm (SIMD on, threads off, native kernels off: disabled by SELFSUP_NATIVE=0)',
  );
});
