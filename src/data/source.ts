import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDirOf, isOffline, mirrorOf, type DataOptions } from './data-options';
import { downloadFile } from './download';
import { DataError } from './errors';
import { fileDigests, type FileDigests } from './file-hash';

/**
 * One file of a dataset: where it lives officially, where a mirror keeps it, and the checksums
 * a good copy has. A copy is good if its sha256 is in `sha256` or its md5 is in `md5`; with
 * neither given, the mirror's own `SHA256SUMS` (if it lists the file) decides.
 */
export interface FileSpec {
  /** Human-readable name for messages, e.g. "CIFAR-10 (official binary)". */
  name: string;
  /** Path relative to a mirror folder (and to `<cacheDir>/downloads`), e.g. `cifar10/cifar-10-binary.tar.gz`. */
  path: string;
  /** The official download URL; without one the file can only come from a mirror. */
  url?: string;
  /** Accepted sha256 sums (hex). */
  sha256?: string[];
  /** Accepted md5 sums (hex), for files whose publisher gives only an md5. */
  md5?: string[];
  /** Absolute places a system package may have installed the file (checked after the mirror). */
  systemPaths?: string[];
}

/** Where {@link resolveFile} found a file. */
export type FileOrigin = 'mirror' | 'system' | 'cache' | 'download';

/** A local, checksum-verified copy of a {@link FileSpec}. */
export interface ResolvedFile {
  path: string;
  origin: FileOrigin;
  sha256: string;
}

/**
 * Find a verified local copy of `spec` without downloading: in the mirror, then the spec's
 * system paths, then `<cacheDir>/downloads`. Returns undefined if there is none. A copy that
 * exists but fails its checksum gives a `DataError` naming it (it is never silently skipped).
 * An explicitly named mirror folder that does not exist is also a `DataError`.
 */
export function findLocalFile(spec: FileSpec, opts: DataOptions = {}): ResolvedFile | undefined {
  const cacheDir = cacheDirOf(opts);
  const mirror = mirrorOf(opts);
  if (mirror?.explicit && !isDir(mirror.dir)) {
    throw new DataError(mirror.dir, 'does not exist or is not a folder (it was given as the data mirror, SELFSUP_MIRROR or the mirror option)', 'Point SELFSUP_MIRROR at a folder holding the dataset files, or unset it to download them.');
  }
  const places: { path: string; origin: FileOrigin; sums?: Map<string, string> }[] = [];
  if (mirror) places.push({ path: join(mirror.dir, spec.path), origin: 'mirror', sums: readSha256Sums(mirror.dir) });
  for (const p of spec.systemPaths ?? []) places.push({ path: p, origin: 'system' });
  places.push({ path: join(cacheDir, 'downloads', spec.path), origin: 'cache' });
  for (const place of places) {
    if (!isFile(place.path)) continue;
    const d = fileDigests(place.path, cacheDir);
    checkDigests(spec, place.path, d, place.origin, place.sums?.get(spec.path));
    return { path: place.path, origin: place.origin, sha256: d.sha256 };
  }
  return undefined;
}

/**
 * A verified local path for `spec`: from the mirror (`SELFSUP_MIRROR` or `opts.mirror`), a
 * system path, the download cache (`<cacheDir>/downloads/<spec.path>`), or else downloaded from
 * `spec.url` with Node's fetch into the download cache (progress on stderr unless quiet) and
 * checked. A checksum mismatch, a file found nowhere while offline or without a URL, and a
 * failed download all give a `DataError` naming the file and what to do.
 */
export async function resolveFile(spec: FileSpec, opts: DataOptions = {}): Promise<ResolvedFile> {
  const local = findLocalFile(spec, opts);
  if (local) return local;
  const cacheDir = cacheDirOf(opts);
  const mirror = mirrorOf(opts);
  const looked = [
    mirror ? join(mirror.dir, spec.path) : undefined,
    ...(spec.systemPaths ?? []),
    join(cacheDir, 'downloads', spec.path),
  ].filter(Boolean).join(', ');
  const placeHint = `Put a copy at ${mirror ? join(mirror.dir, spec.path) : `<mirror>/${spec.path} and set SELFSUP_MIRROR=<mirror>`}`;
  if (!spec.url) {
    throw new DataError(spec.path, `(${spec.name}) was not found (looked in ${looked}) and has no download URL`, `${placeHint}, and run again.`);
  }
  if (isOffline(opts)) {
    throw new DataError(spec.path, `(${spec.name}) was not found (looked in ${looked}) and downloads are off (offline)`, `${placeHint}, or allow downloads (unset SELFSUP_OFFLINE) to fetch ${spec.url}.`);
  }
  const dest = join(cacheDir, 'downloads', spec.path);
  const d = await downloadFile(spec.url, dest, { quiet: opts.quiet, cacheDir, label: spec.name, hint: `${placeHint} (download ${spec.url} by hand), and run again.`, accept: (dg) => checkDigests(spec, spec.url!, dg, 'download') });
  return { path: dest, origin: 'download', sha256: d.sha256 };
}

/**
 * Parse a mirror's `SHA256SUMS` (`<hex>  <path>` per line) into path -> sha256; empty if the
 * mirror has none.
 */
export function readSha256Sums(mirrorDir: string): Map<string, string> {
  const out = new Map<string, string>();
  let text: string;
  try { text = readFileSync(join(mirrorDir, 'SHA256SUMS'), 'utf8'); } catch { return out; }
  for (const line of text.split('\n')) {
    const m = /^([0-9a-fA-F]{64})\s+\*?(.+?)\s*$/.exec(line);
    if (m) out.set(m[2].replace(/^\.\//, ''), m[1].toLowerCase());
  }
  return out;
}

/**
 * Throw a `DataError` unless digests `d` of the copy at `where` match `spec` (or, when the spec
 * knows no sums, the mirror's SHA256SUMS entry `listed`).
 */
export function checkDigests(spec: FileSpec, where: string, d: FileDigests, origin: FileOrigin, listed?: string): void {
  const sha = (spec.sha256 ?? []).map((s) => s.toLowerCase());
  const md5 = (spec.md5 ?? []).map((s) => s.toLowerCase());
  const known = sha.length + md5.length > 0;
  const ok = known ? sha.includes(d.sha256) || md5.includes(d.md5) : listed === undefined || listed === d.sha256;
  if (ok) return;
  const expected = known
    ? [...sha.map((s) => `sha256 ${s}`), ...md5.map((s) => `md5 ${s}`)].join(' or ')
    : `sha256 ${listed} (from the mirror's SHA256SUMS)`;
  const hint = origin === 'mirror'
    ? `The mirror copy is damaged or a different version: replace it with a good copy${spec.url ? ` (official: ${spec.url})` : ''}, or unset SELFSUP_MIRROR${spec.url ? ' to download it' : ''}.`
    : origin === 'download'
      ? `The download was damaged or the file changed upstream. Run again to retry, or download it by hand into a mirror folder (${spec.path}) and set SELFSUP_MIRROR.`
      : 'Delete it and run again, or set SELFSUP_MIRROR to a folder holding a good copy.';
  throw new DataError(where, `does not match its checksum (sha256 ${d.sha256}, md5 ${d.md5}; expected ${expected})`, hint);
}

function isFile(p: string): boolean {
  try { return statSync(p).isFile(); } catch { return false; }
}

function isDir(p: string): boolean {
  return existsSync(p) && statSync(p).isDirectory();
}
