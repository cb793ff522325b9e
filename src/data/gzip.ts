import { gunzipSync } from 'node:zlib';
import { DataError, HINT_REPLACE_FILE } from './errors';

/** Largest decompressed size accepted (2 GiB), so a damaged or hostile file cannot exhaust memory. */
export const MAX_GUNZIP_BYTES = 2 ** 31 - 1;

/** True when `bytes` starts with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Decompress `bytes` if they are gzip data (detected by content, not by file name); otherwise
 * return them unchanged. A truncated or corrupt gzip stream gives a `DataError` naming `file`.
 *
 * @param file the path reported in errors.
 * @param hint what to tell the user on failure (default: replace the file).
 */
export function gunzipIfNeeded(bytes: Buffer, file: string, hint: string = HINT_REPLACE_FILE): Buffer {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: MAX_GUNZIP_BYTES });
  } catch (e) {
    const why = (e as Error).message;
    const problem = /unexpected end/i.test(why)
      ? `is truncated (gzip stream ends early at byte ${bytes.length})`
      : `is not valid gzip data (${why})`;
    throw new DataError(file, problem, hint, { cause: e });
  }
}
