import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { fastHash } from '../data/cache';

/** What a checkpoint holds besides tensors. */
export interface CheckpointMeta {
  /** Fingerprint of the configuration that produced it; a different one is never loaded. */
  fingerprint: string;
  /** Last completed epoch (1-based). */
  epoch: number;
  /** History rows so far. */
  history: Record<string, number>[];
  [key: string]: unknown;
}

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

const MAGIC = 'SELFSUP-CKPT-1\n';

/**
 * Write named tensors and metadata to `file` atomically (temporary file, fsync, then rename), so
 * a process killed mid-write never leaves a half-written checkpoint under the real name (a
 * stray `<file>.tmp-<pid>` may remain; it is never read). Format: magic line, a JSON header
 * line (meta, tensor entries, byte count, and a checksum of header and tensor bytes), then the
 * raw little-endian tensor bytes.
 */
export function saveCheckpoint(file: string, tensors: { name: string; tensor: tf.Tensor }[], meta: CheckpointMeta): void {
  const entries: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const { name, tensor } of tensors) {
    const data = tensor.dataSync();
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const arr = dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data);
    const buf = Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength);
    entries.push({ name, shape: tensor.shape, dtype, offset, length: buf.length });
    chunks.push(buf);
    offset += buf.length;
  }
  const body = Buffer.concat(chunks);
  const core = JSON.stringify({ meta, entries, bytes: offset });
  const header = JSON.stringify({ meta, entries, bytes: offset, hash: checksum(core, body) });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    try {
      fs.writeSync(fd, MAGIC + header + '\n');
      for (let at = 0; at < body.length; ) at += fs.writeSync(fd, body, at, body.length - at);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true }); // e.g. disk full: leave no partial file behind
    throw e;
  }
}

/** Checksum of a checkpoint's header JSON (without the checksum) and its tensor bytes. */
function checksum(core: string, body: Uint8Array): number {
  return (Math.imul(fastHash(Buffer.from(core, 'utf8')), 0x01000193) ^ fastHash(body)) >>> 0;
}

/**
 * Read a checkpoint written by {@link saveCheckpoint}. Returns null when the file is absent.
 * Throws an Error naming the file when it is truncated, damaged (checksum, entry sizes) or not
 * a checkpoint: a damaged checkpoint is never loaded.
 * The caller owns (and must dispose) the returned tensors.
 */
export function loadCheckpoint(file: string): { meta: CheckpointMeta; tensors: Map<string, tf.Tensor> } | null {
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  const bad = (why: string) => new Error(`checkpoint ${file} is unusable (${why}); delete it to start this run from scratch`);
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw bad('not a selfsup checkpoint');
  const nl = buf.indexOf(10, MAGIC.length);
  if (nl < 0) throw bad('header is truncated');
  let header: { meta: CheckpointMeta; entries: TensorEntry[]; bytes: number; hash?: number };
  try {
    header = JSON.parse(buf.subarray(MAGIC.length, nl).toString());
  } catch {
    throw bad('header is not valid JSON');
  }
  if (!header || typeof header !== 'object' || !Array.isArray(header.entries) || !header.meta || typeof header.meta !== 'object' || !Number.isInteger(header.bytes)) {
    throw bad('header is incomplete');
  }
  const body = buf.subarray(nl + 1);
  if (body.length !== header.bytes) throw bad(`expected ${header.bytes} bytes of tensors, found ${body.length}`);
  if (header.hash !== undefined) {
    // (checkpoints written before the checksum existed have none and are still read)
    const core = JSON.stringify({ meta: header.meta, entries: header.entries, bytes: header.bytes });
    if (checksum(core, body) !== header.hash) throw bad('checksum mismatch: the file is damaged');
  }
  const entriesOk = header.entries.every((e) =>
    e && typeof e.name === 'string' && (e.dtype === 'float32' || e.dtype === 'int32') && Array.isArray(e.shape)
    && e.shape.every((d) => Number.isInteger(d) && d >= 0) && Number.isInteger(e.offset) && e.offset >= 0
    && e.length === 4 * e.shape.reduce((a, d) => a * d, 1) && e.offset + e.length <= body.length);
  if (!entriesOk) throw bad('a tensor entry does not fit its bytes');
  const tensors = new Map<string, tf.Tensor>();
  for (const e of header.entries) {
    const slice = body.subarray(e.offset, e.offset + e.length);
    const copy = new Uint8Array(slice); // aligned copy
    const arr = e.dtype === 'int32' ? new Int32Array(copy.buffer) : new Float32Array(copy.buffer);
    tensors.set(e.name, tf.tensor(arr, e.shape, e.dtype));
  }
  return { meta: header.meta, tensors };
}

/** A stable short hash of a JSON-able value (FNV-1a over its canonical JSON), for cache and checkpoint keys. */
export function fingerprint(value: unknown): string {
  const canon = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canon)
      : v && typeof v === 'object'
        ? Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, canon((v as Record<string, unknown>)[k])]))
        : v;
  const s = JSON.stringify(canon(value));
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    h1 = Math.imul(h1 ^ s.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ s.charCodeAt(i), 2246822519) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}
