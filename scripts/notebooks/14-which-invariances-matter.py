import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 14 · Which invariances matter, and does more help?

**The lecture's claim.** Contrastive methods learn exactly the invariances their augmentations spell out, so the
choice of augmentations *is* the method's prior; SimCLR's ablation found random cropping and colour distortion the
ones that matter most (Chen et al., *A Simple Framework for Contrastive Learning of Visual Representations*, ICML
2020, fig. 5). The lecture's shortcomings section asks two more questions: which invariances does a task actually
need, and do these methods *saturate*: does accuracy keep rising with a wider network and with more data?

**What you will see.** SimCLR trained with its full augmentation, then again with one augmentation dropped at a
time (crop, flip, colour jitter, greyscale): the change in kNN and linear-probe accuracy, as bars. Then accuracy
against backbone width and against the number of training images, a few points each, everything else fixed.

**How long.** On 2 CPU cores (wasm backend with the native kernels): `smoke` under a minute (measured 12 s;
numbers meaningless), `quick` about a minute (measured 51 s: 9 SimCLR runs of 2 epochs on up to 2,048 images),
`full` well under an hour (not yet run).
Re-running restores every run from `checkpoints/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

Every run shares the seed, optimiser, batch size, epochs and temperature; the ablation runs differ only in their
views; the width curve only in `widths`; the data curve only in the number of training images (same epochs, so a
larger set also means more steps). All runs are evaluated on the same `bankSize` / `testSize` images.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, trainSize, bankSize, testSize, widths, epochs, batchSize, optimizer, temperature, probeEpochs, drops, widthSweep, sizeSweep } = sl.whichInvariancesPreset(budget);
""", tags=["parameters"]),
code("""
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, trainSize: trainSize, bankSize: bankSize, testSize: testSize, widths: widths.join('-'), epochs: epochs, batchSize: batchSize, temperature: temperature, drops: drops.join(', '), widthSweep: widthSweep.map((w) => w.join('-')).join(', '), sizeSweep: sizeSweep.join(', ') }], { title: 'This run' });
"""),
md("""
## The views, with one augmentation dropped

Each row: an image, then one SimCLR view with everything, and one view with each augmentation switched off (through
`augmentBatch`'s own options: crop area and aspect fixed at 1, mirror probability 0, jitter probability 0, greyscale
probability 0).
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const train = sl.cifarSubset(cifarTrain, trainSize, seed);
const bank = sl.cifarSubset(cifarTrain, bankSize, seed);
const test = sl.cifarSubset(cifarTest, testSize, seed, 'test');
const shown = sl.subset(train, sl.stratifiedSample(train, { perClass: 1 }, rng.fork('shown')).subarray(0, 4));
const x = sl.toTensor(shown);
const variants = ['none', ...drops] as Array<'none' | sl.Augmentation>;
const views = [x, ...variants.map((d) => sl.augmentBatch(x, rng.fork(`view-${d}`), sl.withoutAugmentation(d)))];
sl.showImages(sl.interleaveImages(views), shown.n * views.length, 32, 32, 3, Array.from({ length: shown.n * views.length }, (_, i) => (i % views.length === 0 ? train.classNames[shown.labels[Math.floor(i / views.length)]] : variants[(i % views.length) - 1] === 'none' ? 'all' : `no ${variants[(i % views.length) - 1]}`)), { cols: views.length, title: 'An image, a full SimCLR view, and views with one augmentation dropped', name: 'views' });
views.forEach((v) => v.dispose());
"""),
md("""
## Drop one augmentation at a time

SimCLR (backbone + 2-layer projection head, NT-Xent) on the same `trainSize` images; the backbone's features are
then evaluated frozen (weighted kNN, k=200, t=0.1; a linear probe).
"""),
code("""
const ckpt = (run: string) => sl.checkpointDir('14-which-invariances-matter', run);
const cfg = { epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed, temperature: temperature, bank: bank, test: test, probeEpochs: probeEpochs };
const baseRun = { label: 'all', set: train, widths: widths, checkpointDir: ckpt(`all-w${widths.join('-')}-n${trainSize}`) };
const ablation = await sl.simclrStudy([baseRun, ...drops.map((d) => ({ label: `no ${d}`, set: train, widths: widths, views: sl.withoutAugmentation(d as sl.Augmentation), checkpointDir: ckpt(`no-${d}-w${widths.join('-')}-n${trainSize}`) }))], cfg);
const base = ablation[0];
sl.showTable(ablation, { title: `SimCLR with one augmentation dropped (${train.n} images, ${epochs} epoch(s); accuracy on ${test.n} test images)`, digits: 3 });
const deltas = ablation.slice(1).map((r) => ({ label: r.label, knn: r.knn - base.knn, linear: r.linear - base.linear }));
sl.showFigure(sl.deltaBarFigure(deltas, ['knn', 'linear'], { title: `Change in accuracy when one augmentation is dropped (all: kNN ${(100 * base.knn).toFixed(1)}%, linear ${(100 * base.linear).toFixed(1)}%)`, names: { knn: 'kNN', linear: 'linear probe' } }), { name: 'ablation' });
"""),
md("""
## Saturation: wider networks, more images

The same SimCLR recipe (all augmentations), once per backbone width (same images), and once per training-set
size (same widths and epochs). The run of the ablation above is a point of both curves and is not retrained.
"""),
code("""
const key = (w: number[], n: number) => `all-w${w.join('-')}-n${n}`;
const widthRuns = widthSweep.filter((w) => !(w.join() === widths.join())).map((w) => ({ label: `widths ${w.join('-')}`, set: train, widths: w, checkpointDir: ckpt(key(w, trainSize)) }));
const sizeRuns = sizeSweep.filter((n) => n !== trainSize).map((n) => ({ label: `${n} images`, set: sl.cifarSubset(cifarTrain, n, seed), widths: widths, checkpointDir: ckpt(key(widths, n)) }));
const more = await sl.simclrStudy([...widthRuns, ...sizeRuns], cfg);
const byWidth = widthSweep.map((w) => (w.join() === widths.join() ? base : more.find((r) => r.widths === w.join('-') && r.trainSize === trainSize)!)).map((r) => ({ ...r, width: Number(r.widths.split('-').pop()) }));
const bySize = sizeSweep.map((n) => (n === trainSize ? base : more.find((r) => r.trainSize === n && r.widths === widths.join('-'))!));
sl.showTable([...byWidth, ...bySize.filter((r) => r !== base)], { title: 'Saturation runs', digits: 3 });
sl.showFigure(sl.lineFigure(byWidth, { x: 'width', ys: ['knn', 'linear'], names: { knn: 'kNN', linear: 'linear probe' }, title: `Accuracy against backbone width (${trainSize} images)`, xTitle: 'width of the last block (the others scale with it)', yTitle: 'accuracy', yFormat: '.0%' }), { name: 'width' });
sl.showFigure(sl.lineFigure(bySize, { x: 'trainSize', ys: ['knn', 'linear'], names: { knn: 'kNN', linear: 'linear probe' }, title: `Accuracy against training images (widths ${widths.join('-')}, ${epochs} epoch(s))`, xTitle: 'SimCLR training images', yTitle: 'accuracy', yFormat: '.0%' }), { name: 'data-size' });
"""),
md("""
## Results

Built from this run's numbers and written to `results/14-which-invariances-matter.json`.
"""),
code("""
const pts = (d: number) => `${d >= 0 ? '+' : ''}${(100 * d).toFixed(1)} points`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const worst = [...deltas].sort((a, b) => a.linear - b.linear)[0];
const steps = (rs: { linear: number }[], names: string[]) => rs.slice(1).map((r, i) => `${names[i]} → ${names[i + 1]}: ${pts(r.linear - rs[i].linear)}`).join('; ');
const metrics: Record<string, number> = { 'simclr.knn': base.knn, 'simclr.linear': base.linear };
for (const r of ablation.slice(1)) { metrics[`simclr.knn.drop_${r.label.slice(3)}`] = r.knn; metrics[`simclr.linear.drop_${r.label.slice(3)}`] = r.linear; }
for (const r of byWidth) { metrics[`simclr.knn.width${r.width}`] = r.knn; metrics[`simclr.linear.width${r.width}`] = r.linear; }
for (const r of bySize) { metrics[`simclr.knn.train${r.trainSize}`] = r.knn; metrics[`simclr.linear.train${r.trainSize}`] = r.linear; }
const all = [...ablation, ...more];
sl.writeResults({ notebook: '14-which-invariances-matter', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: all.reduce((a, r) => a + r.imagesPerSec, 0) / all.length, metrics: metrics });
const wGains = byWidth.slice(1).map((r, i) => r.linear - byWidth[i].linear);
const nGains = bySize.slice(1).map((r, i) => r.linear - bySize[i].linear);
const saturation = (g: number[], what: string) =>
  g.length < 2 ? `Too few ${what} points to judge saturation.`
  : g.every((d) => d <= 0) ? `Accuracy does not rise with ${what} across these points.`
  : g[g.length - 1] < g[0] ? `The gain from ${what} shrinks from step to step (${g.map(pts).join(', ')}): a sign of saturation at this scale.`
  : `The gain from ${what} does not shrink across these points (${g.map(pts).join(', ')}): no saturation visible at this scale.`;
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend; SimCLR on ${train.n} CIFAR-10 images, ${epochs} epoch(s); accuracy on ${test.n} test images):

| views | kNN | linear probe | linear change |
|---|---|---|---|
${ablation.map((r, i) => `| ${r.label} | ${pct(r.knn)} | ${pct(r.linear)} | ${i ? pts(r.linear - base.linear) : ''} |`).join('\\n')}

${worst.linear < 0 ? `Dropping **${worst.label.slice(3)}** costs the most linear-probe accuracy (${pts(worst.linear)}; kNN ${pts(worst.knn)}).` : `No single drop lowers linear-probe accuracy here (the smallest change: ${worst.label}, ${pts(worst.linear)}).`}

**Width** (last block ${byWidth.map((r) => r.width).join(' → ')}): linear ${byWidth.map((r) => pct(r.linear)).join(' → ')} (${steps(byWidth, byWidth.map((r) => String(r.width)))}).
**Training images** (${bySize.map((r) => r.trainSize).join(' → ')}): linear ${bySize.map((r) => pct(r.linear)).join(' → ')} (${steps(bySize, bySize.map((r) => String(r.trainSize)))}).
${saturation(wGains, 'width')}
${saturation(nGains, 'training images')}
Differences of a point or two are within the noise of a single seed at these sizes.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "14-which-invariances-matter.ipynb"))
