// French/English text analysis shared by the keyword index, the local embedder
// and the extractive answerer: elisions, number grouping, stop words, Snowball
// stemming, then accent folding (stemming first: `cybersécurité` → `cybersecur`,
// the same stem as English `cybersecurity`).
import { createRequire } from 'node:module';
import snowball from 'snowball-stemmers';
import { eng, fra } from 'stopword';
import type { Lang } from '../types.js';
import { BUILT_ANALYZER, type BuiltAnalyzer, type BuiltGlossaryLinks, type PhraseLink } from './analyzer-built.js';
import { GLOSSARY } from './glossary.js';

const require = createRequire(import.meta.url);
type Stemmer = ReturnType<typeof snowball.newStemmer>;
let stemmers: Record<Lang, Stemmer> | undefined;
function stemmer(lang: Lang): Stemmer {
  stemmers ??= { fr: snowball.newStemmer('french'), en: snowball.newStemmer('english') };
  return stemmers[lang];
}

/** Words that carry meaning in questions ("since when", "before 2027") but sit in Snowball's list. */
const KEPT = new Set(['since', 'after', 'before', 'under', 'between', 'avant', 'après', 'depuis']);
/** Question words, auxiliaries and light verbs ("go", "get": what goes where is in the other words) missing from Snowball's lists. */
const QUESTION_WORDS = {
  en: ['will', 'want', 'wants', 'wanted', 'when', 'why', 'per', 'does', 'whose', 'whom', 'its', 'shall', 'according', 'go', 'goes', 'going', 'went', 'get', 'gets', 'getting', 'got'],
  fr: ['veut', 'veulent', 'voulait', 'combien', 'quand', 'comment', 'quelle', 'quelles', 'quels', 'quoi', 'pourquoi', 'va', 'vont', 'elles', 'ainsi', 'dont', 'tres', 'selon', 'ete'],
};
/** One list per language: French "ai" (j'ai) is English "AI". */
const STOP_BY_LANG: Record<Lang, Set<string>> = {
  en: new Set([...eng, ...QUESTION_WORDS.en].filter((w) => !KEPT.has(w))),
  fr: new Set([...fra, ...QUESTION_WORDS.fr].filter((w) => !KEPT.has(w))),
};
/** Both lists, for text whose language is not known. */
const STOP = new Set([...STOP_BY_LANG.en, ...STOP_BY_LANG.fr]);
/** The other language's stop words shorter than this may be words of this one ("ai", "an", "la" in names). */
const FOREIGN_STOP_MIN = 3;

/** Bumped whenever the code below changes how words become terms. */
const ANALYZER_VERSION = 3;

/**
 * Everything that turns text into index terms and local vectors: the code's
 * version, the stop list, the glossary and the stemming library's version. An
 * index records it; one built by another analyzer is rebuilt, never mixed.
 */
export const ANALYZER_FINGERPRINT = BUILT_ANALYZER?.fingerprint ?? fingerprint();

function fingerprint(): string {
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256')
    .update(
      JSON.stringify({
        version: ANALYZER_VERSION,
        stop: [...STOP].sort(),
        glossary: GLOSSARY,
        stemmer: (require('snowball-stemmers/package.json') as { version: string }).version,
        stopwords: (require('stopword/package.json') as { version: string }).version,
      }),
    )
    .digest('hex')
    .slice(0, 16);
}

/** ASCII has no accents to fold and one of the apostrophes: most words of English and many of French skip Unicode normalisation. */
const ASCII = /^[\x00-\x7f]*$/;

export function fold(text: string): string {
  if (ASCII.test(text)) return text.includes('`') ? text.replaceAll('`', "'") : text;
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').replace(/[’‘`´]/g, "'");
}

/** `1 500`, `1.500`, `1,500` → `1500`, so figures match across typographic conventions. */
export function joinDigitGroups(text: string): string {
  return text.replace(/(\d)[ \u00a0\u202f.,](?=\d{3}(?!\d))/g, '$1');
}

const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]/;

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)*/gu;

/** Lower-cased words with French elisions removed; figures kept whole. */
export function words(text: string): string[] {
  return surfaceWords(text).map((w) => w.word);
}

/** `words`, each with its original spelling (its case tells names apart). */
export function surfaceWords(text: string): Array<{ word: string; original: string }> {
  const out: Array<{ word: string; original: string }> = [];
  for (const match of joinDigitGroups(text).matchAll(WORD)) {
    const original = match[0].replace(/^\p{L}+['’](?=\p{L})/u, (e) => (ELISION.test(e.toLowerCase()) ? '' : e)).replace(/['’]s$/i, '');
    const word = original.toLowerCase();
    if (word) out.push({ word, original });
  }
  return out;
}

/** Acronym a word stands for, lower-cased ("MoUs" → "mou", "UM6P" → none: figures are not initials). */
export function acronymOf(original: string): string | undefined {
  const bare = original.replace(/(?<=\p{Lu})s$/u, '');
  return /^\p{L}+$/u.test(bare) && /\p{Lu}.*\p{Lu}/u.test(bare) && bare.length <= 6 ? bare.toLowerCase() : undefined;
}

