import * as tf from '@tensorflow/tfjs-core';

/** Deterministic uniform values in [-1, 1) (an LCG), so every run tests the same numbers. */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let s = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** max |a - b| / max |b| (0 when both are all zero). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Named input arrays with shapes (and dtype, default float32), rebuilt as tensors on each backend. */
export type Inputs = Record<string, { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' }>;

/**
 * Runs `fn` on the wasm backend and on the cpu backend with the same inputs and returns every
 * output's values from both (read before switching) and their shapes. Leaves wasm active.
 */
export async function onBoth(
  inputs: Inputs,
  fn: (t: Record<string, tf.Tensor>) => tf.Tensor | tf.Tensor[],
): Promise<{ wasm: Float32Array[]; cpu: Float32Array[]; shapes: number[][][] }> {
  const run = async (backend: string) => {
    await tf.setBackend(backend);
    return tf.tidy(() => {
      const ts: Record<string, tf.Tensor> = {};
      for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.values, v.shape, v.dtype ?? 'float32');
      const out = fn(ts);
      const outs = Array.isArray(out) ? out : [out];
      return { values: outs.map((o) => Float32Array.from(o.dataSync())), shapes: outs.map((o) => o.shape) };
    });
  };
  const w = await run('wasm');
  const c = await run('cpu');
  await tf.setBackend('wasm');
  return { wasm: w.values, cpu: c.values, shapes: [w.shapes, c.shapes] };
}

/** Random float input spec of `shape`. */
export function rand(shape: number[], seed: number): Inputs[string] {
  return { shape, values: randomValues(shape.reduce((a, b) => a * b, 1), seed) };
}
