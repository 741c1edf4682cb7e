// Scoring the retrieved sentences against a question: the weighted share of
// its concepts each sentence says (its neighbours and its article counting
// for less), and, for a fact question, the answer span of the asked type it holds.
import { fold, words } from '../text/analyze.js';
import type { Lang, SearchHit } from '../types.js';
import type { Concept, QuestionAnalysis } from './concepts.js';
import type { AnswerType, QuestionIntent } from './question.js';
import { enumerationOf, type Item } from './enumeration.js';
import { sentencesOf } from './sentences.js';
import { isBareYear, LEADER_TITLE, spansOf, type Span } from './spans.js';
import type { ArticleCandidate } from './summary.js';
import { articleTerms, sentenceTerms, Terms } from './terms.js';

/** Credit for a concept found next to the sentence rather than in it. */
const NEIGHBOUR_CREDIT = 0.6;
/** Credit for a concept found elsewhere in the article (headline, outlet, other passages). */
const ARTICLE_CREDIT = { name: 0.8, other: 0.3 };
/** A name in the sentence before ("… GFI. Ce projet …") still says whose fact this is. */
const NAME_NEAR_CREDIT = 0.9;
/** A quote that does not say the attribute asked for is worth less. */
const FOCUS_MISSING = 0.75;
/** A passage from an article that never names what the question names is about something else. */
const NAME_MISSING = 0.5;
/** Weight left to an untranslatable word an article in the other language doesn't match. */
const CROSS_GAP_SHARE = 0.3;
/** A span in a neighbouring sentence answers, but less surely than one in the sentence. */
const NEIGHBOUR_SPAN = 0.85;
/**
 * Credit for the attribute asked when the sentence says it by what it is
 * rather than by its word: the operators it lists for "quels opérateurs", the
 * megawatts it gives for "quelle capacité".
 */
const STANDS_FOR_FOCUS_CREDIT = 0.8;
/** How far (characters) a leader's title may stand from the name it belongs to. */
const TITLE_REACH = 80;

export interface Candidate {
  hit: SearchHit;
  sentence: string;
  /** Where the sentence starts in its article's text. */
  offset: number;
  coverage: number;
  score: number;
  covered: Set<Concept>;
  /** For a typed question: the answer span, and the sentence holding it (this one or a neighbour). */
  span?: Span & { sentence: string };
  /** For a list question: the things the sentence enumerates, where it says (or its names stand for) the kind asked. */
  items: Item[];
  /** Whether the sentence says the attribute asked for (or the question names none). */
  focusFound: boolean;
}

export type ArticleTextLookup = (articleId: string) => Promise<string | undefined>;

/** Terms of each retrieved article: headline, outlet and its whole text (or its retrieved passages without a lookup). */
export async function articleContexts(hits: SearchHit[], articleText?: ArticleTextLookup): Promise<Map<string, ArticleCandidate>> {
  const bodies = new Map<string, string>();
  for (const { article, chunk } of hits) bodies.set(article.id, bodies.has(article.id) ? `${bodies.get(article.id)}\n${chunk.text}` : chunk.text);
  if (articleText) {
    // Once per article, not per retrieved passage of it.
    for (const id of bodies.keys()) {
      const full = await articleText(id);
      if (full !== undefined) bodies.set(id, full);
    }
  }
  const contexts = new Map<string, ArticleCandidate>();
  for (const hit of hits) {
    const { article } = hit;
    if (contexts.has(article.id)) continue;
    const body = bodies.get(article.id)!;
    contexts.set(article.id, { meta: article, text: body, rank: hit.rank, terms: articleTerms(article.id, `${article.title}\n${article.source}\n${body}`, article.lang) });
  }
  return contexts;
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
  // A word no article uses at all (a typo, "2e" for "second") is missed by every passage alike.
  if (c.absent && c.acronym === undefined) return true;
  if (p.hit.article.lang === p.lang) return false;
  return c.name ? c.absent && c.acronym !== undefined : c.untranslated || c.absent;
}

/**
 * Stemming conflates some words of one language ("employés" and "emplois"
 * share a French stem): in the question's own language, the attribute asked
 * must also be said with a word that starts like the question's.
 */
function saysFocusWord(c: Concept, texts: Array<Terms | undefined>, sameLanguage: boolean): boolean {
  if (!sameLanguage || /\d/.test(c.word)) return true;
  const word = fold(c.word);
  const prefix = word.slice(0, Math.max(FOCUS_PREFIX.min, Math.min(word.length - 2, FOCUS_PREFIX.max)));
  return texts.some((t) => t?.hasWordStarting(prefix));
}

