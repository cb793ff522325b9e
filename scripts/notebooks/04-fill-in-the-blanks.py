import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 04 · Fill in the blanks: context encoders

**The lecture's claim.** Hide part of an image and ask a network to paint it back from the rest. The hidden
pixels are free labels, and to fill a hole plausibly (the rest of a dog's head, the far side of a wheel) the
network must understand the context around it (Pathak, Krähenbühl, Donahue, Darrell & Efros, *Context Encoders:
Feature Learning by Inpainting*, CVPR 2016). The encoder that reads the context is then a feature extractor.

**What you will see.** The two masks of the paper: a **centre** square (a quarter of the image) and **random
blocks** (several smaller squares covering as much); context encoders trained for them (encoder = a small
convnet, decoder = upsampling convolutions, loss = squared error on the hidden pixels), with and without a
**bottleneck** between encoder and decoder; masked / filled / true grids of test images with the measured
reconstruction error; last, the learned encoders evaluated on frozen features (kNN and linear probe) against a
random-init and a supervised encoder of the same shape.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs, numbers meaningless; measured
30 s), `quick` about 2.5 minutes with the native kernels (rough but real; measured 2 min 21 s, and 7 min 51 s on pure
wasm with the cores shared by other jobs), `full` measured 11 min with the native kernels while other jobs shared the cores (3 epochs of 50,000 images per encoder, the control encoder restored from an earlier run's checkpoint; about 15 minutes when all three train). Re-running with the same
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
`encoders` lists the context encoders trained (a mask kind and a decoder bottleneck each); the first is the one
reported as `inpainting` in the results.
Change any value here and re-run the notebook, or headless:
`npm run lab -- 04-fill-in-the-blanks --budget full --set epochs=5`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, supervisedEpochs, batchSize, optimizer, probeEpochs, monitorSize, shown, encoders, outSize, hole, blockSize, coverage } = sl.inpaintingPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, encoders: encoders.map(sl.inpaintingVariantName).join(', '), hole: hole, blockSize: blockSize, coverage: coverage }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

60,000 colour photos of 32×32 pixels in 10 classes (Krizhevsky, 2009). We draw a class-balanced training subset
(also the labelled bank for kNN and the linear probe's training set) and a class-balanced test subset. The class
labels are used only by the supervised baseline and the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const maskOptions = (kind: sl.MaskKind): sl.MaskOptions => ({ kind: kind, hole: hole, blockSize: blockSize, coverage: coverage });
const fill = sl.channelMeans(train);
const masks = [...new Set(encoders.map((v) => v.mask))];
const names = encoders.map(sl.inpaintingVariantName);
"""),
md("""
## The pretext task: what is behind the grey?

Each training image gets a fresh mask every time it is shown; the hidden pixels are replaced by the dataset's mean
colour (the grey you see). The network sees the masked image and must output the original. **Centre**: the
central 16×16 square, always the same place. **Random blocks**: 8×8 squares at random places, added until they
hide a quarter of the image, so the network cannot specialise on one fixed boundary (the paper found these
give better features than the centre mask; below, whether that holds here).
"""),
code("""
const examples = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('examples')).subarray(0, 6));
const exampleMasks = masks.map((kind) => ({ label: kind.replace('-', ' '), images: sl.maskedImageBytes(examples, maskOptions(kind), fill, seed) }));
sl.showFigure(sl.comparisonGridFigure([...exampleMasks, { label: 'target', images: examples.images }], examples.n, 32, 32, { perRow: 2, title: 'Pretext task: masked inputs (mean-colour fill) and the target' }), { name: 'task' });
"""),
md("""
## Pretext training: context encoders, with and without a bottleneck

The backbone encodes the masked image; a decoder (conv blocks with 2× nearest upsampling, no skip connections)
paints a 32×32 image; the loss is the mean squared error over the hidden pixels only (the paper's reconstruction
loss; its adversarial term is left out, so fills are blurry: the mean of the plausible completions). After each
epoch a kNN monitor classifies held-out test images by their nearest neighbours in the backbone's feature space.

