import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { registerBatchNormGrad } from './batch-norm-grad';
import { registerCoreGradients } from './core-gradients';
import { registerWasmGradKernels } from './wasm-kernels';
import { registerNativeGradients } from './native-kernels';
import { nativeStatus } from './native';

/** What {@link initBackend} chose, and why it skipped what it skipped. */
export interface BackendInfo {
  /** The tfjs backend now active: 'tensorflow', 'wasm' or 'cpu'. */
  name: string;
  /** wasm only: whether the SIMD binary is in use. */
  simd?: boolean;
  /** wasm only: whether XNNPACK computes on more than one thread (never in Node with tfjs 4.22). */
  threads?: boolean;
  /** One reason per option tried before `name` and skipped, e.g. "tfjs-node not installed". */
  fallbacks: string[];
  /**
   * wasm only: whether selfsup's native kernels (oneDNN convolutions, batch norm, max-pool and
   * relu gradients; native/) serve the heavy kernels, and why (not), e.g. "oneDNN 2.6.3, 2 threads".
   */
  native?: { enabled: boolean; reason: string };
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /**
   * A backend to use instead of the automatic order, one of {@link BACKEND_CHOICES}. It wins over
   * the `SELFSUP_BACKEND` environment variable (a caller's explicit choice, like a CLI flag).
   */
  prefer?: string;
  /** Do not log the one-line summary to stderr. Default false. */
  quiet?: boolean;
}

/**
 * Values accepted by `SELFSUP_BACKEND` and `prefer`: 'tensorflow' means tfjs-node-gpu, else
 * tfjs-node; 'node' and 'node-gpu' name one of them.
 */
export const BACKEND_CHOICES = ['wasm', 'cpu', 'tensorflow', 'node', 'node-gpu'] as const;

/** One of {@link BACKEND_CHOICES}. */
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

const NODE_PACKAGES = { 'node-gpu': '@tensorflow/tfjs-node-gpu', node: '@tensorflow/tfjs-node' } as const;

const chosen = new Map<string, BackendInfo>();
let wasmPathsSet = false;

/**
 * Picks and initialises the tfjs backend: tfjs-node-gpu, then tfjs-node (optional dependencies,
 * used only if they load; both register 'tensorflow'), then wasm (SIMD; threads are off in Node),
 * then cpu. `opts.prefer`, else the environment variable `SELFSUP_BACKEND`, forces one of
 * {@link BACKEND_CHOICES}; a forced backend that cannot load is an error, not a fallback.
 * Also registers tfjs-core's gradients ({@link registerCoreGradients}: the Node build of
 * tfjs-core has none) and selfsup's leaner batch-norm gradient ({@link registerBatchNormGrad}),
 * after the backend loads (tfjs-node brings the umbrella package, which registers its own); when
 * wasm is chosen, selfsup's wasm kernels ({@link registerWasmGradKernels}).
 *
 * Idempotent: a second call with the same request returns the same info at once (re-activating
 * the backend if something switched away from it). Logs one line to stderr unless `quiet`, e.g.
 * `selfsup: backend wasm (SIMD on, threads off; tfjs-node-gpu not installed, tfjs-node not installed)`.
 *
 * @throws Error naming SELFSUP_BACKEND (or `prefer`) and the allowed values for an unknown value,
 *   or saying why a forced backend failed.
 */
export async function initBackend(opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const request = resolveRequest(opts.prefer);
  const cached = chosen.get(request.choice);
  if (cached != null) {
    if (tf.getBackend() !== cached.name) {
      if (cached.name === 'wasm') registerWasmGradKernels();
      await tf.setBackend(cached.name);
    }
    registerGradients();
    return cached;
  }
  const info = await pick(request);
  registerGradients();
  silenceCpuGreeting();
  chosen.set(request.choice, info);
  if (!opts.quiet) process.stderr.write(`selfsup: ${describeBackend(info)}\n`);
  return info;
}

function registerGradients(): void {
  registerCoreGradients();
  registerBatchNormGrad();
  registerNativeGradients();
}

/** The name of the active tfjs backend (`tf.getBackend()`), e.g. 'wasm'. */
export function backendName(): string {
  return tf.getBackend();
}

/** One line describing `info`, e.g. `backend wasm (SIMD on, threads off; tfjs-node not installed)`. */
export function describeBackend(info: BackendInfo): string {
  const traits: string[] = [];
  if (info.simd != null) traits.push(`SIMD ${info.simd ? 'on' : 'off'}`);
  if (info.threads != null) traits.push(`threads ${info.threads ? 'on' : 'off'}`);
  if (info.native != null) traits.push(info.native.enabled ? `native kernels on: ${info.native.reason}` : `native kernels off: ${info.native.reason}`);
  const parts = [traits.join(', '), info.fallbacks.join(', ')].filter((s) => s.length > 0);
  return `backend ${info.name}` + (parts.length > 0 ? ` (${parts.join('; ')})` : '');
}

interface Request {
  /** 'auto' or a {@link BackendChoice}. */
  choice: string;
  /** Where a forced choice came from, for error messages. */
  source: string;
}

