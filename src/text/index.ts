/**
 * Text for the lecture's NLP aside (Word2Vec): an English corpus read offline, tokens, a
 * vocabulary, the skip-gram task's pairs and noise words, the model trained through the lab's
 * loop, nearest words. Sits beside data/: imports data, models and train; only eval, viz and the
 * notebooks import it.
 * @packageDocumentation
 */
export { readSwordZText, osisToText, isSwordZText } from './sword';
export { loadEnglishCorpus, WEB_BIBLE_DIR, WEB_BIBLE_PACKAGE } from './corpus';
export type { Corpus } from './corpus';
export { tokenize } from './tokenize';
export { buildVocabulary, encodeTokens, wordId } from './vocabulary';
export type { Vocabulary } from './vocabulary';
export { keepProbability, subsample, skipGramPairs, noiseDistribution, noiseSampler, hiddenWordExamples } from './skip-gram';
export type { SkipGramPairs, NoiseSampler } from './skip-gram';
export {
  skipGramModel,
  negativeSamplingLoss,
  skipGramTask,
  trainWord2Vec,
  unitWordVectors,
  nearestToVector,
  nearestWords,
  gatherRows,
  analogy,
} from './word2vec';
export type { SkipGramModel, Word2VecConfig, Word2VecResult, Neighbour } from './word2vec';
