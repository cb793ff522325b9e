import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The functions of selfsup's native addon (native/src/addon.cc, built by scripts/setup.sh with
 * node-gyp against Debian's oneDNN). Each computes in place on float32 memory inside `buf` (the
 * tfjs wasm backend's heap) at the given byte offsets; nothing is copied. Layout NHWC, filters
 * HWIO. `convDims` is an Int32Array of 17: n, h, w, ci, co, kh, kw, sh, sw, dh, dw, top, left,
 * bottom, right, oh, ow; `poolDims` 12: n, h, w, c, fh, fw, sh, sw, top, left, oh, ow.
 */
export interface NativeAddon {
  conv2d(buf: ArrayBuffer, dims: Int32Array, x: number, filter: number, y: number): void;
  conv2dBackpropInput(buf: ArrayBuffer, dims: Int32Array, dy: number, filter: number, dx: number): void;
  conv2dBackpropFilter(buf: ArrayBuffer, dims: Int32Array, x: number, dy: number, dFilter: number): void;
  /** The oneDNN implementation for a shape (dir 0 forward, 1 backward data, 2 backward weights). */
  convImpl(dir: number, dims: Int32Array): string;
  maxPoolGrad(buf: ArrayBuffer, dims: Int32Array, x: number, dy: number, dx: number): void;
  maxPool(buf: ArrayBuffer, dims: Int32Array, x: number, y: number): void;
  batchNormForward(
    buf: ArrayBuffer, rows: number, channels: number, epsilon: number, relu: number,
    x: number, gamma: number, beta: number, y: number, mean: number, variance: number,
  ): void;
  batchNormBackward(
    buf: ArrayBuffer, rows: number, channels: number, epsilon: number,
    x: number, dy: number, gamma: number, mean: number, variance: number,
    dx: number, dGamma: number, dBeta: number, dMean: number, dVariance: number,
    relu?: number, beta?: number,
  ): void;
  reluGrad(buf: ArrayBuffer, size: number, dy: number, y: number, dx: number): void;
  relu(buf: ArrayBuffer, size: number, x: number, y: number): void;
  /** Reverse along the axes flagged in `dims` ([d0..d3, flip0..flip3]); any 4-byte dtype. */
  reverse(buf: ArrayBuffer, dims: Int32Array, x: number, y: number): void;
  /** out = a op b (op 0 add, 1 sub, 2 mul, 3 div); a, out `[rows, c]`; b `[c]` (full 0) or `[rows, c]` (full 1). */
  binary(buf: ArrayBuffer, op: number, rows: number, c: number, full: number, a: number, b: number, out: number): void;
  /** Sets the OpenMP thread count (when >= 1); returns the count in use. */
  setThreads(n?: number): number;
  /** oneDNN's version, e.g. "2.6.3". */
  version(): string;
  clearCache(): void;
}

/** Whether the native kernels are in use, and why (not). */
export interface NativeStatus {
  enabled: boolean;
  /** e.g. "oneDNN 2.6.3, 2 threads" or "disabled by SELFSUP_NATIVE=0" or "not built (run npm run setup)". */
  reason: string;
  /** Where the addon was looked for. */
  path: string;
  threads?: number;
  version?: string;
}

/** Where node-gyp puts the addon: <project>/native/build/Release/selfsup_native.node. */
export const NATIVE_ADDON_PATH = path.resolve(__dirname, '..', '..', 'native', 'build', 'Release', 'selfsup_native.node');

let loaded: { addon: NativeAddon | null; status: NativeStatus } | null = null;

/**
 * Loads the native addon once (see {@link NativeAddon}), unless `SELFSUP_NATIVE=0` (or "off",
 * "false"). Threads: `SELFSUP_NATIVE_THREADS`, else 2 (what PyTorch's reference figure used).
 * Unless set, OpenMP's wait policy is made passive (`OMP_WAIT_POLICY`), so idle worker threads
 * sleep instead of spinning against the JavaScript thread on a shared machine.
 * Never throws: when the addon is absent or fails to load (no oneDNN), `addon` is null and the
 * status says why.
 */
export function loadNative(): { addon: NativeAddon | null; status: NativeStatus } {
  if (loaded != null) return loaded;
  const flag = (process.env.SELFSUP_NATIVE ?? '').trim().toLowerCase();
  if (['0', 'off', 'false', 'no'].includes(flag)) {
    loaded = { addon: null, status: { enabled: false, reason: `disabled by SELFSUP_NATIVE=${process.env.SELFSUP_NATIVE}`, path: NATIVE_ADDON_PATH } };
    return loaded;
  }
  if (!fs.existsSync(NATIVE_ADDON_PATH)) {
    loaded = { addon: null, status: { enabled: false, reason: 'native kernels not built (oneDNN or a compiler missing at setup; run npm run setup)', path: NATIVE_ADDON_PATH } };
    return loaded;
  }
  const built = cpuFlagsMismatch();
  if (built != null) {
    loaded = { addon: null, status: { enabled: false, reason: built, path: NATIVE_ADDON_PATH } };
    return loaded;
  }
  try {
    if (process.env.OMP_WAIT_POLICY == null) process.env.OMP_WAIT_POLICY = 'passive';
    const addon = require(NATIVE_ADDON_PATH) as NativeAddon;
    const wanted = Number(process.env.SELFSUP_NATIVE_THREADS ?? 2);
    const threads = addon.setThreads(Number.isInteger(wanted) && wanted >= 1 ? wanted : 2);
    const version = addon.version();
    loaded = { addon, status: { enabled: true, reason: `oneDNN ${version}, ${threads} thread${threads === 1 ? '' : 's'}`, path: NATIVE_ADDON_PATH, threads, version } };
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    loaded = { addon: null, status: { enabled: false, reason: `native kernels failed to load (${msg})`, path: NATIVE_ADDON_PATH } };
  }
  return loaded;
}

/**
 * The addon's loops are compiled for the CPU that built it (-march=native); scripts/build-native.sh
 * records that CPU's flags next to it. A reason not to load it when this CPU's flags differ (a
 * copied tree on another machine would crash on an unknown instruction), else null.
 */
function cpuFlagsMismatch(): string | null {
  const stamp = path.join(path.dirname(NATIVE_ADDON_PATH), '..', 'cpu-flags.txt');
  let cpuinfo: string;
  try {
    cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return null; // not Linux: nothing to compare
  }
  const flags = cpuinfo.split('\n').find((l) => l.startsWith('flags')) ?? '';
  const builtFor = fs.existsSync(stamp) ? fs.readFileSync(stamp, 'utf8') : null;
  if (builtFor == null) return 'native kernels built without a CPU stamp (run npm run setup to rebuild them)';
  return builtFor.trim() === flags.trim() ? null : 'native kernels were built for another CPU (run npm run setup to rebuild them)';
}

/** The native addon, or null when it is absent or disabled ({@link loadNative}). */
export function nativeAddon(): NativeAddon | null {
  return loadNative().addon;
}

/** Whether selfsup's native kernels are available, and why (not). */
export function nativeStatus(): NativeStatus {
  return loadNative().status;
}
