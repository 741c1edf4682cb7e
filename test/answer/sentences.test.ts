// Sentences are cut by Unicode's rules written out, not by Intl.Segmenter (whose
// first use loads ICU's data): they must come out exactly as Intl.Segmenter cuts
// them, on real articles and on text made of the characters the rules turn on.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sentencesOf } from '../../src/answer/sentences.js';
import type { Lang } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

/** What the answer stage cut before: Intl.Segmenter's sentences, split at line ends, trimmed, short ones dropped. */
function segmenterSentences(text: string, lang: Lang) {
  const out: Array<{ text: string; start: number }> = [];
  for (const s of new Intl.Segmenter(lang, { granularity: 'sentence' }).segment(text)) {
    let offset = s.index;
    for (const line of s.segment.split('\n')) {
      const trimmed = line.trim();
      if (trimmed.length >= 16) out.push({ text: trimmed, start: offset + line.indexOf(trimmed) });
      offset += line.length + 1;
    }
  }
  return out;
}

const texts = (s: string) => sentencesOf(s, 'fr').map((x) => x.text);

describe('sentences', () => {
  it('are cut at stops, question and exclamation marks, and line ends, with their offsets', () => {
    const text = 'Le groupe investira 1.5 million de dollars. Où ? À Rabat, dit-il !\nUn titre sans point final\nFin du texte ici.';
    expect(sentencesOf(text, 'fr')).toEqual([
      { text: 'Le groupe investira 1.5 million de dollars.', start: 0 },
      // "Où ?" is a sentence of its own, too short to quote.
      { text: 'À Rabat, dit-il !', start: 49 },
      { text: 'Un titre sans point final', start: 67 },
      { text: 'Fin du texte ici.', start: 93 },
    ]);
  });

  it('go on after a stop followed by a lower-case word, a figure, a capital straight after, or a comma', () => {
    expect(texts('Il cite M. dupont et les U.S.A. comme partenaires.')).toEqual(['Il cite M. dupont et les U.S.A. comme partenaires.']);
    expect(texts('Les ventes ont crû de 3.5 % cette année, etc. et la suite continue.')).toEqual(['Les ventes ont crû de 3.5 % cette année, etc. et la suite continue.']);
    // After "!" (unlike a stop) a sentence ends even before a lower-case word.
    expect(texts('«Bravo à tous !» a-t-il lancé devant la presse.')).toEqual(['«Bravo à tous !»', 'a-t-il lancé devant la presse.']);
  });

  it('match Intl.Segmenter on every seed and dev article, in French and in English', () => {
    const folders = ['corpus', 'eval/articles-dev'].map((f) => path.join(ROOT, f));
    const articles = folders.flatMap((folder) => readdirSync(folder).map((f) => readFileSync(path.join(folder, f), 'utf8')));
    expect(articles.length).toBeGreaterThan(20);
    for (const text of articles) {
      for (const lang of ['fr', 'en'] as const) expect(sentencesOf(text, lang)).toEqual(segmenterSentences(text, lang));
    }
  });

  it('match Intl.Segmenter on text made of terminators, quotes, spaces, capitals and figures in any order', () => {
    const pieces = ['a', 'É', 'X', 'é', '5', '.', '.', '!', '?', '…', '«', '»', '"', "'", '(', ')', ' ', ' ', '\u00a0', ',', ';', ':', '-', '—', '\n', '\r\n', 'Le', 'dit', 'M', 'U.S', 'Word', '’', '“', '؟', '。', '日', 'ß', 'ǅ'];
    // A fixed pseudo-random sequence: the same strings every run.
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    for (let t = 0; t < 20_000; t++) {
      let text = '';
      for (let i = 5 + Math.floor(next() * 40); i > 0; i--) text += pieces[Math.floor(next() * pieces.length)];
      expect(sentencesOf(text, 'fr'), JSON.stringify(text)).toEqual(segmenterSentences(text, 'fr'));
    }
  });
});