/** An acronym's letters sorted, marked so it never equals a plain acronym. */
export function anyOrder(letters: string): string {
  return `~${[...letters].sort().join('')}`;
}

export interface InitialToken {
  initial: string;
  stop: boolean;
  /** Written with a capital: words of a proper name. */
  capital: boolean;
}

/** First letters of a text's words (figures left out), for matching acronyms. */
export function initialTokens(text: string): InitialToken[] {
  return surfaceWords(text)
    .filter(({ word }) => !/\d/.test(word))
    .map(({ word, original }) => ({ initial: fold(word[0]!), stop: isStopWord(word), capital: /^\p{Lu}/u.test(original) }));
}

/**
 * Whether `test` holds for the initials (2 to 6 letters) of some run of up to
 * eight words, taken with and without stop words, so an acronym meets its
 * expansion ("mou" ↔ memorandum of understanding, "cgem" ↔ Confédération
 * générale des entreprises du Maroc). `test` also learns whether every content
 * word of the run is capitalised, as the words of a proper name are. Stops at
 * the first match.
 */
export function someInitialism(tokens: InitialToken[], test: (letters: string, capitalised: boolean) => boolean): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.stop) continue;
    let all = '';
    let content = '';
    let capitalised = true;
    for (let j = i; j < Math.min(tokens.length, i + 8); j++) {
      const { initial, stop, capital } = tokens[j]!;
      all += initial;
      if (!stop) {
        content += initial;
        capitalised &&= capital;
      }
      if (all.length >= 2 && all.length <= 6 && test(all, capitalised)) return true;
      if (!stop && content.length >= 2 && content.length <= 6 && test(content, capitalised)) return true;
    }
  }
  return false;
}

/** Every initialism of a text, also with letters in any order (3 letters or more, capitalised words). */
export function initialisms(text: string): Set<string> {
  const out = new Set<string>();
  someInitialism(initialTokens(text), (letters, capitalised) => {
    out.add(letters);
    // Letters in any order, across a proper name's words: French and English name the same body in different word orders (CGEM ↔ General Confederation of Moroccan Enterprises).
    if (letters.length >= 3 && capitalised) out.add(anyOrder(letters));
    return false;
  });
  return out;
}

const stemCache = { fr: new Map<string, string>(), en: new Map<string, string>() };

export function stem(word: string, lang: Lang): string {
  if (/\d/.test(word)) return word;
  const cache = stemCache[lang];
  let stemmed = cache.get(word);
  if (stemmed === undefined) {
    // Folded first: chat questions come without accents, and Snowball strips "céréalière" and
    // "cerealiere" to different stems; folded, both become one.
    stemmed = stemmer(lang).stem(fold(word));
    if (cache.size > 200_000) cache.clear();
    cache.set(word, stemmed);
  }
  return stemmed;
}

/** A stop word of `lang` (and the other language's longer ones), or of either language when `lang` is not known. */
export function isStopWord(word: string, lang?: Lang): boolean {
  if (word.length < 2 && !/\d/.test(word)) return true;
  const has = (set: Set<string>) => set.has(word) || set.has(fold(word));
  if (!lang) return has(STOP);
  return has(STOP_BY_LANG[lang]) || (word.length >= FOREIGN_STOP_MIN && has(STOP_BY_LANG[lang === 'fr' ? 'en' : 'fr']));
}

/** Index terms of a text in a known language. */
export function analyze(text: string, lang: Lang): string[] {
  return termsOfWords(words(text), lang);
}

/** A word's index term, or null for a stop word: per word, as a build meets each word thousands of times. */
const termCache = { fr: new Map<string, string | null>(), en: new Map<string, string | null>() };

/** `analyze` of text already split by `words` (an index build splits each chunk once, for the embedder and for BM25). */
export function termsOfWords(list: readonly string[], lang: Lang): string[] {
  const cache = termCache[lang];
  const out: string[] = [];
  for (const w of list) {
    let term = cache.get(w);
    if (term === undefined) {
      term = isStopWord(w, lang) ? null : stem(w, lang);
      if (cache.size > 200_000) cache.clear();
      cache.set(w, term);
    }
    if (term !== null) out.push(term);
  }
  return out;
}

/**
 * Glossary links from each language's stems to the other's, and both merged
 * (for search, where a stem's language is unknown). Made on first use, from
 * the links the build computed when there are (stemming the glossary cold
 * costs a fresh `akhbar ask` ~0.05 s), else by stemming the glossary.
 */
let glossaryLinks: { directed: Record<Lang, Map<string, Set<string>>>; merged: Map<string, Set<string>>; phrases: PhraseLink[] } | undefined;

