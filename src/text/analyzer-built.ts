// What the analyzer derives from its word lists, computed once by the build
// (scripts/build.mjs puts it here in the bundle): the glossary's stem links, so a
// fresh process doesn't stem the whole glossary, and the analyzer's fingerprint, so
// it doesn't hash the lists (nor load node:crypto). Running from source (tsx, tests)
// they are computed on first use instead.
import type { Lang } from '../types.js';

/** A glossary entry of several words ("set up", "chef du gouvernement"): said together, they mean the other side's words. */
export interface PhraseLink {
  lang: Lang;
  /** Its words, accent-folded: matched against a question's folded words. */
  words: string[];
  terms: string[];
}

/** Each language's [stem, stems of the other language] pairs, in the order they were found, and the phrases. */
export interface BuiltGlossaryLinks {
  en: Array<[string, string[]]>;
  fr: Array<[string, string[]]>;
  phrases: PhraseLink[];
}

export interface BuiltAnalyzer {
  glossaryLinks: BuiltGlossaryLinks;
  fingerprint: string;
}

export const BUILT_ANALYZER: BuiltAnalyzer | undefined = undefined;
