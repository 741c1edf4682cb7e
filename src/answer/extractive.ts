// The offline answerer: quotes the retrieved sentences that best cover the
// question's concepts, verbatim, with numbered citations; refuses when no
// sentence covers enough of what was asked.
import { words } from '../text/analyze.js';
import type { AnswerResult, Citation, Lang, SearchHit } from '../types.js';
import { analyzeQuestion, type Concept, type QuestionAnalysis, type QuestionKind } from './concepts.js';
import { messages, quote } from './messages.js';
import { articleTerms, Terms } from './terms.js';

/** Share of the question's weighted concepts a passage must cover to be quoted. */
export const MIN_COVERAGE = 0.5;
const SECOND_QUOTE_RATIO = 0.85;
const MAX_QUOTE_CHARS = 600;
/** Credit for a concept found next to the sentence rather than in it. */
const NEIGHBOUR_CREDIT = 0.6;
/** Credit for a concept found elsewhere in the article (headline, outlet, other passages). */
const ARTICLE_CREDIT = { name: 0.8, other: 0.3 };
/** A name in the sentence before ("… GFI. Ce projet …") still says whose fact this is. */
const NAME_NEAR_CREDIT = 0.9;
/** A quote that does not say the attribute asked for, or an answer of the wrong type, is worth less. */
const FOCUS_MISSING = 0.75;
const KIND_MISSING = 0.85;
/** A passage from an article that never names what the question names is about something else. */
const NAME_MISSING = 0.5;
/** Weight left to an untranslatable word an article in the other language doesn't match. */
const CROSS_GAP_SHARE = 0.3;

function sentencesOf(text: string, lang: Lang): Array<{ text: string; start: number }> {
  const segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' });
  return [...segmenter.segment(text)]
    .map((s) => ({ text: s.segment.trim(), start: s.index }))
    .filter((s) => s.text.length > 15);
}

const KIND_PATTERNS: Record<QuestionKind, RegExp | undefined> = {
  number: /\d+(?:[ ,.]\d+)*/gu,
  date: /\b(?:1[89]\d\d|20\d\d)\b|\b(?:janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|january|february|march|april|may|june|july|august|september|october|november|december|sept?|oct|nov|dec|jan|feb)\b/giu,
  person: /\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+/gu,
  place: /(?<=\b(?:à|in|at|dans) )\p{Lu}\p{L}+/gu,
  other: undefined,
};

/** Whether the sentence holds something of the asked-for kind that the question didn't already say. */
function answersKind(sentence: string, kind: QuestionKind, questionWords: Set<string>): boolean {
  const pattern = KIND_PATTERNS[kind];
  if (!pattern) return true;
  return [...sentence.matchAll(pattern)].some((m) => words(m[0]).some((w) => !questionWords.has(w)));
}

interface Candidate {
  hit: SearchHit;
  sentence: string;
  /** Where the sentence starts in its article's text. */
  offset: number;
  coverage: number;
  score: number;
  covered: Set<Concept>;
}

export type ArticleTextLookup = (articleId: string) => Promise<string | undefined>;

/** Terms of each retrieved article: headline, outlet and its whole text (or its retrieved passages without a lookup). */
async function articleContexts(hits: SearchHit[], articleText?: ArticleTextLookup): Promise<Map<string, Terms>> {
  const texts = new Map<string, string>();
  for (const { article, chunk } of hits) {
    texts.set(article.id, `${texts.get(article.id) ?? `${article.title}\n${article.source}`}\n${chunk.text}`);
  }
  if (articleText) {
    // Once per article, not per retrieved passage of it.
    for (const article of new Map(hits.map((h) => [h.article.id, h.article])).values()) {
      const full = await articleText(article.id);
      if (full !== undefined) texts.set(article.id, `${article.title}\n${article.source}\n${full}`);
    }
  }
  return new Map([...texts].map(([id, text]) => [id, articleTerms(id, text)]));
}

interface Passage {
  hit: SearchHit;
  /** The question's language: across languages, some misses are translation gaps. */
  lang: Lang;
  sentence: Terms;
  previous: Terms | undefined;
  next: Terms | undefined;
  article: Terms;
}

function creditOf(c: Concept, p: Passage): number {
  if (p.sentence.mentions(c)) return 1;
  if (c.name) {
    if (p.previous?.mentions(c)) return NAME_NEAR_CREDIT;
  } else if ([p.previous, p.next].some((t) => t?.mentions(c))) {
    return NEIGHBOUR_CREDIT;
  }
  if (p.article.mentions(c)) return c.name ? ARTICLE_CREDIT.name : ARTICLE_CREDIT.other;
  return 0;
}

/**
 * Across languages, a word we can't translate may be said in words we can't
 * match: a miss is not proof it's missing. Names cross languages unchanged,
 * except acronyms the index has never seen ("MoU" for "protocole d'accord").
 */
function isTranslationGap(c: Concept, p: Passage): boolean {
  if (p.hit.article.lang === p.lang) return false;
  return c.name ? c.absent && c.acronym !== undefined : c.untranslated || c.absent;
}

/**
 * Weighted share of the question's concepts the passage says, lowered when it
 * misses the focus, a name or the answer's kind; nothing when it only names.
 */
