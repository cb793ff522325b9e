import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 10 · Contrastive learning: related vs unrelated, and instance discrimination

**The lecture's claim.** Pretext tasks hand the network an arbitrary question (which rotation? which jigsaw
permutation?) and hope the features it needs are useful. Contrastive learning asks for the property directly:
embeddings of *related* things should be close, embeddings of *unrelated* things far apart. A Siamese network
(one encoder with shared weights applied to both items of a pair) and a contrastive loss (Hadsell, Chopra &
LeCun 2006) do it. What counts as "related" is the whole design:

* **(a) nearby vs distant patches of one image**: a patch and an overlapping neighbour are related, a distant
  patch of the same image is not. Only local continuity is learned.
* **(b) patches of one image vs patches of other images**: two augmented views of an image are related, every
  other image is unrelated: *instance discrimination* (NPID, Wu et al., CVPR 2018). Each image is its own class;
  the negatives come from a **memory bank** holding an embedding of every training image, updated with momentum
  as training visits it, so thousands of negatives cost no extra forward passes.

**What you will see.** The patch pairs and their Siamese training; how far apart related and unrelated patches
end up; NPID with a kNN monitor every epoch (cosine, k=200, t=0.1) and its loss and accuracy curves; the
frozen features of both against random init.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (numbers meaningless), `quick` about 5
minutes (rough but real), `full` measured 47 min 23 s with the native kernels while two other runs
shared the cores (NPID at 190 images/s, most of it memory-bank updates, since made about 4x faster; the evaluation
against all 50,000 training images about 11 minutes).
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (`quick` otherwise). NPID's knobs are the paper's: 4,096 negatives per step,
temperature 0.07, memory-bank momentum 0.5. Headless: `npm run lab -- 10-contrastive --budget full --set epochs=10`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, batchSize, optimizer, monitorSize, probeEpochs, negatives, temperature, bankMomentum, patchSize, margin, patchEpochs } = sl.contrastivePreset(budget);
""", tags=["parameters"]),
code("""
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, batchSize: batchSize, lr: optimizer.lr, negatives: negatives, temperature: temperature, bankMomentum: bankMomentum, patchSize: patchSize, patchEpochs: patchEpochs }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

Class-balanced subsets of the training and test splits. No method here sees a label; the kNN bank and the linear
probe do.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
"""),
md("""
## (a) Nearby vs distant patches of one image

Each training image gives an anchor patch, a *near* patch (shifted by a few pixels: overlapping, related) and a
*far* patch of the same image (unrelated). The Siamese network embeds all three with the same weights; the
contrastive loss pulls anchor and near together and pushes anchor and far at least `margin` apart (embeddings are
unit vectors, so distances lie in [0, 2]). Training accuracy = how often the near patch is closer than the far one.
"""),
code("""
const shown = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('shown')).subarray(0, 4));
const ex = sl.nearFarPatchImages(shown, patchSize, rng.fork('patches'));
sl.showImages(ex.bytes, 3 * shown.n, patchSize, patchSize, 3, ex.captions, { cols: 3, title: 'Anchor, related (near) and unrelated (far) patches', name: 'patch-pairs' });
"""),
code("""
const patch = await sl.pretrainContrastive(train, {
  method: 'patch', widths: widths, epochs: patchEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  options: { patch: patchSize, margin: margin }, checkpointDir: sl.checkpointDir('10-contrastive', 'patch'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(patch.history), { title: 'Near vs far patches, per epoch' });
const dRandom = sl.nearFarDistances(random, test, rng.fork('d'), { patch: patchSize });
const dPatch = sl.nearFarDistances(patch.backbone, test, rng.fork('d'), { patch: patchSize });
sl.showFigure(sl.histogramFigure({ 'random init: near': dRandom.near, 'random init: far': dRandom.far, 'trained: near': dPatch.near, 'trained: far': dPatch.far }, { title: 'Distances between backbone features of patch pairs (test images)', xTitle: 'distance of unit-normalised features' }), { name: 'patch-distances' });
"""),
md("""
## (b) Instance discrimination with a memory bank (NPID)

Now the related item is another augmented view of the *same image* and the unrelated items are *other images*.
Every training image has a row in the memory bank (a 128-d unit vector). A step embeds an augmented view of each
batch image, scores it against its own bank row and `negatives` rows of other images drawn from the bank (a
non-parametric softmax with temperature 0.07), then moves the image's row towards the new embedding:
v ← normalise(0.5·v + 0.5·f). Training accuracy = how often the own row wins. Early on the bank rows are
random; they become meaningful as each epoch rewrites them.
"""),
code("""
const npid = await sl.pretrainContrastive(train, {
  method: 'npid', widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  options: { negatives: negatives, temperature: temperature, bankMomentum: bankMomentum }, checkpointDir: sl.checkpointDir('10-contrastive', 'npid'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(npid.history), { title: 'NPID, per epoch' });
sl.showFigure(sl.lineFigure(npid.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy', ...(monitor ? ['knn'] : [])], names: { loss: 'NPID loss', accuracy: 'instance accuracy (train)', knn: 'kNN accuracy (test monitor)' }, title: 'NPID: loss, instance-discrimination accuracy and kNN monitor', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'npid-training' });
"""),
md("""
## Evaluation on frozen features

The same evaluation for every backbone: kNN (cosine, k=200, t=0.1) against the training subset and a linear
probe, on the test subset. Random init is the same network before training.
"""),
code("""
const { rows, metrics } = await sl.compareEncoders({ random: random, npid: npid.backbone }, train, test, { probe: { epochs: probeEpochs, seed: seed } });
const patchEval = await sl.compareEncoders({ near_far_patches: patch.backbone }, train, test, { probe: { epochs: probeEpochs, seed: seed } });
const allRows = [...rows, ...patchEval.rows];
sl.showTable(allRows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups({ ...metrics, ...patchEval.metrics }), { title: `Frozen-feature accuracy, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## Results

Computed from this run; written to `results/10-contrastive.json`.
"""),
code("""
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pts = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(100 * (a - b)).toFixed(1)} points`;
const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const pk = patchEval.metrics['near_far_patches.knn'], pl = patchEval.metrics['near_far_patches.linear'];
sl.writeResults({ notebook: '10-contrastive', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: npid.imagesPerSec, metrics: metrics,
  extra: { near_far_patches: { knn: pk, linear: pl }, npid_history: npid.history, patch_history: patch.history } });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, NPID ${npid.imagesPerSec.toFixed(0)} images/s, ${(elapsed() / 60).toFixed(1)} minutes so far):

| encoder | kNN | linear probe |
|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} |
| (a) near vs far patches | ${pct(pk)} | ${pct(pl)} |
| (b) NPID, instance discrimination | ${pct(metrics['npid.knn'])} | ${pct(metrics['npid.linear'])} |

NPID vs random init: kNN ${pts(metrics['npid.knn'], metrics['random.knn'])}, linear ${pts(metrics['npid.linear'], metrics['random.linear'])}.
Near vs far patches vs random init: kNN ${pts(pk, metrics['random.knn'])}. Mean feature distance of near / far test pairs: random init ${mean(dRandom.near).toFixed(3)} / ${mean(dRandom.far).toFixed(3)}, after the patch training ${mean(dPatch.near).toFixed(3)} / ${mean(dPatch.far).toFixed(3)}.
NPID's instance-discrimination accuracy in the last epoch: ${pct(npid.history[npid.history.length - 1].accuracy)} (1 of ${negatives + 1} at chance).
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
patch.dispose(); npid.dispose(); random.params.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "10-contrastive.ipynb"))