/** How many leading letters of the asked attribute a same-language passage must repeat (enough to tell "employ-" from "emplo-i"). */
const FOCUS_PREFIX = { min: 4, max: 6 };

/**
 * Weighted share of the question's concepts the passage says, lowered when it
 * misses the focus or a name; nothing when it only names.
 */
function coverageOf(question: QuestionAnalysis, p: Passage, standsForFocus: boolean): { coverage: number; covered: Set<Concept>; focusFound: boolean; kindSaid: boolean } {
  const { concepts, focus } = question;
  let got = 0;
  let total = 0;
  let focusFound = !focus;
  let kindSaid = false;
  let nameFound = true;
  // Besides naming the entity, the passage must say something of what is asked about it.
  // (A capitalised word with a translation and some rarity, like "Minister", says more; "Morocco" doesn't.)
  const saysWhat = (c: Concept) => !c.name || (!c.untranslated && c.distinctive);
  let saysMore = !concepts.some(saysWhat);
  const covered = new Set<Concept>();
  for (const c of concepts) {
    let credit = creditOf(c, p);
    const gap = credit === 0 && isTranslationGap(c, p);
    if (c === focus) {
      kindSaid = standsForFocus || (credit >= NEIGHBOUR_CREDIT && saysFocusWord(c, [p.sentence, p.previous, p.next], p.hit.article.lang === p.lang));
      // An attribute no article writes in the question's own language is not said by one in that language.
      if (kindSaid || (gap && (p.hit.article.lang !== p.lang || !c.absent))) focusFound = true;
      if (standsForFocus) credit = Math.max(credit, STANDS_FOR_FOCUS_CREDIT);
    }
    if (credit === 1) covered.add(c);
    if (saysWhat(c) && (credit >= NEIGHBOUR_CREDIT || gap)) saysMore = true;
    if (c.distinctive && credit === 0 && !gap) nameFound = false;
    const weight = gap ? c.weight * CROSS_GAP_SHARE : c.weight;
    got += weight * credit;
    total += weight;
  }
  const factor = (focusFound ? 1 : FOCUS_MISSING) * (nameFound ? 1 : NAME_MISSING);
  return { coverage: saysMore ? (got / (total || 1)) * factor : 0, covered, focusFound, kindSaid };
}

/** Attributes a figure's unit says by itself: "500 MW" is a capacity, "2 000 m2" an area, "350 km/h" a speed, "110 M de quintaux" a weight (asked in tonnes), "AED53bn" a cost. */
const MEASURES: ReadonlyArray<readonly [attribute: RegExp, measures: (span: string) => boolean]> = [
  [/^(?:capacit|puissanc|power|output)/, (t) => /(?:m[eé]ga|giga|kilo)watts?|(?<![\p{L}])[mgk]wh?(?![\p{L}])|(?:tera|peta)flops|(?<![\p{L}])(?:tb|pb|teu|evp)(?![\p{L}])/iu.test(t)],
  [/^(?:superfici|surface|area)/, (t) => /m2|m²|km2|km²|hectares?|(?<![\p{L}])ha(?![\p{L}])|acres?|square/iu.test(t)],
  [/^(?:longueur|length|distance)/, (t) => /(?<![\p{L}])km(?![\p{L}/])|kilom[eè]tres?|kilometers?|miles?/iu.test(t)],
  [/^(?:vitesse|speed|debit|bandwidth)/, (t) => /km\/h|(?:par|per) heure|per hour|[mgt]bps|[mgt]bit/iu.test(t)],
  [/^(?:tonn|tons?$|poids|weight|mass|quinta|kilo)/, (t) => /(?<![\p{L}])(?:tonnes?|tons?|quintaux|quintals?|kg|kilos?|kilogrammes?|kilograms?)(?![\p{L}])/iu.test(t)],
  // An amount in any currency the money spans know.
  [/^(?:cout|cost|prix|price|budget|montant|amount|valeur|value|worth)/, (t) => spansOf(t, 'money').length > 0],
];

/** What tells that a figure measures the attribute asked ("capacité" → megawatts), once per question; undefined when no unit does. */
function unitsOf(focus: Concept | undefined): ((span: string) => boolean) | undefined {
  if (!focus) return undefined;
  const word = fold(focus.word).toLowerCase();
  return MEASURES.find(([attribute]) => attribute.test(word))?.[1];
}