What the decoder reads matters. Without a bottleneck (`none`) it reads the backbone's whole 8×8 feature map,
so each hidden pixel can be painted from the features of its neighbours: local interpolation, which needs little
understanding of the image, and the features we evaluate (the map averaged over positions) are not what the
decoder used. Pathak et al. put a fully connected layer between encoder and decoder so that context travels
across the whole image. The `global` bottleneck goes one step further: the decoder reads only the
**average-pooled feature vector**, the very vector kNN and the linear probe see, and a dense layer expands it
back to a map. Everything the decoder paints must then be carried by that vector. (Measured while choosing, kNN
gain over random init: on 10,000 images, 3 epochs, centre + global +3.4 points, centre + Pathak's channel-wise FC
+1.6, centre without bottleneck +1.0, random blocks + global +1.0; the full run on 50,000 images reversed the
order of the masks: see the results.) The centre encoder without bottleneck is trained too, as the control.
"""),
code("""
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
const inpainters: Record<string, sl.PretrainedInpainter> = {};
for (const [i, v] of encoders.entries()) {
  inpainters[names[i]] = await sl.pretrainInpainting(train, {
    mask: maskOptions(v.mask), outSize: outSize, widths: widths, epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
    decoder: { bottleneck: v.bottleneck }, checkpointDir: sl.checkpointDir('04-fill-in-the-blanks', names[i]), onEpochEnd: monitor,
  });
  sl.showTable(sl.historyTable(inpainters[names[i]].history), { title: `Context encoder ${names[i]} (${v.mask} mask, bottleneck ${v.bottleneck}), per epoch (loss: squared error per hidden pixel, RGB in [0, 1])` });
}
const curves = inpainters[names[0]].history.map((r, i) => Object.fromEntries([['epoch', r.epoch], ...names.flatMap((k) => [[`${k} loss`, inpainters[k].history[i]?.loss ?? null], [`${k} kNN`, inpainters[k].history[i]?.knn ?? null]])]));
sl.showFigure(sl.lineFigure(curves, { x: 'epoch', ys: names.map((k) => `${k} loss`), y2s: monitor ? names.map((k) => `${k} kNN`) : [], title: 'Context encoders: hidden-pixel loss and kNN monitor', xTitle: 'epoch', yTitle: 'loss', y2Title: 'kNN accuracy', y2Format: '.0%' }), { name: 'training' });
"""),
md("""
## What the context encoders paint

Test images they never saw, each with a mask of its kind: the masked input, the prediction pasted into the hidden
region (the visible pixels are the input's), and the truth. Below, over 1,000 test images: the root mean squared
error of the hidden pixels, against the error of leaving the mean-colour fill in place. Expect the bottleneck
encoders to paint worse (blurrier) fills than the one without: a single vector carries less detail than an 8×8
map. Painting well and learning useful features are different things.
"""),
code("""
const shownSet = sl.subset(test, sl.stratifiedSample(test, { perClass: 1 }, rng.fork('shown')).subarray(0, shown));
const measured = sl.subset(test, Int32Array.from({ length: Math.min(test.n, 1000) }, (_, i) => i));
const quality = names.map((name) => {
  const r = sl.inpaint(inpainters[name], shownSet, seed);
  sl.showFigure(sl.comparisonGridFigure([{ label: 'masked', images: r.masked }, { label: 'predicted', images: r.filled }, { label: 'truth', images: shownSet.images }], shownSet.n, 32, 32, { perRow: 2, title: `Inpainting test images, ${name}: masked / predicted / truth` }), { name: `inpainting-grid-${name}` });
  const all = sl.inpaint(inpainters[name], measured, seed);
  return { encoder: name, hidden_rmse: all.rmse, mean_fill_rmse: all.fillRmse, error_removed: 1 - all.rmse / all.fillRmse };
});
sl.showTable(quality, { title: `Hidden-pixel RMSE on ${measured.n} test images (RGB in [0, 1])`, digits: 3 });
"""),
md("""
## Baselines: random init and supervised

The random-init backbone is the context encoders' backbone *before* training (same seed, same weights at step 0).
The supervised backbone has the same shape and sees the same images as many times (`supervisedEpochs = epochs`),
but learns from the human labels.
"""),
code("""
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const supervised = await sl.pretrain(train, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('04-fill-in-the-blanks', 'supervised'),
});
sl.showFigure(sl.trainingCurveFigure(supervised.history, { title: 'Supervised baseline training' }), { name: 'supervised-training' });
"""),
md("""
## Evaluation on frozen features

