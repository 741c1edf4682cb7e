// What a question asks, for the extractive answerer: one concept per content
// word (its stems in both languages and glossary translations), weighted by
// how rare it is in the corpus, with names and the asked-for attribute marked.
import { acronymOf, isStopWord, phraseTranslations, stem, surfaceWords, translateFrom } from '../text/analyze.js';
import type { Lang } from '../types.js';

export interface Concept {
  /** The question's word it comes from, lower-cased. */
  word: string;
  variants: Set<string>;
  /** Rare in the corpus: few passages say it. */
  rare: boolean;
  weight: number;
  /** A proper name, acronym or figure: it must be what the quoted article is about. */
  name: boolean;
  /** No form of it is in the index (an acronym may still be spelled out in words). */
  absent: boolean;
  /** No glossary counterpart: an article in the other language may say it in words we can't match. */
  untranslated: boolean;
  /** A name rare enough to tell articles apart (not "Maroc" in a Moroccan corpus): the quote's article must say it. */
  distinctive: boolean;
  /** For an acronym: its letters, matched against the initials of a passage's words. */
  acronym?: string;
}

export interface QuestionAnalysis {
  text: string;
  concepts: Concept[];
  /** The attribute asked for ("how many *employees*", "who is the *CEO*"): the quote must say it. */
  focus: Concept | undefined;
}

type IdfLookup = (terms: string[]) => Promise<Map<string, number>>;

/** Share of the highest possible idf from which a name tells articles apart (a name in a quarter of the passages scores about 0.2). */
const DISTINCTIVE_SHARE = 0.25;
/** A term no chunk contains: its idf is the ceiling every absent term shares. */
const NEVER_INDEXED = '\u0000absent';

/** Words that name the answer's type: the type check answers them, not a word match. */
const TYPE_WORDS = new Set([
  'year', 'years', 'date', 'day', 'month', 'time', 'city', 'country', 'place', 'number', 'amount', 'name',
  'period', 'duration', 'année', 'an', 'date', 'jour', 'mois', 'période', 'durée', 'ville', 'pays', 'lieu', 'endroit',
  'nombre', 'montant', 'nom', 'budget', 'cost', 'coût', 'cout', 'price', 'prix', 'sum', 'somme', 'money', 'argent', 'share', 'percentage', 'proportion', 'part', 'pourcentage', 'taux', 'rate',
  // "which company…": the answer is a name, whatever the passage calls it.
  'company', 'firm', 'entreprise', 'société', 'societe', 'firme', 'compagnie',
]);

/** Verbs that only report speech ("what did X say…"): articles report it with any verb (a rappelé, noted), so they are not asked about. */
const REPORTING_WORDS = new Set(['say', 'says', 'said', 'tell', 'told', 'dit', 'dire', 'déclaré', 'declare', 'affirmé', 'affirme']);

/** Wh-phrases after which the next content word is the attribute asked for. */
const FOCUS_LEAD =
  /(?:^|[\s,;:])(?:how (?:many|much)|what|which|who(?:'s)?|combien(?: d[e'])?|quel(?:le)?s?|qui|c'est quoi)\s+(?:(?:is|are|was|were|est|sont|était|étaient|a été)\s+)?(?:(?:the|le|la|les|l'|un|une)\s*)?(.*)$/i;

