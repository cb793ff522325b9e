// The browser check: open HTML pages (the results index, each notebook's HTML export) from file://
// in Debian's headless Chromium (playwright-core, no browser download), offline, and report page
// errors and figures that did not draw.
import * as fs from 'fs';
import * as path from 'path';
import { launchChromium } from './lab-core';

/** The Chromium the lab uses (DESIGN.md, "Headless figures"). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** What the browser saw on one page. */
export interface PageCheck {
  file: string;
  /** Uncaught page errors, and local files (scripts, images) that failed to load. */
  errors: string[];
  /** Elements with class `selfsup-figure`: plotly figure divs and the index's PNG images. */
  figuresExpected: number;
  /** Of those, plotly divs holding a drawn plot and images that loaded. */
  figuresDrawn: number;
  /** No errors and every figure drawn. */
  ok: boolean;
}

/** Options of {@link checkPagesInBrowser}. */
export interface CheckOptions {
  chromiumPath?: string;
  /** How long to wait for a page's figures to draw once it has loaded, ms (default 30 000). */
  timeoutMs?: number;
  /** Pages open at once (default 4). */
  concurrency?: number;
}

/** Counts figures on the page: expected (`.selfsup-figure`) and drawn (a plotly SVG inside, or a loaded image). */
function countFigures(): { expected: number; drawn: number } {
  const figs = Array.from(document.querySelectorAll('.selfsup-figure'));
  const drawn = figs.filter((el) => {
    if (el instanceof HTMLImageElement) return el.complete && el.naturalWidth > 0;
    return el.querySelector('.main-svg') !== null;
  }).length;
  return { expected: figs.length, drawn };
}

/**
 * Open each file in headless Chromium (one browser; network requests aborted, so a page that
 * needs the internet shows it) and report, per page, its errors and how many of its figures drew.
 * A page passes when it has no page error, no local resource failed to load, and every
 * `.selfsup-figure` drew within `timeoutMs`. Throws when Chromium is not at `chromiumPath`.
 */
export async function checkPagesInBrowser(files: string[], options: CheckOptions = {}): Promise<PageCheck[]> {
  const chromiumPath = options.chromiumPath ?? CHROMIUM_PATH;
  const timeout = options.timeoutMs ?? 30_000;
  if (!fs.existsSync(chromiumPath)) throw new Error(`checkPagesInBrowser: no Chromium at ${chromiumPath} (Debian: apt-get install chromium)`);
  const { chromium } = await import('playwright-core');
  const browser = await launchChromium(chromium, chromiumPath);
  const checkOne = async (file: string): Promise<PageCheck> => {
    const errors: string[] = [];
    const page = await browser.newPage();
    page.on('pageerror', (err) => errors.push(`page error: ${err.message.split('\n')[0]}`));
    page.on('requestfailed', (req) => {
      // Remote requests are aborted on purpose (offline); a local file that fails is an error.
      if (req.url().startsWith('file:')) errors.push(`failed to load ${decodeURIComponent(req.url())}: ${req.failure()?.errorText ?? ''}`);
    });
    await page.route(/^https?:/, (route) => route.abort());
    let counts = { expected: 0, drawn: 0 };
    try {
      // Loading is not drawing: a page that inlines plotly.js (4.8 MB) may take a while to parse.
      await page.goto(`file://${path.resolve(file)}`, { waitUntil: 'load', timeout: Math.max(timeout, 60_000) });
      try {
        await page.waitForFunction(
          () => {
            const figs = Array.from(document.querySelectorAll('.selfsup-figure'));
            return figs.every((el) => (el instanceof HTMLImageElement ? el.complete && el.naturalWidth > 0 : el.querySelector('.main-svg') !== null));
          },
          undefined,
          { timeout, polling: 100 },
        );
      } catch {
        // Reported below as figures not drawn.
      }
      counts = await page.evaluate(countFigures);
    } catch (err) {
      errors.push(`could not open: ${(err as Error).message.split('\n')[0]}`);
    } finally {
      await page.close();
    }
    return { file, errors, figuresExpected: counts.expected, figuresDrawn: counts.drawn, ok: errors.length === 0 && counts.drawn === counts.expected };
  };
  const checks: PageCheck[] = new Array(files.length);
  try {
    // A few pages at once: a broken page waits out `timeoutMs`, the others need not wait for it.
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const i = next++;
        checks[i] = await checkOne(files[i]);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, files.length)) }, worker));
  } finally {
    await browser.close();
  }
  return checks;
}

/** One line per page: `ok`/`FAILED`, the file, figures drawn of expected, the errors. */
export function describeCheck(c: PageCheck): string {
  return `${c.ok ? 'ok    ' : 'FAILED'} ${c.file}: ${c.figuresDrawn} of ${c.figuresExpected} figure(s) drawn${c.errors.length ? `; ${c.errors.join('; ')}` : ''}`;
}
