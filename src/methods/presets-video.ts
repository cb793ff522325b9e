import type { Budget } from '../train/budget';
import type { OptimizerConfig } from '../train/optimizer';

/** The knobs of 05-shuffle-and-learn. */
export interface ShuffleAndLearnPreset {
  seed: number;
  /** Two-digit Moving MNIST sequences for training (digits from the MNIST train split). */
  trainSequences: number;
  /** Held-out sequences (digits from the MNIST test split) for order verification. */
  testSequences: number;
  /** Frames per sequence. */
  sequenceLength: number;
  /** Frame size the networks see (64x64 canvases area-averaged down). */
  frameSize: number;
  /** Frames from a to e of a five-frame window. */
  span: number;
  /** Windows kept: the top fraction by motion. */
  topFraction: number;
  /** Training windows per Moving MNIST sequence (each epoch draws a fresh triple from each). */
  windowsPerSequence: number;
  /** Real clips: frame rate they are resampled to, fraction of each clip (its beginning) used for training, and training windows drawn from them. */
  clipFps: number;
  clipTrainFraction: number;
  clipWindows: number;
  /** Held-out triples for order verification (Moving MNIST and clips each). */
  testTriples: number;
  widths: number[];
  /** Grid the last block is pooled to for the fusion head (1 = global average). */
  grid: number;
  hidden: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** Single-digit Moving MNIST sequences for the kNN transfer evaluation (bank from MNIST train, test from MNIST test), and frames kept per sequence. */
  knnSequences: number;
  knnFramesPerSequence: number;
}

/**
 * Budget presets of 05-shuffle-and-learn, for 2 CPU cores on the wasm backend (measured on
 * this machine: 400-1,000 frames/s for widths 16-32-64 on 32x32x1, depending on load).
 */
export function shuffleAndLearnPreset(budget: Budget): ShuffleAndLearnPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const common = { seed: 1, sequenceLength: 20, frameSize: 32, span: 8, topFraction: 0.5, clipFps: 10, clipTrainFraction: 0.75, widths: [16, 32, 64], grid: 2, hidden: 128, batchSize: 64, optimizer };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSequences: 40, testSequences: 20, windowsPerSequence: 5, clipWindows: 64, testTriples: 128, epochs: 1, knnSequences: 100, knnFramesPerSequence: 5 };
    case 'quick':
      return { ...common, trainSequences: 400, testSequences: 100, windowsPerSequence: 10, clipWindows: 1000, testTriples: 1000, epochs: 6, knnSequences: 200, knnFramesPerSequence: 5 };
    case 'full':
      return { ...common, trainSequences: 2000, testSequences: 300, windowsPerSequence: 10, clipWindows: 5000, testTriples: 2000, epochs: 10, knnSequences: 500, knnFramesPerSequence: 5 };
  }
}

/** The knobs of 06-audio-visual. */
export interface AudioVisualPreset {
  seed: number;
  /** The FSDD speaker held out: the test sounds are only theirs. */
  testSpeaker: string;
  /** Log-mel spectrogram: mel bands x frames (FFT 256 at 8 kHz, hop 128). */
  melBands: number;
  frames: number;
  /** Training sounds drawn from the other speakers (class-balanced; 2,500 = all). */
  trainSounds: number;
  /** Images of the MNIST train split the pairs draw from. */
  trainImages: number;
  visionWidths: number[];
  audioWidths: number[];
  hidden: number;
  epochs: number;
  batchSize: number;
  optimizer: OptimizerConfig;
  /** MNIST images for the vision kNN: bank (train split) and test (test split). */
  knnBank: number;
  knnTest: number;
  /** Held-out pairs (test speaker x MNIST test images) for correspondence accuracy. */
  testPairs: number;
}

/**
 * Budget presets of 06-audio-visual (MNIST digits + Free Spoken Digit Dataset), 2 CPU cores, wasm.
 * Each example is one sound with a corresponding and a non-corresponding image (3 inputs).
 * Measured under load (about 400 inputs/s): 10 epochs at batch 32 gave 75.8% held-out
 * correspondence; the two networks need several epochs to find digits from the one-bit signal.
 */
export function audioVisualPreset(budget: Budget): AudioVisualPreset {
  const optimizer: OptimizerConfig = { name: 'adam', lr: 2e-3, schedule: 'cosine' };
  const common = { seed: 1, testSpeaker: 'theo', melBands: 32, frames: 40, visionWidths: [16, 32, 64], audioWidths: [16, 32, 64], hidden: 128, batchSize: 32, optimizer };
  switch (budget) {
    case 'smoke':
      return { ...common, trainSounds: 500, trainImages: 1000, epochs: 1, knnBank: 500, knnTest: 250, testPairs: 250 };
    case 'quick':
      return { ...common, trainSounds: 2500, trainImages: 8004, epochs: 8, knnBank: 2000, knnTest: 1000, testPairs: 1000 };
    case 'full':
      return { ...common, trainSounds: 2500, trainImages: 8004, epochs: 40, knnBank: 8004, knnTest: 1996, testPairs: 2000 };
  }
}
