import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 09 · ClusterFit: cluster the features, then fit a fresh network to the clusters

**The lecture's claim.** A pretext task (rotation, jigsaw, ...) shapes a network's last layers to the pretext
itself, so its features transfer less well than they could. ClusterFit (Yan, Misra, Gupta, Ghadiyaram &
Mahajan, *ClusterFit: Improving Generalization of Visual Representations*, CVPR 2020) keeps only what the
pretext network *knows about images*: cluster its features with k-means, then train a **new network from
scratch** to predict the cluster ids. The new network's features transfer better than the features it was
trained from ("pretrain + ClusterFit" beats "standard pretrain + transfer" in the lecture's bar chart), and
the same holds when the first network was trained on **noisy labels**: re-clustering washes some noise out.

**What you will see.**
1. a rotation-prediction encoder (as in `02-rotation`), the features we cluster;
2. k-means on those features for several k, scored against the CIFAR-10 classes it never saw (NMI, ARI, purity);
3. a network of the same shape trained from scratch on the cluster ids;
4. both, plus a random-init network, evaluated the same way on frozen features (kNN and linear probe): the bar chart;
5. the label-noise control: supervised encoders trained on labels with some fraction wrong, transferred
   directly vs through ClusterFit: the noise curve;
6. what a cluster holds: images of the purest, a median and the least pure clusters.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs, numbers meaningless;
measured 36 s of cells); `quick` (5,000 images; the noise control at 0% and 75% on 2,000) measured 7 min 30 s
of cells while the 2 cores were shared with other jobs (load average about 15: rotation 2 min, k-means 15 s,
ClusterFit 1 min 20 s, evaluation 1 min, noise control 3 min), so expect about 4-5 minutes on idle cores;
`full` (20,000 images; noise 0/25/50/75% on 10,000) measured 13 min 16 s with the native kernels while the cores
were shared with one other run (training at 1,700-3,200 images/s).
Re-running with the same parameters restores every trained network from `checkpoints/` instead of retraining.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
Change any value here and re-run, or headless: `npm run lab -- 09-clusterfit --budget full --set k=200`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, batchSize, optimizer, rotationEpochs, ks, k, clusterFitEpochs, probeEpochs, noiseLevels, noiseTrainSize, noiseSupervisedEpochs, noiseClusterFitEpochs, noiseK, gridClusters, gridPerCluster } = sl.clusterFitPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), rotationEpochs: rotationEpochs, ks: ks.join(', '), k: k, clusterFitEpochs: clusterFitEpochs, noiseLevels: noiseLevels.map((p) => `${p * 100}%`).join(', '), noiseTrainSize: noiseTrainSize, noiseK: noiseK }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

