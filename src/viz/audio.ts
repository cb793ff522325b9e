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

/**
 * Show rows of images and playable sounds as an HTML table (query | results), e.g. cross-modal
 * retrieval: a sound and the images it retrieves, or an image and the sounds it retrieves.
 * In tslab: one `text/html` output (the `text/plain` fallback lists the captions); elsewhere the
 * captions on stdout. Returns the HTML.
 */
export function showMediaRows(rows: MediaRow[], options: { title?: string; queryHeading?: string; resultsHeading?: string } = {}): string {
  const head = `<tr><th style="text-align:center">${escapeHtml(options.queryHeading ?? 'query')}</th><th style="text-align:left">${escapeHtml(options.resultsHeading ?? 'retrieved, best first')}</th></tr>`;
  const body = rows.map((r) => `<tr><td style="vertical-align:middle;border-right:1px solid #ccc">${itemHtml(r.query)}</td><td style="text-align:left">${r.results.map(itemHtml).join('')}</td></tr>`).join('\n');
  const html = `${options.title ? `<h4 style="margin:0.4em 0">${escapeHtml(options.title)}</h4>` : ''}<table class="selfsup-media">${head}\n${body}</table>`;
  const text = [options.title ?? '', ...rows.map((r) => `${r.query.caption ?? 'query'} -> ${r.results.map((x) => x.caption ?? '?').join(', ')}`)].filter(Boolean).join('\n');
  displayBundle({ 'text/html': html, 'text/plain': text });
  return html;
}
