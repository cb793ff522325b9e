import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 13 · Invariance against performance: the lecture's figure, measured

**The lecture's claim.** The conclusion of the self-supervised-learning lecture puts every method on one plane:
how *invariant* its features are to the nuisance transforms (x axis) against how well they *perform* on a
downstream task (y axis). Pretext tasks (rotation, relative position, jigsaw, colourisation, inpainting) sit low
on both: to predict a rotation or a permutation the network must *keep* that information, so its features move
when the image is turned or shuffled. ClusterFit sits higher; PIRL, trained to make I and its jigsaw transform
I^t agree, sits highest: **pretext < ClusterFit < PIRL, on both axes** (Misra & van der Maaten, *Self-Supervised
Learning of Pretext-Invariant Representations*, CVPR 2020; Yan et al., *ClusterFit*, CVPR 2020).

**What you will see.** Every encoder the lab trains in notebooks 01-12 (restored from their checkpoints, so
nothing is retrained when those notebooks ran first at the same budget; a missing one is trained here, small,
and marked as such), evaluated the same way: a linear probe (and kNN) on the same CIFAR-10 images, and an
invariance score per transform: **s = (cos⁺ − cos⁻) / (1 − cos⁻)**, where cos⁺ is the mean cosine similarity of
f(x) and f(t(x)) and cos⁻ that of two unrelated images. s = 1: the transform does not move the features; s = 0:
t(x) is as far from x as another image is. Then the scatter the lecture drew, and whether its order holds here.

**How long.** On 2 CPU cores (wasm backend with the native kernels): `smoke` under a minute (4 encoders,
measured 19 s; numbers meaningless); `quick` measured 1 min 54 s run alone (all 11 trained encoders trained small
here), less when notebooks 01-12 ran at `quick` before (then it restores and only evaluates); `full` after the full
runs of 01-12: restoring plus evaluation on 10,000 images (not yet run).
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`bankSize` training images serve as the linear probe's training set (and the kNN bank) of every encoder,
`testSize` test images measure accuracy, `invarianceSize` test images measure invariance. `fallback` is the size
at which an encoder is trained here when its own notebook has not left a finished checkpoint at this budget.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, bankSize, testSize, invarianceSize, probeEpochs, encoders, fallback } = sl.invariancePreset(budget);
""", tags=["parameters"]),
code("""
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, bankSize: bankSize, testSize: testSize, invarianceSize: invarianceSize, probeEpochs: probeEpochs, encoders: encoders.join(', '), fallback: `${fallback.trainSize} images, widths ${fallback.widths?.join('-')}, ${fallback.epochs} epoch(s)` }], { title: 'This run' });
"""),
md("""
## The data and the transforms

