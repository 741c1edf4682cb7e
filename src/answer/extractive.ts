// The offline answerer: understands the question, picks an answer mode, and
// answers with verbatim quotes and numbered citations — a lead span in bold
// for facts, central sentences for summaries, metadata for questions about an
// article — or says, in the question's language, that the articles don't say.
import { distance as editDistance } from 'fastest-levenshtein';
import { fold, words } from '../text/analyze.js';
import type { Lang, SearchHit } from '../types.js';
import { analyzeQuestion, promoteNames, type Concept, type QuestionAnalysis } from './concepts.js';
import { answered, CitationList, factAbsent, refusal, type Answer } from './compose.js';
import { resolveDate } from './dates.js';
import { enumerationOf } from './enumeration.js';
import { colon, messages } from './messages.js';
import { metaAnswer, readableDate } from './meta.js';
import { itemsAsked, understandQuestion, type QuestionIntent } from './question.js';
import { spansOf, type Span } from './spans.js';
import { articleContexts, scoreSentences, type ArticleTextLookup, type Candidate } from './score.js';
import { centralSentences, rankArticles, type ArticleCandidate } from './summary.js';
import { claimEvidenceFirst, figuresOf, settle, withoutClaim } from './yesno.js';

export { refusal } from './compose.js';
export type { ArticleTextLookup } from './score.js';

/** Share of the question's weighted concepts a passage must cover to be quoted. */
export const MIN_COVERAGE = 0.5;
/**
 * Share of the subject's weighted concepts an article must say to be taken as
 * "the article about it". Lower when the question says an article exists
 * ("résume l'article sur…"): then the best match is very likely the one meant.
 */
const MIN_ABOUTNESS = { asked: 0.5, named: 0.35 };
/** A second quote must score nearly as well as the first. */
const SECOND_QUOTE_RATIO = 0.85;
/** Another article's figure for the same thing is reported when its sentence scores this close to the best. */
const OTHER_SOURCE_RATIO = 0.8;
/** A name the articles use: rare, said the same in both languages (a role like "CEO" has a translation). */
const isProperName = (c: Concept) => c.distinctive && c.untranslated && !c.absent;

/** Edits a misspelt name may carry and still be that name ("Capgemni" for "Capgemini"): one per this many letters. */
const LETTERS_PER_TYPO = 4;

/** A name the question gives that no article says, nor anything spelt like it: the question is about something else. */
function namesUnknown(subject: Concept[], articles: ArticleCandidate[]): boolean {
  // Only words with no translation: a capitalised common word ("the Kingdom's plan") may just be said in the other language.
  const unknown = subject.filter((c) => c.name && c.absent && c.untranslated && c.acronym === undefined && !/\d/.test(c.word));
  if (!unknown.length) return false;
  const said = new Set(articles.flatMap((a) => words(`${a.meta.title} ${a.text}`).map(fold)));
  return unknown.some((c) => {
    const name = fold(c.word);
    const typos = Math.floor(name.length / LETTERS_PER_TYPO);
    for (const w of said) if (Math.abs(w.length - name.length) <= typos && editDistance(w, name) <= typos) return false;
    return true;
  });
}

/** The article that says the names the question names, if it names any: what "the subject" is when the fact is missing. */
function namedArticle(ctx: Context): ArticleCandidate | undefined {
  const names = ctx.subject.filter(isProperName);
  if (!names.length) return undefined;
  const best = rankArticles(names, [...ctx.articles.values()])[0];
  return best && best.about >= MIN_ABOUTNESS.asked ? best.article : undefined;
}

/** Items a list answer quotes at most. */
const MAX_LIST_QUOTES = 3;
/** Sentences of the article added after the direct answer to an open question. */
const OPEN_SUMMARY_SENTENCES = 2;

type IdfLookup = (terms: string[]) => Promise<Map<string, number>>;

interface Context {
  question: string;
  lang: Lang;
  hits: SearchHit[];
  intent: QuestionIntent;
  analysis: QuestionAnalysis;
  /** The concepts naming what the question is about (its asking words left out). */
  subject: Concept[];
  articles: Map<string, ArticleCandidate>;
}

export async function extractiveAnswer(
  question: string,
  lang: Lang,
  hits: SearchHit[],
  idf: IdfLookup,
  /** For a follow-up, the earlier question: its concepts count too ("et d'ici quand ?"). */
  context = '',
  /** The whole text of a retrieved article: a name said anywhere in it counts for every quote from it. */
  articleText?: ArticleTextLookup,
): Promise<Answer> {
  const parts = splitCompound(question);
  if (!parts) return answerOne(question, lang, hits, idf, context, articleText);
  // "How many engineers, and what budget?": each part answered, the second knowing what the first was about.
  const first = await answerOne(parts[0], lang, hits, idf, context, articleText);
  const second = await answerOne(parts[1], lang, hits, idf, `${context} ${parts[0]}`.trim(), articleText);
  return joinAnswers(question, first, second);
}

