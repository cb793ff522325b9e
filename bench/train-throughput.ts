// Training throughput of the lab's benchmark CNN (conv3x3 32-64-128, BN, ReLU, two max-pools,
// GAP, dense 10; Adam, batch 128) per available backend, the same CNN in PyTorch (CPU, --threads)
// when it can run here, and the ratios between them.
//   npm run bench                 a table and the ratios
//   npm run bench -- --json       one JSON line per measurement (DESIGN.md's bench contract):
//     {"model":"bench-cnn","input":"32x32x3","backend":"wasm+onednn","images_per_s":1012.3}
//   npm run bench -- --backends wasm,cpu --input 32x32x3,28x28x1 --batch 128 --steps 4 --repeat 3
//                    --no-pytorch --threads 2   (threads of the native kernels and of PyTorch)
// Backends: 'wasm' is measured twice when selfsup's native kernels are built: as "wasm+onednn"
// (native convolutions, batch norm, pooling/relu gradients) and as "wasm" (SELFSUP_NATIVE=0's
// pure wasm kernels). PyTorch runs from $SELFSUP_TORCH_PYTHON, else a private venv made from the
// local wheel by bench/setup-pytorch.sh (offline), else the reference figure is printed, labelled.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, nativeStatus, registerNativeWasmKernels, unregisterNativeWasmKernels } from '../src/backend';
import { Rng } from '../src/data/rng';
import { ImageSet } from '../src/data/image-set';
import { convNet } from '../src/models/conv-net';
import { supervisedTask } from '../src/methods/supervised';
import { train } from '../src/train/train-loop';
import { silentProgressSink } from '../src/train/progress';

interface Args {
  json: boolean;
  backends: string[];
  inputs: [number, number, number][];
  batch: number;
  steps: number;
  repeat: number;
  pytorch: boolean;
  /** CPU threads of the native kernels and of PyTorch (the wasm backend computes on one). */
  threads: number;
}

/** PyTorch 2.13 CPU, 2 threads, on this kind of machine (DESIGN.md / issue 3), when it cannot run here. */
const PYTORCH_REFERENCE: Record<string, number> = { '32x32x3': 1462, '28x28x1': 1749 };

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, backends: ['tensorflow', 'wasm', 'cpu'], inputs: [[32, 32, 3], [28, 28, 1]], batch: 128, steps: 4, repeat: 1, pytorch: true, threads: 2 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--json': a.json = true; break;
      case '--backends': a.backends = v().split(','); break;
      case '--input': a.inputs = v().split(',').map((s) => s.split('x').map(Number) as [number, number, number]); break;
      case '--batch': a.batch = Number(v()); break;
      case '--steps': a.steps = Number(v()); break;
      case '--repeat': a.repeat = Number(v()); break;
      case '--no-pytorch': a.pytorch = false; break;
      case '--threads': a.threads = Number(v()); break;
      default: throw new Error(`bench: unknown argument ${argv[i]}`);
    }
  }
  for (const [name, n] of [['--batch', a.batch], ['--steps', a.steps], ['--repeat', a.repeat], ['--threads', a.threads]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`bench: ${name} must be a positive integer, got ${n}`);
  }
  return a;
}

function synthetic(n: number, h: number, w: number, c: number): ImageSet {
  const rng = new Rng(1);
  const images = new Uint8Array(n * h * w * c);
  for (let i = 0; i < images.length; i++) images[i] = rng.int(256);
  return { name: 'bench', images, labels: Int32Array.from({ length: n }, (_, i) => i % 10), classNames: Array.from({ length: 10 }, (_, i) => `${i}`), n, height: h, width: w, channels: c };
}

/**
 * Images/s of training steps (after one warm-up epoch), through the lab's own training loop, and
 * the CPU time per step of all threads (process.cpuUsage over the measured epoch: on a shared
 * machine wall time also counts waiting for a core).
 */
