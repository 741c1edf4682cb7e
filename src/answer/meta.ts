// Questions about an article rather than its content: who published it, who
// wrote it, when. Answered from its metadata, or from its byline.
import type { Lang } from '../types.js';
import { answered, CitationList, factAbsent, type Answer } from './compose.js';
import { formatDate, parseArticleDate } from './dates.js';
import { messages } from './messages.js';
import type { MetaField } from './question.js';
import type { ArticleCandidate } from './summary.js';

/** A byline line near the top of an article ("Par K. A.", "By Jane Doe"). */
const BYLINE = /^(?:par|by|written by|écrit par|ecrit par)\s*:?\s+(\p{Lu}.{1,60}?)\.?\s*$/imu;
/** Bylines sit in the first lines; further down, "Par …" starts ordinary sentences. */
const BYLINE_LINES = 12;

export function authorOf(article: ArticleCandidate): string | undefined {
  if (article.meta.author) return article.meta.author;
  const head = article.text.split('\n').slice(0, BYLINE_LINES).join('\n');
  const line = BYLINE.exec(head)?.[1];
  // A byline is a name or initials, not a clause.
  return line && line.split(/\s+/).length <= 5 ? line : undefined;
}

export function readableDate(date: string, lang: Lang): string {
  const parsed = parseArticleDate(date);
  return parsed ? formatDate(parsed, lang) : date;
}

export function metaAnswer(question: string, lang: Lang, field: MetaField, article: ArticleCandidate): Answer {
  const m = messages(lang);
  const list = new CitationList();
  const { title, source, date } = article.meta;
  const n = list.cite({ article: article.meta }, title);
  const value = field === 'outlet' ? source : field === 'author' ? authorOf(article) : date;
  if (!value) return factAbsent(question, lang, [`${m.metaUnknown(m.metaWhat[field], title)} [${n}]`], list);
  const line =
    field === 'outlet'
      ? m.published(title, source, date ? readableDate(date, lang) : '')
      : field === 'author'
        ? `${m.wroteBy(value, title)}${source ? ` (${source})` : ''}`
        : m.publishedOn(title, readableDate(value, lang));
  return answered(question, lang, [`${line} [${n}].`], list);
}
