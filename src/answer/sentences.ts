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

export function sentencesOf(text: string, lang: Lang): Sentence[] {
  const segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' });
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