/** A date that is a deadline ("d'ici 2019", "by 2026") does not say when something already happened. */
const DEADLINE = /^(?:d['’]ici|by|until|jusqu['’]|à l['’]horizon|before)\b/i;
/** The same, said just before a bare year ("à l'horizon 2026", "by the end of 2027"). */
const DEADLINE_BEFORE = /(?:d['’]ici(?: à)?|by(?: the end of)?|until|jusqu['’](?:en|à)|horizon|before|avant) ?$/i;

/** Measures an amount of money may be named as, other than what something costs or receives. */
const OTHER_AMOUNT = /(?:chiffre d['’]affaires|revenues?|turnover|\bpib\b|\bgdp\b|exportations?|exports?|ventes|sales|recettes|profits?|benefices?)/i;
const OTHER_AMOUNT_AFTER = new RegExp(`^\\s*(?:de |d['’]|of |in )?${OTHER_AMOUNT.source}`, 'i');

/** Words before a year that date something ("In 2019", "Depuis 1999"), not name it. */
const DATING_WORD = /^(?:in|en|since|depuis|by|from|until|de|des|dès|to|à|of|du|year|année|an|fin|début|mi|early|late|mid|end|summer|été|winter|hiver|spring|printemps|autumn|automne|fall)$/i;

/** A year that is part of a name ("Maroc Digital 2030", "GITEX Africa 2023", a quoted "Morocco digital 2020"): a title, not a date. */
function namesYear(text: string, year: Span): boolean {
  const before = /([\p{L}]+)[\s-]+$/u.exec(text.slice(Math.max(0, year.start - 40), year.start))?.[1];
  if (before === undefined || DATING_WORD.test(before)) return false;
  if (/^\p{Lu}/u.test(before)) return true;
  const preceding = text.slice(0, year.start);
  const count = (re: RegExp) => preceding.match(re)?.length ?? 0;
  // Inside quotation marks, after a word: part of a quoted title.
  return count(/"/g) % 2 === 1 || count(/[«“]/g) > count(/[»”]/g);
}

/** Spans of the asked type that say something the question didn't already ("2027" doesn't answer "…by 2027?"). */
function newSpans(text: string, intent: QuestionIntent, questionWords: Set<string>): Span[] {
  const type = intent.answerType;
  let spans = spansOf(text, type).filter((s) => words(s.text).some((w) => !questionWords.has(fold(w))));
  if (type === 'date' && intent.past) spans = spans.filter((s) => !DEADLINE.test(s.text) && !DEADLINE_BEFORE.test(text.slice(Math.max(0, s.start - 20), s.start)));
  if (type === 'date' && intent.asksYear) spans = spans.filter((s) => /(?:19|20)\d\d/.test(s.text));
  if (type === 'date') spans = spans.filter((s) => !(isBareYear(s.text) && namesYear(text, s)));
  // "42 milliards de DH de chiffre d'affaires" is a turnover: it answers a question about turnover, not about a cost (the subject is folded already).
  if (type === 'money' && !OTHER_AMOUNT.test(intent.subject)) spans = spans.filter((s) => !OTHER_AMOUNT_AFTER.test(text.slice(s.end)));
  if (intent.asksLeader) {
    // "Who runs X" is answered by a name standing next to a leader's title, the nearest first
    // ("Jacques Pommeraud, Président-directeur général du groupe Inetum, Mohcine Jazouli, Ministre…").
    const titles = [...text.matchAll(new RegExp(LEADER_TITLE.source, 'giu'))].map((m) => m.index);
    const distance = (s: Span) => Math.min(...titles.map((t) => Math.min(Math.abs(t - s.start), Math.abs(t - s.end))));
    spans = spans.filter((s) => distance(s) <= TITLE_REACH).sort((a, b) => distance(a) - distance(b));
  }
  return spans;
}

/** How far (characters) around a span the attribute asked for may stand ("**168** trains", "un taux de **72 %**"). */
const FOCUS_REACH = 30;
/** A span standing next to the attribute asked for is very likely the answer; one naming it ("3 000 startups") surely is. */
const FOCUS_NEXT_TO_SPAN = 0.1;
const FOCUS_IN_SPAN = 0.2;

/** Whether the attribute asked is said within reach of the span, by its own word in the question's own language (as for coverage). */
function focusNextTo(text: string, span: Span, focus: Concept | undefined, sameLanguage: boolean): boolean {
  if (focus === undefined) return false;
  const near = new Terms(text.slice(Math.max(0, span.start - FOCUS_REACH), span.end + FOCUS_REACH));
  return near.mentions(focus) && saysFocusWord(focus, [near], sameLanguage);
}

/**
 * The answer span of a sentence, and whether it stands next to the attribute
 * asked for: the name nearest a leader's title, else of the spans beside the
 * attribute (or of all) the one nearest to where the sentence says the question's words.
 */
function answerSpan(text: string, intent: QuestionIntent, questionWords: Set<string>, focus: Concept | undefined, sameLanguage: boolean): { span: Span; bonus: number } | undefined {
  const spans = newSpans(text, intent, questionWords);
  if (!spans.length) return undefined;
  if (intent.asksLeader) return { span: spans[0]!, bonus: focusNextTo(text, spans[0]!, focus, sameLanguage) ? FOCUS_NEXT_TO_SPAN : 0 };
  const beside = spans.filter((s) => focusNextTo(text, s, focus, sameLanguage));
  // A span that names the attribute itself ("3 000 startups") beats one that only stands near it ("$215 million into startups").
  const naming = beside.filter((s) => focus !== undefined && new Terms(s.text).mentions(focus));
  if (naming.length) return { span: nearestToWords(text, naming, questionWords), bonus: FOCUS_IN_SPAN };
  return beside.length ? { span: nearestToWords(text, beside, questionWords), bonus: FOCUS_NEXT_TO_SPAN } : { span: nearestToWords(text, spans, questionWords), bonus: 0 };
}

function nearestToWords(text: string, spans: Span[], questionWords: Set<string>): Span {
  if (spans.length === 1) return spans[0]!;
  // Folded like the question's words ("fès" is looked for as "fes"); folding keeps precomposed letters' offsets.
  const lower = fold(text).toLowerCase();
  const anchors = [...questionWords].filter((w) => w.length > 3).flatMap((w) => {
    const i = lower.indexOf(w);
    return i >= 0 ? [i] : [];
  });
  if (!anchors.length) return spans[0]!;
  const distance = (s: Span) => Math.min(...anchors.map((a) => Math.min(Math.abs(a - s.start), Math.abs(a - s.end))));
  return [...spans].sort((a, b) => distance(a) - distance(b))[0]!;
}

export function scoreSentences(hits: SearchHit[], question: QuestionAnalysis, intent: QuestionIntent, lang: Lang, contexts: Map<string, { terms: Terms }>): Candidate[] {
  const questionWords = new Set(words(question.text).map(fold));
  const typed = intent.answerType !== 'any';
  const focusUnits = unitsOf(question.focus);
  const candidates: Candidate[] = [];
  for (const hit of hits) {
    const sentences = sentencesOf(hit.chunk.text, hit.article.lang).map((s) => ({ ...s, terms: sentenceTerms(s.text, hit.article.lang) }));
    const found = typed ? sentences.map((s) => answerSpan(s.text, intent, questionWords, question.focus, hit.article.lang === lang)) : [];
    sentences.forEach((s, i) => {
      const passage: Passage = {
        hit,
        lang,
        sentence: s.terms,
        previous: sentences[i - 1]?.terms,
        next: sentences[i + 1]?.terms,
        article: contexts.get(hit.article.id)!.terms,
      };
      const items = intent.intent === 'list' ? enumerationOf(s.text) : [];
      // Listed names stand for the kind asked in an article that speaks of it ("Inwi, Orange" for operators;
      // "stability, diversity" stand for nothing); a unit stands for what it measures.
      const listsNames = items.length > 0 && items.every((x) => x.name) && question.focus !== undefined && passage.article.mentions(question.focus);
      const measures = found[i] !== undefined && focusUnits !== undefined && focusUnits(found[i]!.span.text);
      const { coverage, covered, focusFound, kindSaid } = coverageOf(question, passage, listsNames || measures);
      const offset = hit.chunk.start + s.start;
      let span: Candidate['span'];
      let factor = 1;
      if (typed) {
        // A span in the sentence, else in a neighbour (each sentence's span is found once, above).
        const own = found[i];
        const neighbour = [i - 1, i + 1].find((j) => found[j]);
        if (own) {
          span = { ...own.span, sentence: s.text };
          factor += own.bonus;
        } else if (neighbour !== undefined) {
          span = { ...found[neighbour]!.span, sentence: sentences[neighbour]!.text };
          factor = NEIGHBOUR_SPAN;
        }
      }
      const adjusted = coverage * factor;
      candidates.push({ hit, sentence: s.text, offset, coverage: adjusted, covered, span, items: kindSaid ? items : [], focusFound, score: adjusted + 0.03 / hit.rank });
    });
  }
  return candidates.sort((a, b) => b.score - a.score);
}
