import { encodeWav } from '../data/wav';
import { displayBundle } from './display';
import { pngDataUrl } from './figures';

/** A sound to show: mono samples in [-1, 1], its rate, and a caption. */
export interface SoundItem {
  samples: Float32Array;
  sampleRate: number;
  caption?: string;
}

/** A small image to show: `h * w * c` bytes (c = 1, 3 or 4). */
export interface ImageItem {
  pixels: Uint8Array;
  h: number;
  w: number;
  c: number;
  caption?: string;
}

/** A 16-bit PCM WAV of `samples` as a `data:audio/wav;base64,...` URL. */
export function wavDataUrl(samples: Float32Array, sampleRate: number): string {
  return `data:audio/wav;base64,${Buffer.from(encodeWav(samples, sampleRate)).toString('base64')}`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An inline, playable `<audio controls>` element (the WAV embedded as a data URL, as IPython's
 * `Audio` does), with its caption underneath: it plays in Jupyter and in the exported HTML,
 * with no file beside the notebook.
 */
export function audioHtml(sound: SoundItem): string {
  const cap = sound.caption ? `<figcaption style="font-size:12px;text-align:center">${escapeHtml(sound.caption)}</figcaption>` : '';
  return `<figure style="display:inline-block;margin:2px 6px"><audio controls preload="none" style="width:170px;height:32px"><source src="${wavDataUrl(sound.samples, sound.sampleRate)}" type="audio/wav">(your browser cannot play audio)</audio>${cap}</figure>`;
}

/** An `<img>` of a small image, upscaled `scale` times (nearest neighbour), with its caption underneath. */
export function imageHtml(img: ImageItem, scale = 2): string {
  const cap = img.caption ? `<figcaption style="font-size:12px;text-align:center">${escapeHtml(img.caption)}</figcaption>` : '';
  return `<figure style="display:inline-block;margin:2px 6px"><img src="${pngDataUrl(img.pixels, img.h, img.w, img.c, scale)}" style="image-rendering:pixelated">${cap}</figure>`;
}

/** One row of {@link showMediaRows}: a query (an image or a sound) and what it retrieved. */
export interface MediaRow {
  query: ImageItem | SoundItem;
  results: Array<ImageItem | SoundItem>;
}

function itemHtml(item: ImageItem | SoundItem): string {
  return 'samples' in item ? audioHtml(item) : imageHtml(item);
}

/** Options of {@link mediaRowsHtml} and {@link showMediaRows}. */
export interface MediaRowsOptions {
  title?: string;
  /** Column headings (default "query" and "retrieved, best first"). */
  queryHeading?: string;
  resultsHeading?: string;
}

/**
 * Rows of images and playable sounds as an HTML table (query | results), e.g. cross-modal
 * retrieval: a sound and the images it retrieves, or an image and the sounds it retrieves.
 */
export function mediaRowsHtml(rows: MediaRow[], options: MediaRowsOptions = {}): string {
  const head = `<tr><th style="text-align:center">${escapeHtml(options.queryHeading ?? 'query')}</th><th style="text-align:left">${escapeHtml(options.resultsHeading ?? 'retrieved, best first')}</th></tr>`;
  const body = rows.map((r) => `<tr><td style="vertical-align:middle;border-right:1px solid #ccc">${itemHtml(r.query)}</td><td style="text-align:left">${r.results.map(itemHtml).join('')}</td></tr>`).join('\n');
  return `${options.title ? `<h4 style="margin:0.4em 0">${escapeHtml(options.title)}</h4>` : ''}<table class="selfsup-media">${head}\n${body}</table>`;
}

/**
 * Show {@link mediaRowsHtml}: in tslab one `text/html` output (sounds play inline, in the
 * notebook and in its HTML export) with the captions as the `text/plain` fallback; elsewhere the
 * captions on stdout. Returns nothing, so a cell ending with it prints nothing more.
 */
export function showMediaRows(rows: MediaRow[], options: MediaRowsOptions = {}): void {
  const text = [options.title ?? '', ...rows.map((r) => `${r.query.caption ?? 'query'} -> ${r.results.map((x) => x.caption ?? '?').join(', ')}`)].filter(Boolean).join('\n');
  displayBundle({ 'text/html': mediaRowsHtml(rows, options), 'text/plain': text });
}
