import * as jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { DataError, HINT_FIX_USER_FILE } from './errors';
import type { RawImage } from './raw-image';

/** Image formats the readers decode. */
export type ImageFormat = 'jpeg' | 'png';

/** The format of `bytes` judged by their magic number, or undefined if neither JPEG nor PNG. */
export function sniffImageFormat(bytes: Uint8Array): ImageFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47) return 'png';
  return undefined;
}

/**
 * Decode a JPEG (jpeg-js) or PNG (pngjs) file, recognised by content, not by name.
 *
 * JPEGs come back as 3-channel RGB (grey and CMYK JPEGs converted by jpeg-js), turned upright
 * according to their EXIF orientation tag; PNGs as 4-channel RGBA, 8 bits per channel (16-bit
 * PNGs rescaled). Anything undecodable gives a `DataError` naming `file`.
 *
 * @param file the path reported in errors (for archive members, `archive.tar:member`).
 * @param hint what to tell the user on failure.
 */
export function decodeImage(bytes: Uint8Array, file: string, hint: string = HINT_FIX_USER_FILE): RawImage {
  const format = sniffImageFormat(bytes);
  if (format === undefined) {
    throw new DataError(file, `is not a JPEG or PNG image (its first bytes are ${hex(bytes.subarray(0, 4))})`, hint);
  }
  const declared = declaredSize(bytes, format);
  if (declared && declared.width * declared.height > MAX_IMAGE_PIXELS) {
    throw new DataError(file, `declares ${declared.width}x${declared.height} pixels (width x height), more than the ${MAX_IMAGE_PIXELS / 2 ** 20}-megapixel limit (a damaged header, or a far larger image than this lab needs)`, hint);
  }
  let img: RawImage;
  try {
    if (format === 'jpeg') {
      const d = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, tolerantDecoding: true, maxMemoryUsageInMB: 1024, maxResolutionInMP: MAX_IMAGE_PIXELS / 1e6 });
      img = { data: d.data, height: d.height, width: d.width, channels: 3 };
      const exif = (d as { exifBuffer?: Uint8Array }).exifBuffer;
      if (exif) img = applyExifOrientation(img, exifOrientation(exif));
    } else {
      const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      const p = PNG.sync.read(buf);
      img = { data: new Uint8Array(p.data.buffer, p.data.byteOffset, p.data.length), height: p.height, width: p.width, channels: 4 };
    }
  } catch (e) {
    throw new DataError(file, `cannot be decoded as ${format.toUpperCase()} (${(e as Error).message})`, hint, { cause: e });
  }
  if (!(img.width > 0 && img.height > 0) || img.data.length !== img.width * img.height * img.channels) {
    throw new DataError(file, `cannot be decoded as ${format.toUpperCase()} (decoder returned ${img.width}x${img.height} with ${img.data.length} bytes)`, hint);
  }
  return img;
}

/**
 * Largest image decoded, in pixels (64 Mi, e.g. 8192x8192): a header declaring more is refused
 * before any pixel memory is allocated (a damaged or hostile header could otherwise ask for
 * gigabytes, or keep the decoder busy for many seconds).
 */
export const MAX_IMAGE_PIXELS = 2 ** 26;

/**
 * The width and height a PNG's IHDR or a JPEG's SOF marker declares, read without decoding;
 * undefined if the header is too short or has no such marker (the decoder then reports).
 */
export function declaredSize(bytes: Uint8Array, format: ImageFormat): { width: number; height: number } | undefined {
  const u16 = (o: number) => (bytes[o] << 8) | bytes[o + 1];
  const u32 = (o: number) => bytes[o] * 2 ** 24 + ((bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3]);
  if (format === 'png') {
    if (bytes.length < 24 || String.fromCharCode(bytes[12], bytes[13], bytes[14], bytes[15]) !== 'IHDR') return undefined;
    return { width: u32(16), height: u32(20) };
  }
  let i = 2;
  while (i + 9 <= bytes.length) {
    if (bytes[i] !== 0xff) return undefined;
    const m = bytes[i + 1];
    if (m === 0xff) { i++; continue; } // fill byte
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) return { height: u16(i + 5), width: u16(i + 7) };
    if (m === 0xda || m === 0xd9) return undefined; // start of scan / end of image before any frame header
    i += 2 + u16(i + 2);
  }
  return undefined;
}

/**
 * The EXIF orientation (1..8) stored in a JPEG's APP1 block, or 1 if absent or unreadable.
 * @param exif the APP1 payload after "Exif" (jpeg-js's `exifBuffer`).
 */
export function exifOrientation(exif: Uint8Array): number {
  let t = -1;
  for (let i = 0; i < Math.min(4, exif.length - 4); i++) {
    if ((exif[i] === 0x49 && exif[i + 1] === 0x49 && exif[i + 2] === 0x2a && exif[i + 3] === 0)
      || (exif[i] === 0x4d && exif[i + 1] === 0x4d && exif[i + 2] === 0 && exif[i + 3] === 0x2a)) { t = i; break; }
  }
  if (t < 0) return 1;
  const le = exif[t] === 0x49;
  const u16 = (o: number) => (o + 2 > exif.length ? -1 : le ? exif[o] | (exif[o + 1] << 8) : (exif[o] << 8) | exif[o + 1]);
  const u32 = (o: number) => (o + 4 > exif.length ? -1 : le
    ? (exif[o] | (exif[o + 1] << 8) | (exif[o + 2] << 16)) + exif[o + 3] * 2 ** 24
    : exif[o] * 2 ** 24 + ((exif[o + 1] << 16) | (exif[o + 2] << 8) | exif[o + 3]));
  const ifd = t + u32(t + 4);
  const count = u16(ifd);
  for (let k = 0; k < count && count > 0; k++) {
    const e = ifd + 2 + 12 * k;
    if (u16(e) === 0x0112) {
      const v = u16(e + 8);
      return v >= 1 && v <= 8 ? v : 1;
    }
  }
  return 1;
}

/**
 * Turn an image upright given its EXIF orientation (1 = as stored; 2..8 = mirrored and/or
 * rotated), as PIL's `ImageOps.exif_transpose` does.
 */
export function applyExifOrientation(img: RawImage, orientation: number): RawImage {
  if (orientation <= 1 || orientation > 8) return img;
  const { height: H, width: W, channels: c, data } = img;
  const swap = orientation >= 5;
  const oh = swap ? W : H;
  const ow = swap ? H : W;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let sy: number, sx: number;
      switch (orientation) {
        case 2: sy = y; sx = W - 1 - x; break;
        case 3: sy = H - 1 - y; sx = W - 1 - x; break;
        case 4: sy = H - 1 - y; sx = x; break;
        case 5: sy = x; sx = y; break;
        case 6: sy = H - 1 - x; sx = y; break;
        case 7: sy = H - 1 - x; sx = W - 1 - y; break;
        default: sy = x; sx = W - 1 - y; break; // 8
      }
      const s = (sy * W + sx) * c;
      const d = (y * ow + x) * c;
      for (let k = 0; k < c; k++) out[d + k] = data[s + k];
    }
  }
  return { data: out, height: oh, width: ow, channels: c };
}

function hex(b: Uint8Array): string {
  return Array.from(b, (v) => v.toString(16).padStart(2, '0')).join(' ') || 'none (empty file)';
}
