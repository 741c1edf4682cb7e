// The offline answerer: quotes the retrieved sentences that best cover the
// question's concepts, verbatim, with numbered citations; refuses when no
// sentence covers enough of what was asked.
import { anyOrder, initialisms, isStopWord, stem, words } from '../text/analyze.js';
import type { AnswerResult, Citation, Lang, SearchHit } from '../types.js';
import { analyzeQuestion, questionKind, type Concept, type QuestionAnalysis, type QuestionKind } from './concepts.js';
import { messages, quote } from './messages.js';

/** Share of the question's weighted concepts a passage must cover to be quoted. */
export const MIN_COVERAGE = Number(process.env.X_MINCOV ?? 0.5);
type IdfLookup = (terms: string[]) => Promise<Map<string, number>>;
const SECOND_QUOTE_RATIO = 0.85;
const MAX_QUOTE_CHARS = 600;
/** Credit for a concept found next to the sentence rather than in it. */
const NEIGHBOUR_CREDIT = Number(process.env.X_NB ?? 0.6);
/** Credit for a concept found elsewhere in the article (headline, outlet, other passages). */
const ARTICLE_CREDIT = { name: Number(process.env.X_ACN ?? 0.9), other: Number(process.env.X_ACO ?? 0.3) };
/** A quote that does not say the attribute asked for, or an answer of the wrong type, is worth less. */
const FOCUS_MISSING = Number(process.env.X_FOCUS ?? 0.75);
const KIND_MISSING = Number(process.env.X_KIND ?? 0.85);
/** A passage from an article that never names what the question names is about something else. */
const NAME_MISSING = Number(process.env.X_NAMEMISS ?? 0.5);
/** Weight left to an untranslatable word an article in the other language doesn't match. */
const CROSS_GAP_SHARE = Number(process.env.X_XGAP ?? 0.3);

function sentencesOf(text: string, lang: Lang): Array<{ text: string; start: number }> {
  const segmenter = new Intl.Segmenter(lang, { granularity: 'sentence' });
  return [...segmenter.segment(text)]
    .map((s) => ({ text: s.segment.trim(), start: s.index }))
    .filter((s) => s.text.length > 15);
}

function termSet(text: string): Set<string> {
  const out = new Set([...initialisms(text)].map((i) => `acronym:${i}`));
  for (const w of words(text)) {
    if (isStopWord(w)) continue;
    out.add(stem(w, 'fr'));
    out.add(stem(w, 'en'));
  }
  return out;
}

