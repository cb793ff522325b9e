import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DataError } from './errors';
import { validateImageSet, type ImageSet } from './image-set';

const MAGIC = 'SSIMGv01';
const HINT_CACHE = 'It will be rebuilt: delete it, or run again (loaders rebuild a damaged cache file by themselves).';

/**
 * The file a decoded set is cached in: `<cacheDir>/decoded/<name>-<hash>.bin`, where the hash
 * covers `name` and `key` (the source's checksum or size+mtime, and the decode options), so
 * any change of source or options gives another file.
 */
export function decodedCachePath(cacheDir: string, name: string, key: unknown): string {
  const slug = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'set';
  return join(cacheDir, 'decoded', `${slug}-${cacheKeyHash(name, key)}.bin`);
}

/** A short stable hash of a name and a JSON-able key (object keys sorted). */
export function cacheKeyHash(name: string, key: unknown): string {
  return createHash('sha256').update(stableJson({ name, key })).digest('hex').slice(0, 20);
}

/**
 * Write an ImageSet to `path` as one raw file: the 8-byte magic `SSIMGv01`, a uint32 LE header
 * length, a JSON header (name, shape, class names, key hash, content checksums), padding to 8
 * bytes, the NHWC image bytes, then the labels as int32 LE. Written to a temporary file and
 * renamed, so a reader never sees a half-written file.
 *
 * @param keyHash stored in the header and checked on read (see {@link readImageSetFile}).
 */
