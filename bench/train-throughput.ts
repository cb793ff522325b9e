// Training throughput of the lab's benchmark CNN (conv3x3 32-64-128, BN, ReLU, two max-pools,
// GAP, dense 10; Adam) per available backend, and the ratios between them.
//   npm run bench                 a table
//   npm run bench -- --json       one JSON line per measurement (DESIGN.md's bench contract)
//   npm run bench -- --backends wasm,cpu --input 32x32x3,28x28x1 --batch 128
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend';
import { Rng } from '../src/data/rng';
import { ImageSet } from '../src/data/image-set';
import { convNet } from '../src/models/conv-net';
import { supervisedTask } from '../src/methods/supervised';
import { train } from '../src/train/train-loop';
import { silentProgressSink } from '../src/train/progress';

interface Args { json: boolean; backends: string[]; inputs: [number, number, number][]; batch: number; steps: number }

function parseArgs(argv: string[]): Args {
  const a: Args = { json: false, backends: ['tensorflow', 'wasm', 'cpu'], inputs: [[32, 32, 3], [28, 28, 1]], batch: 128, steps: 4 };
  for (let i = 0; i < argv.length; i++) {
    const v = () => argv[++i] ?? '';
    switch (argv[i]) {
      case '--json': a.json = true; break;
      case '--backends': a.backends = v().split(','); break;
      case '--input': a.inputs = v().split(',').map((s) => s.split('x').map(Number) as [number, number, number]); break;
      case '--batch': a.batch = Number(v()); break;
      case '--steps': a.steps = Number(v()); break;
      default: throw new Error(`bench: unknown argument ${argv[i]}`);
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

/** Images/s of training steps (after one warm-up epoch), through the lab's own training loop. */
async function measure(h: number, w: number, c: number, batch: number, steps: number): Promise<number> {
  const set = synthetic(batch * steps, h, w, c);
  const rng = new Rng(1);
  const backbone = convNet({ inputChannels: c, widths: [32, 64, 128] }, rng);
  const { task, head } = supervisedTask(backbone, set, rng, { augment: false });
  const r = await train(task, { epochs: 2, batchSize: batch, optimizer: { name: 'adam', lr: 1e-3 }, seed: 1, progress: silentProgressSink() });
  backbone.params.dispose();
  head.params.dispose();
  return r.history[1].images_per_s;
}

(async () => {
  const args = parseArgs(process.argv.slice(2));
  const rows: { model: string; input: string; backend: string; images_per_s: number }[] = [];
  for (const b of args.backends) {
    try {
      await initBackend({ prefer: b, quiet: args.json });
    } catch (e) {
      if (!args.json) console.error(`bench: backend ${b} unavailable (${(e as Error).message.split('\n')[0]})`);
      continue;
    }
    if (tf.getBackend() !== (b === 'node' || b === 'node-gpu' ? 'tensorflow' : b)) {
      if (!args.json) console.error(`bench: backend ${b} unavailable (got ${tf.getBackend()})`);
      continue;
    }
    for (const [h, w, c] of args.inputs) {
      // the cpu backend trains at about 1 image/s: measure it on small batches
      const batch = b === 'cpu' ? 8 : args.batch;
      const steps = b === 'cpu' ? 2 : args.steps;
      const ips = await measure(h, w, c, batch, steps);
      const row = { model: 'bench-cnn', input: `${h}x${w}x${c}`, backend: tf.getBackend(), images_per_s: Number(ips.toFixed(2)) };
      rows.push(row);
      if (args.json) console.log(JSON.stringify(row));
      else console.log(`${row.model}  ${row.input.padEnd(8)}  ${row.backend.padEnd(10)}  ${row.images_per_s.toFixed(1).padStart(8)} images/s  (batch ${batch})`);
    }
  }
  if (!args.json) {
    for (const input of new Set(rows.map((r) => r.input))) {
      const rs = rows.filter((r) => r.input === input);
      const cpu = rs.find((r) => r.backend === 'cpu');
      for (const r of rs) if (cpu && r !== cpu) console.log(`ratio ${input}: ${r.backend} / cpu = ${(r.images_per_s / cpu.images_per_s).toFixed(1)}x`);
    }
  }
})();