CIFAR-10 (the local mirror's JPEG copy). Each row: a test image, then what the invariance score compares it with:
its **jigsaw** transform (the centred 30×30 crop in 3×3 tiles, shuffled; compared with the same crop, tiles in
place), a **rotation** by 90°, 180° or 270°, **colour jitter** (brightness, contrast, saturation, hue), a random
resized **crop** (20-100% of the area) and **greyscale**: the last three are SimCLR's augmentations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const bank = sl.cifarSubset(cifarTrain, bankSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const invSet = sl.subset(test, sl.stratifiedSample(test, { total: Math.min(invarianceSize, test.n) }, rng.fork('invariance-set')), `${test.name}:inv${invarianceSize}`);
const shown = sl.subset(test, sl.stratifiedSample(test, { perClass: 1 }, rng.fork('shown')).subarray(0, 4));
const ex = sl.invarianceExamples(shown, rng.fork('shown-transforms'));
sl.showImages(ex.bytes, shown.n * ex.cols, 32, 32, 3, ex.captions, { cols: ex.cols, title: 'A test image and its transforms', name: 'transforms' });
"""),
md("""
## The encoders: restored, or trained small

For each encoder the notebook makes its own notebook's training call (same preset, same checkpoint folder); when
that notebook finished a run at this budget the call restores it. Otherwise the same recipe is trained here on
`fallback.trainSize` images (column `small`). The jigsaw encoder is `11-pirl`'s (trained on the same images as PIRL);
the colouriser sees only lightness (it is fed L\\* of every image, so its greyscale invariance is trivially high);
random init has the rotation encoder's widths.
"""),
code("""
const rows: Array<Record<string, string | number | boolean>> = [];
const scores: Record<string, sl.InvarianceRow[]> = {};
const metrics: Record<string, number> = {};
const rates: number[] = [];
for (const name of encoders) {
  const e = await sl.trainOrRestoreEncoder(name, budget, { cifarTrain: cifarTrain, notebook: '13-invariance-vs-performance', fallback: fallback, seed: seed });
  try {
    const ev = await sl.evaluateBackbone(e.backbone, bank, test, { probe: { epochs: probeEpochs, seed: seed } });
    scores[name] = sl.invarianceScores(e.backbone, invSet, rng.fork('invariance'));
    metrics[`${name}.knn`] = ev.knn;
    metrics[`${name}.linear`] = ev.linear;
    for (const r of scores[name]) metrics[`${name}.invariance.${r.transform}`] = r.score;
    if (e.source === 'trained') rates.push(e.imagesPerSec);
    rows.push({ encoder: name, family: e.family, source: e.source, small: e.small, train_images: e.trainSize, widths: e.widths.join('-'), input: e.input, knn: ev.knn, linear: ev.linear, invariance: sl.meanInvariance(scores[name]), seconds: e.seconds + ev.seconds });
  } finally {
    e.dispose();
  }
}
sl.showTable(rows, { title: `Encoders (train_images: what each was trained on; accuracy on ${test.n} CIFAR-10 test images, probe trained on ${bank.n})`, digits: 3 });
"""),
md("""
## Invariance per transform

Each cell is the score s of one encoder under one transform (rows in the lecture's order). Read across a row: what
the encoder ignores (near 1) and what it keeps (near 0 or below). Read down a column: which training makes the
features ignore that transform.
"""),
code("""
const names = Object.keys(scores);
sl.showTable(names.map((n) => ({ encoder: n, ...Object.fromEntries(scores[n].map((r) => [r.transform, r.score])), mean: sl.meanInvariance(scores[n]) })), { title: `Invariance scores on ${invSet.n} test images (1 = unchanged, 0 = as far as another image)`, digits: 3 });
sl.showTable(names.map((n) => ({ encoder: n, ...Object.fromEntries(scores[n].flatMap((r) => [[`${r.transform}_cos`, r.positive]])), unrelated_cos: scores[n][0].negative })), { title: 'Raw mean cosine similarities: f(x) vs f(t(x)), and between unrelated images (the scale)', digits: 3 });
sl.showFigure(sl.heatmapFigure(names.map((n) => scores[n].map((r) => r.score)), { x: scores[names[0]].map((r) => r.transform), y: names, title: 'Invariance score by encoder and transform', xTitle: 'transform', yTitle: 'encoder', colorscale: 'RdBu' }), { name: 'invariance-heatmap' });
"""),
md("""
## The lecture's figure: invariance against linear-probe accuracy

x: the mean invariance score over the five transforms; y: linear-probe accuracy. Colours group the encoders as the
lecture does: pretext tasks, clustering (ClusterFit), contrastive (NPID, PIRL, MoCo, SimCLR), and the two
baselines (random init, supervised).
"""),
code("""
const points = rows.map((r) => ({ encoder: String(r.encoder), family: String(r.family), x: Number(r.invariance), y: Number(r.linear) }));
sl.showFigure(sl.invarianceScatterFigure(points, { title: `Invariance vs linear-probe accuracy, CIFAR-10 (${budget} budget)` }), { name: 'invariance-vs-performance' });
"""),
md("""
## Results

The statement below is built from this run's numbers and written to `results/13-invariance-vs-performance.json`.
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const f3 = (x: number) => x.toFixed(3);
const plane = rows.map((r) => ({ encoder: String(r.encoder), invariance: Number(r.invariance), linear: Number(r.linear) }));
const order = sl.lectureOrder(plane);
const selfsup = plane.filter((p) => p.encoder !== 'random' && p.encoder !== 'supervised');
const rho = sl.spearman(selfsup.map((p) => p.invariance), selfsup.map((p) => p.linear));
const perTransform = sl.INVARIANCE_TRANSFORMS.map((t) => ({ transform: t, spearman_vs_linear: sl.spearman(selfsup.map((p) => metrics[`${p.encoder}.invariance.${t}`]), selfsup.map((p) => p.linear)) }));
sl.showTable(perTransform, { title: 'Rank correlation of each invariance with linear accuracy, self-supervised encoders', digits: 2 });
const small = rows.filter((r) => r.small).map((r) => r.encoder);
const verdict = (o: sl.OrderOnAxis, what: string, fmt: (x: number) => string) => `**${what}**: pretext mean ${fmt(o.pretext)}, ClusterFit ${fmt(o.clusterfit)}, PIRL ${fmt(o.pirl)}: the lecture's order pretext < ClusterFit < PIRL **${o.holds ? 'holds' : 'does not hold'}** here.`;
sl.writeResults({ notebook: '13-invariance-vs-performance', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: rates.length ? rates.reduce((a, b) => a + b, 0) / rates.length : null, metrics: metrics, extra: { sources: rows.map((r) => ({ encoder: r.encoder, source: r.source, small: r.small, train_images: r.train_images, widths: r.widths })) } });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${plane.length} encoders, linear probe on ${bank.n} / accuracy on ${test.n} / invariance on ${invSet.n} CIFAR-10 images):

| encoder | mean invariance | linear probe | kNN |
|---|---|---|---|
${plane.map((p) => `| ${p.encoder} | ${f3(p.invariance)} | ${pct(p.linear)} | ${pct(metrics[p.encoder + '.knn'])} |`).join('\\n')}

${order ? verdict(order.invariance, 'Invariance', f3) + '\\n\\n' + verdict(order.linear, 'Linear-probe accuracy', pct) : 'The lecture\\'s order needs pretext encoders, ClusterFit and PIRL in the run (the quick and full budgets have them).'}

Across the ${selfsup.length} self-supervised encoders, the rank correlation between mean invariance and linear accuracy is ${Number.isFinite(rho) ? rho.toFixed(2) : 'undefined (too few encoders)'}.
${small.length ? `\\nTrained here, small, because their notebook had not run at this budget: ${small.join(', ')} (on fewer images than the restored ones, so they sit lower than their notebooks would put them).` : '\\nEvery trained encoder was restored from its own notebook\\'s checkpoint.'}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "13-invariance-vs-performance.ipynb"))
