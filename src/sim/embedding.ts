/**
 * Simulated embeddings: a hashed bag of word unigrams and bigrams, L2-normalised. Deterministic and
 * lexical: texts that share words score a high cosine, texts that share none score near 0. It knows
 * no synonyms ("glad" and "happy" are unrelated here), so it stands in for an embedding model in
 * tests and demos; it does not measure meaning.
 */
import { hashString } from '../core/random.js';

export const DEFAULT_EMBEDDING_DIMENSIONS = 256;

const WORD = /[\p{L}\p{N}]+/gu;

/** Function words share little meaning: they count, but too little to make unrelated texts look alike. */
const STOP_WORDS = new Set([
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'been',
  'but',
  'by',
  'do',
  'does',
  'for',
  'from',
  'has',
  'have',
  'i',
  'if',
  'in',
  'is',
  'it',
  'its',
  'me',
  'my',
  'of',
  'on',
  'or',
  'our',
  'so',
  'that',
  'the',
  'their',
  'them',
  'there',
  'these',
  'they',
  'this',
  'those',
  'to',
  'was',
  'we',
  'were',
  'what',
  'which',
  'will',
  'with',
  'you',
  'your',
]);
const STOP_WEIGHT = 0.2;
const BIGRAM_WEIGHT = 0.5;

/** Plural and singular of a word land on the same feature. */
function stem(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

export function embeddingWords(text: string): string[] {
  return Array.from(text.toLowerCase().matchAll(WORD), (m) => stem(m[0]));
}

/**
 * `space` (the served snapshot) seeds the hashes, so vectors from different snapshots are not
 * comparable, as with real embedding models.
 */
export function simEmbedding(text: string, space: string, dimensions: number = DEFAULT_EMBEDDING_DIMENSIONS): number[] {
  const v = new Float64Array(dimensions);
  const add = (feature: string, weight: number): void => {
    const key = `${space}\u0000${feature}`;
    // Signed hashing: collisions cancel out on average instead of piling up.
    const sign = hashString(`sign\u0000${key}`) & 1 ? -1 : 1;
    const i = hashString(key) % dimensions;
    v[i] = (v[i] ?? 0) + sign * weight;
  };
  const words = embeddingWords(text);
  words.forEach((w, i) => {
    add(`1:${w}`, STOP_WORDS.has(w) ? STOP_WEIGHT : 1);
    const next = words[i + 1];
    if (next !== undefined) add(`2:${w} ${next}`, BIGRAM_WEIGHT);
  });
  // A text with no words still gets a unit vector: real models never answer a zero vector.
  if (words.length === 0) add('0:empty', 1);
  let norm = l2(v);
  // In very few dimensions the signed features can cancel out exactly: same rule, never a zero vector (or NaN).
  if (norm === 0) {
    add('0:cancelled', 1);
    norm = l2(v);
  }
  return Array.from(v, (x) => x / norm);
}

function l2(v: Float64Array): number {
  let sum = 0;
  for (const x of v) sum += x * x;
  return Math.sqrt(sum);
}
