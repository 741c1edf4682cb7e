// Scoring of natural, chat-style questions (eval/natural-dev.jsonl): is the
// answer correct (not refused, cites a right article, says one alternative of
// every mention group), refused when it should be, in the question's language,
// and are its quotes verbatim in the cited articles?
import type { AnswerResult, Lang } from '../types.js';
import { normalizeForMatch } from './evaluate.js';

export interface NaturalItem {
  id: string;
  lang: Lang;
  question: string;
  kind: string;
  /** File names of every article that answers it (empty when nothing does). */
  articles: string[];
  /** Groups of alternatives: a correct answer holds one alternative of every group. */
  mention: string[][];
}

export interface NaturalScore {
  item: NaturalItem;
  answerable: boolean;
  answered: boolean;
  correct: boolean;
  /** For unanswerable and off-topic questions. */
  refusedRightly: boolean;
  languageMatches: boolean;
  quotesVerbatim: boolean;
  citesRightArticle: boolean;
  missingGroups: string[][];
}

const UNANSWERABLE_KINDS = new Set(['unanswerable', 'offtopic']);

function isAnswerable(item: NaturalItem): boolean {
  return !UNANSWERABLE_KINDS.has(item.kind);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Folded like evidence, with digit groups kept apart only by the text's own separators. */
const fold = (s: string) => normalizeForMatch(s).replace(/\u00a0|\u202f/g, ' ');

/**
 * Whether `text` says `alternative`: from the start of a word, case- and
 * accent-insensitively; a number must be whole ("50" is not in "500").
 */
export function saysAlternative(text: string, alternative: string): boolean {
  const alt = fold(alternative);
  const endsInDigit = /\d$/.test(alt);
  const startsWithDigit = /^\d/.test(alt);
  const pattern = `${startsWithDigit ? '(?<![\\p{L}\\p{N}]|\\d[ .,])' : '(?<![\\p{L}\\p{N}])'}${escapeRegExp(alt)}${endsInDigit ? '(?![\\p{N}]|[ .,]\\d)' : ''}`;
  return new RegExp(pattern, 'u').test(fold(text));
}

const articleKey = (fileOrId: string) => fold(fileOrId.replace(/\.(?:md|txt|html?)$/i, ''));

/** Whether an article (by its id, the file name's stem) is one the item expects. */
export function isExpectedArticle(item: NaturalItem, articleId: string): boolean {
  return item.articles.some((a) => articleKey(a) === articleKey(articleId));
}

/** Every quoted piece of each citation, found verbatim in its article's text (or headline). */
async function quotesAreVerbatim(result: AnswerResult, articleText: (id: string) => Promise<string | undefined>): Promise<boolean> {
  for (const c of result.citations) {
    const text = fold((await articleText(c.articleId)) ?? '') + '\n' + fold(c.title);
    for (const piece of c.quote.split(' … ')) {
      // Before folding: NFKD turns the ellipsis of a trimmed quote into three dots.
      const bare = fold(piece.replace(/…$/, '')).trim();
      if (bare && !text.includes(bare)) return false;
    }
  }
  return true;
}

export async function scoreNatural(
  item: NaturalItem,
  result: AnswerResult,
  articleText: (id: string) => Promise<string | undefined>,
): Promise<NaturalScore> {
  const answerable = isAnswerable(item);
  const answered = !result.refused;
  const citesRightArticle = result.citations.some((c) => isExpectedArticle(item, c.articleId));
  const missingGroups = item.mention.filter((group) => !group.some((alt) => saysAlternative(result.answer, alt)));
  return {
    item,
    answerable,
    answered,
    correct: answerable && answered && citesRightArticle && missingGroups.length === 0,
    refusedRightly: !answerable && !answered,
    languageMatches: result.language === item.lang,
    quotesVerbatim: await quotesAreVerbatim(result, articleText),
    citesRightArticle,
    missingGroups,
  };
}

interface NaturalSummary {
  n: number;
  answerable: number;
  answered: number;
  correct: number;
  unanswerable: number;
  refused: number;
  language: number;
  verbatim: number;
}

function summarize(scores: NaturalScore[]): NaturalSummary {
  const count = (f: (s: NaturalScore) => boolean) => scores.filter(f).length;
  return {
    n: scores.length,
    answerable: count((s) => s.answerable),
    answered: count((s) => s.answerable && s.answered),
    correct: count((s) => s.correct),
    unanswerable: count((s) => !s.answerable),
    refused: count((s) => s.refusedRightly),
    language: count((s) => s.languageMatches),
    verbatim: count((s) => s.quotesVerbatim),
  };
}

/** Figures by a grouping key ("all", each language, each kind), for printing and comparing. */
export function naturalFigures(scores: NaturalScore[]): Record<string, Record<string, number>> {
  const groups = new Map<string, NaturalScore[]>([['all', scores]]);
  for (const s of scores) {
    for (const key of [`lang ${s.item.lang}`, `kind ${s.item.kind}`]) groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  const share = (a: number, b: number) => (b ? a / b : NaN);
  return Object.fromEntries(
    [...groups].map(([key, list]) => {
      const m = summarize(list);
      return [
        key,
        {
          n: m.n,
          correct: share(m.correct, m.answerable),
          answered: share(m.answered, m.answerable),
          refused: share(m.refused, m.unanswerable),
          language: share(m.language, m.n),
          verbatim: share(m.verbatim, m.n),
        },
      ];
    }),
  );
}
