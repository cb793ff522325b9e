import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { DataError, readTar, readTarFile } from '../../src/data';
import { makeTar, put, tempDir } from './helpers';

const sample = () => makeTar([{ path: 'a/' }, { path: 'a/x.txt', data: 'hello' }, { path: 'a/b/y.bin', data: Buffer.alloc(700, 7) }]);

function hasTar(): boolean {
  try { execFileSync('tar', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe('readTar', () => {
  it('reads files and directories with their bytes', () => {
    const e = readTar(sample(), 'sample.tar');
    assert.deepEqual(e.map((x) => [x.path, x.type, x.data.length]), [['a', 'directory', 0], ['a/x.txt', 'file', 5], ['a/b/y.bin', 'file', 700]], 'entries');
    assert.equal(e[1].data.toString(), 'hello', 'file content');
    assert.ok(e[2].data.every((b) => b === 7), 'second file content');
  });

  it('reads a gzip-compressed archive (detected by content)', () => {
    const e = readTar(gzipSync(sample()), 'sample.tar.gz');
    assert.equal(e.length, 3, 'entry count');
    assert.equal(e[1].data.toString(), 'hello', 'content through gzip');
  });

  it('treats an all-zero archive as empty', () => {
    assert.deepEqual(readTar(Buffer.alloc(10240), 'empty.tar'), [], 'no entries');
  });

  it('reads GNU tar output with long names (system tar)', { skip: hasTar() ? false : 'no tar command on this machine' }, () => {
    const dir = tempDir();
    const long = `${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(40)}.txt`;
    put(join(dir, 'src'), long, 'deep');
    execFileSync('tar', ['-czf', join(dir, 'out.tar.gz'), '-C', join(dir, 'src'), '.']);
    const e = readTarFile(join(dir, 'out.tar.gz'));
    const f = e.find((x) => x.type === 'file');
    assert.equal(f?.path, long, 'long path survives');
    assert.equal(f?.data.toString(), 'deep', 'content');
  });

  it('rejects a truncated archive with a DataError naming the file', () => {
    const t = sample();
    assert.throws(() => readTar(t.subarray(0, 700), '/x/data.tar'), (e: unknown) => e instanceof DataError && /\/x\/data\.tar is truncated/.test(e.message) && e.file === '/x/data.tar');
    assert.throws(() => readTar(t.subarray(0, 2048), 'cut.tar'), /cut\.tar is truncated/, 'cut at a block boundary, no end marker');
  });

  it('rejects a bad header checksum', () => {
    const t = Buffer.from(sample());
    t[512 + 10] ^= 0xff; // inside the second header's name
    assert.throws(() => readTar(t, 'bad.tar'), (e: unknown) => e instanceof DataError && /bad tar header checksum at byte 512/.test(e.message));
  });

  it('rejects input that is not a tar archive', () => {
    assert.throws(() => readTar(Buffer.from('just some text, not an archive'.repeat(40)), 'notes.txt'), /notes\.txt is not a tar archive/);
    assert.throws(() => readTar(Buffer.alloc(10), 'tiny'), /tiny is not a tar archive/);
    assert.throws(() => readTar(Buffer.concat([Buffer.alloc(512), Buffer.from('x')]), 'z'), /z is not a tar archive/);
  });

  it('rejects a truncated .tar.gz', () => {
    const gz = gzipSync(sample());
    assert.throws(() => readTar(gz.subarray(0, gz.length - 10), 'cut.tar.gz'), /cut\.tar\.gz is truncated \(gzip stream/);
  });

  it('names a missing file', () => {
    assert.throws(() => readTarFile('/nonexistent/selfsup.tar'), (e: unknown) => e instanceof DataError && /\/nonexistent\/selfsup\.tar does not exist/.test(e.message));
  });

  it('property: truncating and/or corrupting a valid archive gives entries or a DataError, never another error', { timeout: 20_000 }, () => {
    const base = sample();
    const gz = gzipSync(base);
    fc.assert(fc.property(fc.boolean(), fc.nat(), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }), (useGz, cutSeed, flips) => {
      const src = Buffer.from(useGz ? gz : base);
      for (const [pos, x] of flips) src[pos % src.length] ^= x;
      try {
        readTar(src.subarray(0, 1 + (cutSeed % src.length)), 'p.tar');
        return true;
      } catch (e) {
        return e instanceof DataError;
      }
    }), { numRuns: 400 });
  });

  it('property: every proper prefix of an uncompressed archive is rejected as truncated or not-a-tar', { timeout: 20_000 }, () => {
    const base = sample();
    fc.assert(fc.property(fc.integer({ min: 0, max: base.length - 1024 - 1 }), (cut) => {
      try { readTar(base.subarray(0, cut), 'p.tar'); return false; } catch (e) { return e instanceof DataError; }
    }), { numRuns: 200 });
  });
});