A class-balanced training subset (used for the rotation pre-training, the clustering, the ClusterFit network,
and as the labelled bank of the evaluations) and a class-balanced test subset. The labels are used only by the
evaluations, by the supervised encoders of the noise control, and to *score* the clusters.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const points = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)} points`;
"""),
md("""
## 1 · The pretrained encoder: rotation prediction

Exactly the recipe of `02-rotation`: a small convnet (3×3 conv, batch norm, ReLU, max-pools, global average
pool) with a two-layer MLP head learns to tell which of four rotations it sees. Its backbone's features are
what ClusterFit will cluster.
"""),
code("""
const rotation = await sl.pretrain(train, {
  method: 'rotation', widths: widths, epochs: rotationEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed, head: 'mlp',
  checkpointDir: sl.checkpointDir('09-clusterfit', `rotation-n${trainSize}`),
});
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed)); // the same network before training
sl.showTable(sl.historyTable(rotation.history), { title: 'Rotation pre-training, per epoch' });
"""),
md("""
## 2 · k-means on the features, for several k

Every training image is embedded once by the frozen rotation backbone (global-average-pooled last block),
the features are L2-normalised, and k-means (k-means++ seeding, Lloyd iterations until the assignments stop
changing or the centroids stop moving) splits them into k clusters. The clusters are then compared with the
CIFAR-10 classes they never saw: **NMI** (normalised mutual information, 0 = independent, 1 = the same
partition), **ARI** (adjusted Rand index, 0 = chance) and **purity** (the fraction of images in their
cluster's majority class; it grows with k by construction). The random-init network's features are clustered
the same way, for reference.
"""),
code("""
const kmRotation = sl.clusterEncoder(rotation.backbone, train, { ks: ks, rng: rng.fork('kmeans-rotation') });
const kmRandom = sl.clusterEncoder(random, train, { ks: ks, rng: rng.fork('kmeans-random') });
const sweep = kmRotation.map((r, i) => ({ k: r.k, rotation_nmi: r.nmi, random_nmi: kmRandom[i].nmi, rotation_ari: r.ari, random_ari: kmRandom[i].ari, rotation_purity: r.purity, random_purity: kmRandom[i].purity, iterations: r.iterations, seconds: r.seconds }));
sl.showTable(sweep, { title: `k-means on ${train.n} training images: agreement with the CIFAR-10 classes`, digits: 3 });
const sweepFigure = sl.lineFigure(sweep, { x: 'k', ys: ['rotation_nmi', 'random_nmi'], y2s: ['rotation_purity', 'random_purity'], names: { rotation_nmi: 'NMI, rotation features', random_nmi: 'NMI, random-init features', rotation_purity: 'purity, rotation', random_purity: 'purity, random init' }, title: 'How well k-means clusters match the classes', xTitle: 'k (clusters, log scale)', yTitle: 'NMI', y2Title: 'purity', y2Format: '.0%' });
sweepFigure.layout.xaxis = { ...sweepFigure.layout.xaxis, type: 'log', tickvals: ks };
sl.showFigure(sweepFigure, { name: 'kmeans-sweep' });
"""),
md("""
## 3 · ClusterFit: a fresh network trained on the cluster ids

The k-means run with `k` clusters gives every training image a pseudo-label. A **new** network with the same
widths, initialised from scratch, learns to predict it with cross-entropy: the supervised recipe (crop+flip
augmentation, a linear k-way head), on labels that came from the rotation network's features instead of people.
"""),
code("""
const chosen = kmRotation.find((r) => r.k === k) ?? sl.clusterEncoder(rotation.backbone, train, { ks: [k], rng: rng.fork('kmeans-rotation') })[0];
const clusterfit = await sl.clusterFit(train, chosen.assignments, k, {
  widths: widths, epochs: clusterFitEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('09-clusterfit', `clusterfit-k${k}-n${trainSize}`),
});
sl.showFigure(sl.lineFigure(clusterfit.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy'], names: { loss: 'cross-entropy on pseudo-labels', accuracy: `pseudo-label accuracy (train, ${k}-way)` }, title: `ClusterFit network: learning the ${k} clusters`, xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'clusterfit-training' });
"""),
md("""
## 4 · Standard pretrain + transfer vs pretrain + ClusterFit

The lecture's bar chart, at this lab's scale: the three backbones embed the training subset (the labelled
bank) and the test subset once; **kNN** (cosine, k=200, t=0.1) and a **linear probe** on the standardised
features measure how well the *frozen* features separate the CIFAR-10 classes. The "transfer" here is from a
pretext (rotation, or clusters) to the class labels none of them saw.
"""),
code("""
const { rows, metrics } = await sl.compareEncoders(
  { random: random, rotation: rotation.backbone, clusterfit: clusterfit.backbone }, train, test,
  { probe: { epochs: probeEpochs, seed: seed } },
);
sl.showTable(rows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain, seconds: r.seconds })), { title: `Accuracy on ${test.n} CIFAR-10 test images`, digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups(metrics), { title: `Rotation vs rotation + ClusterFit (k=${k}): frozen features, CIFAR-10` }), { name: 'clusterfit-vs-rotation' });
"""),
md("""
## 5 · The label-noise control

ClusterFit's control experiment: a supervised encoder is trained on labels of which a fraction was replaced by
a *wrong* class (uniformly among the other nine), then evaluated two ways against the clean labels:
**directly** (its own frozen features) and **through ClusterFit** (k-means on its features, a fresh network
trained on the clusters, that network's frozen features). The lecture: the direct features degrade with the
noise; the ClusterFit features degrade less. This control trains two networks per noise level, so it runs
on a part of the training subset (`noiseTrainSize` images, `noiseK` clusters).
"""),
code("""
const noiseTrain = sl.subset(train, sl.stratifiedSample(train, { total: noiseTrainSize }, rng.fork('noise-train')), `cifar10/train[${noiseTrainSize}]`);
const noise = await sl.labelNoiseControl(noiseTrain, test, {
  levels: noiseLevels, k: noiseK, widths: widths, supervisedEpochs: noiseSupervisedEpochs, clusterFitEpochs: noiseClusterFitEpochs,
  batchSize: batchSize, optimizer: optimizer, seed: seed, evaluate: { probe: { epochs: probeEpochs, seed: seed } },
  checkpointDir: (run) => sl.checkpointDir('09-clusterfit', `${run}-n${noiseTrainSize}`),
});
const noiseRows = noise.map((r) => ({ noise_pct: r.noise * 100, ...r }));
sl.showTable(noiseRows.map(({ noise, ...r }) => r), { title: `Label-noise control on ${noiseTrain.n} images (accuracies on ${test.n} clean test labels)`, digits: 3 });
sl.showFigure(sl.lineFigure(noiseRows, { x: 'noise_pct', ys: ['direct_knn', 'clusterfit_knn', 'direct_linear', 'clusterfit_linear'], names: { direct_knn: 'supervised, direct: kNN', clusterfit_knn: 'supervised + ClusterFit: kNN', direct_linear: 'supervised, direct: linear', clusterfit_linear: 'supervised + ClusterFit: linear' }, title: 'Transfer vs label noise: direct vs through ClusterFit', xTitle: 'labels replaced by a wrong class (%)', yTitle: 'accuracy on clean test labels', yFormat: '.1%' }), { name: 'noise-curve' });
"""),
md("""
## 6 · What a cluster holds

The pseudo-labels ClusterFit learned from (k-means on the rotation features, `k` clusters): each row is one
cluster, with images drawn at random from it and captioned with their true class. The purest clusters are
often one class; the least pure ones gather images by colour, background or layout: what rotation features
encode besides objects.
"""),
code("""
const shown = sl.pickClusters(chosen.assignments, train.labels, gridClusters);
sl.showTable(shown.map((c) => ({ row: shown.indexOf(c) + 1, rank: c.rank, cluster: c.cluster, size: c.size, majority_class: train.classNames[c.majority], purity: c.purity })), { title: `Clusters shown (of ${k}; overall purity ${pct(chosen.purity)})`, digits: 3 });
sl.showFigure(sl.clusterGridFigure(train, chosen.assignments, shown.map((c) => c.cluster), gridPerCluster, rng.fork('grid'), { title: 'A row per cluster (captions: true class)' }), { name: 'cluster-grid' });
"""),
md("""
## Results

Computed from this run, and written to `results/09-clusterfit.json` (the per-noise accuracies as
`supervised.knn.noise<p>` / `clusterfit.knn.noise<p>`, and the k-means sweep under `extra`).
"""),
code("""
const allMetrics = { ...metrics, ...sl.noiseControlMetrics(noise) };
sl.writeResults({
  notebook: '09-clusterfit', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: rotation.imagesPerSec, metrics: allMetrics,
  extra: { k: k, kmeans: sweep, noise: noise },
});
const beat = (e: 'knn' | 'linear') => metrics[`clusterfit.${e}`] > metrics[`rotation.${e}`];
const verdict = beat('knn') && beat('linear') ? 'ClusterFit **beat** the features it clustered on both evaluations'
  : beat('knn') || beat('linear') ? `ClusterFit beat the features it clustered on ${beat('knn') ? 'kNN' : 'the linear probe'} only`
  : 'ClusterFit did **not** beat the features it clustered at this scale';
const noiseLines = noise.map((r) => `| ${r.noise * 100}% | ${pct(r.fit_noisy)} | ${pct(r.direct_knn)} | ${pct(r.clusterfit_knn)} (${points(r.clusterfit_knn, r.direct_knn)}) | ${pct(r.direct_linear)} | ${pct(r.clusterfit_linear)} (${points(r.clusterfit_linear, r.direct_linear)}) |`).join('\\n');
const first = noise[0];
const last = noise[noise.length - 1];
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, k = ${k}):

| encoder | kNN | linear probe |
|---|---|---|
| random init | ${pct(metrics['random.knn'])} | ${pct(metrics['random.linear'])} |
| rotation (standard pretrain + transfer) | ${pct(metrics['rotation.knn'])} | ${pct(metrics['rotation.linear'])} |
| rotation + ClusterFit | ${pct(metrics['clusterfit.knn'])} | ${pct(metrics['clusterfit.linear'])} |

${verdict}: kNN ${points(metrics['clusterfit.knn'], metrics['rotation.knn'])}, linear probe ${points(metrics['clusterfit.linear'], metrics['rotation.linear'])}
(the lecture reports a gain at ImageNet scale, with 16,000 clusters of 1.3 million images). The clusters it learned from
agree with the classes with NMI ${chosen.nmi.toFixed(3)} (random-init features: ${(kmRandom.find((r) => r.k === k)?.nmi ?? NaN).toFixed(3)}).

**Label-noise control** (${noiseTrain.n} images, ${noiseK} clusters; accuracies on clean test labels):

| label noise | supervised fit to its noisy labels (train) | direct kNN | via ClusterFit kNN | direct linear | via ClusterFit linear |
|---|---|---|---|---|---|
${noiseLines}

From ${first.noise * 100}% to ${last.noise * 100}% noise, direct kNN ${points(last.direct_knn, first.direct_knn)}, via ClusterFit ${points(last.clusterfit_knn, first.clusterfit_knn)};
direct linear ${points(last.direct_linear, first.direct_linear)}, via ClusterFit ${points(last.clusterfit_linear, first.clusterfit_linear)}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const m of [random.params, rotation.backbone.params, rotation.head.params, clusterfit.backbone.params, clusterfit.head.params]) m.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "09-clusterfit.ipynb"))
