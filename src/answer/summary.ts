// Which article a question is about, and what that article says in brief: its
// most central sentences (those sharing the most of the article's frequent
// terms, figures counting extra, the lead favoured), in article order.
import { analyze } from '../text/analyze.js';
import type { ArticleMeta, Lang } from '../types.js';
import type { Concept } from './concepts.js';
import { sentencesOf, type Sentence } from './sentences.js';
import { isBareYear, spansOf } from './spans.js';
import { sentenceTerms, Terms } from './terms.js';

export interface ArticleCandidate {
  meta: ArticleMeta;
  text: string;
  /** Terms of its whole text, headline and outlet included. */
  terms: Terms;
  /** Its best retrieval rank (1 = first). */
  rank: number;
}

/** A concept in the headline says more about what the article is about than one in its body. */
const HEADLINE_CREDIT = 1;
const BODY_CREDIT = 0.6;
/** Retrieval order breaks near-ties: the first hit gets this much more than a distant one. */
const RANK_CREDIT = 0.08;

/** Weighted share of the concepts an article says, its headline counting more: 0..1. */
function aboutness(concepts: Concept[], article: ArticleCandidate): number {
  const headline = new Terms(`${article.meta.title}\n${article.meta.source}`, article.meta.lang);
  let got = 0;
  let total = 0;
  for (const c of concepts) {
    // A word no article uses (a typo, a synonym we can't match) can't tell articles apart.
    if (c.absent) continue;
    total += c.weight;
    if (headline.mentions(c)) got += c.weight * HEADLINE_CREDIT;
    else if (article.terms.mentions(c)) got += c.weight * BODY_CREDIT;
  }
  return total ? got / total : 0;
}

/** The articles ordered by how much they are about the concepts (retrieval rank breaking near-ties), best first. */
export function rankArticles(concepts: Concept[], articles: ArticleCandidate[]): Array<{ article: ArticleCandidate; about: number }> {
  return articles
    .map((article) => ({ article, about: aboutness(concepts, article) }))
    .sort((a, b) => b.about + RANK_CREDIT / b.article.rank - (a.about + RANK_CREDIT / a.article.rank));
}

/** Sentences a summary quotes. Three: with the headline, enough for a chat reply. */
const SUMMARY_SENTENCES = 3;
/** News puts what happened first: a bonus that fades over the first sentences. */
const LEAD_BONUS = 0.35;
const LEAD_SPAN = 6;
/** Quantities are what readers ask about news (jobs, money, shares); a date alone says when, not what. */
const FIGURE_BONUS = 0.15;
const MAX_FIGURE_BONUS = 0.3;
/** Two sentences sharing this much of their terms say the same thing (repeated paragraphs, quotes restated). */
const NEAR_DUPLICATE = 0.6;
/** A sentence that restates the headline says what the article is about. */
const HEADLINE_BONUS = 0.6;
/** How much saying the question's concepts counts, against centrality. */
const FOCUS_BONUS = 0.5;
/** Sentences that take the items of a set in turn ("The first agreement…", "La deuxième convention…"). */
const ORDINAL = /(?<![\p{L}])(?:first|second|third|fourth|fifth|premi[eè]re?|deuxi[eè]me|seconde?|troisi[eè]me|quatri[eè]me|cinqui[eè]me)(?![\p{L}])/iu;
/** For "the 3 agreements": a sentence taking one of them in turn outweighs any centrality. */
const ITEM_BONUS = 1;
/** Shorter sentences read better in chat; very short ones are captions or bylines. */
const MIN_SENTENCE_CHARS = 40;

interface Profile {
  sentences: Sentence[];
  termsOf: Array<Set<string>>;
  /** Quantities each sentence gives. */
  quantities: number[];
  /** In how many sentences each term occurs, and the most any does. */
  frequency: Map<string, number>;
  peak: number;
}

/** Articles summarised often (the same few answer many questions) are analysed once: a small bounded cache. */
const profiles = new Map<string, Profile>();
const PROFILES_LIMIT = 256;

function profileOf(text: string, lang: Lang, headline: string): Profile {
  const key = `${lang}\u0000${headline}\u0000${text}`;
  let profile = profiles.get(key);
  if (!profile) {
    const sentences = sentencesOf(text, lang).filter((s) => s.text.length >= MIN_SENTENCE_CHARS && s.text !== headline);
    const termsOf = sentences.map((s) => new Set(analyze(s.text, lang)));
    const frequency = new Map<string, number>();
    for (const terms of termsOf) for (const t of terms) frequency.set(t, (frequency.get(t) ?? 0) + 1);
    profile = { sentences, termsOf, quantities: sentences.map((s) => quantitiesIn(s.text)), frequency, peak: Math.max(1, ...frequency.values()) };
    if (profiles.size >= PROFILES_LIMIT) profiles.clear();
    profiles.set(key, profile);
  }
  return profile;
}

/** Counts and amounts a sentence gives: figures with their noun, money, percentages — not the days and years of dates. */
function quantitiesIn(text: string): number {
  return spansOf(text, 'number').filter((s) => !isBareYear(s.text)).length + spansOf(text, 'money').length;
}

function overlap(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / Math.max(1, Math.min(a.size, b.size));
}

/**
 * The article's most central sentences, in article order. `focus` (the
 * question's concepts) raises sentences that say them.
 */
export function centralSentences(
  text: string,
  lang: Lang,
  { count = SUMMARY_SENTENCES, focus = [], headline = '', items = 0 }: { count?: number; focus?: Concept[]; headline?: string; items?: number } = {},
): Sentence[] {
  const headlineTerms = new Set(analyze(headline, lang));
  const { sentences, termsOf, quantities, frequency, peak } = profileOf(text, lang, headline.trim());
  if (!sentences.length) return [];
  const scored = sentences.map((s, i) => {
    const terms = termsOf[i]!;
    let centrality = 0;
    for (const t of terms) centrality += (frequency.get(t)! - 1) / peak;
    // A mean, not a sum: long sentences would otherwise win for their length alone.
    centrality /= Math.max(1, terms.size);
    const figures = Math.min(MAX_FIGURE_BONUS, quantities[i]! * FIGURE_BONUS);
    const matcher = sentenceTerms(s.text, lang);
    const said = focus.length ? focus.filter((c) => matcher.mentions(c)).reduce((sum, c) => sum + c.weight, 0) / focus.reduce((sum, c) => sum + c.weight, 0) : 0;
    const restates = headlineTerms.size ? [...headlineTerms].filter((t) => terms.has(t)).length / headlineTerms.size : 0;
    const item = items && ORDINAL.test(s.text) ? ITEM_BONUS : 0;
    const score = centrality + figures + LEAD_BONUS * Math.max(0, 1 - i / LEAD_SPAN) + said * FOCUS_BONUS + restates * HEADLINE_BONUS + item;
    return { sentence: s, terms, score };
  });
  const chosen: typeof scored = [];
  for (const candidate of [...scored].sort((a, b) => b.score - a.score)) {
    // Each of the things asked about, and the sentence that introduces them.
    if (chosen.length >= Math.max(count, items ? items + 1 : 0)) break;
    if (chosen.some((c) => overlap(c.terms, candidate.terms) >= NEAR_DUPLICATE)) continue;
    chosen.push(candidate);
  }
  return chosen.map((c) => c.sentence).sort((a, b) => a.start - b.start);
}
