import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 08 · Jigsaw puzzles and the size of the permutation set

**The lecture's claim.** Cut an image into a 3×3 grid of tiles, shuffle them, and ask a network which
shuffle it was: to solve the puzzle it has to recognise the parts of objects and how they fit together
(Noroozi & Favaro, *Unsupervised Learning of Visual Representations by Solving Jigsaw Puzzles*, ECCV 2016).
There are 9! = 362,880 shuffles, too many classes, so the task uses a fixed **permutation set**, chosen so that
its members are far apart in Hamming distance (the number of tiles in different places): close permutations
would be near-impossible to tell apart. The set's size sets the task's difficulty; the paper found the
transferred features improve as the set grows (to 1,000) and the permutations stay far apart.

**What you will see.** The permutation sets (greedy maximal-Hamming selection vs random sets of the same size);
puzzles from CIFAR-10 images; then one jigsaw network per set size, a **shared-weight tile encoder** whose nine
feature vectors are concatenated and classified over the set, each evaluated on frozen whole-image features
(kNN and linear probe) next to **random init** and **supervised** backbones of the same shape. The figure: accuracy
of the transferred features against the size of the permutation set.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs, numbers meaningless),
`quick` several minutes (rough but real; measured 8 min 35 s on a machine shared with other jobs), `full` the real
figure, measured 17 min 18 s with the native kernels while another full run shared the cores (6 epochs of 20,000
puzzles per set size; the supervised baseline restored from an earlier run's checkpoint).
Re-running with the same parameters restores the trained networks from `checkpoints/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`permutationSizes` are the set sizes swept (one training each); `permutations` is the size reported as
`jigsaw.knn` / `jigsaw.linear`. `tileSize` is the tile side: a 30×30 random crop is cut into 10×10 cells and
each tile is taken at a random offset inside its cell, so neighbouring tiles never share an edge.
`curriculum` is the fraction of each run over which the puzzles' permutations are drawn from a growing part of
the set (below). Headless: `npm run lab -- 08-jigsaw --budget full --set epochs=5`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, supervisedEpochs, batchSize, optimizer, probeEpochs, tileSize, colour, permutationSizes, permutations, hammingCandidates, curriculum } = sl.jigsawPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, tileSize: tileSize, colour: colour, permutationSizes: permutationSizes.join(', '), reported: permutations, curriculum: curriculum }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

A class-balanced training subset (pretext data, kNN bank, linear-probe training set) and a class-balanced test
subset. Labels are used only by the supervised baseline and the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
"""),
md("""
## Permutation sets by maximal Hamming distance

The greedy algorithm of Noroozi and Favaro: start from a random permutation, then repeatedly add the one of the
9! candidates farthest from those already chosen (here: the largest *minimum* distance, ties broken by the
paper's largest *total* distance). A random set of the same size is shown for comparison: its closest pair is
much closer, so some of its puzzles differ by a swap of two tiles. (`hammingCandidates` below 9! scans a random
subset of the candidates: faster, slightly smaller distances.)
"""),
code("""
// seeded per size (new Rng(seed).fork(`perms-${n}`)), so 07 and 13 can rebuild the reported set and restore this notebook's networks
const sets = new Map(permutationSizes.map((n) => [n, sl.jigsawPermutationSet({ seed: seed, hammingCandidates: hammingCandidates, permutations: permutations }, n)]));
sl.showTable(permutationSizes.map((n) => {
  const rand = sl.randomPermutations(n, rng.fork(`random-perms-${n}`));
  return { size: n, min_hamming: sl.minPairwiseHamming(sets.get(n)!), mean_hamming: sl.meanPairwiseHamming(sets.get(n)!), random_min_hamming: sl.minPairwiseHamming(rand), random_mean_hamming: sl.meanPairwiseHamming(rand) };
}), { title: 'Pairwise Hamming distance within each set (out of 9 tiles)', digits: 2 });
"""),
md("""
## The pretext task: which permutation?

Per image: the image; its nine tiles in shuffled order, as the network receives them (each tile with its own
colour jitter, so colours cannot be matched across tiles); and the tiles put back by the inverse permutation.
"""),
code("""
const shownTrain = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('examples')).subarray(0, 6));
sl.showFigure(sl.jigsawFigure(shownTrain, 6, sets.get(permutations)!, rng.fork('figure'), { tileSize: tileSize, colour: colour }), { name: 'puzzles' });
"""),
md("""
## Baselines: random init and supervised

The random-init backbone is each jigsaw backbone *before* training (same seed, same initial weights). The
supervised backbone has the same shape and learns from the human labels on whole images.
"""),
code("""
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const supervised = await sl.pretrain(train, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('08-jigsaw', 'supervised'),
});
const base = await sl.compareEncoders({ random: random, supervised: supervised.backbone }, train, test, { probe: { epochs: probeEpochs, seed: seed } });
"""),
md("""
## One jigsaw network per permutation-set size

The tile encoder is the backbone (3×3 conv → batch norm → ReLU blocks, max-pools, global average pooling),
applied with shared weights to each of the nine tiles; the nine feature vectors are concatenated in the shuffled
order and an MLP classifies the permutation among the set. After training, the backbone alone embeds whole
32×32 images (global average pooling accepts any size) and is evaluated like the baselines.

**A curriculum for large sets.** With 300 or 1,000 permutations the network has nothing to hold on to at first:
in the last full run without curriculum (3 epochs of 20,000 puzzles) their pretext accuracy stayed at chance
(0.4% and 0.1%) and their features barely moved from random init (kNN +1.8 and +1.1 points). The paper trained
for 350,000 steps of 256 puzzles; we have a few thousand. So over the first `curriculum` fraction of each run,
puzzles are shuffled only by the first *k* permutations of the set, *k* growing geometrically from 10 to the
whole set (the head is always as wide as the set). The greedy maximal-Hamming set is built one permutation at a
time, so each prefix is itself a well-spread set: the network first tells far-apart shuffles apart, then closer
ones. The pretext accuracy in the table below is the last epoch's, on the whole set.

Training longer is not the cure either. A full run with 10 epochs instead of 6 taught the large sets their task
(final pretext accuracy 96.6 / 84.8 / 73.1 / 52.9% for 10 / 100 / 300 / 1,000 permutations, against 94.2 / 69.5 /
23.2 / 1.8% after 6) but every network's kNN accuracy went *down* (40.9 / 39.6 / 38.2 / 38.5%, against 41.8 / 40.0 /
39.2 / 39.6%): the better the backbone solves puzzles, the more its last block specialises in them. Notebook 07
probes every block of the reported (100-permutation) network: its linear probe peaks at block 2, though by less
than twice the noise in the last full run.
"""),
code("""
const sweep: { size: number; pretext_accuracy: number; knn: number; linear: number; images_per_s: number }[] = [];
const jigsawMetrics: Record<string, number> = {};
let reportedRate = 0;
for (const n of permutationSizes) {
  const run = await sl.pretrain(train, {
    method: 'jigsaw', widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
    options: { permutations: sets.get(n)!, tileSize: tileSize, colour: colour, curriculum: curriculum },
    checkpointDir: sl.checkpointDir('08-jigsaw', `jigsaw-${n}`),
  });
  const e = await sl.evaluateBackbone(run.backbone, train, test, { probe: { epochs: probeEpochs, seed: seed } });
  sweep.push({ size: n, pretext_accuracy: run.history[run.history.length - 1].accuracy, knn: e.knn, linear: e.linear, images_per_s: run.imagesPerSec });
  jigsawMetrics[`jigsaw.knn.perms${n}`] = e.knn;
  jigsawMetrics[`jigsaw.linear.perms${n}`] = e.linear;
  if (n === permutations) {
    jigsawMetrics['jigsaw.knn'] = e.knn;
    jigsawMetrics['jigsaw.linear'] = e.linear;
    reportedRate = run.imagesPerSec;
  }
  run.backbone.params.dispose();
  run.head.params.dispose();
}
sl.showTable(sweep, { title: `Jigsaw networks by permutation-set size (pretext accuracy on training puzzles; kNN and linear on ${test.n} test images; throughput in tiles/s)`, digits: 3 });
"""),
md("""
## Accuracy against the size of the permutation set
"""),
code("""
const baseAcc = Object.fromEntries(base.rows.map((r) => [r.encoder, { knn: r.knn, linear: r.linear }]));
sl.showFigure(sl.permutationCurveFigure(sweep, baseAcc, { title: `Jigsaw features vs permutation-set size, CIFAR-10 (${train.n} train / ${test.n} test)` }), { name: 'permutation-size' });
"""),
md("""
## Results

The numbers below are computed from this run, and written to `results/08-jigsaw.json` (the per-size accuracies
as `jigsaw.knn.perms<n>` / `jigsaw.linear.perms<n>`).
"""),
code("""
const metrics = { ...base.metrics, ...jigsawMetrics };
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gain = (a: number, b: number) => `${((a - b) * 100 >= 0 ? '+' : '')}${((a - b) * 100).toFixed(1)} points`;
const best = sweep.reduce((a, b) => (b.knn > a.knn ? b : a));
sl.writeResults({ notebook: '08-jigsaw', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: reportedRate, metrics: metrics });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, ${epochs} epoch(s) per jigsaw network, curriculum over the first ${pct(curriculum)} of each):

| encoder | kNN | linear probe |
|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} |
${sweep.map((r) => `| jigsaw, ${r.size} permutations | ${pct(r.knn)} | ${pct(r.linear)} |`).join('\\n')}
| supervised | ${pct(metrics['supervised.knn'])} | ${pct(metrics['supervised.linear'])} |

Jigsaw (${permutations} permutations) vs random init: kNN ${gain(metrics['jigsaw.knn'], metrics['random.knn'])}, linear ${gain(metrics['jigsaw.linear'], metrics['random.linear'])}.
The best kNN accuracy came with ${best.size} permutations (${pct(best.knn)}); from ${sweep[0].size} to ${sweep[sweep.length - 1].size} permutations kNN moved ${gain(sweep[sweep.length - 1].knn, sweep[0].knn)} and the pretext accuracy fell from ${pct(sweep[0].pretext_accuracy)} to ${pct(sweep[sweep.length - 1].pretext_accuracy)}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, supervised.backbone.params, supervised.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "08-jigsaw.ipynb"))
