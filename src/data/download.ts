import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DataError } from './errors';
import { rememberDigests, type FileDigests } from './file-hash';

/** Options for {@link downloadFile}. */
export interface DownloadOptions {
  /** No progress on stderr. */
  quiet?: boolean;
  /** Record the file's digests in this cache folder's checksum memo. */
  cacheDir?: string;
  /** Name shown in the progress line (default: the URL). */
  label?: string;
  /** What a failure tells the user to do. */
  hint?: string;
  /** Called with the digests before the file is moved into place; throw to reject it. */
  accept?: (d: FileDigests) => void;
}

/**
 * Download `url` to `dest` with Node's fetch: streamed to `<dest>.part` while hashing (sha256 and
 * md5), checked by `opts.accept`, then renamed into place, so `dest` only ever holds a whole,
 * accepted file. Shows a progress line on stderr unless quiet. A network error, an HTTP error
 * status, a short body, or a rejected checksum gives a `DataError` naming the URL.
 */
export async function downloadFile(url: string, dest: string, opts: DownloadOptions = {}): Promise<FileDigests> {
  const hint = opts.hint ?? 'Check your network connection and run again, or download the file by hand into a mirror folder and set SELFSUP_MIRROR.';
  const part = `${dest}.part`;
  try {
    mkdirSync(dirname(dest), { recursive: true });
  } catch (e) {
    throw new DataError(dirname(dest), `cannot be created for the download (${(e as Error).message})`, 'Set SELFSUP_CACHE to a writable folder and run again.', { cause: e });
  }
  let res: Response;
  try {
    res = await fetch(url, { redirect: 'follow' });
  } catch (e) {
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new DataError(url, `could not be downloaded (${cause?.code ?? cause?.message ?? (e as Error).message})`, hint, { cause: e });
  }
  if (!res.ok || !res.body) {
    throw new DataError(url, `could not be downloaded (HTTP ${res.status} ${res.statusText})`, hint);
  }
  // with a Content-Encoding, fetch decodes the body and Content-Length no longer counts its bytes
  const total = res.headers.get('content-encoding') ? 0 : Number(res.headers.get('content-length')) || 0;
  const label = opts.label ?? url;
  const sha = createHash('sha256');
  const md5 = createHash('md5');
  const tty = process.stderr.isTTY;
  const show = (done: boolean) => {
    if (opts.quiet) return;
    const mb = (received / 1e6).toFixed(1);
    const of = total ? `/${(total / 1e6).toFixed(1)} MB (${Math.floor((100 * received) / total)}%)` : ' MB';
    const line = `selfsup: downloading ${label} from ${url}: ${mb}${of}`;
    if (tty) process.stderr.write(`\r${line}${done ? '\n' : ''}`);
    else if (done) process.stderr.write(`${line}\n`);
  };
  if (!opts.quiet && !tty) process.stderr.write(`selfsup: downloading ${label} from ${url}${total ? ` (${(total / 1e6).toFixed(1)} MB)` : ''}\n`);
  let received = 0;
  let lastShown = 0;
  const fd = openSync(part, 'w');
  try {
    const reader = res.body.getReader();
    while (true) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        throw new DataError(url, `could not be downloaded (the connection broke after ${received} bytes: ${(e as Error).message})`, hint, { cause: e });
      }
      if (chunk.done) break;
      const b = chunk.value;
      writeSync(fd, b);
      sha.update(b);
      md5.update(b);
      received += b.length;
      if (Date.now() - lastShown > 250) { lastShown = Date.now(); show(false); }
    }
    show(true);
  } catch (e) {
    closeSync(fd);
    rmSync(part, { force: true });
    throw e;
  }
  closeSync(fd);
  if (total && received !== total) {
    rmSync(part, { force: true });
    throw new DataError(url, `could not be downloaded (got ${received} of ${total} bytes)`, hint);
  }
  const d = { sha256: sha.digest('hex'), md5: md5.digest('hex') };
  try {
    opts.accept?.(d);
  } catch (e) {
    rmSync(part, { force: true });
    throw e;
  }
  renameSync(part, dest);
  if (opts.cacheDir) rememberDigests(dest, d, opts.cacheDir);
  return d;
}