const KIND_PATTERNS: Record<QuestionKind, RegExp | undefined> = {
  number: /\d/,
  date: /\b(1[89]\d\d|20\d\d)\b|\b(janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre|january|february|march|april|may|june|july|august|september|october|november|december|sept?|oct|nov|dec|jan|feb)\b/i,
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

/** Terms of each retrieved article: headline, outlet and every retrieved passage of it. */
function articleContexts(hits: SearchHit[]): Map<string, Set<string>> {
  const texts = new Map<string, string>();
  for (const { article, chunk } of hits) {
    texts.set(article.id, `${texts.get(article.id) ?? `${article.title}\n${article.source}`}\n${chunk.text}`);
  }
  return new Map([...texts].map(([id, text]) => [id, termSet(text)]));
}

/** Shortest stem that may match longer words across languages ("creat" ↔ "creation"). */
const MIN_PREFIX = 5;

function mentions(terms: Set<string>, c: Concept): boolean {
  if (c.acronym !== undefined && (terms.has(`acronym:${c.acronym}`) || (c.acronym.length >= 3 && terms.has(`acronym:${anyOrder(c.acronym)}`)))) return true;
  for (const v of c.variants) {
    if (terms.has(v)) return true;
    if (v.length < MIN_PREFIX || /\d/.test(v)) continue;
    for (const t of terms) if (t.length >= MIN_PREFIX && (t.startsWith(v) || v.startsWith(t))) return true;
  }
  return false;
}

function scoreSentences(hits: SearchHit[], question: QuestionAnalysis, lang: Lang): Candidate[] {
  const { concepts, kind, focus } = question;
  const meanRarity = concepts.reduce((s, c) => s + c.rarity, 0) / (concepts.length || 1);
  const contexts = articleContexts(hits);
  const candidates: Candidate[] = [];
  for (const hit of hits) {
    const context = contexts.get(hit.article.id)!;
    const sentences = sentencesOf(hit.chunk.text, hit.article.lang).map((s) => ({ ...s, terms: termSet(s.text) }));
    sentences.forEach((s, i) => {
      const near = [sentences[i - 1]?.terms, sentences[i + 1]?.terms].filter((t) => t !== undefined);

      let got = 0;
      let total = 0;
      const covered = new Set<Concept>();
      let focusFound = !focus;
      let nameFound = true;
      const dbg: string[] = [];
      for (const c of concepts) {
        let credit = 0;
        if (mentions(s.terms, c)) credit = 1;
        else if (near.some((t) => mentions(t, c))) credit = NEIGHBOUR_CREDIT;
        else if (mentions(context, c)) credit = c.name ? ARTICLE_CREDIT.name : ARTICLE_CREDIT.other;
        if (credit === 1) covered.add(c);
        // Across languages, a word we can't translate may be said in words we can't match: not proof it's missing.
        // (Names cross languages unchanged, except acronyms the index has never seen, like "MoU" for "protocole d'accord".)
        const crossGap =
          credit === 0 && hit.article.lang !== lang && (c.name ? c.absent && c.acronym !== undefined : c.untranslated || c.absent);
        if (c === focus && (credit >= NEIGHBOUR_CREDIT || crossGap)) focusFound = true;
        if (c.name && !crossGap && credit === 0 && c.rarity >= meanRarity) nameFound = false;
        const weight = crossGap ? c.weight * CROSS_GAP_SHARE : c.weight;
        got += weight * credit;
        total += weight;
        if (process.env.X_DBG2) dbg.push(`${[...c.variants][0]}=${credit}/${weight.toFixed(2)}${crossGap ? 'x' : ''}`);
      }
      const pattern = KIND_PATTERNS[kind];
      const kindFound = !pattern || pattern.test(s.text);
      const coverage =
        (got / (total || 1)) * (focusFound ? 1 : FOCUS_MISSING) * (kindFound ? 1 : KIND_MISSING) * (nameFound ? 1 : NAME_MISSING);
      candidates.push({ hit, sentence: s.text, coverage, covered, score: coverage + 0.03 / hit.rank, dbg: `${dbg.join(' ')} focus=${focusFound} kind=${kindFound} name=${nameFound}` } as Candidate);
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
  idf: IdfLookup,
  /** For a follow-up, the earlier question: its concepts count too ("et d'ici quand ?"). */
  context = '',
): Promise<Omit<AnswerResult, 'timings'>> {
  const analysis = await analyzeQuestion(`${context} ${question}`, lang, idf);
  const absent = analysis.concepts.filter((c) => c.absent && c.acronym === undefined).length;
  // Mostly words no article uses: the question is about something else (or is no question at all).
  if (!hits.length || !analysis.concepts.length || absent > analysis.concepts.length / 2) return refusal(question, lang, hits);
  const ranked = scoreSentences(hits, { ...analysis, kind: questionKind(question) }, lang);
  const best = ranked[0];
  if (process.env.X_DBG) console.error('DBG', question, '\n   ', analysis.concepts.map((c) => `${[...c.variants][0]}:${c.weight.toFixed(2)}${c.name ? 'N' : ''}${c.absent ? 'A' : ''}${c === analysis.focus ? 'F' : ''}`).join(' '), '\n    best', best?.coverage.toFixed(3), (best as unknown as { dbg: string })?.dbg, best?.sentence.slice(0, 120));
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
