// What a passage or an article says, for the extractive answerer's "does it
// say this concept" checks: the stems of its words, searched by exact term
// and by prefix; and the initials of its word runs, worked out only when a
// question has an acronym (every run of up to eight words: the costly part).
import { createHash } from 'node:crypto';
import { anyOrder, initialisms, isStopWord, stem, words } from '../text/analyze.js';

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

export class Terms {
  readonly #text: string;
  readonly #stems = new Set<string>();
  /** Stems long enough for prefix matches, sorted so the ones starting with a prefix sit together. */
  #sortedLong: string[] | undefined;
  #initials: Set<string> | undefined;
  /** Answers already worked out: an article's terms are asked once per sentence of it. Weak: concepts live one question. */
  readonly #answers = new WeakMap<Matchable, boolean>();

  constructor(text: string) {
    this.#text = text;
    for (const w of words(text)) {
      if (isStopWord(w)) continue;
      this.#stems.add(stem(w, 'fr'));
      this.#stems.add(stem(w, 'en'));
    }
  }

  mentions(c: Matchable): boolean {
    let found = this.#answers.get(c);
    if (found === undefined) this.#answers.set(c, (found = this.#search(c)));
    return found;
  }

  #search(c: Matchable): boolean {
    if (c.acronym !== undefined && (this.#initialisms().has(c.acronym) || (c.acronym.length >= 3 && this.#initialisms().has(anyOrder(c.acronym))))) return true;
    for (const v of c.variants) {
      if (this.#stems.has(v)) return true;
      if (v.length < MIN_PREFIX || /\d/.test(v)) continue;
      if (this.#prefixMatch(v)) return true;
    }
    return false;
  }

  /** Whether a term of at least MIN_PREFIX characters starts with `v`, or is how `v` starts. */
  #prefixMatch(v: string): boolean {
    if (this.#longerStartsWith(v)) return true;
    for (let k = MIN_PREFIX; k < v.length; k++) if (this.#stems.has(v.slice(0, k))) return true;
    return ACRONYM_MARKER.startsWith(v) && this.#initialisms().size > 0;
  }

  #longerStartsWith(v: string): boolean {
    const sorted = (this.#sortedLong ??= [...this.#stems].filter((t) => t.length >= MIN_PREFIX).sort());
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    return sorted[lo]?.startsWith(v) ?? false;
  }

  #initialisms(): Set<string> {
    return (this.#initials ??= initialisms(this.#text));
  }
}

/** Articles whose terms are kept: the same few articles answer many questions. */
export const ARTICLE_TERMS_LIMIT = 64;

// A Map in insertion order is a least-recently-used list; the few lines spare a dependency for one cache.
const articleTermCache = new Map<string, Terms>();

/** Terms of an article's text (headline, outlet, body), from a bounded cache keyed by article and content. */
export function articleTerms(articleId: string, text: string): Terms {
  const key = `${articleId}\u0000${createHash('sha1').update(text).digest('base64')}`;
  let terms = articleTermCache.get(key);
  if (terms) articleTermCache.delete(key);
  else {
    terms = new Terms(text);
    if (articleTermCache.size >= ARTICLE_TERMS_LIMIT) articleTermCache.delete(articleTermCache.keys().next().value!);
  }
  articleTermCache.set(key, terms);
  return terms;
}

/** How many articles' terms are held (for tests: the cache stays bounded). */
export function cachedArticleTerms(): number {
  return articleTermCache.size;
}
