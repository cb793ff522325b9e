import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 01 · Relative position of patches: context as supervision

**The lecture's claim.** Show a network two patches of one image, the centre of a 3×3 grid and one of its 8
neighbours, and ask *where the second sits relative to the first*. To answer, it has to know what the parts of
objects look like and how they are arranged (an ear goes above an eye, a wheel below a door), so the features it
learns should be useful for recognition, although no label was given (Doersch, Gupta & Efros, *Unsupervised
Visual Representation Learning by Context Prediction*, ICCV 2015). Two details matter: the patches are cut with
**gaps and random jitter**, so the network cannot just continue an edge or a texture across the border; and each
patch gets its own **colour treatment**, because the original paper found that networks learn to locate a patch
from the chromatic aberration of the lens (colour fringes that shift towards the image border) instead of its
content.

**What you will see.** The pretext inputs (patch pairs from CIFAR-10 images, with their labels); the pretext
training curve with a kNN monitor; then three backbones of the same shape evaluated the same way on frozen
features of *whole* images: **random init** (the floor), **relative position** and **supervised** (the
ceiling); and the lecture's **nearest-neighbour retrieval** figure: for a few query images, their most similar
test images under each encoder.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs, numbers meaningless),
`quick` about 4 minutes (rough but real; measured 3 min 43 s on a busy machine), `full` the real figure, measured 32 min with the
native kernels while two other runs shared the cores (relative position kNN 42.8% vs 37.3% at random init).
Re-running with the same parameters restores the trained networks from `checkpoints/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
`patch`, `gap` and `jitter` shape the 3×3 grid (in pixels); `colour` is the per-patch colour treatment
(`jitter`, `drop`, `grey` or `none`). Headless: `npm run lab -- 01-relative-position --budget full --set epochs=30`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, supervisedEpochs, batchSize, optimizer, probeEpochs, monitorSize, patch, gap, jitter, colour, retrievalQueries, retrievalK } = sl.relativePositionPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, patch: patch, gap: gap, jitter: jitter, colour: colour }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

Colour photos of 32×32 pixels in 10 classes. A class-balanced training subset is the pretext data, the labelled
kNN bank and the linear probe's training set; a class-balanced test subset is what accuracies are measured on and
the gallery the retrieval searches. Labels are used only by the supervised baseline and the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
"""),
md("""
## The pretext task: where is the second patch?

On a 32×32 image the 3×3 grid is small: patches of `patch` pixels, `gap` pixels apart, each moved by up to
`jitter` pixels on its own. Below, per image: the image; where the anchor (centre) and the query were cut; and the
two patches as the network receives them (enlarged, after the colour treatment). The label is the query's
position among the 8 neighbours: up-left, up, up-right, left, right, down-left, down, down-right.
"""),
code("""
const shownTrain = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('examples')).subarray(0, 8));
sl.showFigure(sl.relativePositionFigure(shownTrain, 8, rng.fork('figure'), { patch: patch, gap: gap, jitter: jitter, colour: colour }), { name: 'patch-pairs' });
"""),
md("""
## Pretext training

A Siamese network: **one** backbone (3×3 conv → batch norm → ReLU blocks, max-pools, global average pooling)
embeds both patches with the same weights; the two feature vectors are concatenated (late fusion) and a small MLP
names the neighbour (8-way). Because the backbone ends in global average pooling it accepts any input size, so the
network trained on patches embeds whole images afterwards. The kNN monitor measures those whole-image features
after every epoch.
"""),
code("""
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
const relpos = await sl.pretrain(train, {
  method: 'relative_position', widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  options: { patch: patch, gap: gap, jitter: jitter, colour: colour },
  checkpointDir: sl.checkpointDir('01-relative-position', 'relative_position'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(relpos.history), { title: 'Relative-position pretext training, per epoch' });
sl.showFigure(sl.lineFigure(relpos.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy', ...(monitor ? ['knn'] : [])], names: { loss: 'pretext loss', accuracy: '8-way accuracy (train, chance 12.5%)', knn: 'kNN accuracy (test monitor)' }, title: 'Relative-position training: pretext loss and accuracy, kNN monitor', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'relative-position-training' });
"""),
md("""
## Baselines: random init and supervised

The random-init backbone is the relative-position backbone *before* training (same seed, same initial weights).
The supervised backbone has the same shape and learns from the human labels on whole images.
"""),
code("""
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const supervised = await sl.pretrain(train, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('01-relative-position', 'supervised'),
});
sl.showFigure(sl.trainingCurveFigure(supervised.history, { title: 'Supervised baseline training' }), { name: 'supervised-training' });
"""),
md("""
## Evaluation on frozen features

Each backbone embeds whole training and test images once. **kNN**: each test image takes the weighted vote of its
200 most similar training images (cosine similarity, weights exp(sim/0.1)). **Linear probe**: a logistic
regression on the standardised features. Neither changes the backbone.
"""),
code("""
const encoders = { random: random, relative_position: relpos.backbone, supervised: supervised.backbone };
const { rows, metrics } = await sl.compareEncoders(encoders, train, test, { probe: { epochs: probeEpochs, seed: seed } });
sl.showTable(rows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups(metrics), { title: `Frozen-feature accuracy, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## Nearest-neighbour retrieval

