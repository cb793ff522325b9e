/**
 * Where the lab's own training step spends its time: the step `train()` runs for supervisedTask
 * on the benchmark CNN (convNet 32-64-128 + linear head, Adam), profiled per kernel, plus the data
 * pipeline (randomCropFlip with augmentation + label tensor) timed on its own.
 *
 *   npx tsx bench/profile-step.ts [--input 32x32x3] [--batch 128] [--steps 5] [--backend wasm] [--json]
 *                                 [--task supervised|rotation] [--widths 32-64-128]
 *
 * SELFSUP_NATIVE=0 switches the native (oneDNN) kernels off, to compare.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend';
import { nativeStatus } from '../src/backend/native';
import { Rng } from '../src/data/rng';
import { ImageSet } from '../src/data/image-set';
import { convNet } from '../src/models/conv-net';
import { supervisedTask } from '../src/methods/supervised';
import { rotationTask } from '../src/methods/rotation';
import { rotationBatch } from '../src/pretext/rotation';
import { randomCropFlip } from '../src/transforms/crop-flip';
import { toLabelTensor } from '../src/data/to-tensor';
import { makeOptimizer } from '../src/train/optimizer';

interface Args { input: [number, number, number]; batch: number; steps: number; backend: string; json: boolean; task: string; widths: number[] }

function parseArgs(argv: string[]): Args {
  const a: Args = { input: [32, 32, 3], batch: 128, steps: 5, backend: 'wasm', json: false, task: 'supervised', widths: [32, 64, 128] };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--input': a.input = v().split('x').map(Number) as [number, number, number]; break;
      case '--batch': a.batch = Number(v()); break;
      case '--steps': a.steps = Number(v()); break;
      case '--backend': a.backend = v(); break;
      case '--json': a.json = true; break;
      case '--task': a.task = v(); break;
      case '--widths': a.widths = v().split('-').map(Number); break;
      default: throw new Error(`bench/profile-step: unknown argument ${argv[i]}`);
    }
  }
  return a;
}

function synthetic(n: number, h: number, w: number, c: number): ImageSet {
  const rng = new Rng(1);
  const images = new Uint8Array(n * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  return { name: 'bench', images, labels: Int32Array.from({ length: n }, (_, i) => i % 10), classNames: Array.from({ length: 10 }, (_, i) => `${i}`), n, height: h, width: w, channels: c };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const info = await initBackend({ prefer: args.backend, quiet: args.json });
  const [h, w, c] = args.input;
  const set = synthetic(args.batch * 4, h, w, c);
  const rng = new Rng(1);
  const backbone = convNet({ inputChannels: c, widths: args.widths }, rng);
  if (args.task !== 'supervised' && args.task !== 'rotation') throw new RangeError(`bench/profile-step: --task must be supervised or rotation, got ${args.task}`);
  const { task, head } = args.task === 'rotation' ? rotationTask(backbone, set, rng, { head: 'mlp' }) : supervisedTask(backbone, set, rng, { augment: true });
  const vars = task.stores.flatMap((s) => s.trainableList());
  const optimizer = makeOptimizer({ name: 'adam', lr: 1e-3 });
  const idx = Int32Array.from({ length: args.batch }, (_, i) => i);
  const step = () => {
    const l = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => task.step(idx, rng.fork('s')).loss, vars);
      optimizer.applyGradients(grads);
      return value;
    });
    l.dataSync();
    l.dispose();
  };
  for (let i = 0; i < 2; i++) step();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < args.steps; i++) step();
  const stepMs = (performance.now() - t0) / args.steps;
  const cpu = process.cpuUsage(c0);
  // CPU time of all threads: on a shared machine, wall time also counts waiting for a core
  const cpuMs = (cpu.user + cpu.system) / 1000 / args.steps;

  // the data pipeline alone: augmentation on bytes + upload (+ the rotations), as the step does it
  const d0 = performance.now();
  for (let i = 0; i < args.steps; i++) {
    const x = randomCropFlip(set, idx, rng.fork('d'), {});
    const y = toLabelTensor(set, idx);
    if (args.task === 'rotation') {
      const r = rotationBatch(x); // the four rotations, as the rotation task's step builds them
      tf.dispose([r.inputs, r.labels]);
    }
    tf.dispose([x, y]);
  }
  const dataMs = (performance.now() - d0) / args.steps;

  // Per kernel CPU time (process.cpuUsage: all threads, so the native kernels' OpenMP workers
  // count; steadier than wall time on a shared machine), by wrapping every registered kernel of
  // the backend; a kernel that calls others (selfsup's composed wasm kernels) counts them as its own.
  let depth = 0;
  const byKernel = new Map<string, { ms: number; calls: number }>();
  const wrapped: tf.KernelConfig[] = [];
  for (const config of tf.getKernelsForBackend(tf.getBackend())) {
    const inner = config.kernelFunc;
    const kernelFunc: tf.KernelFunc = (a) => {
      if (depth > 0) return inner(a);
      depth++;
      const c0 = process.cpuUsage();
      let out: ReturnType<tf.KernelFunc>;
      try {
        out = inner(a);
      } finally {
        depth--;
      }
      const c = process.cpuUsage(c0);
      const e = byKernel.get(config.kernelName) ?? { ms: 0, calls: 0 };
      byKernel.set(config.kernelName, { ms: e.ms + (c.user + c.system) / 1000, calls: e.calls + 1 });
      return out;
    };
    tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel({ ...config, kernelFunc, setupFunc: undefined });
    wrapped.push(config);
  }
  const p0 = process.cpuUsage();
  const profiled = 3;
  for (let i = 0; i < profiled; i++) step();
  const pc = process.cpuUsage(p0);
  const profiledCpuMs = (pc.user + pc.system) / 1000 / profiled;
  for (const e of byKernel.values()) { e.ms /= profiled; e.calls /= profiled; }
  for (const config of wrapped) {
    tf.unregisterKernel(config.kernelName, config.backendName);
    tf.registerKernel(config);
  }
  const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
  const prof = { kernels: { length: [...byKernel.values()].reduce((s, e) => s + e.calls, 0) } };
  const rows = [...byKernel].sort((a, b) => b[1].ms - a[1].ms);
  const native = nativeStatus();
  if (args.json) {
    console.log(JSON.stringify({ input: `${h}x${w}x${c}`, backend: info.name, native: native.enabled, step_ms: stepMs, cpu_ms: cpuMs, data_ms: dataMs, kernels_cpu_ms: total, step_cpu_ms_profiled: profiledCpuMs, kernels: Object.fromEntries(rows.map(([n, e]) => [n, Number(e.ms.toFixed(2))])) }));
  } else {
    console.log(`backend ${info.name}${native.enabled ? '+onednn' : ''} (${native.reason}), ${args.task} task, widths ${args.widths.join('-')}, input ${h}x${w}x${c}, batch ${args.batch}`);
    console.log(`step ${stepMs.toFixed(1)} ms = ${((args.batch * (task.imagesPerExample ?? 1) * 1000) / stepMs).toFixed(1)} images/s (CPU ${cpuMs.toFixed(1)} ms/step, all threads); data pipeline ${dataMs.toFixed(1)} ms (${((100 * dataMs) / stepMs).toFixed(1)}% of a step)`);
    console.log(`CPU time per step ${profiledCpuMs.toFixed(1)} ms: kernels ${total.toFixed(1)} ms in ${prof.kernels.length} calls, the rest (JS: ops, tape, tidy, engine, optimiser bookkeeping) ${(profiledCpuMs - total).toFixed(1)} ms`);
    for (const [name, e] of rows.slice(0, 25)) {
      console.log(`  ${name.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms CPU ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${e.calls} calls`);
    }
  }
  backbone.params.dispose();
  head.params.dispose();
  optimizer.dispose();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
