import FFT from 'fft.js';
import { validateImageSet, type ImageSet } from '../data/image-set';
import type { AudioSet } from '../data/load-fsdd';

/** Options of {@link logMelSpectrogram}. */
export interface SpectrogramOptions {
  /** FFT size in samples, a power of 2 (default 256: 32 ms at 8 kHz). */
  fftSize?: number;
  /** Hop between frames in samples (default fftSize / 2). */
  hop?: number;
  /** Mel bands (default 32). */
  melBands?: number;
  /** Lowest and highest filter edge in Hz (default 0 and sampleRate / 2). */
  fMin?: number;
  fMax?: number;
}

/** A log-mel spectrogram: `data[band * frames + t]` in dB (10 log10 of mel power). */
export interface Spectrogram {
  data: Float32Array;
  melBands: number;
  frames: number;
}

/** Hz -> mel (HTK formula, O'Shaughnessy 1987): 2595 log10(1 + f / 700). */
export function hzToMel(f: number): number {
  return 2595 * Math.log10(1 + f / 700);
}

/** mel -> Hz, the inverse of {@link hzToMel}. */
export function melToHz(m: number): number {
  return 700 * (10 ** (m / 2595) - 1);
}

/**
 * Triangular mel filters: `melBands + 2` points equally spaced in mel between `fMin` and `fMax`;
 * filter m rises linearly from point m to m+1 and falls to m+2 (peak 1), evaluated at the
 * centre frequency of each FFT bin `k * sampleRate / fftSize`, k = 0..fftSize/2.
 * @returns `[melBands][fftSize / 2 + 1]` weights, row-major.
 */
export function melFilterbank(sampleRate: number, fftSize: number, melBands: number, fMin = 0, fMax = sampleRate / 2): Float32Array {
  if (!(fMin >= 0 && fMax > fMin && fMax <= sampleRate / 2)) throw new RangeError(`melFilterbank: need 0 <= fMin < fMax <= sampleRate/2, got fMin ${fMin}, fMax ${fMax}, sampleRate ${sampleRate}`);
  const nBins = fftSize / 2 + 1;
  const lo = hzToMel(fMin);
  const hi = hzToMel(fMax);
  const pts = Array.from({ length: melBands + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (melBands + 1)));
  const w = new Float32Array(melBands * nBins);
  for (let m = 0; m < melBands; m++) {
    const [a, b, c] = [pts[m], pts[m + 1], pts[m + 2]];
    for (let k = 0; k < nBins; k++) {
      const f = (k * sampleRate) / fftSize;
      const v = f <= a || f >= c ? 0 : f <= b ? (f - a) / (b - a) : (c - f) / (c - b);
      w[m * nBins + k] = v;
    }
  }
  return w;
}

const fftCache = new Map<number, { fft: FFT; window: Float32Array; out: number[]; input: number[] }>();

