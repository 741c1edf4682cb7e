// The offline answerer: quotes the retrieved sentences that best cover the
// question's concepts, verbatim, with numbered citations; refuses when no
// sentence covers enough of what was asked.
import { isStopWord, stem, translate, words } from '../text/analyze.js';
import type { AnswerResult, Citation, Lang, SearchHit } from '../types.js';
import { messages, quote } from './messages.js';

/** Share of the question's weighted concepts a passage must cover to be quoted. */
export const MIN_COVERAGE = 0.5;
const SECOND_QUOTE_RATIO = 0.85;
const MAX_QUOTE_CHARS = 600;

interface Concept {
  variants: Set<string>;
  weight: number;
}

type IdfLookup = (terms: string[]) => Promise<Map<string, number>>;

/** One concept per content word of the question: its stems in both languages and glossary translations. */
async function conceptsOf(question: string, lang: Lang, idf: IdfLookup): Promise<Concept[]> {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const seen = new Set<string>();
  const raw: Set<string>[] = [];
  for (const w of words(question)) {
    if (isStopWord(w)) continue;
    const own = stem(w, lang);
    const variants = new Set([own, stem(w, other), ...translate(own), ...translate(stem(w, other))]);
    if (seen.has(own)) continue;
    seen.add(own);
    raw.push(variants);
  }
  const idfs = await idf([...new Set(raw.flatMap((v) => [...v]))]);
  const rarest = Math.max(1, ...idfs.values());
  return raw.map((variants) => {
    const known = [...variants].map((v) => idfs.get(v) ?? rarest).filter((x) => x < rarest);
    // A concept the corpus never mentions weighs as much as its rarest term: it is what was asked.
    return { variants, weight: known.length ? Math.max(...known) : rarest };
  });
}

function sentencesOf(text: string, lang: Lang): Array<{ text: string; start: number }> {
  const segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' });
  return [...segmenter.segment(text)]
    .map((s) => ({ text: s.segment.trim(), start: s.index }))
    .filter((s) => s.text.length > 15);
}

function termSet(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (isStopWord(w)) continue;
    out.add(stem(w, 'fr'));
    out.add(stem(w, 'en'));
  }
  return out;
}

type QuestionKind = 'number' | 'date' | 'person' | 'place' | 'other';

function questionKind(question: string): QuestionKind {
  const q = question.toLowerCase();
  if (/\b(how (many|much)|combien|quel (montant|nombre|taux|pourcentage)|what (share|percentage|rate|amount))/.test(q)) return 'number';
  if (/\b(when|since when|what year|quand|depuis quand|en quelle année|quelle date|d'ici quand)/.test(q)) return 'date';
  if (/\b(who|qui|which (minister|company|firm)s?|quel(le)?s? (ministre|entreprise|société|groupe))/.test(q)) return 'person';
  if (/\b(where|où|which city|quelle ville|dans quelle ville)/.test(q)) return 'place';
  return 'other';
}

const KIND_PATTERNS: Record<QuestionKind, RegExp | undefined> = {
  number: /\d/,
  date: /\b(1[89]\d\d|20\d\d)\b|\b(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|january|february|march|april|may|june|july|august|september|october|november|december)\b/i,
  person: /\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+/u,
  place: /\b(à|in|at|dans) \p{Lu}/u,
  other: undefined,
};

interface Candidate {
  hit: SearchHit;
  sentence: string;
  coverage: number;
  score: number;
  covered: Set<Concept>;
}

function scoreSentences(hits: SearchHit[], concepts: Concept[], kind: QuestionKind): Candidate[] {
  const total = concepts.reduce((s, c) => s + c.weight, 0) || 1;
  const candidates: Candidate[] = [];
  for (const hit of hits) {
    const context = termSet(`${hit.article.title} ${hit.article.source} ${hit.chunk.text}`);
    for (const s of sentencesOf(hit.chunk.text, hit.article.lang)) {
      const own = termSet(s.text);
      let got = 0;
      const covered = new Set<Concept>();
      for (const c of concepts) {
        const inSentence = [...c.variants].some((v) => own.has(v));
        const inContext = inSentence || [...c.variants].some((v) => context.has(v));
        if (inSentence) covered.add(c);
        got += inSentence ? c.weight : inContext ? c.weight * 0.6 : 0;
      }
      const coverage = got / total;
      const typeBonus = KIND_PATTERNS[kind]?.test(s.text) ? 0.08 : 0;
      candidates.push({ hit, sentence: s.text, coverage, covered, score: coverage + typeBonus + 0.03 / hit.rank });
    }
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
  idf: IdfLookup,
  /** For a follow-up, the earlier question: its concepts count too ("et d'ici quand ?"). */
  context = '',
): Promise<Omit<AnswerResult, 'timings'>> {
  const concepts = await conceptsOf(`${context} ${question}`, lang, idf);
  if (!hits.length || !concepts.length) return refusal(question, lang, hits);
  const ranked = scoreSentences(hits, concepts, questionKind(question));
  const best = ranked[0];
  if (!best || best.coverage < MIN_COVERAGE) return refusal(question, lang, hits);
  const chosen = [best];
  const second = ranked.find(
    (c) => c !== best && c.score >= best.score * SECOND_QUOTE_RATIO && [...c.covered].some((x) => !best.covered.has(x)) && c.sentence !== best.sentence,
  );
  if (second) chosen.push(second);
  const citations: Citation[] = [];
  const parts = chosen.map((c) => {
    let cite = citations.find((x) => x.articleId === c.hit.article.id);
    if (!cite) citations.push((cite = citationOf(citations.length + 1, c.hit, trimQuote(c.sentence))));
    else cite.quote = `${cite.quote} … ${trimQuote(c.sentence)}`;
    return `${quote(trimQuote(c.sentence), lang)} [${cite.n}]`;
  });
  const m = messages(lang);
  return { question, language: lang, answer: `${m.according} ${parts.join(' ')}`, refused: false, citations, notices: [] };
}