/** A second question word after "et"/"and" starts a second question. */
const COMPOUND = /^(.{8,}?),?\s+(?:et|and)\s+((?:pour |à |a |for |in |by )?(?:quel(?:le)?s?|combien|comment|quand|où|qui|what|which|how|when|where|who)\b.{4,})$/i;

/** Two question words sharing one question: "where and when was it signed?", "quand et où…". */
const TWO_ASKS = /^\s*(where|when|who|how much|how many|où|ou|quand|qui|combien)\s+(?:and|et)\s+(where|when|who|how much|how many|où|ou|quand|qui|combien)(?=\s)(.{4,})$/i;

function splitCompound(question: string): [string, string] | undefined {
  const two = TWO_ASKS.exec(question);
  if (two) return [`${two[1]}${two[3]}`, `${two[2]}${two[3]}`];
  const m = COMPOUND.exec(question);
  return m ? [m[1]!, m[2]!] : undefined;
}

/** One reply from two: the second's citations renumbered after the first's, an article cited in both keeping its number. */
function joinAnswers(question: string, first: Answer, second: Answer): Answer {
  if (second.refused && !first.refused) return { ...first, question };
  if (first.refused && !second.refused) return { ...second, question };
  if (first.refused) return { ...first, question };
  const citations = [...first.citations];
  const renumber = new Map<number, number>();
  for (const c of second.citations) {
    const same = citations.find((x) => x.articleId === c.articleId);
    if (same) {
      if (!same.quote.split(' … ').includes(c.quote)) same.quote = `${same.quote} … ${c.quote}`;
      renumber.set(c.n, same.n);
    } else {
      renumber.set(c.n, citations.length + 1);
      citations.push({ ...c, n: citations.length + 1 });
    }
  }
  // A quote the first part already gave is not repeated: its lead and citation suffice.
  const secondText = second.answer
    .replace(/\[(\d+)\]/g, (_, n: string) => `[${renumber.get(Number(n)) ?? n}]`)
    .replace(/ ?:? ?(«[^»]*»|“[^”]*”) \[\d+\]/g, (whole, quoted: string) => (first.answer.includes(quoted) ? '' : whole));
  // The note on quotes in the other language is said once, at the end.
  const m = messages(first.language);
  const notes = new Set([m.quotedIn('fr'), m.quotedIn('en')]);
  const lines = [...first.answer.split('\n'), ...secondText.split('\n')];
  const said = [...new Set(lines.filter((l) => notes.has(l)))];
  return { ...first, question, answer: [...lines.filter((l) => !notes.has(l)), ...said].join('\n'), citations };
}

async function answerOne(
  question: string,
  lang: Lang,
  hits: SearchHit[],
  idf: IdfLookup,
  context: string,
  articleText: ArticleTextLookup | undefined,
): Promise<Answer> {
  const intent = understandQuestion(question);
  const analysis = await analyzeQuestion(question, lang, idf, context);
  const subject = subjectConcepts(analysis, intent);
  if (!hits.length || !subject.length) return refusal(question, lang, hits);
  const articles = await articleContexts(hits, articleText);
  promoteNames(analysis.concepts, [...articles.values()].map((a) => `${a.meta.title}\n${a.text}`));
  const absent = subject.filter((c) => c.absent && c.acronym === undefined).length;
  // Mostly words no article uses, and no name the articles know: the question is about something else.
  if (absent > subject.length / 2 && !subject.some(isProperName)) return refusal(question, lang, hits);
  if (namesUnknown(subject, [...articles.values()])) return refusal(question, lang, hits);
  const ctx: Context = { question, lang, hits, intent, analysis, subject, articles };
  switch (intent.intent) {
    case 'summary':
      return summaryMode(ctx);
    case 'meta':
      return metaMode(ctx);
    case 'open':
      return openMode(ctx);
    default:
      return factMode(ctx);
  }
}

/** The question's concepts that name its subject, not the way it asks ("résume", "article", "outlet"). */
function subjectConcepts(analysis: QuestionAnalysis, intent: QuestionIntent): Concept[] {
  const said = new Set(words(intent.subject));
  const kept = analysis.concepts.filter((c) => said.has(fold(c.word)));
  return kept.length ? kept : analysis.concepts;
}

