import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend';
import { Rng } from '../src/data/rng';
import { convNet } from '../src/models/conv-net';
import { supervisedTask } from '../src/methods/supervised';
import { makeOptimizer } from '../src/train/optimizer';
(async () => {
  await initBackend({ prefer: 'wasm' });
  const n = 128 * 4, h = 32, c = 3;
  const rng = new Rng(1);
  const images = new Uint8Array(n * h * h * c).map((_, i) => (i * 7) % 256);
  const set = { name: 'b', images, labels: Int32Array.from({ length: n }, (_, i) => i % 10), classNames: Array.from({ length: 10 }, (_, i) => `${i}`), n, height: h, width: h, channels: c };
  const backbone = convNet({ inputChannels: c }, rng);
  const { task } = supervisedTask(backbone, set, rng, { augment: true });
  const vars = task.stores.flatMap((s) => s.trainableList());
  const opt = makeOptimizer({ name: 'adam', lr: 1e-3 });
  const idx = Int32Array.from({ length: 128 }, (_, i) => i);
  const step = () => { const l = tf.tidy(() => { const { value, grads } = tf.variableGrads(() => task.step(idx, rng.fork('s')).loss, vars); opt.applyGradients(grads); return value; }); l.dataSync(); l.dispose(); };
  step(); step();
  const names = new Set(['RealDiv', 'Sub', 'Multiply', 'Add', 'Mean', 'Relu', 'MaxPool', 'Sum', 'Sqrt', 'Square']);
  const rows: string[] = [];
  for (const config of tf.getKernelsForBackend('wasm')) {
    if (!names.has(config.kernelName)) continue;
    const inner = config.kernelFunc;
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel({ ...config, setupFunc: undefined, kernelFunc: (a) => { const c0 = process.cpuUsage(); const o = inner(a); const u = process.cpuUsage(c0); const ms = (u.user + u.system) / 1000; if (ms > 0.3) rows.push(`${config.kernelName} ${ms.toFixed(2)} ${Object.values(a.inputs).map((t) => `[${t!.shape}]`).join(' ')}`); return o; } });
  }
  step();
  console.log(rows.join('\n'));
})();
