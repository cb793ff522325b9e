import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DataError } from './errors';

/** A file's sha256 and md5, hex. */
export interface FileDigests {
  sha256: string;
  md5: string;
}

/** Hash a file in one pass (4 MiB reads), giving sha256 and md5 in hex. */
export function hashFile(path: string): FileDigests {
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new DataError(path, 'cannot be opened', 'Check the path and its permissions and run again.', { cause: e });
  }
  try {
    const chunk = Buffer.allocUnsafe(4 << 20);
    let read: number;
    while ((read = readSync(fd, chunk, 0, chunk.length, null)) > 0) {
      sha.update(chunk.subarray(0, read));
      md5.update(chunk.subarray(0, read));
    }
  } finally {
    closeSync(fd);
  }
  return { sha256: sha.digest('hex'), md5: md5.digest('hex') };
}

interface MemoEntry extends FileDigests { size: number; mtimeMs: number }

/**
 * A file's digests, remembered in `<cacheDir>/checksums.json` under its absolute path, size and
 * modification time, so a large archive is hashed once, not on every load. A changed file
 * (other size or time) is hashed again. Without `cacheDir` nothing is remembered.
 */
export function fileDigests(path: string, cacheDir?: string): FileDigests {
  const abs = resolve(path);
  const st = statSync(abs);
  const memoFile = cacheDir ? join(cacheDir, 'checksums.json') : undefined;
  const memo = memoFile ? readMemo(memoFile) : {};
  const hit = memo[abs];
  if (hit && hit.size === st.size && hit.mtimeMs === st.mtimeMs) return { sha256: hit.sha256, md5: hit.md5 };
  const d = hashFile(abs);
  if (memoFile) rememberDigests(abs, d, cacheDir!);
  return d;
}

/** Record a file's known digests in the memo (e.g. after a download hashed it on the way). */
export function rememberDigests(path: string, d: FileDigests, cacheDir: string): void {
  const abs = resolve(path);
  const memoFile = join(cacheDir, 'checksums.json');
  try {
    const st = statSync(abs);
    const memo = readMemo(memoFile);
    memo[abs] = { ...d, size: st.size, mtimeMs: st.mtimeMs };
    mkdirSync(dirname(memoFile), { recursive: true });
    const tmp = `${memoFile}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, JSON.stringify(memo, null, 1));
    renameSync(tmp, memoFile);
  } catch {
    // the memo is only a speed-up; a read-only cache folder just means hashing again next time
  }
}

function readMemo(file: string): Record<string, MemoEntry> {
  try {
    const m = JSON.parse(readFileSync(file, 'utf8'));
    return m && typeof m === 'object' && !Array.isArray(m) ? m : {};
  } catch {
    return {};
  }
}
