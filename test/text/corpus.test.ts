import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { deflateSync } from 'node:zlib';
import { DataError } from '../../src/data/errors';
import { osisToText, readSwordZText } from '../../src/text/sword';
import { WEB_BIBLE_DIR, loadEnglishCorpus } from '../../src/text/corpus';
import { tokenize } from '../../src/text/tokenize';
import { buildVocabulary, encodeTokens, wordId } from '../../src/text/vocabulary';

/** Write a SWORD zText module (ot and nt, one block per given string) into a fresh folder. */
function writeModule(ot: string[], nt: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'selfsup-sword-'));
  for (const [t, blocks] of [['ot', ot], ['nt', nt]] as const) {
    const idx = Buffer.alloc(12 * blocks.length);
    const data: Buffer[] = [];
    let offset = 0;
    blocks.forEach((b, i) => {
      const raw = Buffer.from(b, 'utf8');
      const z = deflateSync(raw);
      idx.writeUInt32LE(offset, 12 * i);
      idx.writeUInt32LE(z.length, 12 * i + 4);
      idx.writeUInt32LE(raw.length, 12 * i + 8);
      data.push(z);
      offset += z.length;
    });
    fs.writeFileSync(path.join(dir, `${t}.bzs`), idx);
    fs.writeFileSync(path.join(dir, `${t}.bzz`), Buffer.concat(data));
  }
  return dir;
}

test('osisToText drops notes and headings, keeps the words of other tags, decodes entities', () => {
  const xml =
    '<title type="main">Genesis</title> <div sID="a" type="x-p"/><w lemma="strong:H7225">In the beginning</w>, God&apos;s word' +
    '<note placement="foot"><reference>1:1</reference>a footnote</note> &amp; more.<div eID="a" type="x-p"/> <div sID="b"/>Next&#x2014;one';
  assert.equal(osisToText(xml), "In the beginning, God's word & more.\nNext\u2014one");
});

test('readSwordZText inflates every block of ot then nt, in order', () => {
  const dir = writeModule(['<w>In the beginning</w>', 'second book'], ['<title>Matthew</title>new testament']);
  assert.equal(readSwordZText(dir, 'hint'), 'In the beginning\nsecond book\nnew testament');
});

test('a missing or damaged module file is a DataError naming the file; the corpus error names the Debian package', () => {
  const dir = writeModule(['abc'], ['def']);
  fs.rmSync(path.join(dir, 'nt.bzz'));
  assert.throws(() => readSwordZText(dir, 'install it'), (e: unknown) => e instanceof DataError && e.file === path.join(dir, 'nt.bzz') && /does not exist\. install it/.test(e.message));
  const dir2 = writeModule(['some text here'], ['def']);
  fs.truncateSync(path.join(dir2, 'ot.bzz'), 5);
  assert.throws(() => readSwordZText(dir2, 'h'), (e: unknown) => e instanceof DataError && /truncated/.test(e.message));
  const dir3 = writeModule(['some text here'], ['def']);
  fs.writeFileSync(path.join(dir3, 'ot.bzs'), Buffer.alloc(7));
  assert.throws(() => readSwordZText(dir3, 'h'), (e: unknown) => e instanceof DataError && /multiple of 12/.test(e.message));
  const missing = path.join(os.tmpdir(), 'selfsup-no-such-corpus');
  assert.throws(() => loadEnglishCorpus({ dir: missing }), (e: unknown) => e instanceof DataError && /sword-text-web/.test(e.message) && /SELFSUP_CORPUS_DIR/.test(e.message));
});

test('tokenize: lowercase letter runs, inner apostrophes kept, possessive dropped, digits and punctuation split', () => {
  assert.deepEqual(tokenize("God’s word—don't! In 1611, the King's men; ‘Naïve’ café."), ['god', 'word', "don't", 'in', 'the', 'king', 'men', 'naïve', 'café']);
  assert.deepEqual(tokenize('  42 -- !! '), []);
});

test('buildVocabulary: counts, frequency order with alphabetical ties, minCount and maxSize; encodeTokens drops unknown words', () => {
  const tokens = 'b a c a b a d e e'.split(' ');
  const v = buildVocabulary(tokens, { minCount: 2 });
  assert.deepEqual(v.words, ['a', 'b', 'e']);
  assert.deepEqual(Array.from(v.counts), [3, 2, 2]);
  assert.equal(v.covered, 7);
  assert.equal(v.total, 9);
  assert.equal(wordId(v, 'e'), 2);
  assert.throws(() => wordId(v, 'c'), /"c" is not in the vocabulary/);
  assert.deepEqual(Array.from(encodeTokens(tokens, v)), [1, 0, 0, 1, 0, 2, 2]);
  assert.deepEqual(buildVocabulary(tokens, { minCount: 1, maxSize: 2 }).words, ['a', 'b']);
  assert.throws(() => buildVocabulary(tokens, { minCount: 0 }), /minCount must be a positive integer/);
  assert.throws(() => buildVocabulary(tokens, { minCount: 10 }), /no word occurs minCount = 10 times/);
});

test('the English corpus (Debian sword-text-web): about 0.9 million words of modern English', { skip: !fs.existsSync(WEB_BIBLE_DIR) && 'sword-text-web is not installed' }, () => {
  const c = loadEnglishCorpus();
  const tokens = tokenize(c.text);
  assert.ok(tokens.length > 900_000, `${tokens.length} tokens`);
  assert.ok(c.text.includes('In the beginning, God created the heavens and the earth.'), 'Genesis 1:1 is in the text');
  assert.doesNotMatch(c.text.slice(0, 200_000), /<[a-z]/, 'no markup left');
  const v = buildVocabulary(tokens, { minCount: 5 });
  assert.equal(v.words[0], 'the');
  assert.ok(v.words.length > 5000, `${v.words.length} words occur 5 times or more`);
});
