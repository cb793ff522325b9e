import type { RawImage } from './raw-image';

/** How {@link resizeImage} samples: `bilinear` (smooth, the default) or `nearest` (blocky, exact values). */
export type ResizeMethod = 'bilinear' | 'nearest';

/**
 * Resize an image to `height x width`.
 *
 * `bilinear` samples at pixel centres (half-pixel offsets, like PIL and
 * `tf.image.resizeBilinear(..., halfPixelCenters=true)`); when shrinking by more than 2x it
 * first averages whole blocks of pixels (a box filter), so large photos shrink without
 * aliasing. `nearest` picks the source pixel whose centre is closest. An image already of the
 * requested size is returned as is.
 */
export function resizeImage(img: RawImage, height: number, width: number, method: ResizeMethod = 'bilinear'): RawImage {
  if (!(Number.isInteger(height) && height > 0 && Number.isInteger(width) && width > 0)) {
    throw new RangeError(`resizeImage: height and width must be positive integers, got ${height}x${width}`);
  }
  if (img.height === height && img.width === width) return img;
  if (method === 'nearest') return resizeNearest(img, height, width);
  const fy = Math.floor(img.height / height);
  const fx = Math.floor(img.width / width);
  const pre = fy > 2 || fx > 2 ? boxShrink(img, Math.max(1, fy), Math.max(1, fx)) : img;
  return resizeBilinear(pre, height, width);
}

/**
 * Convert an image to 1 channel (grey, ITU-R 601 luma `0.299 R + 0.587 G + 0.114 B`) or 3
 * channels (RGB: grey replicated, alpha dropped without compositing).
 */
export function toChannels(img: RawImage, channels: 1 | 3): RawImage {
  const c = img.channels;
  if (c === channels) return img;
  const n = img.height * img.width;
  const out = new Uint8Array(n * channels);
  const src = img.data;
  if (channels === 3) {
    if (c === 1) for (let i = 0; i < n; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = src[i];
    else for (let i = 0; i < n; i++) { out[3 * i] = src[c * i]; out[3 * i + 1] = src[c * i + 1]; out[3 * i + 2] = src[c * i + 2]; }
  } else {
    if (c === 2) for (let i = 0; i < n; i++) out[i] = src[2 * i];
    else for (let i = 0; i < n; i++) out[i] = Math.floor((299 * src[c * i] + 587 * src[c * i + 1] + 114 * src[c * i + 2] + 500) / 1000);
  }
  return { data: out, height: img.height, width: img.width, channels };
}

function resizeNearest(img: RawImage, oh: number, ow: number): RawImage {
  const { height: H, width: W, channels: c, data } = img;
  const out = new Uint8Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    const sy = Math.min(H - 1, Math.floor(((y + 0.5) * H) / oh));
    for (let x = 0; x < ow; x++) {
      const sx = Math.min(W - 1, Math.floor(((x + 0.5) * W) / ow));
      const s = (sy * W + sx) * c;
      const d = (y * ow + x) * c;
      for (let k = 0; k < c; k++) out[d + k] = data[s + k];
    }
  }
  return { data: out, height: oh, width: ow, channels: c };
}

function resizeBilinear(img: RawImage, oh: number, ow: number): RawImage {
  const { height: H, width: W, channels: c, data } = img;
  const out = new Uint8Array(oh * ow * c);
  for (let y = 0; y < oh; y++) {
    const fy = Math.min(H - 1, Math.max(0, ((y + 0.5) * H) / oh - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(H - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < ow; x++) {
      const fx = Math.min(W - 1, Math.max(0, ((x + 0.5) * W) / ow - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(W - 1, x0 + 1);
      const wx = fx - x0;
      const a = (y0 * W + x0) * c, b = (y0 * W + x1) * c, p = (y1 * W + x0) * c, q = (y1 * W + x1) * c;
      const d = (y * ow + x) * c;
      for (let k = 0; k < c; k++) {
        const top = data[a + k] + (data[b + k] - data[a + k]) * wx;
        const bot = data[p + k] + (data[q + k] - data[p + k]) * wx;
        out[d + k] = Math.round(top + (bot - top) * wy);
      }
    }
  }
  return { data: out, height: oh, width: ow, channels: c };
}

/** Average fy x fx blocks; edge blocks that are cut short average what they hold. */
function boxShrink(img: RawImage, fy: number, fx: number): RawImage {
  const { height: H, width: W, channels: c, data } = img;
  const oh = Math.ceil(H / fy);
  const ow = Math.ceil(W / fx);
  const out = new Uint8Array(oh * ow * c);
  const acc = new Float64Array(ow * c);
  const cnt = new Float64Array(ow);
  for (let by = 0; by < oh; by++) {
    acc.fill(0);
    cnt.fill(0);
    for (let y = by * fy; y < Math.min(H, (by + 1) * fy); y++) {
      for (let x = 0; x < W; x++) {
        const bx = Math.floor(x / fx);
        const s = (y * W + x) * c;
        for (let k = 0; k < c; k++) acc[bx * c + k] += data[s + k];
        cnt[bx]++;
      }
    }
    for (let bx = 0; bx < ow; bx++) for (let k = 0; k < c; k++) out[(by * ow + bx) * c + k] = Math.round(acc[bx * c + k] / cnt[bx]);
  }
  return { data: out, height: oh, width: ow, channels: c };
}
