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

**What you will see.** Five backbones of the same shape on CIFAR-10: **random init** (the floor), **rotation**,
**relative position**, **jigsaw** and **supervised** (the reference). Every block of every backbone is probed
with kNN and a linear classifier (the **per-layer curve**). Then one backbone trained on **rotation and jigsaw at
once**, each batch split between the two tasks so that it sees the same number of images as each single-task run,
against each alone. Whether the two claims hold at this scale is stated with this run's numbers at the end.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs; the numbers mean nothing),
`quick` about 5 minutes (rough but real), `full` measured 13 min 11 s with the native kernels while another full run shared the cores. Re-running with the same
parameters restores every trained network from `checkpoints/07-what-pretext-learns/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
`widths` sets the backbone's blocks (one probe per block: more blocks, a longer curve); `pool` is the grid each
block's output is average-pooled to before probing; `multiMethods` are the tasks trained together.
Headless: `npm run lab -- 07-what-pretext-learns --budget full --set epochs=6`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, testSize, widths, epochs, relativePositionEpochs, supervisedEpochs, batchSize, optimizer, probeEpochs, monitorSize, pool, rotationHead, permutations, tileSize, patch, gap, jitter, colour, multiMethods } = sl.layersPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, relativePositionEpochs: relativePositionEpochs, supervisedEpochs: supervisedEpochs, batchSize: batchSize, lr: optimizer.lr, probeEpochs: probeEpochs, pool: pool, multiMethods: multiMethods.join(' + ') }], { title: 'This run' });
"""),
md("""
## The data: CIFAR-10

A class-balanced training subset is the pretext data, the labelled kNN bank and the training set of every linear
probe; a class-balanced test subset is what every accuracy is measured on. Labels are used only by the supervised
reference and by the evaluations.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
"""),
md("""
## Four trained backbones, one shape

Each method trains a fresh backbone (3×3 conv → batch norm → ReLU blocks, a 2×2 max-pool after every block but
the last, global average pooling) from the **same initial weights** (same seed), so the random-init backbone is
where every one of them started. **Rotation** classifies which of 4 rotations it sees (here with a *linear* head,
so the rotation-specific work has to happen in the backbone's last block); **relative position** names where a
`patch`×`patch` patch sits around a centre patch (8-way, a Siamese MLP head; patches larger and gaps smaller than
in notebook 01, so the patches are closer to the whole images the probes see); **jigsaw** names the permutation of 9 shuffled
tiles (out of `permutations`); **supervised** learns the 10 classes. Notebooks 01, 02 and 08 look at each
method on its own; here they are the subjects of the probes.
"""),
code("""
const ckpt = (run: string) => sl.checkpointDir('07-what-pretext-learns', run);
const common = { widths: widths, batchSize: batchSize, optimizer: optimizer, seed: seed };
const monitor = sl.knnMonitor(train, test, monitorSize, seed);
const methodOptions: Record<string, Record<string, unknown>> = {
  rotation: {},
  relative_position: { patch: patch, gap: gap, jitter: jitter, colour: colour },
  jigsaw: { permutations: permutations, tileSize: tileSize, colour: colour },
};
const rotation = await sl.pretrain(train, { ...common, method: 'rotation', epochs: epochs, head: rotationHead, checkpointDir: ckpt('rotation'), onEpochEnd: monitor });
const relpos = await sl.pretrain(train, { ...common, method: 'relative_position', epochs: relativePositionEpochs, options: methodOptions.relative_position, checkpointDir: ckpt('relative_position'), onEpochEnd: monitor });
const jigsaw = await sl.pretrain(train, { ...common, method: 'jigsaw', epochs: epochs, options: methodOptions.jigsaw, checkpointDir: ckpt('jigsaw'), onEpochEnd: monitor });
const supervised = await sl.pretrain(train, { ...common, method: 'supervised', epochs: supervisedEpochs, checkpointDir: ckpt('supervised') });
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
const runs = { rotation: rotation, relative_position: relpos, jigsaw: jigsaw, supervised: supervised };
const runRow = (name: string, r: { history: sl.EpochRow[]; imagesPerSec: number }, perExample: number) => {
  const last = r.history[r.history.length - 1];
  return { encoder: name, epochs: r.history.length, images_visited: r.history.length * train.n, network_inputs: r.history.length * train.n * perExample, final_loss: last.loss, final_train_accuracy: last.accuracy, images_per_s: r.imagesPerSec, seconds: r.history.reduce((a, h) => a + h.seconds, 0) };
};
const perExample: Record<string, number> = { rotation: 4, relative_position: 2, jigsaw: 9, supervised: 1 };
sl.showTable(Object.entries(runs).map(([name, r]) => runRow(name, r, perExample[name])), { title: 'Training runs (images_visited: training images drawn; network_inputs: images, patches or tiles through the backbone)', digits: 3 });
"""),
md("""
## Transfer while the pretext task is learned

After every epoch of each pretext run, a kNN monitor (`monitorSize` training images as the bank, as many test
images, global-average-pooled last-block features) measured how well the backbone's features sort the classes.
If the pretext task and the classes wanted the same features, the monitor would climb with the pretext accuracy.
The flat line is random init on the same monitor.
"""),
code("""
const monitored = ['rotation', 'relative_position', 'jigsaw'] as const;
const names: Record<string, string> = { random: 'random init', rotation: 'rotation', relative_position: 'relative position', jigsaw: 'jigsaw', supervised: 'supervised' };
const trajectories = Object.fromEntries(monitored.map((e) => [e, sl.transferTrajectory(runs[e].history)]));
const randomMonitor = monitor ? (await monitor(0, random)).knn : NaN;
if (monitor && monitored.some((e) => trajectories[e])) {
  const longest = Math.max(...monitored.map((e) => runs[e].history.length));
  const rows = Array.from({ length: longest }, (_, i) => Object.fromEntries([['epoch', i + 1], ['random init', randomMonitor], ...monitored.flatMap((e) => [[`${names[e]} kNN`, runs[e].history[i]?.knn ?? null], [`${names[e]} pretext acc.`, runs[e].history[i]?.accuracy ?? null]])]));
  sl.showFigure(sl.lineFigure(rows, { x: 'epoch', ys: ['random init', ...monitored.map((e) => `${names[e]} kNN`)], y2s: monitored.map((e) => `${names[e]} pretext acc.`), title: 'kNN monitor (left) and pretext training accuracy (right) per epoch', xTitle: 'epoch', yTitle: 'kNN accuracy', y2Title: 'pretext accuracy', yFormat: '.0%', y2Format: '.0%' }), { name: 'transfer-vs-pretext' });
} else {
  sl.showMarkdown('*No per-epoch monitor in this run (the `smoke` budget turns it off; runs restored from checkpoints written without it have none).*');
}
"""),
md("""
## The per-layer curve

For every backbone and every block *k*, the block's output (after its ReLU and max-pool) is average-pooled to a
`pool`×`pool` grid and flattened: block 1 gives `pool²·widths[0]` features, block 2 `pool²·widths[1]`, and so on.
On these frozen features: **kNN** (cosine, k=200, t=0.1, the training subset as the bank) and a **linear probe**
(logistic regression on standardised features). Blocks are numbered from 1, as in the results' metric names
(`rotation.linear.block2` is rotation's second block). The lecture's claim is about the **shape** of each curve:
does a pretext curve turn down at the last block while the supervised one keeps rising?
"""),
code("""
const encoders = { random: random, rotation: rotation.backbone, relative_position: relpos.backbone, jigsaw: jigsaw.backbone, supervised: supervised.backbone };
const layers = await sl.perLayerEvaluation(encoders, train, test, { pool: pool, probe: { epochs: probeEpochs, seed: seed } });
const curve = sl.perLayerCurve(layers.rows, 'linear');
sl.showFigure(sl.perLayerFigure(curve, Object.keys(encoders), { names: names, title: `Linear probe per block, CIFAR-10 (${train.n} train / ${test.n} test images)` }), { name: 'per-layer-linear' });
sl.showFigure(sl.perLayerFigure(sl.perLayerCurve(layers.rows, 'knn'), Object.keys(encoders), { names: names, title: 'kNN accuracy per block', yTitle: 'kNN accuracy' }), { name: 'per-layer-knn' });
sl.showTable(layers.rows.map((r) => ({ encoder: r.encoder, block: r.block, dim: r.dim, knn: r.knn, linear: r.linear, linear_train: r.linearTrain })), { title: 'Per-block probes', digits: 3 });
"""),
md("""
## The standard evaluation: global-average-pooled features

The lab's usual numbers, as in every other notebook: the last block's output averaged over all positions (the
`features` the pretext heads saw). These are the `<encoder>.knn` / `<encoder>.linear` metrics of the results.
"""),
code("""
const final = await sl.compareEncoders(encoders, train, test, { probe: { epochs: probeEpochs, seed: seed } });
sl.showTable(final.rows.map((r) => ({ encoder: r.encoder, knn: r.knn, linear: r.linear, linear_train: r.linearTrain })), { title: `Global-average-pooled features, ${test.n} test images`, digits: 3 });
"""),
md("""
## Complementarity: two pretext tasks on one backbone

One backbone, one head per task, trained on the weighted sum of the tasks' losses. Each batch of training images
is **split** between the tasks (half are rotated, half cut into jigsaw puzzles), so over `epochs` epochs this
backbone draws exactly as many training images as each single-task run above: the same image budget, spent on two
tasks instead of one. It starts from the same initial weights, and its per-task losses are logged per epoch.
"""),
code("""
const multi = await sl.pretrainMultiTask(train, {
  ...common, epochs: epochs, head: rotationHead,
  methods: multiMethods.map((m) => ({ method: m, options: methodOptions[m] ?? {} })),
  checkpointDir: ckpt('multi_task'),
});
sl.showTable(multi.history.map(({ accuracy, ...row }) => row), { title: `Multi-task training (${multiMethods.join(' + ')}), per epoch`, digits: 3 });
const multiEval = await sl.compareEncoders({ multi_task: multi.backbone }, train, test, { probe: { epochs: probeEpochs, seed: seed } });
const metrics: Record<string, number> = { ...final.metrics, ...layers.metrics, ...multiEval.metrics };
const label = (m: string) => (m === 'multi_task' ? multiMethods.map((x) => names[x]).join(' + ') : names[m]);
const groups = Object.fromEntries([...multiMethods, 'multi_task'].map((m) => [label(m), { kNN: metrics[`${m}.knn`], linear: metrics[`${m}.linear`] }]));
sl.showFigure(sl.barFigure(groups, { title: `Alone vs both at once (same image budget: ${train.n * epochs} images drawn)` }), { name: 'complementarity' });
"""),
md("""
## Results

Computed from this run, and written to `results/07-what-pretext-learns.json` (metrics `<encoder>.knn`,
`<encoder>.linear`, the per-block `<encoder>.linear.block<k>` and `<encoder>.knn.block<k>`, and `multi_task.*`
for the backbone trained on several tasks). "Noise" is the standard error of a difference of two accuracies:
for two blocks of one encoder it is paired (the same test images, classified twice), for two encoders' final
accuracies it is the binomial one of independent measurements (conservative). A gap under about twice the noise
is not evidence either way.
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(1)} points`;
const noise = (a: number, b: number) => `± ${(100 * sl.accuracyGapSe(a, b, test.n)).toFixed(1)}`;
const blocks = curve.map((r) => r.block);
const peaks = sl.layerPeaks(layers.rows, 'linear', test.labels);
const pretext = ['rotation', 'relative_position', 'jigsaw'];
sl.writeResults({
  notebook: '07-what-pretext-learns', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(),
  images_per_s: rotation.imagesPerSec, metrics: metrics,
  extra: { blocks: 'block<k> is conv block k, 1-based', pool: pool, widths: widths, multi_task_methods: multiMethods, multi_task_batch: 'split' },
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
    : `**Not reproduced at this scale**: with the same image budget, the two-task backbone does not beat the better single task by more than twice the noise on either kNN or the linear probe.`;
const vsRandom = pretext.map((e) => `${names[e]} ${pts(metrics[`${e}.knn`] - metrics['random.knn'])}`).join(', ');
const trajectoryText = monitored.filter((e) => trajectories[e]).map((e) => {
  const t = trajectories[e]!;
  return `${names[e]}: ${pct(t.peakKnn)} at its best epoch (${t.peakEpoch} of ${runs[e].history.length}), ${pct(t.finalKnn)} at the end, while its pretext accuracy went from ${pct(t.firstAccuracy)} to ${pct(t.finalAccuracy)}`;
}).join('; ');
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${train.n} training / ${test.n} test images, widths ${widths.join('-')}, blocks pooled to ${pool}×${pool}).

**Per-layer linear probes:**

${layerTable}

Gain over random init, block by block (linear probe): ${[...pretext, 'supervised'].map((e) => `${names[e]} ${blocks.map((b) => pts(metrics[`${e}.linear.block${b}`] - metrics[`random.linear.block${b}`]).replace(' points', '')).join(' / ')}`).join('; ')} (points, blocks ${blocks.join(' / ')}).

${verdictLayers}${control}

**Global-average-pooled features** (kNN / linear): ${Object.keys(encoders).map((e) => `${names[e]} ${pct(metrics[`${e}.knn`])} / ${pct(metrics[`${e}.linear`])}`).join('; ')}.
kNN gain over random init: ${vsRandom}.
${trajectoryText ? `
**Transfer during pretext training** (kNN monitor, ${monitorSize} bank / ${monitorSize} test images; random init ${pct(randomMonitor)} on it): ${trajectoryText}. Where the best epoch comes before the last, more pretext training made the last block's features worse for classification: the same specialisation as the per-layer drop, seen in time instead of depth.
` : ''}
**Complementarity** (${multiMethods.map((m) => names[m]).join(' + ')}, each batch split between the tasks, ${epochs} epoch${epochs === 1 ? '' : 's'} of ${train.n} images, as each single-task run):

| encoder | kNN | linear probe |
|---|---|---|
${singles.map((s) => `| ${names[s.m]} alone | ${pct(s.knn)} | ${pct(s.linear)} |`).join('\\n')}
| both at once | ${pct(mk)} | ${pct(ml)} |

Both at once vs the better single task: kNN ${pts(mk - bestKnn.knn)} (vs ${names[bestKnn.m]}, noise ${noise(mk, bestKnn.knn)}), linear ${pts(ml - bestLin.linear)} (vs ${names[bestLin.m]}, noise ${noise(ml, bestLin.linear)}).

${verdictMulti}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement, and neither are the verdicts above.*' : ''}`);
"""),
code("""
for (const p of [random.params, multi.backbone.params, ...multi.heads.map((h) => h.params), ...Object.values(runs).flatMap((r) => [r.backbone.params, r.head.params])]) p.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "07-what-pretext-learns.ipynb"))
