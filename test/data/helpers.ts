// Test fixtures for the data layer: tiny files written by the tests themselves.
import * as jpeg from 'jpeg-js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PNG } from 'pngjs';

const made: string[] = [];
process.on('exit', () => { for (const d of made) rmSync(d, { recursive: true, force: true }); });

/** A fresh temporary folder, removed when the process exits. */
export function tempDir(prefix = 'selfsup-data-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Write `data` at `root/rel`, creating folders. Returns the full path. */
export function put(root: string, rel: string, data: Uint8Array | string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, data);
  return p;
}

/** RGBA pixels of a w x h image filled with a colour plus a small per-pixel ramp. */
export function rgba(w: number, h: number, rgb: [number, number, number], alpha = 255): Buffer {
  const b = Buffer.alloc(w * h * 4);
  for (let i = 0; i < w * h; i++) {
    b[4 * i] = rgb[0]; b[4 * i + 1] = rgb[1]; b[4 * i + 2] = rgb[2]; b[4 * i + 3] = alpha;
  }
  return b;
}

/** A JPEG of a solid colour. */
export function jpegOf(w: number, h: number, rgb: [number, number, number], exifBuffer?: Uint8Array): Buffer {
  return jpeg.encode({ data: rgba(w, h, rgb), width: w, height: h, ...(exifBuffer ? { exifBuffer } : {}) } as never, 95).data;
}

/** A PNG (RGBA, or grey when `grey` is set) of a solid colour. */
export function pngOf(w: number, h: number, rgb: [number, number, number], opts: { alpha?: number; grey?: boolean } = {}): Buffer {
  const png = new PNG({ width: w, height: h });
  png.data = rgba(w, h, rgb, opts.alpha ?? 255);
  return PNG.sync.write(png, opts.grey ? { colorType: 0, inputColorType: 6 } : { colorType: 6 });
}

/** A ustar archive of the given files (and directories: paths ending in `/`), with end marker. */
export function makeTar(files: { path: string; data?: Uint8Array | string }[], opts: { endBlocks?: number } = {}): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const isDir = f.path.endsWith('/');
    const data = isDir ? Buffer.alloc(0) : Buffer.from(f.data ?? '');
    const h = Buffer.alloc(512);
    h.write(f.path, 0, 100, 'utf8');
    h.write(isDir ? '0000755\0' : '0000644\0', 100, 'latin1');
    h.write('0000000\0', 108, 'latin1');
    h.write('0000000\0', 116, 'latin1');
    h.write(data.length.toString(8).padStart(11, '0') + '\0', 124, 'latin1');
    h.write('00000000000\0', 136, 'latin1');
    h.write('        ', 148, 'latin1');
    h.write(isDir ? '5' : '0', 156, 'latin1');
    h.write('ustar\0', 257, 'latin1');
    h.write('00', 263, 'latin1');
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += h[i];
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
    parts.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(512 * (opts.endBlocks ?? 2)));
  return Buffer.concat(parts);
}

/** An IDX file of unsigned bytes with the given magic and dimensions (gzipped if asked). */
export function makeIdx(magic: number, dims: number[], data: Uint8Array, gzip = false): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head.writeUInt32BE(magic, 0);
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  const raw = Buffer.concat([head, Buffer.from(data)]);
  return gzip ? gzipSync(raw) : raw;
}

/** `n` tiny 28x28 grey images (image i filled with value 10*i) and labels i % 10, as two IDX files. */
export function makeIdxPair(n: number, gzip = true): { images: Buffer; labels: Buffer; pixels: Uint8Array; labelValues: Uint8Array } {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) pixels.fill((10 * i) % 256, i * 784, (i + 1) * 784);
  const labelValues = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return {
    images: makeIdx(0x803, [n, 28, 28], pixels, gzip),
    labels: makeIdx(0x801, [n], labelValues, gzip),
    pixels,
    labelValues,
  };
}

/** A CIFAR-10 binary batch of `n` records: record i has label i % 10 and channel c's bytes = 40*c + i. */
export function makeCifarBatch(n: number, first = 0): Buffer {
  const b = Buffer.alloc(n * 3073);
  for (let i = 0; i < n; i++) {
    b[i * 3073] = (first + i) % 10;
    for (let c = 0; c < 3; c++) b.fill((40 * c + first + i) % 256, i * 3073 + 1 + 1024 * c, i * 3073 + 1 + 1024 * (c + 1));
  }
  return b;
}