async function measure(h: number, w: number, c: number, batch: number, steps: number): Promise<{ ips: number; cpuMs: number }> {
  const set = synthetic(batch * steps, h, w, c);
  const rng = new Rng(1);
  const backbone = convNet({ inputChannels: c, widths: [32, 64, 128] }, rng);
  const { task, head } = supervisedTask(backbone, set, rng, { augment: false });
  const marks: NodeJS.CpuUsage[] = [];
  const r = await train(task, {
    epochs: 2, batchSize: batch, optimizer: { name: 'adam', lr: 1e-3 }, seed: 1, progress: silentProgressSink(),
    onEpochEnd: () => { marks.push(process.cpuUsage()); },
  });
  backbone.params.dispose();
  head.params.dispose();
  const cpu = process.cpuUsage(marks[0]);
  const end = process.cpuUsage(marks[1]);
  const cpuMs = (cpu.user + cpu.system - end.user - end.system) / 1000 / steps;
  return { ips: r.history[1].images_per_s, cpuMs };
}

/** A ratio to 3 significant digits, e.g. "0.587x", "4.41x", "1930x". */
function ratio(r: number): string {
  return `${r >= 1000 ? Math.round(r) : Number(r.toPrecision(3))}x`;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Row { model: string; input: string; backend: string; images_per_s: number; cpu_ms_per_step?: number; reference?: boolean }

/** The python that imports torch: $SELFSUP_TORCH_PYTHON, else the bench venv (made on demand), else the system one. */
function torchPython(log: (s: string) => void): string | null {
  const imports = (py: string) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  const env = process.env.SELFSUP_TORCH_PYTHON;
  if (env) return imports(env) ? env : null;
  const setup = path.join(__dirname, 'setup-pytorch.sh');
  const venvPy = path.join(__dirname, '..', 'node_modules', '.cache', 'selfsup', 'pytorch-venv', 'bin', 'python');
  if (imports(venvPy)) return venvPy;
  if (imports('/usr/bin/python3')) return '/usr/bin/python3';
  log('bench: installing PyTorch (CPU) from the local wheel into a private venv (once, about a minute)');
  const r = spawnSync('bash', [setup], { encoding: 'utf8' });
  if (r.status === 0) return r.stdout.trim().split('\n').pop() ?? null;
  log((r.stderr || '').trim().split('\n').pop() ?? 'bench: PyTorch setup failed');
  return null;
}

function runPytorch(args: Args, log: (s: string) => void): Row[] {
  const py = torchPython(log);
  const inputs = args.inputs.map((i) => i.join('x'));
  if (py == null) {
    log('bench: PyTorch is absent here; ratios use the reference figures of PyTorch 2.13 CPU, 2 threads, measured on this kind of machine');
    return inputs.filter((i) => PYTORCH_REFERENCE[i] != null).map((input) => ({ model: 'bench-cnn', input, backend: 'pytorch', images_per_s: PYTORCH_REFERENCE[input], reference: true }));
  }
  const runs: Row[][] = [];
  for (let k = 0; k < args.repeat; k++) {
    const r = spawnSync(py, [path.join(__dirname, 'pytorch_cnn.py'), '--threads', String(args.threads), '--batch', String(args.batch), '--input', inputs.join(',')], { encoding: 'utf8' });
    if (r.status !== 0) {
      log(`bench: PyTorch run failed: ${(r.stderr || '').trim().split('\n').pop()}`);
      return [];
    }
    runs.push(r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Row));
  }
  const pick = (input: string, k: 'images_per_s' | 'cpu_ms_per_step') => median(runs.map((rs) => rs.find((r) => r.input === input)?.[k] ?? NaN));
  return inputs.map((input) => ({
    model: 'bench-cnn',
    input,
    backend: 'pytorch',
    images_per_s: Number(pick(input, 'images_per_s').toFixed(2)),
    cpu_ms_per_step: Number(pick(input, 'cpu_ms_per_step').toFixed(1)),
  }));
}

