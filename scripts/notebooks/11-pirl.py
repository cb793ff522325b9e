import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 11 · PIRL: learn to be invariant to the pretext transform, not to predict it

**The lecture's claim.** A jigsaw network must *predict* the permutation, so its features have to change when
the tiles move: they are *covariant* with the transform, and that is not what recognition needs (a shuffled cat
is still a cat). PIRL (Misra & van der Maaten, CVPR 2020) keeps the jigsaw transform but asks the opposite: the
image I and its jigsaw-shuffled version I^t should have **close** embeddings, and both should be far from other
images. Encoder f embeds the image; g embeds the 9 shuffled tiles (the same backbone on each tile, the tile
features concatenated and projected). The negatives come from a memory bank of every image's embedding m_I,
and the loss is two NCE terms (eq. 5): L = λ·L_NCE(m_I, g(I^t)) + (1 − λ)·L_NCE(m_I, f(I)), λ = 0.5, with the
bank updated with momentum 0.5. The lecture's claim: PIRL's features beat the jigsaw pretext network's, and
more negatives help.

**What you will see.** PIRL and the jigsaw pretext encoder trained on the same images; their frozen-feature
accuracy (kNN and linear probe) against random init; accuracy against the number of negatives drawn from the
memory bank; and the invariance histogram: how far an image's features move when its tiles are shuffled, for
PIRL and for the jigsaw encoder.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (numbers meaningless), `quick` about 6
minutes (rough but real), `full` measured 39 min 19 s with the native kernels
while two other runs shared the cores (PIRL 4 epochs at about 1,600 images/s counting each tile as an image).
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

The paper's defaults: λ = 0.5 (`lambda`), memory-bank momentum 0.5 (`bankMomentum`), temperature 0.07, and
negatives drawn from the bank (`negatives`; the paper: 32,000). Headless:
`npm run lab -- 11-pirl --budget full --set epochs=8`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, batchSize, optimizer, monitorSize, probeEpochs, lambda, bankMomentum, temperature, negatives, jigsawEpochs, negativeSizes, sweepTrainSize, sweepEpochs, invarianceSize } = sl.pirlPreset(budget);
""", tags=["parameters"]),
code("""
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, jigsawEpochs: jigsawEpochs, batchSize: batchSize, lr: optimizer.lr, lambda: lambda, bankMomentum: bankMomentum, temperature: temperature, negatives: negatives }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
"""),
md("""
## The transform: jigsaw

A 30×30 crop cut into 3×3 cells, one 9×9 tile per cell (a pixel of jitter so edges do not line up), shuffled.
The jigsaw generator is the one of `08-jigsaw` (`src/pretext/jigsaw.ts`). Left: the tiles back in place;
right: the shuffled version I^t whose embedding PIRL pulls towards the image's.
"""),
code("""
const shown = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('shown')).subarray(0, 5));
const ex = sl.jigsawPairImages(shown, rng.fork('shown-perm'));
sl.showImages(ex.bytes, 2 * shown.n, ex.side, ex.side, 3, ex.captions, { cols: 2, title: 'Image (tiles in place) and its jigsaw transform', name: 'jigsaw-pairs' });
"""),
md("""
## PIRL

