import { DataError, HINT_REPLACE_FILE } from './errors';
import { gunzipIfNeeded } from './gzip';
import { readFileOrThrow } from './read-file';

/** One member of a tar archive. Regular files carry their bytes; directories carry none. */
export interface TarEntry {
  /** Path inside the archive, with `/` separators, no leading `./` and no trailing `/`. */
  path: string;
  type: 'file' | 'directory';
  /** The member's bytes: a view into the archive buffer, not a copy. Empty for directories. */
  data: Buffer;
}

const BLOCK = 512;

/**
 * Read a tar archive (POSIX ustar, GNU or old v7; gzip-compressed or not, detected by content)
 * into its file and directory entries, in archive order.
 *
 * Understands GNU long names (`L`), pax extended headers (`x`, for `path`) and the ustar
 * prefix field; skips links, devices and global pax headers. Throws a `DataError` naming `file`
 * when the input is not a tar archive, a header checksum is wrong, a size field is not a
 * number, or the archive is truncated (a member runs past the end, or the end-of-archive
 * marker of zero blocks is missing).
 *
 * @param bytes the archive's bytes.
 * @param file the archive's path, reported in errors.
 * @param hint what to tell the user on failure (default: replace the file).
 */
export function readTar(bytes: Buffer, file = '<tar buffer>', hint: string = HINT_REPLACE_FILE): TarEntry[] {
  const buf = gunzipIfNeeded(bytes, file, hint);
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  let paxPath: string | undefined;
  let sawHeader = false;

  while (true) {
    if (offset + BLOCK > buf.length) {
      if (!sawHeader) throw new DataError(file, `is not a tar archive (${buf.length} bytes, less than one 512-byte header)`, hint);
      throw new DataError(file, `is truncated (expected 512-byte tar blocks and an end-of-archive marker, file ends at byte ${buf.length})`, hint);
    }
    const header = buf.subarray(offset, offset + BLOCK);
    if (isZeroBlock(header)) {
      if (!sawHeader && !isZeroBlock(buf.subarray(offset))) {
        throw new DataError(file, 'is not a tar archive (it starts with an empty block but holds data after it)', hint);
      }
      return entries; // end-of-archive marker; what follows is padding
    }
    const stored = parseOctal(header, 148, 8);
    const { unsigned, signed } = headerChecksum(header);
    if (stored === undefined || (stored !== unsigned && stored !== signed)) {
      if (!sawHeader) {
        throw new DataError(file, `is not a tar archive (no valid tar header at byte 0: the header checksum does not match)`, hint);
      }
      throw new DataError(file, `is corrupt (bad tar header checksum at byte ${offset}: stored ${stored ?? 'unreadable'}, computed ${unsigned})`, hint);
    }
    sawHeader = true;
    const size = parseSize(header);
    if (size === undefined) throw new DataError(file, `is corrupt (unreadable size field in the tar header at byte ${offset})`, hint);
    const dataStart = offset + BLOCK;
    const dataEnd = dataStart + size;
    if (dataEnd > buf.length) {
      throw new DataError(file, `is truncated (a member of ${size} bytes starts at byte ${dataStart}, file ends at byte ${buf.length})`, hint);
    }
    const data = buf.subarray(dataStart, dataEnd);
    const type = String.fromCharCode(header[156]);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;

    if (type === 'L') { longName = cString(data, 0, data.length); continue; }
    if (type === 'x') { paxPath = paxValue(data, 'path') ?? paxPath; continue; }
    if (type === 'g' || type === 'K') continue;

    let name = longName ?? paxPath ?? headerName(header);
    longName = undefined;
    paxPath = undefined;
    name = normalisePath(name);
    if (name === '') continue;
    if (type === '0' || type === '\0' || type === '7') entries.push({ path: name, type: 'file', data });
    else if (type === '5') entries.push({ path: name, type: 'directory', data: buf.subarray(0, 0) });
    // links ('1', '2'), devices and fifos are skipped
  }
}

/** Read a tar or .tar.gz archive from disk; see {@link readTar}. */
export function readTarFile(path: string, hint: string = HINT_REPLACE_FILE): TarEntry[] {
  return readTar(readFileOrThrow(path, hint), path, hint);
}

function isZeroBlock(block: Buffer): boolean {
  for (let i = 0; i < block.length; i++) if (block[i] !== 0) return false;
  return true;
}

function headerChecksum(h: Buffer): { unsigned: number; signed: number } {
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : h[i];
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  return { unsigned, signed };
}

/** Octal number in a NUL/space-terminated field; undefined if it holds anything else. */
function parseOctal(h: Buffer, start: number, len: number): number | undefined {
  let s = cString(h, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return undefined;
  return parseInt(s, 8);
}

/** The size field: octal, or GNU base-256 when its first byte has the high bit set. */
function parseSize(h: Buffer): number | undefined {
  if (h[124] & 0x80) {
    if (h[124] !== 0x80) return undefined; // negative or absurd
    let v = 0;
    for (let i = 125; i < 136; i++) v = v * 256 + h[i];
    return Number.isSafeInteger(v) ? v : undefined;
  }
  return parseOctal(h, 124, 12);
}

function cString(b: Buffer, start: number, len: number): string {
  let end = start;
  while (end < start + len && b[end] !== 0) end++;
  return b.toString('utf8', start, end);
}

function headerName(h: Buffer): string {
  const name = cString(h, 0, 100);
  const isUstar = h.toString('latin1', 257, 262) === 'ustar';
  const isGnu = h.toString('latin1', 257, 265) === 'ustar  \0';
  if (isUstar && !isGnu) {
    const prefix = cString(h, 345, 155);
    if (prefix) return `${prefix}/${name}`;
  }
  return name;
}

function paxValue(data: Buffer, key: string): string | undefined {
  // records: "<len> <key>=<value>\n"
  let pos = 0;
  let found: string | undefined;
  while (pos < data.length) {
    const space = data.indexOf(0x20, pos);
    if (space < 0) break;
    const len = parseInt(data.toString('latin1', pos, space), 10);
    if (!(len > 0) || pos + len > data.length) break;
    const record = data.toString('utf8', space + 1, pos + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0 && record.slice(0, eq) === key) found = record.slice(eq + 1);
    pos += len;
  }
  return found;
}

function normalisePath(p: string): string {
  return p
    .replace(/\\/g, '/')
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
}
