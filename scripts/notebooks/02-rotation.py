import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 02 · Rotation prediction: labels for free

**The lecture's claim.** To tell whether a photo is upright or turned by 90°, 180° or 270°, a network has to
recognise *what* is in it: skies go up, wheels go down, faces have eyes above mouths. So a 4-way classifier
trained on rotated images (labels made from the data itself: no human annotation) learns features that are
useful for real recognition (Gidaris, Singh & Komodakis, *Unsupervised Representation Learning by Predicting
Image Rotations*, ICLR 2018).

**What you will see.** Real CIFAR-10 images in their four rotations (the pretext task's inputs and labels);
the pretext training curve with a kNN monitor per epoch; then three backbones of the *same* shape, evaluated
the same way on frozen features (weighted kNN, k=200, t=0.1; and a linear probe):

* **random init**: the network before any training: the floor;
* **rotation**: trained only to predict rotations;
* **supervised**: trained on the human labels with as many images through the network: the ceiling.

Last, which rotations the network gets right on test images it never saw.

**How long.** On 2 CPU cores (wasm backend with the native oneDNN kernels): `smoke` under a minute (proves it
runs, numbers meaningless), `quick` about 2 minutes (rough but real; measured 100 s), `full` about 32 minutes
(the real figure; measured 32 min 14 s: rotation 16 min 5 s, supervised 11 min 22 s, evaluation 4 min 42 s;
on plain wasm the same training would take about 3 hours). Re-running with the
same parameters restores the trained networks from `checkpoints/` instead of retraining.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
Change any value here and re-run the notebook, or headless:
`npm run lab -- 02-rotation --budget full --set epochs=8`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, supervisedEpochs, batchSize, optimizer, probeEpochs, monitorSize, head } = sl.rotationPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, probeEpochs: probeEpochs, head: head }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

60,000 colour photos of 32×32 pixels in 10 classes (Krizhevsky, 2009); here from the local mirror's JPEG copy
(lossy, about 30 dB PSNR: fine for this task). We draw a class-balanced training subset, which is also the
labelled bank for kNN and the training set of the linear probe, and a class-balanced test subset.
The labels are used **only** by the supervised baseline and by the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const examples = sl.subset(train, sl.stratifiedSample(train, { perClass: 2 }, rng.fork('examples')));
sl.showImages(examples.images, examples.n, 32, 32, 3, Array.from(examples.labels, (l) => train.classNames[l]), { cols: 10, title: 'Training images, two per class, with their (unused) labels' });
"""),
md("""
## The pretext task: which way is up?

Each image becomes four inputs; the label is the rotation we applied. No annotation is involved.
"""),
code("""
sl.showFigure(sl.rotationGridFigure(examples, 4, { start: 2 }), { name: 'rotated-inputs' });
"""),
md("""
## Pretext training

The backbone is a small convnet (3×3 conv → batch norm → ReLU blocks, max-pools, global average pool) with a
4-way head on top (by default a two-layer MLP: it absorbs some of the rotation-specific work, so the
backbone's own features, the ones we evaluate, stay more general). Every epoch shows every training image in all four rotations. After each epoch a kNN
monitor classifies held-out test images by their nearest neighbours in feature space: it measures the
*features*, which the pretext loss does not.
"""),
code("""
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
const rotation = await sl.pretrain(train, {
  method: 'rotation', widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed, head: head,
  checkpointDir: sl.checkpointDir('02-rotation', 'rotation'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(rotation.history), { title: 'Rotation pretext training, per epoch' });
sl.showFigure(sl.trainingCurveFigure(rotation.history, { title: 'Rotation training: pretext loss and accuracy, kNN monitor', accuracy: 'rotation accuracy (train)', monitors: monitor ? { knn: 'kNN accuracy (test monitor)' } : {} }), { name: 'rotation-training' });
"""),
md("""
## Baselines: random init and supervised

The random-init backbone is the rotation backbone *before* training (same seed, same weights at step 0).
The supervised backbone has the same shape and sees as many images through the network as the rotation
run (`supervisedEpochs = 4 × epochs`), but learns from the human labels.
"""),
code("""
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const supervised = await sl.pretrain(train, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('02-rotation', 'supervised'),
});
sl.showFigure(sl.trainingCurveFigure(supervised.history, { title: 'Supervised baseline training' }), { name: 'supervised-training' });
"""),
md("""
## Evaluation on frozen features

Each backbone embeds the training subset (the labelled bank) and the test subset once. **kNN**: each test image
takes the weighted vote of its 200 most similar training images (cosine similarity, weights exp(sim/0.1)).
**Linear probe**: a logistic regression on the standardised features. Neither changes the backbone.
"""),
code("""
const { rows, metrics } = await sl.compareEncoders(
  { random: random, rotation: rotation.backbone, supervised: supervised.backbone }, train, test,
  { probe: { epochs: probeEpochs, seed: seed } },
);
sl.showTable(rows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups(metrics), { title: `Frozen-feature accuracy, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## What the rotation network predicts

Test images it never saw (one per class), each in four rotations, captioned with the rotation the network
predicts. Look at the failures: does the image still look plausible when turned (a texture, a round or
symmetric object, no sky or ground)? Where the rotation is ambiguous the pretext task has no answer, one reason
rotation alone does not learn everything a label would teach.
"""),
code("""
const shown = sl.subset(test, sl.stratifiedSample(test, { perClass: 1 }, rng.fork('shown')).subarray(0, 6));
const predicted = sl.predictRotationGrid(rotation.backbone, rotation.head, shown);
sl.showFigure(sl.rotationGridFigure(shown, shown.n, { predicted }), { name: 'predicted-rotations' });
"""),
md("""
## Results

The numbers below are computed from this run, and written to `results/02-rotation.json` for the lab's results page.
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gain = (a: number, b: number) => `${((a - b) * 100 >= 0 ? '+' : '')}${((a - b) * 100).toFixed(1)} points`;
sl.writeResults({ notebook: '02-rotation', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: rotation.imagesPerSec, metrics: metrics });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, ${rotation.imagesPerSec.toFixed(0)} images/s while training rotation):

| encoder | kNN | linear probe |
|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} |
| rotation | ${pct(metrics['rotation.knn'])} | ${pct(metrics['rotation.linear'])} |
| supervised | ${pct(metrics['supervised.knn'])} | ${pct(metrics['supervised.linear'])} |

Rotation vs random init: kNN ${gain(metrics['rotation.knn'], metrics['random.knn'])}, linear ${gain(metrics['rotation.linear'], metrics['random.linear'])}.
Supervised vs rotation: kNN ${gain(metrics['supervised.knn'], metrics['rotation.knn'])}, linear ${gain(metrics['supervised.linear'], metrics['rotation.linear'])}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, rotation.backbone.params, rotation.head.params, supervised.backbone.params, supervised.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "02-rotation.ipynb"))