f and g share the backbone; each step embeds an augmented view of every image (f) and the 9 shuffled tiles of
another augmented view (g), scores both against the image's memory-bank row and `negatives` rows of other images
(NCE), and updates the bank row with f's embedding. Training accuracy = how often g(I^t)'s own bank row beats every
negative.
"""),
code("""
const pirl = await sl.pretrainContrastive(train, {
  method: 'pirl', widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  options: { lambda: lambda, bankMomentum: bankMomentum, temperature: temperature, negatives: negatives },
  checkpointDir: sl.checkpointDir('11-pirl', 'pirl'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(pirl.history), { title: 'PIRL, per epoch' });
sl.showFigure(sl.lineFigure(pirl.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy', ...(monitor ? ['knn'] : [])], names: { loss: 'PIRL loss', accuracy: 'jigsaw view finds its image (train)', knn: 'kNN accuracy (test monitor)' }, title: 'PIRL training', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'pirl-training' });
"""),
md("""
## The jigsaw pretext encoder

The same backbone trained to *predict* the permutation (100 permutations of maximal Hamming distance, the
`08-jigsaw` recipe), on the same images.
"""),
code("""
const jigsaw = await sl.pretrain(train, {
  method: 'jigsaw', widths: widths, epochs: jigsawEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('11-pirl', 'jigsaw'), onEpochEnd: monitor,
});
sl.showTable(sl.historyTable(jigsaw.history), { title: 'Jigsaw pretext, per epoch' });
if (monitor) sl.showFigure(sl.lineFigure(sl.historiesByRun({ pirl: pirl.history, jigsaw: jigsaw.history }, 'knn'), { x: 'epoch', ys: ['pirl', 'jigsaw'], title: 'kNN monitor per epoch', xTitle: 'epoch', yTitle: 'kNN accuracy', yFormat: '.0%' }), { name: 'knn-curves' });
"""),
md("""
## Evaluation on frozen features
"""),
code("""
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const { rows, metrics } = await sl.compareEncoders({ random: random, jigsaw: jigsaw.backbone, pirl: pirl.backbone }, train, test, { probe: { epochs: probeEpochs, seed: seed } });
sl.showTable(rows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups(metrics), { title: `Frozen-feature accuracy, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## Invariance: how far do features move when the tiles are shuffled?

For each test image: the cosine distance between the backbone features of its tiles in place and of the same
tiles shuffled, next to the typical distance between two *different* images (dashed in the table: `other`).
An invariant encoder puts I and I^t close together, well below `other`; a jigsaw encoder, trained to tell
permutations apart, moves them.
"""),
code("""
const invSet = sl.subset(test, sl.stratifiedSample(test, { total: Math.min(invarianceSize, test.n) }, rng.fork('inv')));
const inv = { random: sl.jigsawDistances(random, invSet, rng.fork('inv-perm')), jigsaw: sl.jigsawDistances(jigsaw.backbone, invSet, rng.fork('inv-perm')), pirl: sl.jigsawDistances(pirl.backbone, invSet, rng.fork('inv-perm')) };
const meanOf = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;
const invRows = Object.entries(inv).map(([encoder, d]) => ({ encoder: encoder, same_image: meanOf(d.same), other: d.other, invariance: 1 - meanOf(d.same) / d.other }));
sl.showTable(invRows, { title: `Cosine distance of features, I vs jigsaw(I) (same_image) and between different images (other), ${invSet.n} test images`, digits: 3 });
sl.showFigure(sl.histogramFigure({ 'jigsaw pretext': Float32Array.from(inv.jigsaw.same, (v) => v / inv.jigsaw.other), PIRL: Float32Array.from(inv.pirl.same, (v) => v / inv.pirl.other) }, { title: 'Distance between I and jigsaw(I), relative to the distance between different images', xTitle: 'd(I, jigsaw(I)) / mean d(I, other image)' }), { name: 'invariance' });
"""),
md("""
## Accuracy against the number of negatives

Fresh PIRL runs on the same `sweepTrainSize` images, differing only in how many memory-bank rows each step uses
as negatives; the largest is every other image of the set (its size minus the batch).
"""),
code("""
const sweepSet = sl.subset(train, sl.stratifiedSample(train, { total: Math.min(sweepTrainSize, train.n) }, rng.fork('sweep')), `cifar10/train[${sweepTrainSize}]`);
const sizes = negativeSizes.map((k) => Math.min(k, sweepSet.n - batchSize));
const sweep = await sl.contrastiveSweep(sweepSet, { widths: widths, epochs: sweepEpochs, optimizer: optimizer, seed: seed },
  sizes.map((k) => ({ method: 'pirl' as const, batchSize: batchSize, run: `pirl-neg${k}`, options: { lambda: lambda, bankMomentum: bankMomentum, temperature: temperature, negatives: k } })),
  async (b) => (await sl.compareEncoders({ random: b }, train, test, { knnOnly: true })).metrics['random.knn'],
  sl.checkpointDir('11-pirl', 'negatives'));
const negRows = sweep.map((r, i) => ({ negatives: sizes[i], knn: r.value, final_loss: r.loss }));
sl.showTable(negRows, { title: `PIRL kNN accuracy by number of negatives (${sweepSet.n} images, ${sweepEpochs} epoch(s) each)`, digits: 3 });
sl.showFigure(sl.lineFigure(negRows, { x: 'negatives', ys: ['knn'], names: { knn: 'PIRL kNN accuracy' }, title: 'Accuracy against the number of memory-bank negatives', xTitle: 'negatives per step', yTitle: 'kNN accuracy', yFormat: '.0%' }), { name: 'negatives' });
"""),
md("""
## Results

Computed from this run; written to `results/11-pirl.json`.
"""),
code("""
const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pts = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(100 * (a - b)).toFixed(1)} points`;
for (const r of invRows) metrics[`${r.encoder}.invariance.jigsaw`] = r.invariance;
sl.writeResults({ notebook: '11-pirl', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: pirl.imagesPerSec, metrics: metrics,
  extra: { negatives: negRows, invariance: invRows, pirl_history: pirl.history, jigsaw_history: jigsaw.history } });
const beats = metrics['pirl.knn'] > metrics['jigsaw.knn'];
const inv0 = invRows.find((r) => r.encoder === 'jigsaw')!, inv1 = invRows.find((r) => r.encoder === 'pirl')!;
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, PIRL ${epochs} epochs at ${pirl.imagesPerSec.toFixed(0)} images/s (counting each tile as an image), ${(elapsed() / 60).toFixed(1)} minutes so far):

| encoder | kNN | linear probe | invariance to jigsaw |
|---|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} | ${invRows[0].invariance.toFixed(2)} |
| jigsaw pretext | ${pct(metrics['jigsaw.knn'])} | ${pct(metrics['jigsaw.linear'])} | ${inv0.invariance.toFixed(2)} |
| PIRL | ${pct(metrics['pirl.knn'])} | ${pct(metrics['pirl.linear'])} | ${inv1.invariance.toFixed(2)} |

(invariance = 1 − d(I, jigsaw(I)) / d(I, other image): 1 means shuffling the tiles does not move the features at all.)

${beats ? `PIRL's kNN accuracy beats the jigsaw pretext encoder's by ${pts(metrics['pirl.knn'], metrics['jigsaw.knn'])}, as the lecture claims.` : `**At this scale PIRL did not beat the jigsaw pretext encoder on kNN accuracy**: ${pct(metrics['pirl.knn'])} vs ${pct(metrics['jigsaw.knn'])} (${pts(metrics['pirl.knn'], metrics['jigsaw.knn'])}).`}
Linear probe: PIRL ${pts(metrics['pirl.linear'], metrics['jigsaw.linear'])} vs jigsaw.
Negatives ${negRows[0].negatives} → ${negRows[negRows.length - 1].negatives}: kNN ${pct(negRows[0].knn)} → ${pct(negRows[negRows.length - 1].knn)}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
pirl.dispose(); random.params.dispose(); jigsaw.backbone.params.dispose(); jigsaw.head.params.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "11-pirl.ipynb"))
