import { DataError } from '../data/errors';
import { readSwordZText } from './sword';

/** A text corpus and where it came from. */
export interface Corpus {
  /** Short name, e.g. `"web-bible"`. */
  name: string;
  /** The running text, one paragraph a line. */
  text: string;
  /** Where it was read from. */
  source: string;
  /** Its licence, in a few words. */
  licence: string;
}

/** Where Debian's `sword-text-web` package installs the World English Bible's SWORD module. */
export const WEB_BIBLE_DIR = '/usr/share/sword/modules/texts/ztext/engWEB2015eb';

/** The Debian package that ships the corpus (scripts/setup.sh installs it). */
export const WEB_BIBLE_PACKAGE = 'sword-text-web';

/**
 * The lab's English text corpus, available offline: the World English Bible with the
 * Deuterocanon (eBible.org, 2020 stable text; public domain), about 940,000 words of modern
 * English, read from the SWORD module of Debian's `sword-text-web` package.
 * The folder is `opts.dir`, else `SELFSUP_CORPUS_DIR`, else {@link WEB_BIBLE_DIR}.
 * @throws DataError naming the missing or damaged file and how to install the package
 */
export function loadEnglishCorpus(opts: { dir?: string } = {}): Corpus {
  const dir = opts.dir ?? (process.env.SELFSUP_CORPUS_DIR || WEB_BIBLE_DIR);
  const hint =
    `The English corpus is the World English Bible of the Debian package ${WEB_BIBLE_PACKAGE}: install it ` +
    `(\`apt-get install ${WEB_BIBLE_PACKAGE}\`; \`bash scripts/setup.sh\` does), or set SELFSUP_CORPUS_DIR to a folder ` +
    `holding its ot.bzs, ot.bzz, nt.bzs and nt.bzz.`;
  const text = readSwordZText(dir, hint);
  if (text.length < 1000) throw new DataError(dir, `holds almost no text (${text.length} characters)`, hint);
  return {
    name: 'web-bible',
    text,
    source: `${dir} (Debian package ${WEB_BIBLE_PACKAGE})`,
    licence: 'public domain (World English Bible, eBible.org)',
  };
}