/** The retrieved article the subject is about, if one clearly is. */
function subjectArticle(ctx: Context, threshold: number): ArticleCandidate | undefined {
  const best = rankArticles(ctx.subject, [...ctx.articles.values()])[0];
  return best && best.about >= threshold ? best.article : undefined;
}

/** "Outlet, date" of an article, the date in the reader's language. */
function outletAndDate(article: ArticleCandidate, lang: Lang): string {
  const { source: outlet, date } = article.meta;
  return [outlet, date ? readableDate(date, lang) : ''].filter(Boolean).join(', ');
}

function headline(article: ArticleCandidate, lang: Lang, list: CitationList): string {
  const n = list.cite({ article: article.meta }, article.meta.title);
  const about = outletAndDate(article, lang);
  return `**${article.meta.title}**${about ? ` — ${about}` : ''} [${n}]`;
}

/** Outlet and date alone, when the headline is the article's own first sentence. */
function source(article: ArticleCandidate, lang: Lang, list: CitationList): string {
  const n = list.cite({ article: article.meta }, '');
  return `**${outletAndDate(article, lang) || article.meta.title}** [${n}]`;
}

/** Whether a sentence is the one a headline was made from ("Un accord conclu…"): quoting both says it twice. */
function restatesHeadline(sentence: string, article: ArticleCandidate): boolean {
  return sentence.startsWith(article.meta.title.replace(/…$/, ''));
}

function summaryMode(ctx: Context): Answer {
  const article = subjectArticle(ctx, MIN_ABOUTNESS.named);
  if (!article) return refusal(ctx.question, ctx.lang, ctx.hits);
  const list = new CitationList();
  const items = itemsAsked(ctx.question);
  const sentences = centralSentences(article.text, article.meta.lang, { focus: ctx.subject, headline: article.meta.title, items });
  const restated = sentences.some((s) => restatesHeadline(s.text, article));
  const lines = [restated ? source(article, ctx.lang, list) : headline(article, ctx.lang, list)];
  for (const s of sentences) lines.push(`- ${list.quoted({ article: article.meta }, s.text, ctx.lang)}`);
  return answered(ctx.question, ctx.lang, lines, list);
}

function metaMode(ctx: Context): Answer {
  const article = subjectArticle(ctx, MIN_ABOUTNESS.named);
  return article ? metaAnswer(ctx.question, ctx.lang, ctx.intent.meta!, article) : refusal(ctx.question, ctx.lang, ctx.hits);
}

/** The best quotes for the question, then what the article says in brief: open questions want context. */
function openMode(ctx: Context): Answer {
  const ranked = byReasonHints(ctx, scoreSentences(ctx.hits, ctx.analysis, ctx.intent, ctx.lang, ctx.articles));
  // The cause leads, alone: the brief below gives the context.
  const cause = causeStated(ctx, ranked);
  const direct = cause ? [cause] : ranked[0] && ranked[0].coverage >= MIN_COVERAGE ? chooseQuotes(ranked, 2) : [];
  const article = direct[0] ? ctx.articles.get(direct[0].hit.article.id) : subjectArticle(ctx, MIN_ABOUTNESS.asked);
  if (!article) return refusal(ctx.question, ctx.lang, ctx.hits);
  const list = new CitationList();
  // The headline first: it says in a line what the story is.
  const lines = [headline(article, ctx.lang, list), ...direct.map((c) => list.quoted(c.hit, c.sentence, ctx.lang))];
  const quoted = new Set(direct.map((c) => c.sentence));
  const brief = centralSentences(article.text, article.meta.lang, { count: OPEN_SUMMARY_SENTENCES + quoted.size, focus: ctx.subject, headline: article.meta.title })
    .filter((s) => !quoted.has(s.text) && !restatesHeadline(s.text, article))
    .slice(0, OPEN_SUMMARY_SENTENCES);
  if (brief.length) {
    if (direct.length) lines.push(messages(ctx.lang).inBrief);
    for (const s of brief) lines.push(`- ${list.quoted({ article: article.meta }, s.text, ctx.lang)}`);
  }
  return answered(ctx.question, ctx.lang, lines, list);
}

