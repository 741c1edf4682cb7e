// Writing the reply: numbered citations (one per article, its quotes joined),
// quotes in the reader's quotation marks, a lead in bold, the note that a
// quote is in the other language.
import type { AnswerResult, Citation, Lang, SearchHit } from '../types.js';
import { messages, quote } from './messages.js';

export type Answer = Omit<AnswerResult, 'timings'>;

const MAX_QUOTE_CHARS = 600;

export function trimQuote(text: string, max = MAX_QUOTE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max).replace(/\s+\S*$/, '')}…`;
}

export function citationOf(n: number, hit: Pick<SearchHit, 'article'>, quoteText: string): Citation {
  const { article } = hit;
  return { n, articleId: article.id, title: article.title, source: article.source, url: article.url, date: article.date, quote: quoteText };
}

/** Numbered citations for one reply: an article cited twice keeps its number and gathers its quotes. */
export class CitationList {
  readonly citations: Citation[] = [];
  readonly #langs = new Set<Lang>();

  /** The citation's number for a quote from the hit's article. */
  cite(hit: Pick<SearchHit, 'article'>, quoteText: string): number {
    this.#langs.add(hit.article.lang);
    const existing = this.citations.find((c) => c.articleId === hit.article.id);
    if (!existing) {
      this.citations.push(citationOf(this.citations.length + 1, hit, quoteText));
      return this.citations.length;
    }
    if (quoteText && !existing.quote.split(' … ').includes(quoteText)) existing.quote = existing.quote ? `${existing.quote} … ${quoteText}` : quoteText;
    return existing.n;
  }

  /** A quote with its citation marker, in the reader's quotation marks. */
  quoted(hit: Pick<SearchHit, 'article'>, sentence: string, lang: Lang): string {
    const text = trimQuote(sentence);
    return `${quote(text, lang)} [${this.cite(hit, text)}]`;
  }

  /** The other language's quotes said once, at the end. */
  foreignNote(lang: Lang): string[] {
    const other: Lang = lang === 'fr' ? 'en' : 'fr';
    return this.#langs.has(other) ? [messages(lang).quotedIn(other)] : [];
  }
}

export function answered(question: string, lang: Lang, lines: string[], list: CitationList): Answer {
  const answer = [...lines, ...list.foreignNote(lang)].filter(Boolean).join('\n');
  return { question, language: lang, answer, refused: false, citations: list.citations, notices: [] };
}

export function refusal(question: string, lang: Lang, hits: SearchHit[]): Answer {
  const m = messages(lang);
  const titles = [...new Set(hits.slice(0, 3).map((h) => h.article.title))];
  const answer = hits.length ? `${m.notFound} ${m.closest(titles)}` : m.notFound;
  return { question, language: lang, answer, refused: true, citations: [], notices: [] };
}

/** The fact asked is not in the articles, but its subject is: say so, then what they do say. */
export function factAbsent(question: string, lang: Lang, lines: string[], list: CitationList): Answer {
  return { ...answered(question, lang, [messages(lang).factAbsent, ...lines], list), refused: true };
}
