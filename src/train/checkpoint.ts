import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

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
 * Write named tensors and metadata to `file` atomically (temporary file, then rename), so a
 * process killed mid-write never leaves a half-written checkpoint under the real name.
 * Format: magic line, a JSON header line, then the raw little-endian tensor bytes.
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
  const header = JSON.stringify({ meta, entries, bytes: offset });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = fs.openSync(tmp, 'w');
  try {
    fs.writeSync(fd, MAGIC + header + '\n');
    for (const c of chunks) fs.writeSync(fd, c);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

/**
 * Read a checkpoint written by {@link saveCheckpoint}. Returns null when the file is absent.
 * Throws an Error naming the file when it is truncated or not a checkpoint.
 * The caller owns (and must dispose) the returned tensors.
 */
export function loadCheckpoint(file: string): { meta: CheckpointMeta; tensors: Map<string, tf.Tensor> } | null {
  if (!fs.existsSync(file)) return null;
  const buf = fs.readFileSync(file);
  const bad = (why: string) => new Error(`checkpoint ${file} is unusable (${why}); delete it to start this run from scratch`);
  if (buf.subarray(0, MAGIC.length).toString() !== MAGIC) throw bad('not a selfsup checkpoint');
  const nl = buf.indexOf(10, MAGIC.length);
  if (nl < 0) throw bad('header is truncated');
  let header: { meta: CheckpointMeta; entries: TensorEntry[]; bytes: number };
  try {
    header = JSON.parse(buf.subarray(MAGIC.length, nl).toString());
  } catch {
    throw bad('header is not valid JSON');
  }
  const body = buf.subarray(nl + 1);
  if (body.length !== header.bytes) throw bad(`expected ${header.bytes} bytes of tensors, found ${body.length}`);
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
