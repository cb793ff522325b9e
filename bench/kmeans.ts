/**
 * Times k-means (src/cluster) at the scale: 50,000 x 128 features, k = 1,000, on the
 * selected backend (default wasm), with the default tol and iteration cap.
 *
 *   npx tsx bench/kmeans.ts [--n 50000] [--dim 128] [--k 1000] [--max-iter 50] [--metric cosine]
 *                           [--noise 1] [--backend wasm] [--json]
 *
 * Features: a mixture of k Gaussian blobs (unit-variance centres, noise std `--noise`, default
 * 1: overlapping blobs, so Lloyd needs tens of iterations as on real features). Prints the
 * k-means++ seeding time, the Lloyd iterations and time per iteration, and the total.
 */
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../src/backend';
import { Rng } from '../src/data/rng';
import { kMeans, kMeansPlusPlus } from '../src/cluster/kmeans';
import { nmi } from '../src/cluster/metrics';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const n = Number(arg('n', '50000'));
  const dim = Number(arg('dim', '128'));
  const k = Number(arg('k', '1000'));
  const maxIter = Number(arg('max-iter', '50'));
  const metric = arg('metric', 'cosine') as 'euclidean' | 'cosine';
  const noise = Number(arg('noise', '1'));
  const json = process.argv.includes('--json');
  const backend = await initBackend({ prefer: arg('backend', 'wasm'), quiet: true });
  const rng = new Rng(1);
  const truth = Int32Array.from({ length: n }, () => rng.int(k));
  const x = tf.tidy(() => {
    const centres = tf.randomNormal([k, dim], 0, 1, 'float32', rng.seed32());
    return tf.add(tf.gather(centres, tf.tensor1d(truth, 'int32')), tf.randomNormal([n, dim], 0, noise, 'float32', rng.seed32())) as tf.Tensor2D;
  });
  const before = tf.memory().numTensors;
  const t0 = performance.now();
  const idx = kMeansPlusPlus(x, k, new Rng(2), metric);
  const seedSec = (performance.now() - t0) / 1000;
  const init = tf.tidy(() => tf.gather(x, tf.tensor1d(idx, 'int32')) as tf.Tensor2D);
  const r = kMeans(x, { k, rng: new Rng(2), init, metric, maxIter });
  const totalSec = (performance.now() - t0) / 1000;
  r.centroids.dispose();
  init.dispose();
  const out = {
    bench: 'kmeans',
    backend: backend.name,
    n,
    dim,
    k,
    metric,
    noise,
    seeding_s: +seedSec.toFixed(2),
    iterations: r.iterations,
    converged: r.converged,
    per_iteration_s: +((r.seconds) / (r.iterations + 1)).toFixed(3),
    lloyd_s: +r.seconds.toFixed(2),
    total_s: +totalSec.toFixed(2),
    nmi_vs_blobs: +nmi(r.assignments, truth).toFixed(4),
    leaked_tensors: tf.memory().numTensors - before,
  };
  x.dispose();
  if (json) console.log(JSON.stringify(out));
  else {
    console.log(`k-means on ${backend.name}: ${n} x ${dim} features, k = ${k}, ${metric}`);
    console.log(`  k-means++ seeding  ${out.seeding_s} s`);
    console.log(`  Lloyd              ${out.iterations} iterations${out.converged ? ' (converged)' : ' (hit maxIter)'}, ${out.lloyd_s} s, ${out.per_iteration_s} s per assignment pass`);
    console.log(`  total              ${out.total_s} s  (NMI vs the generating blobs ${out.nmi_vs_blobs}; tensors left ${out.leaked_tensors})`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