/** Connectives that state a cause: the sentence says why. */
const CAUSE = /\b(?:because|due to|thanks to|owing to|as a result of|(?:spurred|driven|motivated|prompted|attracted|lured) by|parce que|en raison de|du fait de|grâce à|(?:motivé|poussé|suscité|attiré)e?s? par)\b/i;
/** Words that often come with a reason (an advantage, an incentive, a purpose) without stating one. */
const REASON_HINT = /\b(?:since|given|in order to|reasons?|raisons?|attract\w*|advantage\w*|car|compte tenu|afin de|pour (?:sa|son|ses|leur)|attir\w*|atouts?|avantages?|incitations?)\b/i;
/** How much a hint of a reason counts for a "why" question, against coverage. */
const REASON_HINT_CREDIT = 0.15;

function byReasonHints(ctx: Context, ranked: Candidate[]): Candidate[] {
  if (!ctx.intent.asksReason) return ranked;
  return ranked.map((c) => (REASON_HINT.test(c.sentence) ? { ...c, score: c.score + REASON_HINT_CREDIT } : c)).sort((a, b) => b.score - a.score);
}

/**
 * For a "why" question, the best sentence stating a cause in the article the
 * question is about (the best-scored passage's): it answers even when better-
 * covering sentences give none, since the cause often comes a sentence after the names.
 */
function causeStated(ctx: Context, ranked: Candidate[]): Candidate | undefined {
  if (!ctx.intent.asksReason || !ranked[0]) return undefined;
  const about = ranked[0].hit.article.id;
  return ranked.find((c) => c.hit.article.id === about && c.covered.size > 0 && CAUSE.test(c.sentence));
}

/** One line per quote, led by the items it enumerates in bold: the things a list asks for, each with its citation. */
function listAnswer(ctx: Context, eligible: Candidate[], list: CitationList): Answer {
  // The things asked are gathered across articles: each article's best quote first, then others.
  const firsts = eligible.filter((c, i) => eligible.findIndex((x) => x.hit.article.id === c.hit.article.id) === i);
  const ordered = [...firsts, ...eligible.filter((c) => !firsts.includes(c))];
  const lines = chooseQuotes(ordered, MAX_LIST_QUOTES).map((c) => {
    const quoted = list.quoted(c.hit, c.sentence, ctx.lang);
    return c.items.length ? `- ${c.items.map((i) => `**${i.text}**`).join(', ')}${colon(ctx.lang)} ${quoted}` : `- ${quoted}`;
  });
  return answered(ctx.question, ctx.lang, [messages(ctx.lang).according, ...lines], list);
}

/**
 * A list is best answered by a sentence that enumerates things ("Inwi, Maroc
 * Telecom et Orange"), more than by one that only names the kind asked ("des
 * opérateurs du secteur"): each item counts, up to a cap.
 */
const LIST_ITEM_CREDIT = 0.1;
const LIST_CREDIT_MAX = 0.3;

function byItemsListed(candidates: Candidate[]): Candidate[] {
  return candidates.map((c) => ({ ...c, score: c.score + Math.min(LIST_CREDIT_MAX, LIST_ITEM_CREDIT * c.items.length) })).sort((a, b) => b.score - a.score);
}

/** The best candidate, and others that add concepts it lacks, read in article order when from one article. */
function chooseQuotes(ranked: Candidate[], max: number): Candidate[] {
  const best = ranked[0]!;
  const chosen = [best];
  for (const c of ranked) {
    if (chosen.length >= max || c.score < best.score * SECOND_QUOTE_RATIO) break;
    if (chosen.some((x) => x.sentence === c.sentence)) continue;
    if (max > 2 || [...c.covered].some((x) => !best.covered.has(x))) chosen.push(c);
  }
  if (chosen.every((c) => c.hit.article.id === best.hit.article.id)) chosen.sort((a, b) => a.offset - b.offset);
  return chosen;
}

/** The words a figure counts ("1 500 **emplois**", "110 M de **quintaux**"), folded; none for a bare figure or amount. */
const countedWords = (span: string) => words(span).filter((w) => !/\d/.test(w) && w.length > 3).map((w) => fold(w).slice(0, SAME_NOUN_PREFIX));
/** Letters two counted words must share to count the same thing ("emplois"/"employés" do not: jobs are not staff). */
const SAME_NOUN_PREFIX = 5;

/**
 * Another article's different figure for the same thing, if one scores nearly
 * as well: it says everything the best quote says of the question, and counts
 * the same thing (jobs against jobs, not students against tonnes).
 */
function otherSource(ranked: Candidate[], best: Candidate): Candidate | undefined {
  const mine = figuresOf(best.span!.text);
  const counted = countedWords(best.span!.text);
  const sameThing = (span: string) => {
    const theirs = countedWords(span);
    return !counted.length || !theirs.length || theirs.some((w) => counted.includes(w));
  };
  return ranked.find(
    (c) =>
      c.hit.article.id !== best.hit.article.id &&
      c.span &&
      c.score >= best.score * OTHER_SOURCE_RATIO &&
      [...best.covered].every((x) => c.covered.has(x)) &&
      sameThing(c.span.text) &&
      ![...figuresOf(c.span.text)].some((f) => mine.has(f)) &&
      figuresOf(c.span.text).size > 0,
  );
}

