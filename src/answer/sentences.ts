// Sentences of a text with where they start in it: what the answer stage
// scores and quotes.
import type { Lang } from '../types.js';

export interface Sentence {
  text: string;
  /** Offset of the sentence in the text it was cut from. */
  start: number;
}

/** Shorter pieces are headings, bylines or list debris, not quotable statements. */
const MIN_SENTENCE_CHARS = 16;

/** The same passages and articles answer many questions: their sentences are cut once (a bounded cache; cutting is the costly part). */
const cache = new Map<string, Sentence[]>();
const CACHE_LIMIT = 4_096;
const segmenters = { fr: new Intl.Segmenter('fr', { granularity: 'sentence' }), en: new Intl.Segmenter('en', { granularity: 'sentence' }) };

export function sentencesOf(text: string, lang: Lang): Sentence[] {
  const key = `${lang}\u0000${text}`;
  let sentences = cache.get(key);
  if (!sentences) {
    sentences = cut(text, lang);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, sentences);
  }
  return sentences;
}

function cut(text: string, lang: Lang): Sentence[] {
  const segmenter = segmenters[lang];
  const out: Sentence[] = [];
  for (const s of segmenter.segment(text)) {
    // Paragraph breaks end sentences too: headlines and list items carry no full stop.
    let offset = s.index;
    for (const line of s.segment.split('\n')) {
      const trimmed = line.trim();
      if (trimmed.length >= MIN_SENTENCE_CHARS) out.push({ text: trimmed, start: offset + line.indexOf(trimmed) });
      offset += line.length + 1;
    }
  }
  return out;
}
