import type { Rng } from '../data/rng';

/** Audio-visual pairs and their correspondence labels. */
export interface AvPairs {
  /** `[n]` index of each pair's sound (as given). */
  sounds: Int32Array;
  /** `[n]` index of each pair's image. */
  images: Int32Array;
  /** `[n]` 1 = they correspond (same class), 0 = they do not. */
  labels: Int32Array;
}

/**
 * Audio-visual correspondence pairs (Arandjelovic & Zisserman 2017, "Look, Listen and Learn",
 * section 2): each sound is paired with an image that corresponds to it (here: shows the same
 * digit) with probability `positiveFraction` (default 0.5, so chance is 50%), else with an image
 * of another class, drawn uniformly. The label is computed from the classes, so it is right by
 * construction. Deterministic for a given `rng` state.
 *
 * @param sounds indices of the sounds to pair
 * @param soundLabels class of every sound (indexed by the entries of `sounds`)
 * @param imageLabels class of every image; every class of a sound needs at least one image, and
 *   at least one image of another class
 */
export function correspondencePairs(sounds: ArrayLike<number>, soundLabels: Int32Array, imageLabels: Int32Array, rng: Rng, positiveFraction = 0.5): AvPairs {
  if (!(positiveFraction >= 0 && positiveFraction <= 1)) throw new RangeError(`correspondencePairs: positiveFraction must be in [0, 1], got ${positiveFraction}`);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < imageLabels.length; i++) {
    const l = imageLabels[i];
    if (l < 0) continue;
    if (!byClass.has(l)) byClass.set(l, []);
    byClass.get(l)!.push(i);
  }
  const n = sounds.length;
  const out: AvPairs = { sounds: Int32Array.from(sounds), images: new Int32Array(n), labels: new Int32Array(n) };
  for (let j = 0; j < n; j++) {
    const c = soundLabels[sounds[j]];
    const same = byClass.get(c);
    if (!same) throw new RangeError(`correspondencePairs: no image of class ${c} (sound ${sounds[j]}); imageLabels must cover every sound's class`);
    if (rng.next() < positiveFraction) {
      out.images[j] = same[rng.int(same.length)];
    } else {
      const others = imageLabels.length - same.length - countUnlabelled(imageLabels);
      if (others <= 0) throw new RangeError(`correspondencePairs: every labelled image is of class ${c}; a negative pair needs another class`);
      // Uniform over images of other classes: draw the k-th such image.
      let k = rng.int(others);
      let pick = -1;
      for (let i = 0; i < imageLabels.length; i++) {
        if (imageLabels[i] < 0 || imageLabels[i] === c) continue;
        if (k-- === 0) { pick = i; break; }
      }
      out.images[j] = pick;
    }
    out.labels[j] = imageLabels[out.images[j]] === c ? 1 : 0;
  }
  return out;
}

function countUnlabelled(labels: Int32Array): number {
  let u = 0;
  for (const l of labels) if (l < 0) u++;
  return u;
}

/**
 * Two pairs per sound, one corresponding and one not (exactly balanced): pairs `2j` and `2j + 1`
 * hold sound `sounds[j]` with an image of its class and with an image of another class, each
 * drawn uniformly (see {@link correspondencePairs}). Showing each sound with both answers doubles
 * the training signal per sound at the cost of one more image.
 */
export function balancedPairs(sounds: ArrayLike<number>, soundLabels: Int32Array, imageLabels: Int32Array, rng: Rng): AvPairs {
  const doubled = Int32Array.from({ length: sounds.length * 2 }, (_, i) => sounds[i >> 1]);
  const pos = correspondencePairs(Int32Array.from(sounds), soundLabels, imageLabels, rng.fork('positive'), 1);
  const neg = correspondencePairs(Int32Array.from(sounds), soundLabels, imageLabels, rng.fork('negative'), 0);
  const out: AvPairs = { sounds: doubled, images: new Int32Array(doubled.length), labels: new Int32Array(doubled.length) };
  for (let j = 0; j < sounds.length; j++) {
    out.images[2 * j] = pos.images[j];
    out.labels[2 * j] = pos.labels[j];
    out.images[2 * j + 1] = neg.images[j];
    out.labels[2 * j + 1] = neg.labels[j];
  }
  return out;
}