/** fft.js instance, periodic Hann window and buffers for one FFT size (reused: creating them costs more than a transform). */
function fftFor(n: number) {
  let e = fftCache.get(n);
  if (!e) {
    const fft = new FFT(n);
    const window = Float32Array.from({ length: n }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
    e = { fft, window, out: fft.createComplexArray() as number[], input: new Array<number>(n).fill(0) };
    fftCache.set(n, e);
  }
  return e;
}

/**
 * Power spectrum of each frame: Hann-windowed frames of `fftSize` samples every `hop`
 * samples (no padding: `1 + floor((n - fftSize) / hop)` frames, at least one; a clip shorter
 * than `fftSize` is zero-padded), real FFT with the npm package `fft.js`, `|X_k|^2` for
 * k = 0..fftSize/2.
 * @returns `[frames][fftSize / 2 + 1]` row-major, and the frame count
 */
export function powerSpectrogram(samples: Float32Array, fftSize: number, hop: number): { data: Float32Array; frames: number } {
  if (!(Number.isInteger(fftSize) && fftSize >= 4 && (fftSize & (fftSize - 1)) === 0)) throw new RangeError(`powerSpectrogram: fftSize must be a power of 2 >= 4, got ${fftSize}`);
  if (!(Number.isInteger(hop) && hop >= 1)) throw new RangeError(`powerSpectrogram: hop must be a positive integer, got ${hop}`);
  const { fft, window, out, input } = fftFor(fftSize);
  const nBins = fftSize / 2 + 1;
  const frames = Math.max(1, 1 + Math.floor((samples.length - fftSize) / hop));
  const data = new Float32Array(frames * nBins);
  for (let t = 0; t < frames; t++) {
    const s0 = t * hop;
    for (let i = 0; i < fftSize; i++) input[i] = s0 + i < samples.length ? samples[s0 + i] * window[i] : 0;
    fft.realTransform(out, input);
    for (let k = 0; k < nBins; k++) data[t * nBins + k] = out[2 * k] * out[2 * k] + out[2 * k + 1] * out[2 * k + 1];
  }
  return { data, frames };
}

/**
 * Log-mel spectrogram (the audio input of Arandjelovic & Zisserman 2017, "Look, Listen and
 * Learn", there 257 frequency bins of a log spectrogram; here mel bands, as is usual for
 * speech): {@link powerSpectrogram}, then {@link melFilterbank}, then `10 log10(power + 1e-10)` dB.
 * @returns `data[band * frames + t]`, band 0 the lowest
 */
export function logMelSpectrogram(samples: Float32Array, sampleRate: number, opts: SpectrogramOptions = {}): Spectrogram {
  const fftSize = opts.fftSize ?? 256;
  const hop = opts.hop ?? fftSize / 2;
  const melBands = opts.melBands ?? 32;
  if (!(Number.isInteger(melBands) && melBands >= 1)) throw new RangeError(`logMelSpectrogram: melBands must be a positive integer, got ${melBands}`);
  const { data: power, frames } = powerSpectrogram(samples, fftSize, hop);
  const fb = melFilterbank(sampleRate, fftSize, melBands, opts.fMin ?? 0, opts.fMax ?? sampleRate / 2);
  const nBins = fftSize / 2 + 1;
  const data = new Float32Array(melBands * frames);
  for (let m = 0; m < melBands; m++) {
    for (let t = 0; t < frames; t++) {
      let s = 0;
      for (let k = 0; k < nBins; k++) s += fb[m * nBins + k] * power[t * nBins + k];
      data[m * frames + t] = 10 * Math.log10(s + 1e-10);
    }
  }
  return { data, melBands, frames };
}

/** Options of {@link spectrogramImages}. */
export interface SpectrogramImageOptions extends SpectrogramOptions {
  /** Frames kept per clip (default 40: 0.64 s at 8 kHz with hop 128): longer clips are cropped about their centre, shorter ones padded with silence on both sides. */
  frames?: number;
  /** Dynamic range in dB mapped to 0..255 below each clip's loudest value (default 80). */
  rangeDb?: number;
}

/**
 * Every clip of `audio` as a log-mel spectrogram image, so that image networks and the lab's
 * image tools (toTensor, embed, kNN, figures) take them unchanged: an ImageSet of
 * `[melBands, frames, 1]` uint8 images (row 0 the highest band, so it displays as usual),
 * labelled like `audio`. Each clip is scaled to its own loudest value: `255 * (1 + (dB - max) / rangeDb)`,
 * clipped to 0..255 (0 = silence or more than `rangeDb` below the peak).
 */
export function spectrogramImages(audio: AudioSet, opts: SpectrogramImageOptions = {}): ImageSet {
  const T = opts.frames ?? 40;
  const range = opts.rangeDb ?? 80;
  const bands = opts.melBands ?? 32;
  if (!(Number.isInteger(T) && T >= 1)) throw new RangeError(`spectrogramImages: frames must be a positive integer, got ${T}`);
  if (!(range > 0)) throw new RangeError(`spectrogramImages: rangeDb must be positive, got ${range}`);
  const images = new Uint8Array(audio.n * bands * T);
  for (let i = 0; i < audio.n; i++) {
    const s = logMelSpectrogram(audio.clips[i], audio.sampleRate, opts);
    let max = -Infinity;
    for (const v of s.data) if (v > max) max = v;
    const offset = Math.floor((s.frames - T) / 2); // > 0: crop; < 0: pad
    const base = i * bands * T;
    for (let m = 0; m < bands; m++) {
      const row = bands - 1 - m;
      for (let t = 0; t < T; t++) {
        const src = t + offset;
        if (src < 0 || src >= s.frames) continue;
        const v = 255 * (1 + (s.data[m * s.frames + src] - max) / range);
        images[base + row * T + t] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return validateImageSet({
    name: `${audio.name}/log-mel`, images, labels: Int32Array.from(audio.labels), classNames: [...audio.classNames],
    n: audio.n, height: bands, width: T, channels: 1,
  });
}
