// What a passage or an article says, for the extractive answerer's "does it
// say this concept" checks: the stems of its words, searched by exact term
// and by prefix; and the initials of its word runs, worked out only when a
// question has an acronym (every run of up to eight words: the costly part).
import type { Lang } from '../types.js';
import { anyOrder, fold, initialTokens, isStopWord, someInitialism, stem, words, type InitialToken } from '../text/analyze.js';

/** Shortest stem that may match longer words across languages ("creat" ↔ "creation"). */
const MIN_PREFIX = 5;
/**
 * Initials used to share one set with stems, as `acronym:<letters>`: a variant
 * that begins that marker ("acronym", a question's own word) matched any of them.
 */
const ACRONYM_MARKER = 'acronym:';

/** A concept as far as matching goes: its stems in both languages, and its letters if it is an acronym. */
export interface Matchable {
  variants: Set<string>;
  acronym?: string;
}

/** A word's French and English stems, none for a stop word: texts repeat words, and a lookup is cheaper than folding and stemming. */
const wordStems = new Map<string, readonly string[]>();
const WORD_STEMS_LIMIT = 50_000;

function stemsOf(w: string, lang: Lang | undefined): readonly string[] {
  const key = lang ? `${lang}:${w}` : w;
  let stems = wordStems.get(key);
  if (stems === undefined) {
    stems = isStopWord(w, lang) ? [] : [stem(w, 'fr'), stem(w, 'en')];
    if (wordStems.size >= WORD_STEMS_LIMIT) wordStems.clear();
    wordStems.set(key, stems);
  }
  return stems;
}

/** Letters a stem shares with the start of its word (folded; a word with figures is its own stem). */
const BUCKET_LETTERS = 2;
const bucketOf = (stemOrWord: string) => (/\d/.test(stemOrWord) ? stemOrWord : fold(stemOrWord)).slice(0, BUCKET_LETTERS);

interface Bucket {
  stems: Set<string>;
  /** Stems long enough for prefix matches, sorted so the ones starting with a prefix sit together. */
  sortedLong: string[];
}

/**
 * Words are stemmed lazily, a bucket of words sharing their first letters at a
 * time: a stem starts as its word does, so a concept's stems can only be among
 * words starting like them. A question looks at a few buckets of each article
 * it quotes; stemming whole articles was most of a fresh `akhbar ask`'s answer time.
 */
export class Terms {
  readonly #text: string;
  readonly #lang: Lang | undefined;
  /** Its distinct words by bucket, made on first use. */
  #words: Map<string, string[]> | undefined;
  readonly #buckets = new Map<string, Bucket>();
  /** Initial of each word without figures, and whether it is a stop word: what acronyms are matched against. */
  #initials: InitialToken[] | undefined;
  /** Its words, accents folded, for surface checks stems can't make. */
  #folded: Set<string> | undefined;
  /** Answers already worked out: an article's terms are asked once per sentence of it. Weak: concepts live one question. */
  readonly #answers = new WeakMap<Matchable, boolean>();

  /** `lang`: the text's language when known (its stop words then, not the other's short ones). */
  constructor(text: string, lang?: Lang) {
    this.#text = text;
    this.#lang = lang;
  }

  /** How much memory it holds, roughly: its text's length (its stems and initials grow with it). */
  get weight(): number {
    return this.#text.length;
  }

