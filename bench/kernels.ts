/**
 * Times one training step (forward + backward + Adam) of the benchmark CNN on 32x32x3 random input
 * and prints images/s and the kernels that take the time.
 *
 *   npx tsx bench/kernels.ts --audit     lists the training kernels tfjs-backend-wasm lacks
 *   npx tsx bench/kernels.ts [--batch 128] [--steps 5] [--backend wasm] [--profile]
 *                            [--stock all|Name,Name] [--core-bn-grad] [--json]
 *
 * The benchmark CNN: conv3x3 32-64-128, each followed by batch norm (tf.moments + tf.batchNorm)
 * and ReLU, 2x2 max-pool after the first two, global average pool, dense 10; softmax
 * cross-entropy. To compare, `--stock` puts back tfjs-backend-wasm's own kernels that selfsup
 * replaced (all, or the ones named) and `--core-bn-grad` tfjs-core's own FusedBatchNorm gradient.
 */
import * as tf from '@tensorflow/tfjs-core';
import {
  TRAINING_KERNELS,
  initBackend,
  missingKernels,
  restoreCoreBatchNormGrad,
  restoreStockWasmKernels,
} from '../src/backend';

interface Args {
  batch: number;
  steps: number;
  backend: string;
  profile: boolean;
  stock: string[];
  coreBnGrad: boolean;
  audit: boolean;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { batch: 128, steps: 5, backend: 'wasm', profile: false, stock: [], coreBnGrad: false, audit: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--batch') args.batch = Number(argv[++i]);
    else if (a === '--steps') args.steps = Number(argv[++i]);
    else if (a === '--backend') args.backend = argv[++i];
    else if (a === '--profile') args.profile = true;
    else if (a === '--stock') args.stock = argv[++i].split(',');
    else if (a === '--core-bn-grad') args.coreBnGrad = true;
    else if (a === '--audit') args.audit = true;
    else if (a === '--json') args.json = true;
    else throw new Error(`bench/kernels: unknown argument ${a}`);
  }
  return args;
}

/** The benchmark CNN's parameters, He-initialised from a fixed seed. */
function makeParams(): Record<string, tf.Variable> {
  const p: Record<string, tf.Variable> = {};
  let cin = 3;
  [32, 64, 128].forEach((cout, i) => {
    p[`conv${i}`] = tf.variable(tf.randomNormal([3, 3, cin, cout], 0, Math.sqrt(2 / (9 * cin)), 'float32', 1 + i));
    p[`gamma${i}`] = tf.variable(tf.ones([cout]));
    p[`beta${i}`] = tf.variable(tf.zeros([cout]));
    cin = cout;
  });
  p.dense = tf.variable(tf.randomNormal([128, 10], 0, Math.sqrt(1 / 128), 'float32', 9));
  p.bias = tf.variable(tf.zeros([10]));
  return p;
}

function loss(p: Record<string, tf.Variable>, x: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  let h = x;
  for (let i = 0; i < 3; i++) {
    h = tf.conv2d(h, p[`conv${i}`] as tf.Tensor4D, 1, 'same');
    const { mean, variance } = tf.moments(h, [0, 1, 2]);
    h = tf.relu(tf.batchNorm(h, mean, variance, p[`beta${i}`], p[`gamma${i}`], 1e-5)) as tf.Tensor4D;
    if (i < 2) h = tf.maxPool(h, 2, 2, 'valid');
  }
  const features = tf.mean(h, [1, 2]) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(features, p.dense as tf.Tensor2D), p.bias);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // Loaded here (initBackend loads it only when it picks wasm) to audit its stock kernels.
  require('@tensorflow/tfjs-backend-wasm');
  const missingBefore = missingKernels('wasm');
  if (args.audit) {
    await initBackend({ prefer: 'wasm', quiet: true });
    console.log(`training kernels checked: ${TRAINING_KERNELS.length}`);
    console.log(`missing from tfjs-backend-wasm 4.22: ${missingBefore.join(', ') || 'none'}`);
    console.log(`missing after registerWasmGradKernels: ${missingKernels('wasm').join(', ') || 'none'}`);
    return;
  }
  const info = await initBackend({ prefer: args.backend, quiet: args.json });
  if (args.stock.length > 0) {
    const restored = restoreStockWasmKernels(args.stock.includes('all') ? undefined : args.stock);
    if (!args.json) console.log(`restored stock wasm kernels: ${restored.join(', ')}`);
  }
  if (args.coreBnGrad) restoreCoreBatchNormGrad();
  const params = makeParams();
  const x = tf.randomUniform([args.batch, 32, 32, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = tf.oneHot(tf.randomUniform([args.batch], 0, 10, 'int32', 4) as tf.Tensor1D, 10) as tf.Tensor2D;
  const optimizer = tf.train.adam(1e-3);
  const varList = Object.values(params);
  const step = () => tf.tidy(() => optimizer.minimize(() => loss(params, x, labels), true, varList)!.dataSync()[0]);

  for (let i = 0; i < 2; i++) step();
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < args.steps; i++) step();
  const cpu = process.cpuUsage(cpu0);
  const stepMs = (performance.now() - t0) / args.steps;
  const cpuMs = (cpu.user + cpu.system) / 1000 / args.steps;
  const imagesPerS = (args.batch * 1000) / stepMs;
  // On a shared machine wall time includes waiting for a core; the wasm backend computes on one
  // thread, so CPU time per step is the steadier measure.
  const imagesPerCpuS = (args.batch * 1000) / cpuMs;

  if (args.json) {
    console.log(
      JSON.stringify({
        model: 'bench-cnn',
        input: '32x32x3',
        backend: info.name,
        batch: args.batch,
        images_per_s: round(imagesPerS),
        images_per_cpu_s: round(imagesPerCpuS),
      }),
    );
  } else {
    console.log(`kernels the wasm backend lacked before selfsup's: ${missingBefore.join(', ') || 'none'}`);
    console.log(`kernels still missing: ${missingKernels('wasm').join(', ') || 'none'}`);
    console.log(
      `backend ${info.name}, batch ${args.batch}: ${stepMs.toFixed(0)} ms/step, ${imagesPerS.toFixed(1)} images/s ` +
        `(CPU ${cpuMs.toFixed(0)} ms/step, ${imagesPerCpuS.toFixed(1)} images per CPU-second)`,
    );
  }
  if (args.profile) {
    const prof = await tf.profile(() => step());
    const byKernel = new Map<string, { ms: number; calls: number }>();
    for (const k of prof.kernels) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      byKernel.set(k.name, { ms: e.ms + ms, calls: e.calls + 1 });
    }
    const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
    const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 15);
    console.log(`profiled step: kernels total ${total.toFixed(0)} ms`);
    for (const [name, e] of rows) {
      console.log(`  ${name.padEnd(30)} ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${e.calls} calls`);
    }
  }
  tf.dispose([x, labels, ...varList]);
  optimizer.dispose();
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
