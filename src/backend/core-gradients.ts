import * as tf from '@tensorflow/tfjs-core';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Registers tfjs-core's gradient functions and its chained tensor methods, which the Node build
 * of `@tensorflow/tfjs-core` 4.22 (`dist/tf-core.node.js`) leaves out: only the umbrella
 * `@tensorflow/tfjs` registers them, and this project does not use it. Without this, `tf.grads`,
 * `tf.variableGrads` and optimizers fail with "gradient function not found for Sum".
 *
 * tfjs-core ships the registrations only as ES modules with extensionless imports, which plain
 * Node cannot load. So they are bundled once into a CommonJS file with esbuild (a dependency of
 * tsx), cached in `node_modules/.cache/selfsup/` (else the OS temp dir), and required; under tsx,
 * if esbuild is missing, the ES modules are required directly. The bundle carries its own copy of
 * the op code, which shares the one engine, kernel and gradient registries and Tensor class
 * through tfjs-core's globals. Idempotent and fast after the first run (~20 ms).
 *
 * @throws Error when no route registers the gradients.
 */
export function registerCoreGradients(): void {
  if (tf.getGradient(tf.Conv2D) != null && tf.getGradient(tf.Sum) != null) return;
  const errors: string[] = [];
  const bundle = cachedBundlePath();
  for (const load of [() => loadBundle(bundle), () => buildAndLoadBundle(bundle), loadEsModules]) {
    try {
      load();
      if (tf.getGradient(tf.Sum) != null) return;
    } catch (err) {
      errors.push(err instanceof Error ? err.message.split('\n')[0] : String(err));
    }
  }
  throw new Error(`selfsup: could not register tfjs-core's gradients: ${errors.join('; ')}`);
}

const ENTRY = [
  "import '@tensorflow/tfjs-core/dist/register_all_gradients.js';",
  "import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops.js';",
].join('\n');

function cachedBundlePath(): string {
  const corePkg = require.resolve('@tensorflow/tfjs-core/package.json');
  const version = (require(corePkg) as { version: string }).version;
  const file = `tfjs-core-${version}-gradients.cjs`;
  const nodeModules = path.resolve(path.dirname(corePkg), '..', '..');
  const preferred = path.join(nodeModules, '.cache', 'selfsup');
  try {
    fs.mkdirSync(preferred, { recursive: true });
    fs.accessSync(preferred, fs.constants.W_OK);
    return path.join(preferred, file);
  } catch {
    const fallback = path.join(os.tmpdir(), `selfsup-cache-${process.getuid?.() ?? 'user'}`);
    fs.mkdirSync(fallback, { recursive: true });
    return path.join(fallback, file);
  }
}

function loadBundle(file: string): void {
  if (!fs.existsSync(file)) throw new Error(`no cached bundle at ${file}`);
  require(file);
}

function buildAndLoadBundle(file: string): void {
  const esbuild = require('esbuild') as typeof import('esbuild');
  const result = esbuild.buildSync({
    stdin: { contents: ENTRY, resolveDir: path.dirname(require.resolve('@tensorflow/tfjs-core/package.json')) },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
  });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, result.outputFiles[0].text);
  fs.renameSync(tmp, file);
  require(file);
}

function loadEsModules(): void {
  require('@tensorflow/tfjs-core/dist/register_all_gradients');
  require('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
}