function coverageOf(question: QuestionAnalysis, p: Passage, kindFound: boolean): { coverage: number; covered: Set<Concept> } {
  const { concepts, focus } = question;
  let got = 0;
  let total = 0;
  let focusFound = !focus;
  let nameFound = true;
  // Besides naming the entity, the passage must say something of what is asked about it.
  // (A capitalised word with a translation and some rarity, like "Minister", says more; "Morocco" doesn't.)
  const saysWhat = (c: Concept) => !c.name || (!c.untranslated && c.distinctive);
  let saysMore = !concepts.some(saysWhat);
  const covered = new Set<Concept>();
  for (const c of concepts) {
    const credit = creditOf(c, p);
    const gap = credit === 0 && isTranslationGap(c, p);
    if (credit === 1) covered.add(c);
    if (saysWhat(c) && credit >= NEIGHBOUR_CREDIT) saysMore = true;
    if (c === focus && (credit >= NEIGHBOUR_CREDIT || gap)) focusFound = true;
    if (c.distinctive && credit === 0 && !gap) nameFound = false;
    const weight = gap ? c.weight * CROSS_GAP_SHARE : c.weight;
    got += weight * credit;
    total += weight;
  }
  const factor = (focusFound ? 1 : FOCUS_MISSING) * (kindFound ? 1 : KIND_MISSING) * (nameFound ? 1 : NAME_MISSING);
  return { coverage: saysMore ? (got / (total || 1)) * factor : 0, covered };
}

function scoreSentences(hits: SearchHit[], question: QuestionAnalysis, lang: Lang, contexts: Map<string, Terms>): Candidate[] {
  const questionWords = new Set(words(question.text));
  const candidates: Candidate[] = [];
  for (const hit of hits) {
    const sentences = sentencesOf(hit.chunk.text, hit.article.lang).map((s) => ({ ...s, terms: new Terms(s.text) }));
    sentences.forEach((s, i) => {
      const passage: Passage = {
        hit,
        lang,
        sentence: s.terms,
        previous: sentences[i - 1]?.terms,
        next: sentences[i + 1]?.terms,
        article: contexts.get(hit.article.id)!,
      };
      const { coverage, covered } = coverageOf(question, passage, answersKind(s.text, question.kind, questionWords));
      const offset = hit.chunk.start + s.start;
      candidates.push({ hit, sentence: s.text, offset, coverage, covered, score: coverage + 0.03 / hit.rank });
    });
  }
  return candidates.sort((a, b) => b.score - a.score);
}

function trimQuote(text: string): string {
  return text.length <= MAX_QUOTE_CHARS ? text : `${text.slice(0, MAX_QUOTE_CHARS).replace(/\s+\S*$/, '')}…`;
}

export function citationOf(n: number, hit: SearchHit, quoteText: string): Citation {
  const { article } = hit;
  return { n, articleId: article.id, title: article.title, source: article.source, url: article.url, date: article.date, quote: quoteText };
}

export function refusal(question: string, lang: Lang, hits: SearchHit[]): Omit<AnswerResult, 'timings'> {
  const m = messages(lang);
  const titles = [...new Set(hits.slice(0, 3).map((h) => h.article.title))];
  const answer = hits.length ? `${m.notFound} ${m.closest(titles)}` : m.notFound;
  return { question, language: lang, answer, refused: true, citations: [], notices: [] };
}

export async function extractiveAnswer(
  question: string,
  lang: Lang,
  hits: SearchHit[],
  idf: (terms: string[]) => Promise<Map<string, number>>,
  /** For a follow-up, the earlier question: its concepts count too ("et d'ici quand ?"). */
  context = '',
  /** The whole text of a retrieved article: a name said anywhere in it counts for every quote from it. */
  articleText?: ArticleTextLookup,
): Promise<Omit<AnswerResult, 'timings'>> {
  const analysis = await analyzeQuestion(question, lang, idf, context);
  const absent = analysis.concepts.filter((c) => c.absent && c.acronym === undefined).length;
  // Mostly words no article uses: the question is about something else (or is no question at all).
  if (!hits.length || !analysis.concepts.length || absent > analysis.concepts.length / 2) return refusal(question, lang, hits);
  const ranked = scoreSentences(hits, analysis, lang, await articleContexts(hits, articleText));
  const best = ranked[0];
  if (!best || best.coverage < MIN_COVERAGE) return refusal(question, lang, hits);
  const chosen = [best];
  const second = ranked.find(
    (c) => c !== best && c.score >= best.score * SECOND_QUOTE_RATIO && [...c.covered].some((x) => !best.covered.has(x)) && c.sentence !== best.sentence,
  );
  if (second) chosen.push(second);
  // Two quotes from one article read in the article's order.
  if (second?.hit.article.id === best.hit.article.id) chosen.sort((a, b) => a.offset - b.offset);
  const citations: Citation[] = [];
  const parts = chosen.map((c) => {
    let cite = citations.find((x) => x.articleId === c.hit.article.id);
    if (!cite) citations.push((cite = citationOf(citations.length + 1, c.hit, trimQuote(c.sentence))));
    else cite.quote = `${cite.quote} … ${trimQuote(c.sentence)}`;
    return `${quote(trimQuote(c.sentence), lang)} [${cite.n}]`;
  });
  const m = messages(lang);
  const foreign = chosen.find((c) => c.hit.article.lang !== lang)?.hit.article.lang;
  const answer = [m.according, ...parts, ...(foreign ? [m.quotedIn(foreign)] : [])].join(' ');
  return { question, language: lang, answer, refused: false, citations, notices: [] };
}