/** Prepositional phrases that only frame the question ("dans le cadre de Maroc Digital 2030"): their nouns are not asked about. */
const FRAMING_PHRASE = /(?<![\p{L}])(?:dans le cadre d(?:e|u|es|['’])|au sein d(?:e|u|es|['’])|en matière d(?:e|['’])|en ce qui concerne|as part of|in the framework of|in the context of|in terms of|with regard to)(?![\p{L}])/giu;

/** A capitalised word inside the question, an acronym, or a figure. */
function isName(original: string, index: number): boolean {
  if (/\d/.test(original)) return true;
  if (/^\p{Lu}.*\p{Lu}/u.test(original)) return true;
  return index > 0 && /^\p{Lu}/u.test(original);
}

/** `context`: for a follow-up, the earlier question, whose concepts count too ("et d'ici quand ?"). */
export async function analyzeQuestion(question: string, lang: Lang, idf: IdfLookup, context = ''): Promise<QuestionAnalysis> {
  const other: Lang = lang === 'fr' ? 'en' : 'fr';
  const seen = new Map<string, { word: string; variants: Set<string>; name: boolean; untranslated: boolean; group: number; acronym?: string }>();
  let group = 0;
  let previousWasName = false;
  const said = surfaceWords(`${context} ${question}`.replace(FRAMING_PHRASE, ' ').trim());
  // A glossary phrase ("set up") is translated as a whole, through its first word.
  const phrases = phraseTranslations(said.map((w) => w.word), lang);
  said.forEach(({ word, original }, index) => {
    const name = isName(original, index);
    // Consecutive name words are one name ("Maroc Numeric Cluster"): they share one weight.
    if (!(name && previousWasName)) group++;
    previousWasName = name && !isStopWord(word, lang);
    if (isStopWord(word, lang) || TYPE_WORDS.has(word) || REPORTING_WORDS.has(word)) return;
    const own = stem(word, lang);
    const entry = seen.get(own);
    if (entry) return void (entry.name ||= name);
    const translations = [...translateFrom(own, lang), ...translateFrom(stem(word, other), other), ...(phrases.get(index) ?? [])];
    const variants = new Set([own, stem(word, other), ...translations]);
    seen.set(own, { word, variants, name, untranslated: translations.length === 0 && !/\d/.test(word), group, acronym: acronymOf(original) });
  });
  const raw = [...seen.values()];
  const idfs = await idf([NEVER_INDEXED, ...new Set(raw.flatMap((r) => [...r.variants]))]);
  const ceiling = idfs.get(NEVER_INDEXED) ?? 1;
  const known = raw.map((r) => [...r.variants].map((v) => idfs.get(v) ?? ceiling).filter((x) => x < ceiling));
  const knownWeights = known.filter((k) => k.length).map((k) => Math.min(...k));
  const typical = knownWeights.length ? knownWeights.reduce((a, b) => a + b, 0) / knownWeights.length : ceiling / 2;
  const concepts = raw.map((r, i): Concept => {
    const k = known[i]!;
    const absent = k.length === 0;
    // A concept is as common as its most common form ("jobs" is rare, "emplois" is not). A name no
    // article uses is as rare as can be; an unknown common word (a synonym the articles don't use)
    // weighs as much as the question's typical word.
    const weight = k.length ? Math.min(...k) : r.name ? ceiling : typical;
    const rare = weight >= DISTINCTIVE_SHARE * ceiling;
    return { word: r.word, variants: r.variants, weight, rare, distinctive: r.name && rare, name: r.name, absent, untranslated: r.untranslated, acronym: r.acronym };
  });
  shareNameWeights(concepts, raw);
  return { text: question, concepts, focus: focusOf(question, lang, concepts, raw) };
}

/** The words of one multi-word name split the weight of its rarest word, so a long name doesn't outweigh the rest. */
function shareNameWeights(concepts: Concept[], raw: Array<{ name: boolean; group: number }>): void {
  const groups = new Map<number, Concept[]>();
  raw.forEach((r, i) => r.name && groups.set(r.group, [...(groups.get(r.group) ?? []), concepts[i]!]));
  for (const members of groups.values()) {
    if (members.length < 2) continue;
    const weight = Math.max(...members.map((c) => c.weight)) / members.length;
    for (const c of members) c.weight = weight;
  }
}

/** Share of a word's occurrences in the articles that must be capitalised for a lower-case question word to be taken for a name. */
const CAPITALISED_SHARE = 0.6;

/**
 * Chat questions are typed in lower case ("who runs inwi"): a rare word the
 * articles write capitalised mid-sentence is a name all the same.
 */
export function promoteNames(concepts: Concept[], texts: string[]): void {
  for (const c of concepts) {
    if (c.name || !c.untranslated || c.absent || !c.rare || c.word.length < 3 || /\d/.test(c.word)) continue;
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}])${c.word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'giu');
    let capitalised = 0;
    let all = 0;
    for (const text of texts) {
      for (const m of text.matchAll(pattern)) {
        all++;
        if (/^\p{Lu}/u.test(m[0])) capitalised++;
      }
    }
    if (all > 0 && capitalised / all >= CAPITALISED_SHARE) {
      c.name = true;
      c.distinctive = true;
    }
  }
}

function focusOf(question: string, lang: Lang, concepts: Concept[], raw: Array<{ variants: Set<string> }>): Concept | undefined {
  const lead = FOCUS_LEAD.exec(question.trim());
  const rest = lead?.[1];
  // Right after a bare "qui"/"who" comes a verb ("qui dirige…", "who signed…", "qui a coprésidé…"),
  // and a verb is not an attribute to find; "who's the CEO", "qui est le PDG" name one.
  if (!rest || /\b(?:qui|who)\s+$/i.test(lead[0].slice(0, lead[0].length - rest.length))) return undefined;
  // "quel taux de couverture": the type word says what kind of answer, the words after it what it measures.
  const tokens = surfaceWords(rest);
  const start = tokens.findIndex(({ word }) => !isStopWord(word, lang) && !TYPE_WORDS.has(word));
  if (start < 0) return undefined;
  let end = start;
  while (end + 1 < tokens.length && !isStopWord(tokens[end + 1]!.word, lang) && !/^\p{Lu}/u.test(tokens[end + 1]!.original)) end++;
  // The head of a noun phrase: last in English ("computing capacity"), first in French ("capacité de calcul").
  const head = tokens[lang === 'en' ? end : start]!;
  // A name right after the question word ("combien Itissalat a payé") is the subject, not the attribute;
  // so is one before a verb ("what is Morocco doing…"): the question asks what it does.
  if (/^\p{Lu}/u.test(head.original)) return undefined;
  if (lang === 'en' && /^\p{Lu}/u.test(tokens[start]!.original) && /ing$/.test(head.word)) return undefined;
  return concepts[raw.findIndex((r) => r.variants.has(stem(head.word, lang)))];
}
