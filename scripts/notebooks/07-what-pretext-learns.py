import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 07 · What do pretext features learn?

**The lecture's claims.** Two of them, both about what a pretext task leaves in the network.

1. *Pretext features peak before the last layer.* A network trained to predict rotations, patch positions or
   jigsaw permutations has to solve that task with its last layers, so those layers specialise to it: a linear
   classifier of real classes, trained on frozen features, does best on a middle block and worse on the last one
   (Zhang, Isola & Efros 2017; Goyal, Mahajan, Gupta & Misra 2019, *Scaling and benchmarking self-supervised visual
   representation learning*: jigsaw's res5 features fall below its res4). A supervised network's last block, by
   contrast, is the one closest to the classes.
2. *Pretext tasks are complementary.* One backbone trained on two pretext tasks at once learns more than either
   alone (Doersch & Zisserman 2017, *Multi-task self-supervised visual learning*).

**What you will see.** The lab's own pretext encoders, the ones the earlier notebooks trained and reported:
**relative position** (notebook 01), **rotation** (02), **jigsaw** with its reported permutation set (08), plus
**supervised** (02, the reference) and **random init** (the floor). All have the same shape and started from the
same initial weights. Every block of every backbone is probed with kNN and a linear classifier (the **per-layer
curve**). Then one backbone trained on **rotation and jigsaw at once**, with rotation's images, epochs and image
budget, each batch split between the two tasks, against each alone. Whether the two claims hold at this scale is
stated with this run's numbers at the end.

**Where the encoders come from.** Each is restored from its notebook's checkpoint at the same budget
(`checkpoints/01-relative-position/`, `02-rotation/`, `08-jigsaw/`): the exact call of that notebook, so the
checkpoint's fingerprint must match. When a notebook has not run at this budget, this one runs that notebook's
call in its place (same folder, so the notebook restores it later), which takes that notebook's training time.

**How long.** On 2 CPU cores (wasm backend): `smoke` under half a minute (proves it runs; the numbers mean nothing);
`quick` a few minutes; `full` measured 18 min 26 s with 01, 02 and 08 already run in full (15 per-block probes
5.5 min, the standard evaluation with both banks 3.2 min, the multi-task run at about 3,100 images/s and its
evaluation 9.6 min). Re-running restores the multi-task network from `checkpoints/07-what-pretext-learns/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
`bankSize` training images are the kNN bank and every linear probe's training set (08's training images, the
smallest set any of these encoders learned from); `largeBankSize` is a second, larger kNN bank (rotation's and
relative position's training images); `pool` is the grid each block's output is average-pooled to before
probing; `multiMethods` are the tasks trained together. The encoders' own knobs live in their notebooks' presets.
Headless: `npm run lab -- 07-what-pretext-learns --budget full --set probeEpochs=60`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, bankSize, largeBankSize, testSize, probeEpochs, pool, multiMethods } = sl.layersPreset(budget);
""", tags=["parameters"]),
code("""
sl.checkLayersEncoders(budget); // one shape and one seed for every encoder; 01 and 02 on the same images and monitor
const rotationKnobs = sl.rotationPreset(budget);
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, widths: rotationKnobs.widths.join('-'), bankSize: bankSize, largeBankSize: largeBankSize, testSize: testSize, probeEpochs: probeEpochs, pool: pool, multiMethods: multiMethods.join(' + ') }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

Class-balanced subsets: `bankSize` training images (the kNN bank and the linear probes' training set), a larger
`largeBankSize` bank, and `testSize` test images every accuracy is measured on. The kNN monitor is notebooks 01's
and 02's (the same images, so their per-epoch curves and random init's share one axis). Labels are used only by the
supervised reference and by the evaluations.
"""),
code("""
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const bank = sl.cifarSubset(cifarTrain, bankSize, seed);
const largeBank = sl.cifarSubset(cifarTrain, largeBankSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const monitor = sl.knnMonitor(sl.cifarSubset(cifarTrain, rotationKnobs.trainSize, seed), sl.cifarSubset(cifarTest, rotationKnobs.testSize, seed, 'test'), rotationKnobs.monitorSize, seed);
"""),
md("""
## The encoders: the lab's own

Each backbone is 3×3 conv → batch norm → ReLU blocks, a 2×2 max-pool after every block but the last, global
average pooling. **Relative position** (01) names where a patch sits around a centre patch (8-way, a Siamese
head); **rotation** (02) classifies which of 4 rotations it sees (an MLP head); **jigsaw** (08) names the
permutation of 9 shuffled tiles among its reported set (maximal Hamming distance, with 08's curriculum);
**supervised** (02) learns the 10 classes. `source` says whether a network was restored from its notebook's
checkpoint or trained here with that notebook's call.
"""),
code("""
const names: Record<string, string> = { random: 'random init', rotation: 'rotation', relative_position: 'relative position', jigsaw: 'jigsaw', supervised: 'supervised', multi_task: 'rotation + jigsaw' };
const pretext = ['relative_position', 'rotation', 'jigsaw'];
const runs: Record<string, sl.StudyEncoderRun> = {};
for (const e of ['random', ...pretext, 'supervised']) {
  runs[e] = await sl.trainOrRestoreEncoder(e, budget, { cifarTrain: cifarTrain, notebook: '07-what-pretext-learns', fallback: 'reference', jigsaw: '08-jigsaw', seed: seed, onEpochEnd: pretext.includes(e) ? monitor : undefined });
}
sl.showTable(Object.values(runs).map((r) => ({ encoder: names[r.encoder], source: r.source, checkpoint: r.from ? r.from.split('/').slice(-2).join('/') : '', training_images: r.trainSize, epochs: r.history.length, images_per_s: r.imagesPerSec, seconds: r.seconds })), { title: 'Encoders (images_per_s: of their training run; seconds: restoring or training here)', digits: 1 });
const encoders: Record<string, sl.Backbone> = Object.fromEntries(Object.entries(runs).map(([e, r]) => [e, r.backbone]));
"""),
md("""
## The per-layer curve

For every backbone and every block *k*, the block's output (after its ReLU and max-pool) is average-pooled to a
`pool`×`pool` grid and flattened: block 1 gives `pool²·widths[0]` features, block 2 `pool²·widths[1]`, and so on.
On these frozen features: **kNN** (cosine, k=200, t=0.1, the bank's images) and a **linear probe** (logistic
regression on standardised features, trained on the bank's images). Blocks are numbered from 1, as in the results'
metric names (`rotation.linear.block2` is rotation's second block). The lecture's claim is about the **shape** of
each curve: does a pretext curve turn down at the last block while the supervised one keeps rising?
"""),
code("""
const layers = await sl.perLayerEvaluation(encoders, bank, test, { pool: pool, probe: { epochs: probeEpochs, seed: seed } });
const curve = sl.perLayerCurve(layers.rows, 'linear');
sl.showFigure(sl.perLayerFigure(curve, Object.keys(encoders), { names: names, title: `Linear probe per block, CIFAR-10 (${bank.n} train / ${test.n} test images)` }), { name: 'per-layer-linear' });
sl.showFigure(sl.perLayerFigure(sl.perLayerCurve(layers.rows, 'knn'), Object.keys(encoders), { names: names, title: 'kNN accuracy per block', yTitle: 'kNN accuracy' }), { name: 'per-layer-knn' });
sl.showTable(layers.rows.map((r) => ({ encoder: r.encoder, block: r.block, dim: r.dim, knn: r.knn, linear: r.linear, linear_train: r.linearTrain })), { title: 'Per-block probes', digits: 3 });
"""),
md("""
## The standard evaluation: global-average-pooled features

The lab's usual numbers, as in every other notebook: the last block's output averaged over all positions (the
`features` the pretext heads saw). These are the `<encoder>.knn` / `<encoder>.linear` metrics of the results,
with the `bankSize` images as the bank, as in notebook 08. A kNN classifier votes among the nearest bank images,
so a larger bank helps every encoder, but not equally: the second column uses all `largeBankSize` images (notebooks
01 and 02's protocol; metric `<encoder>.knn.bank<n>`).
"""),
code("""
const final = await sl.compareEncoders(encoders, bank, test, { probe: { epochs: probeEpochs, seed: seed } });
const large = await sl.compareEncoders(encoders, largeBank, test, { knnOnly: true });
const bankMetric = (e: string) => `${e}.knn.bank${largeBank.n}`;
const largeMetrics: Record<string, number> = Object.fromEntries(large.rows.map((r) => [bankMetric(r.encoder), r.knn]));
sl.showTable(final.rows.map((r) => ({ encoder: r.encoder, knn: r.knn, [`knn_bank${largeBank.n}`]: largeMetrics[bankMetric(r.encoder)], linear: r.linear, linear_train: r.linearTrain })), { title: `Global-average-pooled features, ${test.n} test images (kNN bank ${bank.n} images, and ${largeBank.n})`, digits: 3 });
"""),
md("""
## Complementarity: two pretext tasks on one backbone

One backbone, one head per task, trained on the weighted sum of the tasks' losses, with rotation's images, epochs,
batch size, optimiser and head (notebook 02) and jigsaw's task as notebook 08 sets it (its permutation set, tiles
and curriculum). Each batch of training images is **split** between the tasks (half are rotated, half cut into
puzzles), so this backbone draws exactly as many training images as rotation alone, and its jigsaw half about as
many puzzles as jigsaw alone. It starts from the same initial weights, its per-task losses are logged per epoch,
and it carries the same kNN monitor as 01 and 02.
"""),
code("""
const mt = sl.layersMultiTask(budget, multiMethods);
const multiTrain = sl.cifarSubset(cifarTrain, mt.trainSize, mt.seed);
const multi = await sl.pretrainMultiTask(multiTrain, {
  widths: mt.widths, epochs: mt.epochs, batchSize: mt.batchSize, optimizer: mt.optimizer, seed: mt.seed, head: mt.head, batch: mt.batch, methods: mt.methods,
  checkpointDir: sl.checkpointDir('07-what-pretext-learns', 'multi_task'), onEpochEnd: monitor,
});
sl.showTable(multi.history.map(({ accuracy, ...row }) => row), { title: `Multi-task training (${multiMethods.join(' + ')}, ${multiTrain.n} images, ${multi.imagesPerSec.toFixed(0)} images/s), per epoch`, digits: 3 });
const multiEval = await sl.compareEncoders({ multi_task: multi.backbone }, bank, test, { probe: { epochs: probeEpochs, seed: seed } });
const multiLarge = await sl.compareEncoders({ multi_task: multi.backbone }, largeBank, test, { knnOnly: true });
largeMetrics[bankMetric('multi_task')] = multiLarge.rows[0].knn;
const metrics: Record<string, number> = { ...final.metrics, ...layers.metrics, ...multiEval.metrics, ...largeMetrics };
const drawn: Record<string, number> = Object.fromEntries(multiMethods.map((m) => [m, runs[m] ? runs[m].trainSize * runs[m].history.length : NaN]));
const groups = Object.fromEntries([...multiMethods, 'multi_task'].map((m) => [names[m], { kNN: metrics[`${m}.knn`], linear: metrics[`${m}.linear`] }]));
sl.showFigure(sl.barFigure(groups, { title: `Alone vs both at once (images drawn: ${multiMethods.map((m) => `${names[m]} alone ${drawn[m]}`).join(', ')}, both ${multiTrain.n * mt.epochs})` }), { name: 'complementarity' });
"""),
md("""
## Transfer while the pretext task is learned

Notebooks 01 and 02 ran a kNN monitor after every epoch (`monitorSize` training images as the bank, as many test
images, global-average-pooled last-block features), and so did the multi-task run above; 08's runs carry none
unless this notebook trained them. If the pretext task and the classes wanted the same features, the monitor would
climb with the pretext accuracy. Solid lines: kNN (left axis); dashed, in the same colour: that run's pretext
training accuracy (right axis). The flat line is random init on the same monitor.
"""),
code("""
const histories: Record<string, sl.EpochRow[]> = { ...Object.fromEntries(pretext.map((e) => [e, runs[e].history])), multi_task: multi.history };
const monitored = Object.keys(histories).filter((e) => sl.transferTrajectory(histories[e]));
const trajectories = Object.fromEntries(monitored.map((e) => [e, sl.transferTrajectory(histories[e])!]));
const randomMonitor = monitor ? (await monitor(0, runs.random.backbone)).knn : NaN;
if (monitored.length) {
  const longest = Math.max(...monitored.map((e) => histories[e].length));
  const rows = Array.from({ length: longest }, (_, i) => Object.fromEntries([['epoch', i + 1], ['random init', randomMonitor], ...monitored.flatMap((e) => [[`${names[e]} kNN`, histories[e][i]?.knn ?? null], [`${names[e]} pretext acc.`, histories[e][i]?.accuracy ?? null]])]));
  // one colour per encoder, as in the per-layer figures (random init, relative position, rotation, jigsaw, supervised, then rotation + jigsaw)
  const colour = (e: string) => sl.COLORWAY[['random', ...pretext, 'supervised', 'multi_task'].indexOf(e)];
  const colors = Object.fromEntries([['random init', colour('random')], ...monitored.flatMap((e) => [[`${names[e]} kNN`, colour(e)], [`${names[e]} pretext acc.`, colour(e)]])]);
  sl.showFigure(sl.lineFigure(rows, { x: 'epoch', colors: colors, ys: ['random init', ...monitored.map((e) => `${names[e]} kNN`)], y2s: monitored.filter((e) => e !== 'multi_task').map((e) => `${names[e]} pretext acc.`), title: 'kNN monitor (left) and pretext training accuracy (right) per epoch', xTitle: 'epoch', yTitle: 'kNN accuracy', y2Title: 'pretext accuracy', yFormat: '.0%', y2Format: '.0%' }), { name: 'transfer-vs-pretext' });
} else {
  sl.showMarkdown('*No per-epoch monitor in this run (the `smoke` budget turns it off; runs restored from checkpoints written without it have none).*');
}
"""),
md("""
## Results

Computed from this run, and written to `results/07-what-pretext-learns.json` (metrics `<encoder>.knn`,
`<encoder>.linear`, `<encoder>.knn.bank<n>`, the per-block `<encoder>.linear.block<k>` and `<encoder>.knn.block<k>`,
and `multi_task.*` for the backbone trained on both tasks). "Noise" is the standard error of a difference of two
accuracies: for two blocks of one encoder it is paired (the same test images, classified twice), for two encoders'
final accuracies it is the binomial one of independent measurements (conservative). A gap under about twice the
noise is not evidence either way.
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} points`;
const noise = (a: number, b: number) => `± ${(100 * sl.accuracyGapSe(a, b, test.n)).toFixed(1)}`;
const blocks = curve.map((r) => r.block);
const widths = rotationKnobs.widths;
const peaks = sl.layerPeaks(layers.rows, 'linear', test.labels);
sl.writeResults({
  notebook: '07-what-pretext-learns', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(),
  images_per_s: multi.imagesPerSec, metrics: metrics,
  extra: { blocks: 'block<k> is conv block k, 1-based', pool: pool, widths: widths, bank: bank.n, large_bank: largeBank.n, encoders_from: Object.fromEntries(Object.values(runs).filter((r) => r.from).map((r) => [r.encoder, `${r.from.split('/').slice(-2).join('/')} (${r.source})`])), multi_task_methods: multiMethods, multi_task_batch: mt.batch, multi_task_images: multiTrain.n, multi_task_epochs: mt.epochs },
});
const layerTable = `| encoder | ${blocks.map((b) => `block ${b}`).join(' | ')} | peak | last block vs peak |\\n|---|${blocks.map(() => '---').join('|')}|---|---|\\n` +
  peaks.map((p) => `| ${names[p.encoder]} | ${blocks.map((b) => pct(metrics[`${p.encoder}.linear.block${b}`])).join(' | ')} | block ${p.peakBlock} | ${p.drop > 0 ? `${pts(-p.drop)} (noise ± ${(100 * p.dropSe).toFixed(1)})` : 'the last block is the best'} |`).join('\\n');
const significant = (p: sl.LayerPeak) => p.drop > 2 * p.dropSe;
const pretextPeaks = peaks.filter((p) => pretext.includes(p.encoder));
const dropped = pretextPeaks.filter(significant);
const dipped = pretextPeaks.filter((p) => p.drop > 0 && !significant(p));
const lastBest = pretextPeaks.filter((p) => p.drop === 0);
const list = (ps: sl.LayerPeak[]) => ps.map((p) => names[p.encoder]).join(', ');
const supPeak = peaks.find((p) => p.encoder === 'supervised')!;
const randPeak = peaks.find((p) => p.encoder === 'random')!;
const gain = (e: string, b: number) => metrics[`${e}.linear.block${b}`] - metrics[`random.linear.block${b}`];
const lastB = blocks[blocks.length - 1];
const shrinks = pretextPeaks.filter((p) => p.peakBlock !== lastB && gain(p.encoder, lastB) < gain(p.encoder, p.peakBlock));
const holds = pretextPeaks.filter((p) => !shrinks.includes(p));
const control = randPeak.drop > 0
  ? ` A control: random init, never trained, also peaks at block ${randPeak.peakBlock} and loses ${(100 * randPeak.drop).toFixed(1)} points at its last block (noise ± ${(100 * randPeak.dropSe).toFixed(1)}), so part of any fall is this architecture's, not the pretext task's. Measured against random init (the gains above), ` +
    [shrinks.length ? shrinks.map((p) => `${names[p.encoder]}'s gain shrinks from ${pts(gain(p.encoder, p.peakBlock))} at block ${p.peakBlock} to ${pts(gain(p.encoder, lastB))} at block ${lastB}`).join(', ') : '',
     holds.length ? `${list(holds)} ${holds.length === 1 ? 'keeps' : 'keep'} ${holds.length === 1 ? 'its' : 'their'} gain at the last block` : ''].filter((x) => x).join('; ') + '.'
  : '';
const verdictLayers = dropped.length === pretext.length
  ? `**Reproduced**: every pretext encoder's linear probe peaks before its last block by more than twice the noise, while supervised ${supPeak.drop > 0 ? `peaks at block ${supPeak.peakBlock}` : 'keeps rising to its last block'}.`
  : dropped.length > 0
    ? `**Partly reproduced**: ${dropped.map((p) => `${names[p.encoder]} (peak at block ${p.peakBlock}, last block ${pts(-p.drop)})`).join(', ')} ${dropped.length === 1 ? 'drops' : 'drop'} at the last block by more than twice the noise; ${pretext.filter((e) => !dropped.some((p) => p.encoder === e)).map((e) => names[e]).join(', ')} ${pretext.length - dropped.length === 1 ? 'does' : 'do'} not.`
    : `**Not reproduced at this scale**: no pretext encoder's last block falls below an earlier one by more than twice the noise` +
      (lastBest.length ? `; the last block is the best one for ${list(lastBest)}` : '') +
      (dipped.length ? `; ${list(dipped)} ${dipped.length === 1 ? 'peaks' : 'peak'} earlier, but by less than the noise` : '') +
      `. The lecture's drop comes from deep networks (AlexNet conv5, ResNet-50 res5) trained long enough for their last layers to specialise; here the network has ${widths.length} small blocks and short training.`;
const singles = multiMethods.map((m) => ({ m: m, knn: metrics[`${m}.knn`], linear: metrics[`${m}.linear`] }));
const bestKnn = singles.reduce((a, b) => (b.knn > a.knn ? b : a));
const bestLin = singles.reduce((a, b) => (b.linear > a.linear ? b : a));
const mk = metrics['multi_task.knn'];
const ml = metrics['multi_task.linear'];
const beats = (m: number, s: number) => m - s > 2 * sl.accuracyGapSe(m, s, test.n);
const verdictMulti = beats(mk, bestKnn.knn) && beats(ml, bestLin.linear)
  ? '**Reproduced**: the two-task backbone beats the better single task on both kNN and the linear probe by more than twice the noise.'
  : beats(mk, bestKnn.knn) || beats(ml, bestLin.linear)
    ? `**Partly reproduced**: the two-task backbone beats the better single task on ${beats(mk, bestKnn.knn) ? 'kNN' : 'the linear probe'} only.`
    : `**Not reproduced at this scale**: the two-task backbone does not beat the better single task by more than twice the noise on either kNN or the linear probe.`;
const gainsOf = (list: string[], metric: (e: string) => string) => list.map((e) => `${names[e]} ${pts(metrics[metric(e)] - metrics[metric('random')])}`).join(', ');
const trajectoryText = monitored.map((e) => {
  const t = trajectories[e];
  return `${names[e]}: ${pct(t.peakKnn)} at its best epoch (${t.peakEpoch} of ${histories[e].length}), ${pct(t.finalKnn)} at the end` + (e === 'multi_task' ? '' : `, while its pretext accuracy went from ${pct(t.firstAccuracy)} to ${pct(t.finalAccuracy)}`) + (e === 'jigsaw' && sl.jigsawPreset(budget).curriculum > 0 ? ' (on puzzles from a permutation set that grows over the first part of the run: the curriculum of notebook 08)' : '');
}).join('; ');
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${bank.n} bank / ${test.n} test images, widths ${widths.join('-')}, blocks pooled to ${pool}×${pool}).

