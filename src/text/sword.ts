import * as fs from 'node:fs';
import * as path from 'node:path';
import { inflateSync } from 'node:zlib';
import { DataError } from '../data/errors';
import { readFileOrThrow } from '../data/read-file';

/**
 * The plain text of a SWORD "zText" Bible module (CrossWire's format, used by Debian's
 * `sword-text-*` packages): for each testament (`ot`, then `nt`) the block index `<t>.bzs`
 * (12 bytes a block: offset, compressed size, uncompressed size, little-endian uint32) points
 * into `<t>.bzz`, a run of zlib streams; the blocks, inflated and concatenated in order, hold the
 * module's OSIS XML, which {@link osisToText} turns into running text.
 *
 * @param dir the module's data folder, e.g. `/usr/share/sword/modules/texts/ztext/engWEB2015eb`
 * @param hint what to tell the user when a file is missing or damaged
 * @returns the text, one paragraph a line
 * @throws DataError naming the file when one is missing, truncated or not zlib data
 */
export function readSwordZText(dir: string, hint: string): string {
  const parts: string[] = [];
  for (const t of ['ot', 'nt']) {
    const bzsFile = path.join(dir, `${t}.bzs`);
    const bzzFile = path.join(dir, `${t}.bzz`);
    const bzs = readFileOrThrow(bzsFile, hint);
    const bzz = readFileOrThrow(bzzFile, hint);
    if (bzs.length === 0 || bzs.length % 12 !== 0) {
      throw new DataError(bzsFile, `is not a SWORD block index (${bzs.length} bytes, expected a positive multiple of 12)`, hint);
    }
    for (let b = 0; b < bzs.length / 12; b++) {
      const offset = bzs.readUInt32LE(12 * b);
      const size = bzs.readUInt32LE(12 * b + 4);
      const expected = bzs.readUInt32LE(12 * b + 8);
      if (size === 0) continue; // an empty block (a book the module lacks)
      if (offset + size > bzz.length) {
        throw new DataError(bzzFile, `is truncated (block ${b} ends at byte ${offset + size}, the file has ${bzz.length})`, hint);
      }
      let block: Buffer;
      try {
        block = inflateSync(bzz.subarray(offset, offset + size));
      } catch (e) {
        throw new DataError(bzzFile, `is damaged (block ${b} at byte ${offset} is not zlib data: ${(e as Error).message})`, hint, { cause: e });
      }
      if (block.length !== expected) {
        throw new DataError(bzzFile, `is damaged (block ${b} inflates to ${block.length} bytes, the index says ${expected})`, hint);
      }
      parts.push(osisToText(block.toString('utf8')));
    }
  }
  return parts.join('\n');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * Running text from OSIS XML: footnotes (`<note>`) and headings (`<title>`) are dropped with their
 * content (they are not part of the text), every other tag is removed (its content kept; an inline
 * tag such as `<w>` without a trace, a structural one as a space), a
 * paragraph or line-group end becomes a line break, entities are decoded, runs of spaces collapse.
 */
export function osisToText(xml: string): string {
  return xml
    .replace(/<note\b[^>]*\/>/g, ' ')
    .replace(/<note\b[\s\S]*?<\/note>/g, ' ')
    .replace(/<title\b[^>]*\/>/g, ' ')
    .replace(/<title\b[\s\S]*?<\/title>/g, ' ')
    .replace(/<(?:div|lg|p)\b[^>]*\beID=[^>]*>/g, '\n')
    .replace(/<\/?(?:w|transChange|seg|hi|name|q|foreign|divineName|rdg|catchWord)\b[^>]*>/g, '')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\r]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

/** True when `dir` holds the four files {@link readSwordZText} reads. */
export function isSwordZText(dir: string): boolean {
  return ['ot.bzs', 'ot.bzz', 'nt.bzs', 'nt.bzz'].every((f) => fs.existsSync(path.join(dir, f)));
}