The lecture's figure: take a few query images and list their most similar images (cosine similarity of the
whole-image features) among the other test images, once per encoder. Each block of rows is one query: random
init on top, then relative position, then supervised; ✓ marks a neighbour of the query's class. Below, the same
question over every test image as a query: the fraction of its `retrievalK` neighbours that share its class.
"""),
code("""
const queryIdx = sl.stratifiedSample(test, { perClass: 1 }, rng.fork('queries')).subarray(0, retrievalQueries);
const queries = sl.subset(test, queryIdx, 'queries');
const shortName: Record<string, string> = { random: 'random', relative_position: 'rel. pos.', supervised: 'supervised' };
// every test image as a query once per encoder; the figure shows the rows of the chosen queries
const everyQuery = Object.entries(encoders).map(([name, bb]) => ({ encoder: name, neighbours: sl.retrieve(bb, test, retrievalK) }));
sl.showFigure(sl.retrievalGridFigure(queries, test, everyQuery.map((r) => ({ encoder: r.encoder, label: shortName[r.encoder], neighbours: sl.pickQueries(r.neighbours, queryIdx) }))), { name: 'retrieval' });
const precision = everyQuery.map((r) => ({ encoder: r.encoder, [`precision@${retrievalK}`]: sl.retrievalPrecision(r.neighbours, test.labels, test.labels) }));
sl.showTable(precision, { title: `Retrieval over all ${test.n} test images: fraction of the ${retrievalK} nearest neighbours of the query's class`, digits: 3 });
"""),
md("""
## Results

The numbers below are computed from this run, and written to `results/01-relative-position.json`.
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gain = (a: number, b: number) => `${((a - b) * 100 >= 0 ? '+' : '')}${((a - b) * 100).toFixed(1)} points`;
const prec = (e: string) => pct(precision.find((r) => r.encoder === e)![`precision@${retrievalK}`] as number);
sl.writeResults({ notebook: '01-relative-position', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: relpos.imagesPerSec, metrics: metrics });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, ${relpos.imagesPerSec.toFixed(0)} patches/s while training relative position; final pretext accuracy ${pct(relpos.history[relpos.history.length - 1].accuracy)}, chance 12.5%):

| encoder | kNN | linear probe | retrieval precision@${retrievalK} |
|---|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} | ${prec('random')} |
| relative position | ${pct(metrics['relative_position.knn'])} | ${pct(metrics['relative_position.linear'])} | ${prec('relative_position')} |
| supervised | ${pct(metrics['supervised.knn'])} | ${pct(metrics['supervised.linear'])} | ${prec('supervised')} |

Relative position vs random init: kNN ${gain(metrics['relative_position.knn'], metrics['random.knn'])}, linear ${gain(metrics['relative_position.linear'], metrics['random.linear'])}.
Supervised vs relative position: kNN ${gain(metrics['supervised.knn'], metrics['relative_position.knn'])}, linear ${gain(metrics['supervised.linear'], metrics['relative_position.linear'])}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, relpos.backbone.params, relpos.head.params, supervised.backbone.params, supervised.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "01-relative-position.ipynb"))