function resolveRequest(prefer: string | undefined): Request {
  const env = process.env.SELFSUP_BACKEND;
  const [value, source] =
    prefer != null ? [prefer, 'initBackend({ prefer })'] : env != null && env !== '' ? [env, 'SELFSUP_BACKEND'] : [null, ''];
  if (value == null) return { choice: 'auto', source: '' };
  const choice = value.trim().toLowerCase();
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new Error(`${source} must be one of ${BACKEND_CHOICES.join(', ')}; got '${value}'`);
  }
  return { choice, source: `${source}=${choice}` };
}

async function pick(request: Request): Promise<BackendInfo> {
  const fallbacks: string[] = [];
  const attempt = async (option: string): Promise<BackendInfo | null> => {
    const result = await tryOption(option);
    if (typeof result !== 'string') return { ...result, fallbacks: [...fallbacks] };
    if (request.choice !== 'auto' && request.choice !== 'tensorflow') {
      throw new Error(`selfsup: ${request.source} cannot be used: ${result}`);
    }
    fallbacks.push(result);
    return null;
  };
  const order =
    request.choice === 'auto'
      ? ['node-gpu', 'node', 'wasm', 'cpu']
      : request.choice === 'tensorflow'
        ? ['node-gpu', 'node']
        : [request.choice];
  for (const option of order) {
    const info = await attempt(option);
    if (info != null) return info;
  }
  throw new Error(`selfsup: ${request.source} cannot be used: ${fallbacks.join(', ')}`);
}

/** Activates one option; returns what it gives, or the reason it cannot be used. */
async function tryOption(option: string): Promise<Omit<BackendInfo, 'fallbacks'> | string> {
  if (option === 'node-gpu' || option === 'node') return tryNode(NODE_PACKAGES[option]);
  if (option === 'wasm') return tryWasm();
  return (await tf.setBackend('cpu')) ? { name: 'cpu' } : 'cpu failed to initialise';
}

async function tryNode(pkg: string): Promise<Omit<BackendInfo, 'fallbacks'> | string> {
  const short = pkg.replace('@tensorflow/', '');
  try {
    require.resolve(pkg);
  } catch {
    return `${short} not installed`;
  }
  try {
    require(pkg);
  } catch (err) {
    return `${short} failed to load (${firstLine(err)})`;
  }
  if (tf.findBackendFactory('tensorflow') == null) return `${short} registered no 'tensorflow' backend`;
  try {
    if (await tf.setBackend('tensorflow')) return { name: 'tensorflow' };
  } catch (err) {
    return `${short} failed to initialise (${firstLine(err)})`;
  }
  return `${short} failed to initialise`;
}

async function tryWasm(): Promise<Omit<BackendInfo, 'fallbacks'> | string> {
  let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
  let dist: string;
  try {
    dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm = require('@tensorflow/tfjs-backend-wasm');
  } catch (err) {
    return `tfjs-backend-wasm not installed (${firstLine(err)})`;
  }
  const binaries = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
  const absent = binaries.filter((b) => !fs.existsSync(path.join(dist, b)));
  if (absent.length > 0) return `tfjs-backend-wasm lacks ${absent.join(', ')} in ${dist}`;
  if (!wasmPathsSet) {
    wasm.setWasmPaths(dist + path.sep);
    wasmPathsSet = true;
  }
  registerWasmGradKernels();
  const listenersBefore = processListeners();
  try {
    if (!(await tf.setBackend('wasm'))) return 'wasm failed to initialise';
  } catch (err) {
    return `wasm failed to initialise (${firstLine(err)})`;
  } finally {
    restoreProcessListeners(listenersBefore);
  }
  const simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
  const native = nativeStatus();
  return { name: 'wasm', simd, threads: wasm.getThreadsCount() > 1, native: { enabled: native.enabled, reason: native.reason } };
}

/**
 * The cpu backend greets its first tensor in Node with a banner advising tfjs-node; initBackend has
 * already tried tfjs-node and says so in its own line, so the banner is switched off (the cpu
 * backend is initialised here if needed: it is the reference the tests switch to).
 */
function silenceCpuGreeting(): void {
  if (tf.findBackend('cpu') == null) {
    (tf.engine() as unknown as { initializeBackend(name: string): unknown }).initializeBackend('cpu');
  }
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: boolean } | null;
  if (cpu != null) cpu.firstUse = false;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

type Listener = (...args: unknown[]) => void;
const emitter = process as unknown as NodeJS.EventEmitter;

function processListeners(): Map<ProcessEvent, Set<Listener>> {
  return new Map(PROCESS_EVENTS.map((e) => [e, new Set(emitter.listeners(e) as Listener[])]));
}

/**
 * The Emscripten loader of tfjs-backend-wasm adds process handlers that rethrow every uncaught
 * error from inside its minified bundle, so Node prints that whole one-line bundle instead of the
 * error's own stack. Removing them restores Node's default handling.
 */
function restoreProcessListeners(before: Map<ProcessEvent, Set<Listener>>): void {
  for (const event of PROCESS_EVENTS) {
    for (const listener of emitter.listeners(event) as Listener[]) {
      if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener);
    }
  }
}

function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0];
}
