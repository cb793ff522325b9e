import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 03 · Colourisation: predicting colour from grey

**The lecture's claim.** Give a network only the lightness of a photo and ask it for the colours. The labels
are free (every colour photo is its own answer), and to colour a scene the network has to recognise what is in
it: grass is green, sky blue, a stop sign red. But colour is **not determined** by the grey image: a car may be
red or blue. With a regression loss (L2 on the colour values) the best answer to such an ambiguity is the
*average* colour, which drifts to grey. Zhang, Isola & Efros (*Colorful Image Colorization*, ECCV 2016) instead
treat colour as **classification** over quantised colour bins, reweight the rare saturated colours (class
rebalancing) and read out the *annealed mean* of the predicted distribution.

**What you will see.** Colour in CIE Lab (L = lightness, the input; ab = colour, the target) and the ab bins
as classes with their empirical distribution and rebalancing weights; two colourisation networks trained the
same way, one by classification, one by regression; their colourings of test images next to the grey input and
the truth, with a measured answer to "which loss gives colour"; last, the learned encoder evaluated on frozen
features (kNN and linear probe) against a random-init and a supervised encoder of the same shape.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs, numbers meaningless; measured
34 s), `quick` 3 to 5 minutes with the native kernels (rough but real; measured 4 min 39 s with the cores shared by
other jobs), `full` measured 22 min 54 s with the native kernels while two other runs shared the cores (colourisation kNN 42.3% vs
34.6% at random init). Re-running with the same
parameters restores the trained networks from `checkpoints/` instead of retraining.
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
`npm run lab -- 03-colourisation --budget full --set epochs=5`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, supervisedEpochs, batchSize, optimizer, probeEpochs, monitorSize, shown, outSize, gridSize, lambda, temperature } = sl.colourisationPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, outSize: outSize, gridSize: gridSize, lambda: lambda, T: temperature }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10, in colour and in grey

60,000 colour photos of 32×32 pixels in 10 classes (Krizhevsky, 2009). We draw a class-balanced training
subset (also the labelled bank for kNN and the linear probe's training set) and a class-balanced test subset.
Every image is converted to **CIE Lab** (D65): `L` in [0, 100] is what a grey photo keeps; `a` (green–red) and
`b` (blue–yellow) are the colour. The network's input is L alone, one channel. The class labels are used only
by the supervised baseline and the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const trainL = sl.lightnessSet(train);
const testL = sl.lightnessSet(test);
const examples = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('examples')).subarray(0, 6));
sl.showFigure(sl.comparisonGridFigure([{ label: 'input: L', images: sl.greyImages(examples) }, { label: 'target: ab', images: examples.images }], examples.n, 32, 32, { perRow: 3, title: 'Pretext task: from grey (L), predict colour (ab)' }), { name: 'task' });
"""),
md("""
## Colours as classes

The ab plane is cut into cells of `gridSize` × `gridSize` units; the cells that sRGB colours reach are the
classes (Zhang et al. use 313 for a slightly larger gamut). The network predicts a distribution over these bins
for each cell of an `outSize` × `outSize` grid (a quarter of the resolution, as in the paper; the full-resolution
L fills in the detail). Left: how often each bin is the target in our training images (log scale): desaturated
colours near a = b = 0 dominate, so an unweighted loss would learn to play it safe. Right: the class-rebalancing
weights `w ∝ ((1 − λ)·p̃ + λ/Q)⁻¹` (λ = 0.5, p̃ the distribution smoothed by a Gaussian of σ = 5), normalised so
an average pixel weighs 1: rare saturated colours count more.
"""),
code("""
const bins = sl.abBins(gridSize);
const counts = sl.abBinCounts(train, bins, { outSize: outSize, maxImages: 5000 });
const weights = sl.rebalanceWeights(counts, bins, { lambda: lambda });
sl.showFigure(sl.abPlaneFigure(Array.from(counts, (c) => c / counts.reduce((a, b) => a + b, 0)), bins, { title: `Empirical distribution of the ${bins.q} ab bins (log10 p)`, log10: true, zTitle: 'log10 p' }), { name: 'ab-distribution' });
sl.showFigure(sl.abPlaneFigure(weights, bins, { title: `Class-rebalancing weights (λ = ${lambda})`, colorscale: 'Magma', zTitle: 'weight' }), { name: 'ab-weights' });
sl.showTable([{ bins: bins.q, used_in_training: Array.from(counts).filter((c) => c > 0).length, top_bin_share: Math.max(...counts) / counts.reduce((a, b) => a + b, 0), max_weight: Math.max(...weights), min_weight: Math.min(...weights) }], { title: 'ab bins', digits: 3 });
"""),
md("""
## Pretext training: classification with rebalancing, and regression

