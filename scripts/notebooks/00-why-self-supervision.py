import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 00 · Why self-supervision?

**The lecture's claim.** Supervised pre-training is a success story: train a network on a large labelled
dataset (ImageNet), keep its features, and a new task needs far fewer labels. Its price is the labels
themselves: millions of human annotations for the pre-training, and still some for every new task.
*Self-supervised* learning keeps the recipe but makes the pre-training labels from the data itself
(a rotation we applied, the colours we removed, a word we hid), so any amount of unlabelled data can be used.
Natural language processing did this first: Word2Vec learns word vectors by predicting a hidden word from its
context (Mikolov et al., 2013).

**What you will see.**
1. The three definitions on real examples: supervised (a human's label), unsupervised (no label),
   self-supervised (a label computed from the input), as (input, label) pairs of several pretext tasks.
2. A transfer experiment on CIFAR-10: pre-train on five classes (airplane, automobile, bird, cat, deer) with
   their labels (*supervised*) or without (*rotation* prediction), then learn five **new** classes (dog, frog,
   horse, ship, truck) from 1 to 500 labelled images per class on frozen features: accuracy against the number
   of labels (a *low-shot curve*), with a randomly initialised network as the floor.
3. Word2Vec (skip-gram with negative sampling) trained on a real English text, the World English Bible
   (public domain, about 930,000 words, from Debian's `sword-text-web` package), and the nearest words of a few queries.

**How long.** On 2 CPU cores (wasm backend), measured on a machine shared with other jobs: `smoke` about 30 s
of cells (proves it runs; numbers meaningless), `quick` 5 min 24 s in all (3 min 34 s of cells, the rest the
kernel's start; rough but real), `full` measured 13 min 6 s with the native kernels while another full run shared the cores (the real figure:
all 25,000 source images through the benchmark CNN, up to 5,000 labels per class, the whole corpus). Re-running with the same parameters
restores trained networks from `checkpoints/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
Change any value here and re-run, or headless: `npm run lab -- 00-why-self-supervision --budget full --set 'shots=[1,10,100]'`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, sourceClasses, sourcePerClass, widths, rotationEpochs, supervisedEpochs, batchSize, optimizer, poolPerClass, testPerClass, shots, repeats, probeSteps, scratchShots, scratchSteps, corpusTokens, minCount, dim, window, negatives, subsample, w2vEpochs, w2vBatchSize, w2vOptimizer } = sl.whyPreset(budget);
""", tags=["parameters"]),
code("""
// (tslab loses top-level names in shorthand properties like `{ seed }`: write `seed: seed`)
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, sourcePerClass: sourcePerClass, widths: widths.join('-'), rotationEpochs: rotationEpochs, supervisedEpochs: supervisedEpochs, poolPerClass: poolPerClass, testPerClass: testPerClass, shots: shots.join(','), corpusTokens: corpusTokens || 'all', dim: dim, window: window }], { title: 'This run' });
"""),
md("""
## The data: a source task and a new task

CIFAR-10 (Krizhevsky, 2009; 32×32 colour photos, here the local mirror's JPEG copy) split by class. The
**source** task, the stand-in for ImageNet, is five classes; the **target** task is the five others, which no
pre-training ever sees labelled. The labelled images of the target task are drawn from a pool of its training
images; the accuracies are measured on its test images.
"""),
code("""
const rng = new sl.Rng(seed);
const cifarTrain = await sl.loadCifar10('train');
const cifarTest = await sl.loadCifar10('test');
const targetClasses = cifarTrain.classNames.map((_, c) => c).filter((c) => !sourceClasses.includes(c));
const pick = (set: sl.ImageSet, classes: number[], perClass: number, name: string, label: string) => {
  const inClasses = sl.subset(set, sl.subsetIndices(set, classes));
  return sl.subset(inClasses, sl.stratifiedSample(inClasses, { perClass: perClass }, rng.fork(label)), name);
};
const source = pick(cifarTrain, sourceClasses, sourcePerClass, `cifar10/train[${sourceClasses.join(',')}]`, 'source');
const pool = pick(cifarTrain, targetClasses, poolPerClass, `cifar10/train[${targetClasses.join(',')}]`, 'pool');
const test = pick(cifarTest, targetClasses, testPerClass, `cifar10/test[${targetClasses.join(',')}]`, 'test');
const names = (set: sl.ImageSet, idx: Int32Array) => Array.from(idx, (i) => set.classNames[set.labels[i]]);
const srcShown = sl.subset(source, sl.stratifiedSample(source, { perClass: 2 }, rng.fork('shown-source')));
sl.showImages(srcShown.images, srcShown.n, 32, 32, 3, Array.from(srcShown.labels, (l) => `label: ${source.classNames[l]}`), { cols: 10, title: `Supervised: source images with their human labels (${source.n} images of ${sourceClasses.length} classes)`, name: 'supervised-examples' });
const tgtShown = sl.subset(pool, sl.stratifiedSample(pool, { perClass: 2 }, rng.fork('shown-target')));
sl.showImages(tgtShown.images, tgtShown.n, 32, 32, 3, Array.from(tgtShown.labels, (l) => pool.classNames[l]), { cols: 10, title: `The new task: ${targetClasses.length} other classes (pool ${pool.n}, test ${test.n} images)`, name: 'target-examples' });
"""),
md("""
## Three definitions, on real examples

* **Supervised**: each input comes with a label a person gave it, like the captions above. Expensive: someone
  looked at every image.
* **Unsupervised**: inputs only, no labels at all; the method has to find structure by itself (clusters, a density).
* **Self-supervised**: a kind of unsupervised learning that turns the data into a supervised problem: part of the
  input, or a change we made to it, becomes the label. Below, each row is one *pretext task* and each pair is one
  (input, label) example made from an unlabelled image: predict the **rotation** we applied (notebook 02), the
  **colours** of a grey image (03), the **hidden patch** (04), the **position** of a second patch relative to the
  centre one (01). No person was involved.
"""),
code("""
const unlabelled = sl.subset(pool, sl.stratifiedSample(pool, { perClass: 1 }, rng.fork('pairs')).subarray(0, 3));
sl.showFigure(sl.pretextPairsFigure(unlabelled, [0, 1, 2], rng.fork('pretext-pairs')), { name: 'pretext-pairs' });
"""),
md("""
The same idea in text: hide a word, and its neighbours are the input. These pairs come from the corpus the
Word2Vec section below learns from, so a sentence is worth many labelled examples.
"""),
code("""
const corpus = sl.loadEnglishCorpus();
const allTokens = sl.tokenize(corpus.text);
const tokens = corpusTokens > 0 ? allTokens.slice(0, corpusTokens) : allTokens;
sl.showTable(sl.hiddenWordExamples(tokens, 3, 6, rng.fork('hidden-words')).map((r) => ({ 'input (context)': r.input, 'label (hidden word)': r.label })), { title: `Self-supervised text: (context, hidden word) pairs from ${corpus.name} (${corpus.licence})` });
"""),
md("""
## Pre-training, with labels and without

Three backbones of the same shape (a small convnet: 3×3 conv, batch norm, ReLU blocks and a global average pool):

* **supervised**: trained to classify the source images into their 5 classes, with their labels;
* **rotation**: trained on the *same* source images to predict which of 4 rotations it sees, without their labels;
  it sees as many images through the network as the supervised one (each image in 4 rotations, a quarter of the epochs);
* **random**: the same network, untrained (the rotation network's starting point).
"""),
code("""
const rotation = await sl.pretrain(source, {
  method: 'rotation', widths: widths, epochs: rotationEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed, head: 'mlp',
  checkpointDir: sl.checkpointDir('00-why-self-supervision', 'rotation'),
});
const supervised = await sl.pretrain(source, {
  method: 'supervised', widths: widths, epochs: supervisedEpochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('00-why-self-supervision', 'supervised'),
});
const random = sl.convNet({ inputChannels: 3, widths: widths }, new sl.Rng(seed));
sl.showTable([
  { network: 'rotation', 'labels used': 0, epochs: rotationEpochs, 'final loss': rotation.history[rotation.history.length - 1].loss, 'pretext accuracy (train)': rotation.history[rotation.history.length - 1].accuracy, 'images/s': rotation.imagesPerSec },
  { network: 'supervised', 'labels used': source.n, epochs: supervisedEpochs, 'final loss': supervised.history[supervised.history.length - 1].loss, 'pretext accuracy (train)': supervised.history[supervised.history.length - 1].accuracy, 'images/s': supervised.imagesPerSec },
], { title: 'Pre-training on the source images', digits: 3 });
"""),
md("""
## Transfer with few labels: the low-shot curve

**The design, and why.** The lecture's story is ImageNet pre-training transferred to new tasks. Here the source
task plays ImageNet and the five target classes play the new task, so no pre-training has seen a target label.
Both pre-trained networks learn from the *same* source images, one with their labels and one without, so the
difference between them is what the labels bought; the random network shows what pre-training of any kind buys.
We evaluate frozen features (the backbone is not fine-tuned), the standard protocol for comparing
representations, and report two classifiers: a linear probe and kNN (kNN needs no training, so it shows the
geometry of the features directly; random convolutional features are notoriously strong under a linear probe,
see notebook 02). At this scale the supervised source task is tiny next to ImageNet's 1.28 million labelled
images, so expect small gaps; the full budget uses all 25,000 source images.

For each number of labels per class, we draw that many labelled images of each new class from the pool
(the smaller draws nested in the larger ones; several draws where few labels make the result noisy), and train
only a classifier on the frozen features: a **linear probe** (logistic regression on standardised features) and a
**kNN** vote (cosine, k=200 or all the labelled images when fewer, t=0.1). The backbone never changes. Error bars:
one standard deviation over the draws. The x axis is logarithmic. The linear probe standardises each feature with
the mean and spread of the whole pool (which needs no labels): those of one labelled image a class would be noise.
**What to look for:** the vertical gap between a pre-trained line and random init at the left (few labels), and
how many labels per class a line needs to reach the random network's accuracy at the right (both in the
results at the end).
"""),
code("""
const low = await sl.lowShotEncoders({ random: random, rotation: rotation.backbone, supervised: supervised.backbone }, pool, test, { shots: shots, repeats: repeats, probeSteps: probeSteps, seed: seed });
const scratch = scratchShots.length > 0
  ? await sl.scratchCurve(pool, test, { shots: scratchShots, widths: widths, steps: scratchSteps, batchSize: batchSize, optimizer: optimizer, seed: seed })
  : [];
const curveNames = { random: 'random init', rotation: 'rotation (0 labels)', supervised: `supervised (${source.n} labels)`, scratch: 'trained from scratch on the labels alone' };
sl.showFigure(sl.lowShotFigure(low.summary, { evaluation: 'linear', extra: scratch.length ? { scratch: scratch } : {}, names: curveNames, title: `New classes from few labels: linear probe on frozen features (${test.n} test images)` }), { name: 'low-shot-linear' });
sl.showFigure(sl.lowShotFigure(low.summary, { evaluation: 'knn', names: curveNames, title: 'The same with a kNN classifier' }), { name: 'low-shot-knn' });
sl.showTable(low.summary.map((r) => ({ encoder: r.encoder, 'labels/class': r.shots, draws: r.draws, linear: r.linear, 'linear sd': r.linear_std, knn: r.knn, 'knn sd': r.knn_std })), { title: 'Low-shot accuracy on the new classes (mean over draws)', digits: 3 });
"""),
md("""
## The NLP aside: Word2Vec

Word2Vec's **skip-gram** model (Mikolov et al., 2013) gives every word two vectors: one as a centre word, one as a
context word. Its pretext task is to tell, for a centre word, which words really occur within a few positions of
it (the label 1) from *noise* words drawn from the unigram distribution raised to the power 3/4 (the label 0):
**negative sampling**, `-log σ(u_context·v_centre) - Σ_noise log σ(-u_noise·v_centre)`. Very frequent words
("the", "and") are subsampled, and each centre word's window is drawn between 1 and `window`. Words that appear
in similar contexts end up with similar vectors. The model trains through the lab's one training loop, its
embeddings in a parameter store, with progress and a checkpoint per epoch.
"""),
code("""
const vocab = sl.buildVocabulary(tokens, { minCount: minCount });
const ids = sl.encodeTokens(tokens, vocab);
const w2v = await sl.trainWord2Vec(ids, vocab, {
  dim: dim, window: window, negatives: negatives, subsample: subsample, epochs: w2vEpochs, batchSize: w2vBatchSize, optimizer: w2vOptimizer, seed: seed,
  corpus: `${corpus.name}:${tokens.length}`, checkpointDir: sl.checkpointDir('00-why-self-supervision', 'word2vec'),
});
sl.showMarkdown(`${tokens.length.toLocaleString('en')} tokens, a vocabulary of ${vocab.words.length.toLocaleString('en')} words occurring at least ${minCount} times (${(100 * vocab.covered / vocab.total).toFixed(1)}% of the tokens), ${w2v.tokens.toLocaleString('en')} tokens left after subsampling, ${w2v.pairs.toLocaleString('en')} (centre, context) pairs, ${w2v.history.length} epoch(s) at ${w2v.imagesPerSec.toFixed(0)} pairs/s.`);
sl.showFigure(sl.lineFigure(w2v.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy'], names: { loss: 'negative-sampling loss', accuracy: 'context word scored above all noise words' }, title: 'Word2Vec training', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'word2vec-training' });
"""),
md("""
Nearest words by cosine similarity of the centre-word vectors (a word that the vocabulary lacks in this budget is skipped):
"""),
code("""
const vectors = sl.unitWordVectors(w2v.model);
const queries = ['king', 'water', 'day', 'good', 'seven', 'gold', 'sheep', 'eat', 'woman'].filter((q) => vocab.index.has(q));
const neighbours = queries.map((q) => ({ query: q, count: vocab.counts[vocab.index.get(q)!], nearest: sl.nearestWords(vectors, vocab, q, 8).map((n) => `${n.word} (${n.similarity.toFixed(2)})`).join(', ') }));
sl.showTable(neighbours, { title: 'Nearest words (cosine similarity)' });
const analogies = [['man', 'king', 'woman'], ['day', 'days', 'year'], ['father', 'son', 'mother']].filter((a) => a.every((w) => vocab.index.has(w)));
sl.showTable(analogies.map(([a, b, c]) => ({ question: `${a} : ${b} = ${c} : ?`, 'nearest to b - a + c': sl.analogy(vectors, vocab, a, b, c, 5).map((n) => n.word).join(', ') })), { title: 'Analogies by vector offset (Mikolov, Yih & Zweig 2013)' });
"""),
md("""
## Results

The numbers below are this run's, also written to `results/00-why-self-supervision.json` (metrics
`<encoder>.linear.shots<n>` and `<encoder>.knn.shots<n>` per point of the curve; `<encoder>.linear` and
`<encoder>.knn` at the most labels). Word2Vec has no encoder in the results contract: its numbers stay in this notebook.
"""),
code("""
const metrics = low.metrics;
sl.writeResults({ notebook: '00-why-self-supervision', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: rotation.imagesPerSec, metrics: metrics });
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${(100 * (a - b)).toFixed(1)} points`;
const lo = shots[0];
const hi = shots[shots.length - 1];
const m = (e: string, ev: string, n: number) => metrics[`${e}.${ev}.shots${n}`];
const scratchText = scratch.length ? ` A network trained from scratch on the labels alone (${scratchSteps} steps) reaches ${scratch.map((p) => `${pct(p.accuracy)} with ${p.shots}`).join(', ')} labels per class.` : '';
const reach = (e: string) => { const n = shots.find((s) => m(e, 'linear', s) >= m('random', 'linear', hi)); return n === undefined ? `not within ${hi}` : `${n}`; };
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend; pre-training on ${source.n} source images, ${rotation.imagesPerSec.toFixed(0)} images/s for rotation; ${test.n} test images of the new classes):

| labels per class | random init, linear / kNN | rotation, linear / kNN | supervised, linear / kNN |
|---|---|---|---|
${shots.map((n) => `| ${n} | ${pct(m('random', 'linear', n))} / ${pct(m('random', 'knn', n))} | ${pct(m('rotation', 'linear', n))} / ${pct(m('rotation', 'knn', n))} | ${pct(m('supervised', 'linear', n))} / ${pct(m('supervised', 'knn', n))} |`).join('\\n')}

With ${lo} label${lo === 1 ? '' : 's'} per class the linear probe reads ${pct(m('random', 'linear', lo))} (random), ${pct(m('rotation', 'linear', lo))} (rotation) and ${pct(m('supervised', 'linear', lo))} (supervised; chance is ${pct(1 / targetClasses.length)}); with ${hi}: ${pct(m('random', 'linear', hi))}, ${pct(m('rotation', 'linear', hi))} and ${pct(m('supervised', 'linear', hi))}.
Supervised pre-training vs random init: ${pts(m('supervised', 'linear', lo), m('random', 'linear', lo))} at ${lo} and ${pts(m('supervised', 'linear', hi), m('random', 'linear', hi))} at ${hi} labels per class (linear); it cost ${source.n.toLocaleString('en')} labels.
Rotation (no labels) vs random init: ${pts(m('rotation', 'linear', lo), m('random', 'linear', lo))} and ${pts(m('rotation', 'linear', hi), m('random', 'linear', hi))} (linear); kNN ${pts(m('rotation', 'knn', lo), m('random', 'knn', lo))} and ${pts(m('rotation', 'knn', hi), m('random', 'knn', hi))}.
Labels per class a linear probe needs to match the random network's accuracy with ${hi}: supervised features ${reach('supervised')}, rotation features ${reach('rotation')}.${scratchText}

Word2Vec: ${w2v.pairs.toLocaleString('en')} pairs, final loss ${w2v.history[w2v.history.length - 1].loss.toFixed(3)}; ${neighbours.slice(0, 3).map((r) => `**${r.query}** → ${r.nearest.split(', ').slice(0, 4).map((s) => s.split(' ')[0]).join(', ')}`).join('; ')}.
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const p of [random.params, rotation.backbone.params, rotation.head.params, supervised.backbone.params, supervised.head.params, w2v.model.params]) p.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "00-why-self-supervision.ipynb"))
