// The built-in, offline embedder: hashed bag of bilingual stems, glossary
// translations and character 4-grams. Why by hand: it must work with no
// downloaded weights, and no library ships a French/English one. Every word is
// stemmed as French and as English so a document and a question in different
// languages meet on shared stems (names, figures, cognates) and glossary links.
import { eventLoopYielder } from '../index/yield.js';
import { fold, isStopWord, stem, translate, words } from '../text/analyze.js';
import type { TextEmbeddings } from './types.js';

export const LOCAL_MODEL = 'akhbar-hash-v1';

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

interface Feature {
  name: string;
  hash: number;
  weight: number;
}

/** Past this many distinct words the cache starts over (it is only a speed-up). */
const WORD_CACHE_LIMIT = 200_000;

export class LocalHashEmbeddings implements TextEmbeddings {
  /** A word's features depend on the word alone: computed once per distinct word (stop words map to none). */
  private readonly wordCache = new Map<string, Feature[]>();

  constructor(readonly dimensions = 384) {}

  private featuresOfWord(word: string): Feature[] {
    let cached = this.wordCache.get(word);
    if (cached) return cached;
    cached = [];
    const out = cached;
    const add = (name: string, weight: number) => out.push({ name, hash: fnv1a(name), weight });
    if (!isStopWord(word)) {
      const stems = new Set([stem(word, 'fr'), stem(word, 'en')]);
      for (const s of stems) {
        add(`s:${s}`, 1 / stems.size);
        for (const t of translate(s)) add(`s:${t}`, 0.6 / stems.size);
      }
      if (!/\d/.test(word)) {
        const padded = `^${fold(word)}$`;
        const grams = Math.max(1, padded.length - 3);
        for (let i = 0; i + 4 <= padded.length; i++) add(`g:${padded.slice(i, i + 4)}`, 0.5 / grams);
      }
    }
    if (this.wordCache.size > WORD_CACHE_LIMIT) this.wordCache.clear();
    this.wordCache.set(word, cached);
    return cached;
  }

  /** Summed weight and hash per feature, in first-seen order. */
  private features(list: readonly string[]): Map<string, { count: number; hash: number }> {
    const counts = new Map<string, { count: number; hash: number }>();
    for (const word of list) {
      for (const f of this.featuresOfWord(word)) {
        const entry = counts.get(f.name);
        if (entry) entry.count += f.weight;
        else counts.set(f.name, { count: 0 + f.weight, hash: f.hash });
      }
    }
    return counts;
  }

  embedText(text: string): number[] {
    return this.embedWords(words(text));
  }

  /** `embedText` of text already split by `words` (an index build splits each chunk once, for the embedder and for BM25). */
  embedWords(list: readonly string[]): number[] {
    const vector = new Float64Array(this.dimensions);
    for (const { count, hash: h } of this.features(list).values()) {
      // Sublinear term frequency, random sign: collisions cancel out instead of piling up.
      const weight = count <= 1 ? count : 1 + Math.log(count);
      vector[h % this.dimensions]! += h & 0x80000000 ? -weight : weight;
    }
    let norm = 0;
    for (const v of vector) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return Array.from(vector, (v) => v / norm);
  }

  /** Yields to the event loop between documents: a batch of new words (each stemmed twice) holds it for 0.2–0.5 s. */
  async embedDocuments(texts: string[]): Promise<number[][]> {
    const pause = eventLoopYielder();
    const vectors: number[][] = [];
    for (const text of texts) {
      vectors.push(this.embedText(text));
      await pause();
    }
    return vectors;
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.embedText(text);
  }
}
