import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Options every dataset loader and `resolveFile` take. */
export interface DataOptions {
  /**
   * A local mirror folder holding dataset files under their mirror paths (e.g.
   * `cifar10/cifar10-jpeg.tar`). Default: env `SELFSUP_MIRROR`; else `<project root>/../shared/data`
   * if that folder exists. `false` turns mirrors off.
   */
  mirror?: string | false;
  /** Where downloads and decoded sets are kept. Default: env `SELFSUP_CACHE`, else `<project root>/data/cache`. */
  cacheDir?: string;
  /** Print nothing on stderr (no load line, no download progress). */
  quiet?: boolean;
  /** Never download; a file found nowhere locally gives a `DataError`. Default: env `SELFSUP_OFFLINE=1`. */
  offline?: boolean;
  /** Use the decoded-set cache (default true). With `false` every load decodes from source and writes nothing. */
  cache?: boolean;
}

/** The project root: two levels above `src/data`. */
export function projectRoot(): string {
  return resolve(__dirname, '..', '..');
}

/** The cache folder for these options: `opts.cacheDir`, env `SELFSUP_CACHE`, or `<project root>/data/cache`. */
export function cacheDirOf(opts: DataOptions = {}): string {
  return resolve(opts.cacheDir ?? (process.env.SELFSUP_CACHE || join(projectRoot(), 'data', 'cache')));
}

/**
 * The mirror folder for these options, and whether the user named it (`explicit`: an option or
 * env `SELFSUP_MIRROR`) or it is the project's default neighbour `../shared/data`. Undefined
 * when there is none.
 */
export function mirrorOf(opts: DataOptions = {}): { dir: string; explicit: boolean } | undefined {
  if (opts.mirror === false) return undefined;
  if (opts.mirror) return { dir: resolve(opts.mirror), explicit: true };
  if (process.env.SELFSUP_MIRROR) return { dir: resolve(process.env.SELFSUP_MIRROR), explicit: true };
  const neighbour = resolve(projectRoot(), '..', 'shared', 'data');
  return existsSync(neighbour) ? { dir: neighbour, explicit: false } : undefined;
}

/** True when downloads are off: `opts.offline`, else env `SELFSUP_OFFLINE` set to 1/true. */
export function isOffline(opts: DataOptions = {}): boolean {
  return opts.offline ?? /^(1|true|yes)$/i.test(process.env.SELFSUP_OFFLINE ?? '');
}