Two colourisers, trained the same way on the same images for the same number of epochs: the backbone (a small
convnet, one input channel) encodes L; a small decoder on its last feature map (conv, then the output conv)
predicts, per cell, either Q bin logits (**classification**: cross-entropy weighted by the rebalancing weights)
or two numbers (**regression**: L2 on ab). After each epoch a kNN monitor classifies held-out grey test images by
their nearest neighbours in the backbone's feature space: it measures the *features*, which the pretext loss does not.
"""),
code("""
const monitor = sl.knnMonitor(trainL, testL, monitorSize, seed);
const common = { widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed, outSize: outSize, gridSize: gridSize, lambda: lambda, counts: counts, onEpochEnd: monitor };
const classifier = await sl.pretrainColourisation(train, { ...common, loss: 'classification', checkpointDir: sl.checkpointDir('03-colourisation', 'classification') });
sl.showTable(sl.historyTable(classifier.history), { title: 'Colourisation as classification, per epoch (accuracy: share of cells whose most likely bin is the true one)' });
const regressor = await sl.pretrainColourisation(train, { ...common, loss: 'regression', checkpointDir: sl.checkpointDir('03-colourisation', 'regression') });
sl.showTable(sl.historyTable(regressor.history), { title: 'Colourisation as regression, per epoch' });
const knnCurves = classifier.history.map((r, i) => ({ epoch: r.epoch, classification: r.knn ?? null, regression: regressor.history[i]?.knn ?? null }));
sl.showFigure(sl.lineFigure(classifier.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy', ...(monitor ? ['knn'] : [])], names: { loss: 'weighted cross-entropy', accuracy: 'bin accuracy (train)', knn: 'kNN accuracy (test monitor)' }, title: 'Colourisation as classification: pretext loss, bin accuracy, kNN monitor', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'classification-training' });
if (monitor) sl.showFigure(sl.lineFigure(knnCurves, { x: 'epoch', ys: ['classification', 'regression'], title: 'kNN monitor of the two colourisers (grey test images)', xTitle: 'epoch', yTitle: 'kNN accuracy', yFormat: '.1%' }), { name: 'knn-monitor' });
"""),
md("""
## Which loss gives colour?

Test images the networks never saw: the grey input, the regression output, the classifier's most likely bin
(the **mode**: vivid but patchy), its **annealed mean** (the mean of the bin distribution sharpened with
temperature T = 0.38, the paper's read-out: vivid and smooth), and the truth. Below the grid, measured on all
test images: the ab error (root mean squared distance to the true colour, which L2 regression minimises by
construction) and the mean **chroma** √(a² + b²), i.e. how colourful the predictions are (on up to 1,000 test images).
"""),
code("""
const shownSet = sl.subset(test, sl.stratifiedSample(test, { perClass: 1 }, rng.fork('shown')).subarray(0, shown));
sl.showFigure(sl.comparisonGridFigure([
  { label: 'grey input', images: sl.greyImages(shownSet) },
  { label: 'L2 regression', images: sl.colourise(regressor, shownSet, 'regression') },
  { label: 'class: mode', images: sl.colourise(classifier, shownSet, 'mode') },
  { label: `annealed T=${temperature}`, images: sl.colourise(classifier, shownSet, 'annealed-mean', temperature) },
  { label: 'truth', images: shownSet.images },
], shownSet.n, 32, 32, { title: 'Colourised test images' }), { name: 'colourisation-grid' });
const measured = sl.subset(test, Int32Array.from({ length: Math.min(test.n, 1000) }, (_, i) => i));
const stats = [
  sl.colourStats(regressor, measured, 'regression'),
  sl.colourStats(classifier, measured, 'mean'),
  sl.colourStats(classifier, measured, 'annealed-mean', { T: temperature }),
  sl.colourStats(classifier, measured, 'mode'),
];
sl.showTable(stats.map((s) => ({ decoding: s.decoding, ab_rmse: s.abRmse, mean_chroma: s.chroma, true_chroma: s.trueChroma, chroma_kept: s.chroma / s.trueChroma })), { title: `Colour of the predictions on ${measured.n} test images (ab units, ${outSize}×${outSize} cells)`, digits: 2 });
const [reg, , ann] = stats;
sl.showMarkdown(`**Measured in this run.** ab error: ${reg.abRmse.toFixed(1)} for regression, ${ann.abRmse.toFixed(1)} for the annealed mean (${reg.abRmse <= ann.abRmse ? 'regression wins it: L2 rewards hedging' : 'regression does not win it in this run, though L2 optimises exactly this error'}). But the regression predictions keep only ${(100 * reg.chroma / reg.trueChroma).toFixed(0)}% of the true chroma (${reg.chroma.toFixed(1)} of ${reg.trueChroma.toFixed(1)}), against ${(100 * ann.chroma / ann.trueChroma).toFixed(0)}% for classification with rebalancing and the annealed mean. ` +
  (ann.chroma > reg.chroma ? 'So classification is the loss that gives colour; regression averages the possible colours towards grey, as the lecture says.' : 'In this run regression is not greyer than classification: too little training for the classifier to commit to colours (try a larger budget).') +
  (budget === 'smoke' ? '\\n\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''));
"""),
md("""
## Baselines: random init and supervised, on grey images

For a fair comparison every encoder below has the *same* shape and the *same* input, a one-channel L image (the
colouriser never sees colour at its input, so its baselines do not either). The random-init backbone is the
colouriser *before* training (same seed, same weights at step 0). The supervised backbone sees the same grey
images as many times (`supervisedEpochs = epochs`) but learns from the human labels.
"""),
code("""
const random = sl.convNet({ inputChannels: 1, widths: widths }, new sl.Rng(seed));
const supervised = await sl.pretrain(trainL, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('03-colourisation', 'supervised'),
});
sl.showFigure(sl.trainingCurveFigure(supervised.history, { title: 'Supervised baseline (grey images)' }), { name: 'supervised-training' });
"""),
md("""
## Evaluation on frozen features

Each backbone embeds the grey training subset (the labelled bank) and the grey test subset once (global average
pool of the last block). **kNN**: each test image takes the weighted vote of its 200 most similar training
images (cosine similarity, weights exp(sim/0.1)). **Linear probe**: a logistic regression on the standardised
features. Neither changes the backbone. `colourisation` is the classification colouriser (the paper's); the
regression one is evaluated the same way for comparison.
"""),
code("""
const { rows, metrics } = await sl.compareEncoders(
  { random: random, colourisation: classifier.backbone, supervised: supervised.backbone }, trainL, testL,
  { probe: { epochs: probeEpochs, seed: seed } },
);
const regEval = await sl.evaluateBackbone(regressor.backbone, trainL, testL, { probe: { epochs: probeEpochs, seed: seed } });
const allRows = [rows[0], rows[1], { encoder: 'colourisation (regression)', ...regEval }, rows[2]];
sl.showTable(allRows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain, seconds: r.seconds })), { title: `Accuracy on ${test.n} grey CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(Object.fromEntries(allRows.map((r) => [r.encoder, { knn: r.knn, linear: r.linear }])), { title: `Frozen-feature accuracy, grey CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## Results

The numbers below are computed from this run, and written to `results/03-colourisation.json` for the lab's
results page (the regression colouriser and the colour statistics under `extra`).
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gain = (a: number, b: number) => `${((a - b) * 100 >= 0 ? '+' : '')}${((a - b) * 100).toFixed(1)} points`;
const imagesPerS = (classifier.imagesPerSec + regressor.imagesPerSec) / 2;
sl.writeResults({ notebook: '03-colourisation', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: imagesPerS, metrics: metrics,
  extra: { regression: { knn: regEval.knn, linear: regEval.linear }, colour_stats: stats, bins: bins.q } });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, grey inputs, ${imagesPerS.toFixed(0)} images/s while training the colourisers):

| encoder | kNN | linear probe |
|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} |
| colourisation (classification) | ${pct(metrics['colourisation.knn'])} | ${pct(metrics['colourisation.linear'])} |
| colourisation (regression) | ${pct(regEval.knn)} | ${pct(regEval.linear)} |
| supervised | ${pct(metrics['supervised.knn'])} | ${pct(metrics['supervised.linear'])} |

Colourisation vs random init: kNN ${gain(metrics['colourisation.knn'], metrics['random.knn'])}, linear ${gain(metrics['colourisation.linear'], metrics['random.linear'])}.
Supervised vs colourisation: kNN ${gain(metrics['supervised.knn'], metrics['colourisation.knn'])}, linear ${gain(metrics['supervised.linear'], metrics['colourisation.linear'])}.
Classification vs regression as a pretext (kNN): ${gain(metrics['colourisation.knn'], regEval.knn)}.
${metrics['colourisation.knn'] - metrics['random.knn'] < 0.05 ? `In this run the colouriser's features are not clearly better than random init (less than 5 kNN points): ${train.n} images for ${epochs} epochs teach it the common colours of textures, not yet of objects${budget === 'full' ? ' (in the full run the per-epoch kNN monitor had flattened by the last epochs: more of the same training is not the lever; the colourisation networks in the lecture were far larger and trained on ImageNet)' : '; the full budget trains on all 50,000 images'}.` : 'Learning to colour taught the encoder features that recognise objects better than random ones.'}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, classifier.backbone.params, classifier.decoder.params, regressor.backbone.params, regressor.decoder.params, supervised.backbone.params, supervised.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "03-colourisation.ipynb"))
