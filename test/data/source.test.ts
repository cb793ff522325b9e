import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataError, fileDigests, findLocalFile, readSha256Sums, resolveFile, type FileSpec } from '../../src/data';
import { put, tempDir } from './helpers';

const sha = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const md5 = (b: string | Buffer) => createHash('md5').update(b).digest('hex');
const GOOD = 'the real dataset bytes\n'.repeat(100);

let server: Server;
let base = '';
let hits = 0;
before(async () => {
  server = createServer((req, res) => {
    hits++;
    if (req.url === '/good.bin') { res.writeHead(200, { 'content-length': Buffer.byteLength(GOOD) }); res.end(GOOD); }
    else if (req.url === '/tampered.bin') { res.writeHead(200); res.end('evil bytes'); }
    else { res.writeHead(404); res.end('no'); }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

const spec = (over: Partial<FileSpec> = {}): FileSpec => ({ name: 'test file', path: 'set/good.bin', url: `${base}/good.bin`, sha256: [sha(GOOD)], ...over });

describe('resolveFile', () => {
  it('uses a mirror copy with the right checksum, without downloading', async () => {
    const mirror = tempDir();
    const p = put(mirror, 'set/good.bin', GOOD);
    const h0 = hits;
    const r = await resolveFile(spec(), { mirror, cacheDir: tempDir(), quiet: true });
    assert.deepEqual([r.path, r.origin, r.sha256], [p, 'mirror', sha(GOOD)], 'found in mirror');
    assert.equal(hits, h0, 'no request made');
  });

  it('rejects a mirror copy with a wrong checksum, naming it', async () => {
    const mirror = tempDir();
    const p = put(mirror, 'set/good.bin', 'damaged');
    await assert.rejects(resolveFile(spec(), { mirror, cacheDir: tempDir(), quiet: true }),
      (e: unknown) => e instanceof DataError && e.file === p && /does not match its checksum/.test(e.message) && /replace it/.test(e.hint));
  });

  it('accepts an md5 match when no sha256 is known', async () => {
    const mirror = tempDir();
    put(mirror, 'set/good.bin', GOOD);
    const r = await resolveFile(spec({ sha256: undefined, md5: [md5(GOOD)] }), { mirror, cacheDir: tempDir(), quiet: true });
    assert.equal(r.origin, 'mirror');
  });

  it("falls back on the mirror's SHA256SUMS for files the spec has no sums for", async () => {
    const mirror = tempDir();
    put(mirror, 'set/good.bin', GOOD);
    put(mirror, 'SHA256SUMS', `${sha('something else')}  set/good.bin\n`);
    assert.equal(readSha256Sums(mirror).get('set/good.bin'), sha('something else'), 'parsed');
    await assert.rejects(resolveFile(spec({ sha256: undefined }), { mirror, cacheDir: tempDir(), quiet: true }), /SHA256SUMS/);
    put(mirror, 'SHA256SUMS', `${sha(GOOD)}  set/good.bin\n`);
    assert.equal((await resolveFile(spec({ sha256: undefined }), { mirror, cacheDir: tempDir(), quiet: true })).origin, 'mirror');
  });

  it('downloads into the cache, checks it, and finds it there next time', async () => {
    const cacheDir = tempDir();
    const r = await resolveFile(spec(), { mirror: false, cacheDir, quiet: true, offline: false });
    assert.equal(r.origin, 'download', 'downloaded');
    assert.equal(readFileSync(r.path, 'utf8'), GOOD, 'content');
    assert.equal(r.path, join(cacheDir, 'downloads', 'set', 'good.bin'), 'cache path');
    const h0 = hits;
    const again = await resolveFile(spec(), { mirror: false, cacheDir, quiet: true, offline: false });
    assert.deepEqual([again.origin, hits], ['cache', h0], 'second time from cache, no request');
  });

  it('rejects a download with the wrong checksum and leaves nothing behind', async () => {
    const cacheDir = tempDir();
    await assert.rejects(resolveFile(spec({ url: `${base}/tampered.bin` }), { mirror: false, cacheDir, quiet: true, offline: false }),
      (e: unknown) => e instanceof DataError && e.file === `${base}/tampered.bin` && /does not match its checksum/.test(e.message));
    assert.deepEqual(readdirSync(join(cacheDir, 'downloads', 'set')), [], 'no partial or bad file');
  });

  it('reports failed downloads (HTTP error, refused connection) naming the URL', async () => {
    await assert.rejects(resolveFile(spec({ url: `${base}/missing.bin` }), { mirror: false, cacheDir: tempDir(), quiet: true, offline: false }),
      (e: unknown) => e instanceof DataError && e.file === `${base}/missing.bin` && /HTTP 404/.test(e.message) && /SELFSUP_MIRROR/.test(e.hint));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    await assert.rejects(resolveFile(spec({ url: `http://127.0.0.1:${port}/x.bin` }), { mirror: false, cacheDir: tempDir(), quiet: true, offline: false }),
      (e: unknown) => e instanceof DataError && /could not be downloaded \(ECONNREFUSED\)/.test(e.message));
  });

  it('names the missing mirror file when offline or without a URL', async () => {
    const mirror = tempDir();
    await assert.rejects(resolveFile(spec(), { mirror, cacheDir: tempDir(), offline: true, quiet: true }),
      (e: unknown) => e instanceof DataError && e.file === 'set/good.bin' && e.message.includes(join(mirror, 'set/good.bin')) && /offline/.test(e.message));
    await assert.rejects(resolveFile(spec({ url: undefined }), { mirror, cacheDir: tempDir(), quiet: true }), /has no download URL/);
  });

  it('rejects a mirror folder that does not exist', () => {
    assert.throws(() => findLocalFile(spec(), { mirror: '/nonexistent/mirror', cacheDir: tempDir() }),
      (e: unknown) => e instanceof DataError && e.file === '/nonexistent/mirror' && /SELFSUP_MIRROR/.test(e.hint));
  });

  it('remembers checksums by size and modification time', () => {
    const d = tempDir();
    const cacheDir = tempDir();
    const p = put(d, 'f', 'abc');
    assert.equal(fileDigests(p, cacheDir).sha256, sha('abc'), 'hashed');
    assert.ok(existsSync(join(cacheDir, 'checksums.json')), 'memo written');
    put(d, 'f', 'abcd'); // other size: hashed again
    assert.equal(fileDigests(p, cacheDir).sha256, sha('abcd'), 'changed file re-hashed');
  });
});
