// Notebooks: re-running reuses cached datasets and checkpoints keyed by their configuration, and
// a changed parameter invalidates exactly what it should (and nothing else).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { useCpu, toySet } from '../helpers';
import { tempDir, put, pngOf } from '../data/helpers';
import { DataError } from '../../src/data/errors';
import { subset } from '../../src/data/split';
import { loadImageFolder } from '../../src/data/load-image-folder';
import { pretrain, PretrainConfig } from '../../src/methods/pretrain';
import { ProgressSink } from '../../src/train/progress';
import { knnMonitor } from '../../src/eval/compare';

const full = toySet(40, 8, 3, 2);
const data = subset(full, Array.from({ length: 16 }, (_, i) => i), 'toy[16]');
/** Same name and size as `data`, other images: only its content tells them apart. */
const sameNameOtherImages = subset(full, Array.from({ length: 16 }, (_, i) => 20 + i), 'toy[16]');
const bigger = subset(full, Array.from({ length: 24 }, (_, i) => i), 'toy[24]');

function countingSink(): ProgressSink & { steps: number } {
  const s = { steps: 0, update: () => void s.steps++, done: () => undefined };
  return s;
}

async function run(cfg: PretrainConfig, set = data) {
  const sink = countingSink();
  const r = await pretrain(set, { ...cfg, progress: sink });
  const weights = Float32Array.from(r.backbone.params.entries().flatMap(([, v]) => Array.from(v.dataSync())));
  r.backbone.params.dispose();
  r.head.params.dispose();
  return { steps: sink.steps, resumedFrom: r.resumedFrom, history: r.history, weights };
}

test('pretrain: a rerun with the same configuration restores (no step runs); each changed parameter retrains, once', async () => {
  await useCpu();
  const dir = tempDir('selfsup-nb-ckpt-');
  const base: PretrainConfig = { method: 'rotation', widths: [4], epochs: 2, batchSize: 8, optimizer: { name: 'adam', lr: 0.01 }, seed: 1, checkpointDir: dir };
  const first = await run(base);
  assert.equal(first.steps, 4, 'first run trains 2 epochs x 2 steps');
  const again = await run(base);
  assert.equal(again.steps, 0, 'rerun: no training step');
  assert.equal(again.resumedFrom, 2, 'rerun: restored after epoch 2');
  assert.deepEqual(again.weights, first.weights, 'rerun: the same weights');
  assert.deepEqual(again.history, first.history, 'rerun: the same history');
  // what must NOT invalidate: a per-epoch monitor (it does not change the weights), the progress sink
  const monitored = await run({ ...base, onEpochEnd: knnMonitor(data, data, 8, 1) });
  assert.equal(monitored.steps, 0, 'adding a kNN monitor does not retrain');

  const changes: [string, Partial<PretrainConfig>, typeof data?][] = [
    ['widths', { widths: [6] }],
    ['epochs', { epochs: 3 }],
    ['batchSize', { batchSize: 4 }],
    ['learning rate', { optimizer: { name: 'adam', lr: 0.02 } }],
    ['optimizer', { optimizer: { name: 'sgd', lr: 0.01 } }],
    ['schedule', { optimizer: { name: 'adam', lr: 0.01, schedule: 'constant' } }],
    ['seed', { seed: 2 }],
    ['augment', { augment: false }],
    ['head', { head: 'mlp' }],
    ['method', { method: 'supervised' }],
    ['dataset size (n)', {}, bigger],
    ['dataset content (same name and size)', {}, sameNameOtherImages],
    ['back to the first configuration', {}],
  ];
  const lines: string[] = [];
  for (const [what, change, set] of changes) {
    const cfg = { ...base, ...change };
    const changed = await run(cfg, set);
    assert.equal(changed.resumedFrom, 0, `${what}: not restored`);
    assert.ok(changed.steps > 0, `${what}: retrained (${changed.steps} steps)`);
    const rerun = await run(cfg, set);
    assert.equal(rerun.steps, 0, `${what}: a second run with it restores`);
    assert.deepEqual(rerun.weights, changed.weights, `${what}: restored weights equal the trained ones`);
    lines.push(`${what} ${changed.steps}/${rerun.steps}`);
  }
  console.log(`# checkpoint invalidation (steps trained / steps on rerun): ${lines.join(', ')}`);
});

test('datasets: a rerun reads the decoded cache (the images are not read again); changed decode options or files re-decode', async () => {
  const cacheDir = tempDir('selfsup-nb-cache-');
  const folder = tempDir('selfsup-nb-folder-');
  for (let i = 0; i < 5; i++) put(folder, `cat/${i}.png`, pngOf(8, 8, [30 * i, 10, 10]));
  for (let i = 0; i < 5; i++) put(folder, `dog/${i}.png`, pngOf(8, 8, [10, 30 * i, 10]));
  const victim = path.join(folder, 'dog/3.png');
  const T = 1_700_000_000; // a whole second, so that setting it again restores the exact time
  fs.utimesSync(victim, T, T);
  const first = await loadImageFolder(folder, { cacheDir, quiet: true, size: 8 });
  // Damage an image without changing its size or time: a run that reads the images would fail.
  fs.writeFileSync(victim, Buffer.alloc(fs.statSync(victim).size, 0x41));
  fs.utimesSync(victim, T, T);
  const cached = await loadImageFolder(folder, { cacheDir, quiet: true, size: 8 });
  assert.deepEqual(Array.from(cached.train.images), Array.from(first.train.images), 'same options: served from the cache');
  assert.deepEqual(Array.from(cached.test.labels), Array.from(first.test.labels), 'same split');
  // Another decode option (size, channels) is another cache entry: the images are read again.
  for (const opts of [{ size: 6 }, { size: 8, channels: 1 as const }]) {
    await assert.rejects(loadImageFolder(folder, { cacheDir, quiet: true, ...opts }), (e: unknown) => e instanceof DataError && e.file === victim, `${JSON.stringify(opts)}: re-decoded (and found the damaged file)`);
  }
  // A changed file (its time changes) re-decodes too.
  fs.writeFileSync(victim, pngOf(8, 8, [10, 250, 10]));
  const fresh = await loadImageFolder(folder, { cacheDir, quiet: true, size: 8 });
  assert.notDeepEqual(Array.from(fresh.train.images).concat(Array.from(fresh.test.images)), Array.from(first.train.images).concat(Array.from(first.test.images)), 'the new pixels are used');
});