/**
 * "Qui a signé…" is often answered by two people named together ("par Ghita
 * Mezzour et Hicham Alj"): all of them, when the answer's name is one of a list of people.
 */
function peopleListedWith(span: Span & { sentence: string }): string[] {
  const items = enumerationOf(span.sentence);
  const isPerson = (text: string) => spansOf(text, 'person').some((p) => p.text === text);
  if (items.length < 2 || !items.every((i) => i.name && isPerson(i.text))) return [];
  return items.some((i) => i.text === span.text) ? items.map((i) => i.text) : [];
}

function boldList(items: string[], lang: Lang): string {
  const bold = items.map((i) => `**${i}**`);
  return `${bold.slice(0, -1).join(', ')} ${lang === 'fr' ? 'et' : 'and'} ${bold.at(-1)}`;
}

/** Fact, who, where, when, list and yes/no questions: quotes that say the asked thing, led by the answer itself. */
function factMode(ctx: Context): Answer {
  const { intent, lang, question } = ctx;
  const analysis = intent.intent === 'yesno' ? withoutClaim(ctx.analysis) : ctx.analysis;
  const ranked = scoreSentences(ctx.hits, analysis, intent, lang, ctx.articles);
  const typed = intent.answerType !== 'any';
  // A span answers only where the attribute asked is said: "350 millions" invested is not a revenue.
  let eligible = ranked.filter((c) => c.coverage >= MIN_COVERAGE && (!typed || (c.span && c.focusFound)));
  // A span whose pattern often finds something else ("les clients de CGI France") answers only where no surer one does.
  if (eligible.some((c) => c.span && !c.span.unsure)) eligible = eligible.filter((c) => !c.span?.unsure);
  if (intent.intent === 'list') eligible = byItemsListed(eligible);
  if (intent.intent === 'yesno') eligible = claimEvidenceFirst(question, eligible);
  const list = new CitationList();
  if (!eligible.length) {
    const onSubject = namedArticle(ctx) ?? (ranked[0] && ranked[0].coverage >= MIN_COVERAGE ? ctx.articles.get(ranked[0].hit.article.id) : undefined);
    if (!onSubject) return refusal(question, lang, ctx.hits);
    // The subject is there but not the fact asked: say so, and what its article says in brief.
    const brief = centralSentences(onSubject.text, onSubject.meta.lang, { count: 1, focus: ctx.subject, headline: onSubject.meta.title });
    return factAbsent(question, lang, brief.map((s) => list.quoted({ article: onSubject.meta }, s.text, lang)), list);
  }
  const best = eligible[0]!;
  const m = messages(lang);
  if (typed && best.span) {
    const n = list.cite(best.hit, '');
    const resolved = intent.answerType === 'date' ? resolveDate(best.span.text, best.hit.article.date, lang) : undefined;
    const people = intent.answerType === 'person' && !intent.asksLeader ? peopleListedWith(best.span) : [];
    const lead = people.length ? boldList(people, lang) : `**${best.span.text}**${resolved ? ` ${m.resolvedDate(resolved)}` : ''}`;
    const sentences = best.span.sentence === best.sentence ? [best.sentence] : [best.sentence, best.span.sentence];
    const lines = [`${lead} [${n}]${colon(lang)} ${sentences.map((s) => list.quoted(best.hit, s, lang)).join(' ')}`];
    const other = ['money', 'percent', 'number'].includes(intent.answerType) ? otherSource(eligible, best) : undefined;
    if (other) lines.push(`${m.sourcesDiffer(`**${other.span!.text}**`, list.cite(other.hit, ''))} ${list.quoted(other.hit, other.span!.sentence, lang)}`);
    return answered(question, lang, lines, list);
  }
  if (intent.intent === 'list') return listAnswer(ctx, eligible, list);
  const quotes = chooseQuotes(eligible, 2);
  const verdict = intent.intent === 'yesno' ? settle(question, lang, best, analysis.concepts) : undefined;
  const lead = verdict === 'yes' ? m.yes : verdict === 'no' ? m.no : m.according;
  return answered(question, lang, [`${lead} ${quotes.map((c) => list.quoted(c.hit, c.sentence, lang)).join(' ')}`], list);
}
