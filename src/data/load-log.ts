import type { ImageSet } from './image-set';

/**
 * Print the one line a dataset load writes to stderr (unless `quiet`), e.g.
 * `selfsup: cifar10/train 50000x32x32x3 from cache (0.21 s)`.
 *
 * @param from where the data came from: "cache", a path, or a URL.
 * @param startMs `performance.now()` when the load began.
 */
export function logLoad(sets: ImageSet[], from: string, startMs: number, quiet?: boolean): void {
  if (quiet) return;
  const what = sets.map((s) => `${s.name} ${s.n}x${s.height}x${s.width}x${s.channels}`).join(' + ');
  const secs = ((performance.now() - startMs) / 1000).toFixed(2);
  process.stderr.write(`selfsup: ${what} from ${from} (${secs} s)\n`);
}