function links(): NonNullable<typeof glossaryLinks> {
  if (!glossaryLinks) {
    const { directed, phrases } = BUILT_ANALYZER ? fromBuilt(BUILT_ANALYZER.glossaryLinks) : buildTranslations();
    const merged = new Map<string, Set<string>>();
    for (const map of Object.values(directed)) for (const [term, others] of map) merged.set(term, new Set([...(merged.get(term) ?? []), ...others]));
    glossaryLinks = { directed, merged, phrases };
  }
  return glossaryLinks;
}

const fromBuilt = (links: BuiltGlossaryLinks): { directed: Record<Lang, Map<string, Set<string>>>; phrases: PhraseLink[] } => ({
  directed: {
    en: new Map(links.en.map(([term, others]) => [term, new Set(others)])),
    fr: new Map(links.fr.map(([term, others]) => [term, new Set(others)])),
  },
  phrases: links.phrases,
});

/** The glossary links as plain data and the fingerprint, for the build to embed (scripts/build.mjs). */
export function analyzerForBuild(): BuiltAnalyzer {
  const plain = (map: Map<string, Set<string>>) => [...map].map(([term, others]): [string, string[]] => [term, [...others]]);
  const { directed, phrases } = buildTranslations();
  return { glossaryLinks: { en: plain(directed.en), fr: plain(directed.fr), phrases }, fingerprint: fingerprint() };
}

function buildTranslations(): { directed: Record<Lang, Map<string, Set<string>>>; phrases: PhraseLink[] } {
  const maps: Record<Lang, Map<string, Set<string>>> = { en: new Map(), fr: new Map() };
  const phrases: PhraseLink[] = [];
  const link = (from: Lang, a: string, b: string) => {
    if (a === b) return;
    const map = maps[from];
    if (!map.has(a)) map.set(a, new Set());
    map.get(a)!.add(b);
  };
  const contentStems = (text: string, lang: Lang) => words(text).filter((w) => !isStopWord(w)).map((w) => stem(w, lang));
  for (const [en, fr] of GLOSSARY) {
    const enWords = words(en);
    const frStems = contentStems(fr, 'fr');
    if (enWords.length > 1) {
      // A phrase is matched whole in a question; its words alone mean something else ("set", "prime").
      phrases.push({ lang: 'en', words: enWords.map(fold), terms: frStems });
      if (words(fr).length > 1) phrases.push({ lang: 'fr', words: words(fr).map(fold), terms: contentStems(en, 'en') });
      continue;
    }
    if (frStems.length === 0) continue;
    const enTerm = stem(enWords[0]!, 'en');
    for (const frTerm of frStems) {
      link('en', enTerm, frTerm);
      link('fr', frTerm, enTerm);
    }
  }
  return { directed: maps, phrases };
}

/**
 * Glossary phrases said in a question's words (lower-cased, as `words` gives
 * them): where each starts, and the other language's terms it means.
 */
export function phraseTranslations(questionWords: string[], lang: Lang): Map<number, string[]> {
  const found = new Map<number, string[]>();
  const folded = questionWords.map(fold);
  for (const phrase of links().phrases) {
    if (phrase.lang !== lang) continue;
    for (let i = 0; i + phrase.words.length <= folded.length; i++) {
      if (phrase.words.every((w, j) => folded[i + j] === w)) found.set(i, [...(found.get(i) ?? []), ...phrase.terms]);
    }
  }
  return found;
}

/** Glossary counterparts of a term in the other language. */
export function translate(term: string): string[] {
  return [...(links().merged.get(term) ?? [])];
}

/**
 * Glossary counterparts of a stem known to be in `lang`: French "employ"
 * (employés) is not English "employ" (employment → emploi).
 */
export function translateFrom(term: string, lang: Lang): string[] {
  return [...(links().directed[lang].get(term) ?? [])];
}

export interface QueryTerm {
  term: string;
  /** 1 for the question's own words and their glossary translations, lower for the other language's stemming of them. */
  weight: number;
}

/**
 * Query terms for a question whose articles may be in either language: each
 * word stemmed as the question's language, as the other language, and through
 * the glossary.
 */
export function analyzeQuery(text: string, lang: Lang): QueryTerm[] {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const weights = new Map<string, number>();
  const add = (term: string, weight: number) => {
    if (term.length < 2 && !/\d/.test(term)) return;
    weights.set(term, Math.max(weights.get(term) ?? 0, weight));
  };
  const all = words(text);
  for (const terms of phraseTranslations(all, lang).values()) for (const t of terms) add(t, 1);
  for (const w of all) {
    if (isStopWord(w, lang)) continue;
    const own = stem(w, lang);
    add(own, 1);
    add(stem(w, other), 0.8);
    // A glossary translation is what an article in the other language says: as strong as the word
    // itself (held-out English questions, recall@1 0.76 → 0.94 against 0.7).
    for (const t of translate(own)) add(t, 1);
    for (const t of translate(stem(w, other))) add(t, 1);
  }
  return [...weights].map(([term, weight]) => ({ term, weight }));
}