export function writeImageSetFile(path: string, set: ImageSet, keyHash = ''): void {
  validateImageSet(set);
  const labels = Buffer.alloc(set.n * 4);
  for (let i = 0; i < set.n; i++) labels.writeInt32LE(set.labels[i], 4 * i);
  const header = {
    name: set.name, n: set.n, height: set.height, width: set.width, channels: set.channels,
    classNames: set.classNames, key: keyHash,
    imagesBytes: set.images.length, imagesHash: fastHash(set.images), labelsHash: fastHash(labels),
  };
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const pad = (8 - ((12 + json.length) % 8)) % 8;
  json = Buffer.concat([json, Buffer.alloc(pad, 0x20)]);
  const head = Buffer.alloc(12);
  head.write(MAGIC, 0, 'latin1');
  head.writeUInt32LE(json.length, 8);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    for (const part of [head, json, set.images, labels]) {
      let off = 0;
      while (off < part.length) off += writeSync(fd, part, off, part.length - off);
    }
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

/**
 * Read an ImageSet written by {@link writeImageSetFile}. Checks the magic, the header, the
 * file's exact length, the key hash (when given), the content checksums and the labels' range;
 * any failure gives a `DataError` naming the file: a damaged cache file is never trusted.
 * `images` is a view into the file's buffer (no second copy).
 */
export function readImageSetFile(path: string, keyHash?: string): ImageSet {
  let buf: Buffer;
  try { buf = readFileSync(path); } catch (e) { throw new DataError(path, 'cannot be read', HINT_CACHE, { cause: e }); }
  const bad = (why: string) => new DataError(path, `is not a valid decoded-set cache file (${why})`, HINT_CACHE);
  if (buf.length < 12 || buf.toString('latin1', 0, 8) !== MAGIC) throw bad('wrong magic number');
  const hlen = buf.readUInt32LE(8);
  if (12 + hlen > buf.length) throw bad(`truncated: header of ${hlen} bytes, file has ${buf.length}`);
  let h: { name: string; n: number; height: number; width: number; channels: number; classNames: string[]; key: string; imagesBytes: number; imagesHash: number; labelsHash: number };
  try { h = JSON.parse(buf.toString('utf8', 12, 12 + hlen)); } catch { throw bad('unreadable header'); }
  if (!h || typeof h !== 'object' || !Array.isArray(h.classNames) || ![h.n, h.height, h.width, h.channels, h.imagesBytes].every((v) => Number.isInteger(v) && v >= 0)) throw bad('incomplete header');
  if (keyHash !== undefined && h.key !== keyHash) throw bad(`its key ${h.key} is not the expected ${keyHash}`);
  if (h.imagesBytes !== h.n * h.height * h.width * h.channels) throw bad('header sizes disagree');
  const start = 12 + hlen;
  const expected = start + h.imagesBytes + 4 * h.n;
  if (buf.length !== expected) throw bad(`${buf.length < expected ? 'truncated' : 'too long'}: ${buf.length} bytes, expected ${expected}`);
  const images = new Uint8Array(buf.buffer, buf.byteOffset + start, h.imagesBytes);
  const labelBytes = buf.subarray(start + h.imagesBytes);
  if (fastHash(images) !== h.imagesHash || fastHash(labelBytes) !== h.labelsHash) throw bad('content checksum mismatch');
  const labels = new Int32Array(h.n);
  for (let i = 0; i < h.n; i++) labels[i] = labelBytes.readInt32LE(4 * i);
  const set = { name: h.name, images, labels, classNames: h.classNames, n: h.n, height: h.height, width: h.width, channels: h.channels };
  try { return validateImageSet(set); } catch (e) { throw bad((e as Error).message); }
}

/** Options for {@link cachedImageSet}. */
export interface CachedImageSetOptions {
  /** Print nothing (no warning when a damaged cache file is rebuilt). */
  quiet?: boolean;
  /** Skip the cache entirely (always build, write nothing). */
  disabled?: boolean;
}

/**
 * The decoded set for (`name`, `key`): read from `<cacheDir>/decoded/` when a valid file is
 * there, else built by `build()` and written for next time. A damaged cache file is reported
 * on stderr, deleted and rebuilt; a cache folder that cannot be written only costs speed.
 *
 * @returns the set and whether it came from the cache.
 */
export async function cachedImageSet(
  cacheDir: string, name: string, key: unknown, build: () => ImageSet | Promise<ImageSet>, opts: CachedImageSetOptions = {},
): Promise<{ set: ImageSet; fromCache: boolean; path: string }> {
  const path = decodedCachePath(cacheDir, name, key);
  if (opts.disabled) return { set: await build(), fromCache: false, path };
  const keyHash = cacheKeyHash(name, key);
  if (existsSync(path)) {
    try {
      return { set: readImageSetFile(path, keyHash), fromCache: true, path };
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      if (!opts.quiet) process.stderr.write(`selfsup: ${e.file} ${e.problem}; rebuilding it\n`);
      rmSync(path, { force: true });
    }
  }
  const set = await build();
  try {
    writeImageSetFile(path, set, keyHash);
  } catch (e) {
    if (!opts.quiet) process.stderr.write(`selfsup: could not write the cache file ${path} (${(e as Error).message}); set SELFSUP_CACHE to a writable folder to load faster next time\n`);
  }
  return { set, fromCache: false, path };
}

/**
 * A short digest of a set's content (pixels, labels, shape): two sets with the same name and
 * size but other images get different digests. For checkpoint and cache keys (fast, not
 * cryptographic: about 0.1 s for all of CIFAR-10's training images).
 */
export function imageSetDigest(set: ImageSet): string {
  const labels = new Uint8Array(set.labels.buffer, set.labels.byteOffset, set.labels.byteLength);
  const shape = `${set.n}x${set.height}x${set.width}x${set.channels}`;
  return [fastHash(set.images), fastHash(labels), shape].map((v) => (typeof v === 'number' ? v.toString(16).padStart(8, '0') : v)).join('-');
}

/** A 32-bit checksum of bytes (FNV-1a over 32-bit words, plus tail bytes): fast, not cryptographic. */
export function fastHash(bytes: Uint8Array): number {
  const nw = bytes.length >>> 2;
  let words: Uint32Array;
  if (bytes.byteOffset % 4 === 0) words = new Uint32Array(bytes.buffer, bytes.byteOffset, nw);
  else words = new Uint32Array(Uint8Array.prototype.slice.call(bytes, 0, nw * 4).buffer); // a copy (Buffer#slice would be a view)
  let a = 0x811c9dc5 | 0;
  for (let i = 0; i < nw; i++) a = Math.imul(a ^ words[i], 0x01000193);
  for (let i = nw * 4; i < bytes.length; i++) a = Math.imul(a ^ bytes[i], 0x01000193);
  return (a ^ bytes.length) >>> 0;
}

function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
