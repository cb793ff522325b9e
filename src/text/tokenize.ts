/**
 * Split text into lowercase words: runs of letters (any script), an apostrophe inside a word
 * kept (`don't`), a possessive `'s` dropped (`God's` -> `god`), typographic apostrophes (’ ‘)
 * read as `'`. Digits, punctuation and dashes separate words and are dropped.
 * @example tokenize("God’s word—don't!") // ['god', 'word', "don't"]
 */
export function tokenize(text: string): string[] {
  const words = text.toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").match(/\p{L}+(?:'\p{L}+)*/gu) ?? [];
  return words.map((w) => (w.endsWith("'s") ? w.slice(0, -2) : w));
}