(async () => {
  const args = parseArgs(process.argv.slice(2));
  // read when the addon loads (in initBackend), unless the caller set it
  process.env.SELFSUP_NATIVE_THREADS ??= String(args.threads);
  const rows: Row[] = [];
  const log = (s: string) => { if (!args.json) console.error(s); };
  const emit = (row: Row, note = '') => {
    rows.push(row);
    if (args.json) console.log(JSON.stringify(row));
    else console.log(`${row.model}  ${row.input.padEnd(8)}  ${row.backend.padEnd(12)}  ${row.images_per_s.toFixed(1).padStart(8)} images/s${note}`);
  };
  for (const b of args.backends) {
    try {
      await initBackend({ prefer: b, quiet: args.json });
    } catch (e) {
      log(`bench: backend ${b} unavailable (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    if (tf.getBackend() !== (b === 'node' || b === 'node-gpu' ? 'tensorflow' : b)) {
      log(`bench: backend ${b} unavailable (got ${tf.getBackend()})`);
      continue;
    }
    // wasm: with the native kernels (when built), then without them
    const variants = b === 'wasm' && nativeStatus().enabled ? ['wasm+onednn', 'wasm'] : [tf.getBackend()];
    for (const variant of variants) {
      if (variant === 'wasm' && b === 'wasm') unregisterNativeWasmKernels();
      for (const [h, w, c] of args.inputs) {
        // the cpu backend trains at about 1 image/s: measure it on small batches
        const batch = b === 'cpu' ? 8 : args.batch;
        const steps = b === 'cpu' ? 2 : args.steps;
        const repeat = b === 'cpu' ? 1 : args.repeat;
        const runs: { ips: number; cpuMs: number }[] = [];
        for (let k = 0; k < repeat; k++) runs.push(await measure(h, w, c, batch, steps));
        const cpuMs = median(runs.map((r) => r.cpuMs));
        emit(
          { model: 'bench-cnn', input: `${h}x${w}x${c}`, backend: variant, images_per_s: Number(median(runs.map((r) => r.ips)).toFixed(2)), cpu_ms_per_step: Number(cpuMs.toFixed(1)) },
          `  (batch ${batch}${repeat > 1 ? `, median of ${repeat}` : ''}; CPU ${cpuMs.toFixed(0)} ms/step)`,
        );
      }
      if (variant === 'wasm' && b === 'wasm') registerNativeWasmKernels();
    }
  }
  if (args.pytorch) {
    for (const r of runPytorch(args, log)) {
      emit(r, r.reference ? '  (reference figure, not measured here)' : `  (${args.threads} thread${args.threads > 1 ? 's' : ''}; CPU ${r.cpu_ms_per_step?.toFixed(0)} ms/step)`);
    }
  }
  if (!args.json) {
    for (const input of new Set(rows.map((r) => r.input))) {
      const rs = rows.filter((r) => r.input === input);
      const torch = rs.find((r) => r.backend === 'pytorch');
      const cpu = rs.find((r) => r.backend === 'cpu');
      const wasm = rs.find((r) => r.backend === 'wasm');
      for (const r of rs) {
        if (r === torch) continue;
        const parts: string[] = [];
        if (torch) parts.push(`${ratio(r.images_per_s / torch.images_per_s)} PyTorch${torch.reference ? ' (reference)' : ''}`);
        // with one thread each, CPU time is the work done (more robust than wall time on a shared
        // machine); with more, OpenMP workers waiting (spinning) count too, so it is not compared
        if (args.threads === 1 && torch?.cpu_ms_per_step && r.cpu_ms_per_step) parts.push(`${ratio(torch.cpu_ms_per_step / r.cpu_ms_per_step)} PyTorch in CPU time per step`);
        if (wasm && r !== wasm) parts.push(`${ratio(r.images_per_s / wasm.images_per_s)} wasm`);
        if (cpu && r !== cpu) parts.push(`${ratio(r.images_per_s / cpu.images_per_s)} cpu`);
        if (parts.length) console.log(`ratio ${input}: ${r.backend} = ${parts.join(', ')}`);
      }
    }
  }
})();
