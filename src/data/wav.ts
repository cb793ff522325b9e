import { WaveFile } from 'wavefile';
import { DataError, HINT_REPLACE_FILE } from './errors';

/** A decoded mono recording. */
export interface AudioClip {
  /** Samples in [-1, 1], mono (channels averaged). */
  samples: Float32Array;
  /** Samples per second, e.g. 8000 for the Free Spoken Digit Dataset. */
  sampleRate: number;
}

interface WavFmt {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
}

/**
 * Decode a WAV file's bytes (RIFF/RIFX/RF64; PCM 8/16/24/32-bit or IEEE float, any number of
 * channels) with the npm package `wavefile`, mixing channels down to mono and scaling to [-1, 1].
 *
 * Anything `wavefile` cannot parse, a file with no samples, a zero sample rate, or a compressed
 * format (A-law, mu-law, ADPCM) gives a `DataError` naming `file`.
 *
 * @param bytes the file's bytes.
 * @param file its path (or `archive.tar:member`), reported in errors.
 */
export function decodeWav(bytes: Uint8Array, file = '<wav buffer>', hint: string = HINT_REPLACE_FILE): AudioClip {
  const wav = new WaveFile();
  try {
    wav.fromBuffer(bytes);
  } catch (e) {
    throw new DataError(file, `is not a readable WAV file (${(e as Error).message})`, hint, { cause: e });
  }
  const fmt = wav.fmt as WavFmt;
  if (fmt.audioFormat !== 1 && fmt.audioFormat !== 3 && fmt.audioFormat !== 65534) {
    throw new DataError(file, `is a WAV file in format ${fmt.audioFormat} (only PCM and IEEE float are read)`, hint);
  }
  if (!(fmt.sampleRate > 0) || !(fmt.numChannels > 0)) {
    throw new DataError(file, `has an invalid WAV header (sample rate ${fmt.sampleRate}, ${fmt.numChannels} channels)`, hint);
  }
  let raw: Float64Array | Float64Array[];
  try {
    raw = wav.getSamples(false, Float64Array) as unknown as Float64Array | Float64Array[];
  } catch (e) {
    throw new DataError(file, `has unreadable WAV samples (${(e as Error).message})`, hint, { cause: e });
  }
  const channels = fmt.numChannels > 1 ? (raw as Float64Array[]) : [raw as Float64Array];
  const n = channels[0].length;
  if (n === 0) throw new DataError(file, 'is a WAV file with no samples', hint);
  // Integer PCM: 8-bit is unsigned (offset 128), wider is signed; float is already in [-1, 1].
  const bits = fmt.bitsPerSample;
  const isFloat = fmt.audioFormat === 3 || wav.bitDepth === '32f' || wav.bitDepth === '64';
  const offset = !isFloat && bits === 8 ? 128 : 0;
  const scale = isFloat ? 1 : bits === 8 ? 128 : 2 ** (bits - 1);
  const samples = new Float32Array(n);
  for (const ch of channels) for (let i = 0; i < n; i++) samples[i] += (ch[i] - offset) / scale;
  if (channels.length > 1) for (let i = 0; i < n; i++) samples[i] /= channels.length;
  return { samples, sampleRate: fmt.sampleRate };
}

/**
 * Encode mono samples in [-1, 1] as a 16-bit PCM WAV file (with `wavefile`): e.g. for an
 * inline `<audio>` element in a notebook. Values outside [-1, 1] are clipped.
 */
export function encodeWav(samples: Float32Array, sampleRate: number): Uint8Array {
  if (!(Number.isInteger(sampleRate) && sampleRate > 0)) throw new RangeError(`encodeWav: sampleRate must be a positive integer, got ${sampleRate}`);
  const pcm = new Int16Array(samples.length);
  for (let i = 0; i < samples.length; i++) pcm[i] = Math.round(Math.max(-1, Math.min(1, samples[i])) * 32767);
  const wav = new WaveFile();
  wav.fromScratch(1, sampleRate, '16', pcm);
  return wav.toBuffer();
}
