import * as tf from '@tensorflow/tfjs-core';

/** tfjs-backend-wasm's own kernels that selfsup replaced, by kernel name. */
const stock = new Map<string, tf.KernelConfig>();

/**
 * Registers `config` for 'wasm' in place of the kernel registered under its name, keeping that
 * one (see {@link stockKernel}). The stock kernel's setup function (which binds its wasm
 * function) still runs when the backend initialises, so the replacement can delegate to it.
 * Idempotent. With `opts.overlay` (selfsup's native kernels, registered over selfsup's own wasm
 * ones), the replaced kernel is not recorded as the stock one; its setup function still runs.
 */
export function replaceWasmKernel(config: tf.KernelConfig, opts: { overlay?: boolean } = {}): void {
  const current = tf.getKernel(config.kernelName, 'wasm');
  if (current?.kernelFunc === config.kernelFunc) return;
  if (current == null) {
    tf.registerKernel(config);
    return;
  }
  if (!opts.overlay) stock.set(config.kernelName, current);
  tf.unregisterKernel(config.kernelName, 'wasm');
  const stockSetup = current.setupFunc;
  tf.registerKernel(stockSetup == null ? config : { ...config, setupFunc: (backend) => stockSetup(backend) });
}

/**
 * The stock tfjs-backend-wasm kernel that {@link replaceWasmKernel} replaced under `kernelName`.
 *
 * @throws Error when none was replaced under that name.
 */
export function stockKernel(kernelName: string): tf.KernelConfig {
  const config = stock.get(kernelName);
  if (config == null) throw new Error(`selfsup: no stock wasm kernel '${kernelName}' was replaced`);
  return config;
}

/**
 * Puts back the tfjs-backend-wasm kernels that selfsup replaced (all, or those in `names`:
 * Conv2DBackpropInput, Sum, Mean, MaxPoolGrad, Identity, Cast, Tile), for benchmarks and
 * comparisons; the kernels selfsup added stay. A later `registerWasmGradKernels` replaces them
 * again.
 *
 * @returns the names restored
 */
export function restoreStockWasmKernels(names?: readonly string[]): string[] {
  const backend = tf.findBackend('wasm');
  const restored: string[] = [];
  for (const [name, config] of stock) {
    if (names != null && !names.includes(name)) continue;
    if (tf.getKernel(name, 'wasm') != null) tf.unregisterKernel(name, 'wasm');
    tf.registerKernel(config);
    // The backend runs setup functions only for kernels registered when it initialises.
    if (backend != null) config.setupFunc?.(backend);
    restored.push(name);
  }
  return restored;
}