Each backbone embeds the training subset (the labelled bank) and the test subset once, from *unmasked* images
(global average pool of the last block). **kNN**: each test image takes the weighted vote of its 200 most similar
training images (cosine similarity, weights exp(sim/0.1)). **Linear probe**: a logistic regression on the
standardised features. Neither changes the backbone.
"""),
code("""
const { rows, metrics } = await sl.compareEncoders(
  { random: random, inpainting: inpainters[names[0]].backbone, supervised: supervised.backbone }, train, test,
  { probe: { epochs: probeEpochs, seed: seed } },
);
const others: sl.EncoderRow[] = [];
for (const name of names.slice(1)) others.push({ encoder: `inpainting (${name})`, ...(await sl.evaluateBackbone(inpainters[name].backbone, train, test, { probe: { epochs: probeEpochs, seed: seed } })) });
const allRows = [rows[0], { ...rows[1], encoder: `inpainting (${names[0]})` }, ...others, rows[2]];
sl.showTable(allRows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(Object.fromEntries(allRows.map((r) => [r.encoder, { knn: r.knn, linear: r.linear }])), { title: `Frozen-feature accuracy, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'accuracy' });
"""),
md("""
## Results

The numbers below are computed from this run, and written to `results/04-fill-in-the-blanks.json` for the lab's
results page (`inpainting` is the first encoder of `encoders`; the others and the reconstruction errors are under `extra`).
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gain = (a: number, b: number) => `${((a - b) * 100 >= 0 ? '+' : '')}${((a - b) * 100).toFixed(1)} points`;
const imagesPerS = names.reduce((a, k) => a + inpainters[k].imagesPerSec, 0) / names.length;
sl.writeResults({ notebook: '04-fill-in-the-blanks', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: imagesPerS, metrics: metrics,
  extra: { reported_mask: encoders[0].mask, reported_bottleneck: encoders[0].bottleneck, other_masks: others.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear })), reconstruction: quality } });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, ${imagesPerS.toFixed(0)} images/s while training the context encoders):

| encoder | kNN | linear probe |
|---|---|---|
${allRows.map((r) => `| ${r.encoder} | ${pct(r.knn)} | ${pct(r.linear)} |`).join('\\n')}

Context encoder (${names[0]}) vs random init: kNN ${gain(metrics['inpainting.knn'], metrics['random.knn'])}, linear ${gain(metrics['inpainting.linear'], metrics['random.linear'])}.
Supervised vs context encoder: kNN ${gain(metrics['supervised.knn'], metrics['inpainting.knn'])}, linear ${gain(metrics['supervised.linear'], metrics['inpainting.linear'])}.
${metrics['inpainting.knn'] - metrics['random.knn'] < 0.05 ? `In this run the context encoder is not clearly better than random init (less than 5 kNN points): ${train.n} images for ${epochs} epochs teach it to paint blurry averages, not yet to recognise objects${budget === 'full' ? '' : '; the full budget trains on all 50,000 images'}.` : 'Filling in the blanks taught the encoder features that recognise objects better than random ones.'}
${sl.inpaintingBottleneckSentence(allRows, encoders.map((v, i) => ({ ...v, row: `inpainting (${names[i]})` })))}
${quality.map((q) => `The ${q.encoder} encoder removes ${pct(q.error_removed)} of the mean fill's hidden-pixel error (RMSE ${q.hidden_rmse.toFixed(3)} vs ${q.mean_fill_rmse.toFixed(3)}).`).join(' ')}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, ...names.flatMap((k) => [inpainters[k].backbone.params, inpainters[k].decoder.params]), supervised.backbone.params, supervised.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "04-fill-in-the-blanks.ipynb"))