**Per-layer linear probes:**

${layerTable}

Gain over random init, block by block (linear probe): ${[...pretext, 'supervised'].map((e) => `${names[e]} ${blocks.map((b) => pts(metrics[`${e}.linear.block${b}`] - metrics[`random.linear.block${b}`]).replace(' points', '')).join(' / ')}`).join('; ')} (points, blocks ${blocks.join(' / ')}).

${verdictLayers}${control}

**Global-average-pooled features** (kNN / linear): ${Object.keys(encoders).map((e) => `${names[e]} ${pct(metrics[`${e}.knn`])} / ${pct(metrics[`${e}.linear`])}`).join('; ')}; ${names.multi_task} ${pct(mk)} / ${pct(ml)}.
kNN gain over random init (bank of ${bank.n}): ${gainsOf([...pretext, 'multi_task'], (e) => `${e}.knn`)}. With the bank of ${largeBank.n} (random init ${pct(metrics[bankMetric('random')])}): ${gainsOf([...pretext, 'multi_task'], bankMetric)}.
${trajectoryText ? `
**Transfer during pretext training** (kNN monitor, ${rotationKnobs.monitorSize} bank / ${rotationKnobs.monitorSize} test images; random init ${pct(randomMonitor)} on it): ${trajectoryText}. Where the best epoch comes before the last, more pretext training made the last block's features worse for classification: the same specialisation as a per-layer drop, seen in time instead of depth.
` : ''}
**Complementarity** (${multiMethods.map((m) => names[m]).join(' + ')}, each batch split between the tasks, ${mt.epochs} epoch${mt.epochs === 1 ? '' : 's'} of ${multiTrain.n} images: ${multiTrain.n * mt.epochs} images drawn; alone: ${multiMethods.map((m) => `${names[m]} ${drawn[m]}`).join(', ')}):

| encoder | kNN | linear probe |
|---|---|---|
${singles.map((s) => `| ${names[s.m]} alone | ${pct(s.knn)} | ${pct(s.linear)} |`).join('\\n')}
| both at once | ${pct(mk)} | ${pct(ml)} |

Both at once vs the better single task: kNN ${pts(mk - bestKnn.knn)} (vs ${names[bestKnn.m]}, noise ${noise(mk, bestKnn.knn)}), linear ${pts(ml - bestLin.linear)} (vs ${names[bestLin.m]}, noise ${noise(ml, bestLin.linear)}).

${verdictMulti}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement, and neither are the verdicts above.*' : ''}`);
"""),
code("""
for (const r of Object.values(runs)) r.dispose();
for (const p of [multi.backbone.params, ...multi.heads.map((h) => h.params)]) p.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "07-what-pretext-learns.ipynb"))