  /** Whether a word of the text, accents folded, starts with `prefix` (lower case, folded). */
  hasWordStarting(prefix: string): boolean {
    this.#folded ??= new Set(words(this.#text).map((w) => fold(w)));
    for (const w of this.#folded) if (w.startsWith(prefix)) return true;
    return false;
  }

  mentions(c: Matchable): boolean {
    let found = this.#answers.get(c);
    if (found === undefined) this.#answers.set(c, (found = this.#search(c)));
    return found;
  }

  #bucket(key: string): Bucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (!this.#words) {
        this.#words = new Map();
        for (const w of new Set(words(this.#text))) {
          const k = bucketOf(w);
          const list = this.#words.get(k);
          if (list) list.push(w);
          else this.#words.set(k, [w]);
        }
      }
      const stems = new Set<string>();
      for (const w of this.#words.get(key) ?? []) for (const s of stemsOf(w, this.#lang)) stems.add(s);
      bucket = { stems, sortedLong: [...stems].filter((t) => t.length >= MIN_PREFIX).sort() };
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  #search(c: Matchable): boolean {
    if (c.acronym !== undefined && this.#saysAcronym(c.acronym)) return true;
    for (const v of c.variants) {
      const bucket = this.#bucket(bucketOf(v));
      if (bucket.stems.has(v)) return true;
      if (v.length < MIN_PREFIX || /\d/.test(v)) continue;
      if (this.#prefixMatch(v, bucket)) return true;
    }
    return false;
  }

  /** Whether a term of at least MIN_PREFIX characters starts with `v`, or is how `v` starts. */
  #prefixMatch(v: string, bucket: Bucket): boolean {
    if (longerStartsWith(bucket.sortedLong, v)) return true;
    for (let k = MIN_PREFIX; k < v.length; k++) if (bucket.stems.has(v.slice(0, k))) return true;
    return ACRONYM_MARKER.startsWith(v) && this.#someInitialism(() => true);
  }

  /** The acronym's letters are the initials of a run of words, in this order or (three or more, a proper name's words) in any order. */
  #saysAcronym(acronym: string): boolean {
    const sorted = acronym.length >= 3 ? anyOrder(acronym) : undefined;
    // Any order only across a proper name's capitalised words (General Confederation of Moroccan
    // Enterprises ↔ CGEM): across ordinary words, three initials in some order are found by chance.
    return this.#someInitialism(
      (letters, capitalised) => letters === acronym || (capitalised && letters.length === acronym.length && sorted !== undefined && anyOrder(letters) === sorted),
    );
  }

  /** Initialisms of the text (analyze.ts), walked lazily and stopping at the first match. */
  #someInitialism(test: (letters: string, capitalised: boolean) => boolean): boolean {
    return someInitialism((this.#initials ??= initialTokens(this.#text)), test);
  }
}

function longerStartsWith(sorted: string[], v: string): boolean {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return sorted[lo]?.startsWith(v) ?? false;
}

/** Sentences whose terms are kept: retrieved passages recur across questions. */
const SENTENCE_TERMS_LIMIT = 8_192;
const sentenceTermCache = new Map<string, Terms>();

/** Terms of a sentence, from a bounded cache (its per-question answers are held weakly, so sharing is safe). */
export function sentenceTerms(text: string, lang?: Lang): Terms {
  const key = `${lang ?? ''}\u0000${text}`;
  let terms = sentenceTermCache.get(key);
  if (!terms) {
    terms = new Terms(text, lang);
    if (sentenceTermCache.size >= SENTENCE_TERMS_LIMIT) sentenceTermCache.clear();
    sentenceTermCache.set(key, terms);
  }
  return terms;
}

/** Articles whose terms are kept (the same few articles answer many questions), and the text they may hold in all. */
export const ARTICLE_TERMS_LIMITS = { articles: 256, chars: 2_000_000 };

// A Map in insertion order is a least-recently-used list; the few lines spare a dependency for one cache.
const articleTermCache = new Map<string, { text: string; terms: Terms }>();
let cachedChars = 0;

/** Terms of an article's text (headline, outlet, body), from a bounded cache keyed by article; a changed text is analysed afresh. */
export function articleTerms(articleId: string, text: string, lang?: Lang): Terms {
  const key = `${articleId}\u0000${lang ?? ''}`;
  const cached = articleTermCache.get(key);
  if (cached) {
    articleTermCache.delete(key);
    cachedChars -= cached.terms.weight;
  }
  const terms = cached?.text === text ? cached.terms : new Terms(text, lang);
  cachedChars += terms.weight;
  articleTermCache.set(key, { text, terms });
  for (const [oldest, old] of articleTermCache) {
    if (articleTermCache.size <= ARTICLE_TERMS_LIMITS.articles && cachedChars <= ARTICLE_TERMS_LIMITS.chars) break;
    if (old.terms === terms) break; // The one just asked for stays, however long.
    articleTermCache.delete(oldest);
    cachedChars -= old.terms.weight;
  }
  return terms;
}

/** What the article cache holds (for tests: it stays within its limits). */
export function articleTermsCacheUse(): { articles: number; chars: number } {
  return { articles: articleTermCache.size, chars: cachedChars };
}
