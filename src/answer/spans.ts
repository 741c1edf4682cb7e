// Candidate answers inside a sentence: spans of the type a question asks for
// (an amount of money, a percentage, an age, a duration, a figure, a date, a
// person, a place), found by patterns over French and English news prose.
import type { AnswerType } from './question.js';

export interface Span {
  text: string;
  start: number;
  end: number;
  /** Found by a pattern that is often something else ("de CGI France" is a name more often than a place). */
  unsure?: true;
}

/** A figure as news prose writes it: "1 500", "1.500", "1,2", "33,3", "12". */
const FIGURE = String.raw`\d{1,3}(?:[  .,]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?`;
/** Counts written out, as prose does for small ones ("trois à six mois", "a dozen engineers"). */
const NUMBER_WORD = String.raw`(?:une centaine|une dizaine|une douzaine|a dozen|a hundred|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|cent|centaines|dizaines|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|hundreds|dozens)`;
const COUNT = `(?:${FIGURE}|(?<![\\p{L}])${NUMBER_WORD}(?![\\p{L}]))`;
const SCALE = String.raw`(?:millions?|milliards?|billions?|bn|mds?|mrds?|m|k|mille|thousand|trillions?)`;
const CURRENCY = String.raw`(?:dirhams?|dhs?|mad|mdh|mmdh|mmad|aed|dollars?|usd|us\$|\$|euros?|eur|€|£|yuans?)`;
const WORD_END = String.raw`(?![\p{L}\p{N}])`;
/** A country's adjective between an amount and its currency: "2 billion Moroccan dirhams". */
const COUNTRY_ADJECTIVE = String.raw`(?:\p{Ll}[\p{L}.]+\s)`;
/** Units written as symbols, which a noun pattern would miss ("2000 m2", "500 MW"). */
const UNIT = String.raw`(?:m2|m²|km2|km²|km|mw|gw|kw|mwh|gwh|mhz|ghz|ha|kg|gb|tb|tbps|gbps)`;

/** A distance, not a speed ("430 kilomètres", not "350 km/h"): with durations, what "how long" may ask. */
const LENGTH = new RegExp(String.raw`${COUNT}\s?(?:km|kilom[eè]tres?|kilometers?|kilometres?|miles?|m[eè]tres?|meters?)${WORD_END}(?!\s?(?:/|par heure|per hour|an hour))`, 'gu');

const PATTERNS: Record<Exclude<AnswerType, 'any' | 'date' | 'person' | 'name' | 'place' | 'extent'>, RegExp> = {
  money: new RegExp(
    String.raw`(?:${CURRENCY}\s?(?:${FIGURE})(?:\s?${SCALE}${WORD_END})?|(?:${FIGURE})\s?(?:${SCALE}\s?(?:de |d')?)?${CURRENCY}${WORD_END}|(?:${FIGURE})\s?${SCALE}\s(?:de |d')?${COUNTRY_ADJECTIVE}?${CURRENCY}${WORD_END})`,
    'gu',
  ),
  percent: new RegExp(String.raw`(?:plus de |more than |over |pres de |près de |about |around )?(?:${FIGURE})\s?(?:%|pour ?cent|percent|per cent)`, 'gu'),
  age: new RegExp(String.raw`(?:${FIGURE})(?:\s|-)(?:ans|years?(?:\s|-)old)${WORD_END}|(?:âgée?s? de|aged)\s(?:${FIGURE})`, 'gu'),
  duration: new RegExp(
    String.raw`${COUNT}(?:\s?(?:à|a|to|-|–|et|and|or|ou)\s?${COUNT})?\s(?:mois|months?|ans|années|years?|semaines|weeks?|jours|days?|heures|hours?)${WORD_END}`,
    'gu',
  ),
  // A figure with its noun ("1 500 emplois", "500-megawatt"), but not a following article ("50 % les").
  number: new RegExp(
    String.raw`(?<![\p{L}\p{N}.,])(?:${FIGURE}|${NUMBER_WORD}(?=\s))(?:\s?%|\s?${UNIT}${WORD_END}|(?:\s?${SCALE}${WORD_END})?(?:[\s-](?:de |d')?(?!(?:les|des|the|and|et|pour|for|par|dans|with|avec|sur)\b)[\p{L}-]{3,})?)`,
    'gu',
  ),
};

const MONTHS_FR = 'janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre';
const MONTHS_EN = 'january|february|march|april|may|june|july|august|september|october|november|december|jan\\.?|feb\\.?|mar\\.?|apr\\.?|jun\\.?|jul\\.?|aug\\.?|sept?\\.?|oct\\.?|nov\\.?|dec\\.?';
const WEEKDAYS = 'lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday';
const MONTH = `(?<![\\p{L}])(?:${MONTHS_FR}|${MONTHS_EN})(?![\\p{L}])`;
/** A month or weekday name: what makes a date a written date. */
const CALENDAR_WORD = new RegExp(`${MONTH}|(?<![\\p{L}])(?:${WEEKDAYS})(?![\\p{L}])`, 'u');
const DATE = new RegExp(
  [
    String.raw`\d{4}-\d{2}(?:-\d{2})?`,
    String.raw`\d{1,2}/\d{1,2}/\d{4}`,
    // "le mercredi 29 mai 2024", "3 avril", "1er et 2 juillet", "fin février 2018", "en septembre dernier"
    String.raw`(?:(?:${WEEKDAYS})\s)?(?:(?:début|mi|fin|early|mid|late|end of)[\s-])?(?:\d{1,2}(?:er)?(?:\s(?:et|and|au|-)\s\d{1,2})?\s)?${MONTH}(?:\s\d{1,2}(?:st|nd|rd|th)?(?!\d),?)?(?:\s(?:19|20)\d{2})?(?:\s(?:dernier|prochain))?`,
    String.raw`(?:${WEEKDAYS})(?:\s(?:dernier|prochain|last|next))?`,
    String.raw`(?:aujourd'hui|aujourd’hui|hier|demain|today|yesterday|tomorrow|cette année|l'année dernière|l’année dernière|l'an dernier|l’an dernier|le mois dernier|la semaine dernière|last (?:year|month|week)|this (?:year|month|week))`,
    String.raw`(?:en|in|depuis|since|d'ici|d’ici|by|from|de|à partir de|until|jusqu'en|jusqu’en)\s(?:19|20)\d{2}`,
    String.raw`(?<![\p{L}\p{N}])(?:19|20)\d{2}(?![\p{L}\p{N}])`,
  ].join('|'),
  'gu',
);

/** Capitalised words, with the particles names carry ("Amal El Fallah Seghrouchni", "Ahmed Ben Ali"). */
const PERSON = /(?<![\p{L}\p{N}])\p{Lu}[\p{Ll}'’-]+(?:\s(?:(?:El|Al|Ben|Ould|Ait|Aït|de|du|van|von|Le|La)\s)?\p{Lu}[\p{Ll}'’-]+){1,5}/gu;
/** A name of anything: a capitalised run not opening the sentence ("Alstom", "Maroc Telecom", "Nexus Core Systems"). */
const NAME = /(?<=[\p{L}\p{N},;:()«“"]\s)\p{Lu}[\p{L}\p{N}'’&-]+(?:\s\p{Lu}[\p{L}\p{N}'’&-]+){0,3}/gu;
/** "à Casablanca", "in Dakhla", "au sein de Casashore", "basé à Fès Shore". */
const placeAfter = (words: string) => new RegExp(String.raw`(?<=(?:^|[\s(])(?:${words})\s)\p{Lu}[\p{L}'’-]+(?:[\s-](?:\p{Lu}[\p{L}'’-]+|de|du|sur|el)){0,3}`, 'gu');
const PLACE = placeAfter('à|au|aux|dans|in|at|near|près de|vers|en|complexe|parc|zone|technopole|quartier|campus|site|province|région|region|city of|ville de');
/** After "de", "from", "to" a name is as often an owner or a partner ("les clients de CGI France"): a place less surely. */
const MAYBE_PLACE = placeAfter('de|from|to');

/** Words that start sentences or name things without being people. */
const NOT_A_PERSON = /^(?:Le|La|Les|Un|Une|Des|Ce|Cette|Ces|Il|Elle|Ils|The|This|That|These|A|An|In|On|At|Selon|According|Pour|For|Par|By|Au|Aux|Dans|Avec|Et|Mais|Ministre|Minister|Maroc|Morocco|Royaume|Kingdom)\b/u;

/** Matches of `re` in `text`; `matched` is the same text as the pattern sees it (lower-cased for the caseless ones). */
function collect(text: string, re: RegExp, keep: (s: string) => boolean = () => true, matched = text): Span[] {
  const spans: Span[] = [];
  for (const m of matched.matchAll(re)) {
    const trimmed = m[0].trim();
    if (!trimmed) continue;
    const start = m.index + m[0].indexOf(trimmed);
    const raw = text.slice(start, start + trimmed.length);
    if (!keep(raw)) continue;
    spans.push({ text: raw.replace(/[,;:]$/, ''), start, end: start + raw.length });
  }
  return spans;
}

/**
 * The patterns of figures, amounts and dates are written in lower case, without the
 * `i` flag, and run on the lower-cased text: V8 compiles a Unicode pattern with `i`
 * several times slower (it case-folds every class), and a one-question process
 * compiles each of them once. The text keeps its length ("İ" is the one letter
 * whose lower case is two characters), so offsets hold in the original.
 */
let lastText = '';
let lastLowered = '';
function lowered(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastLowered = text.replace(/\u0130/g, 'I').toLowerCase();
  }
  return lastLowered;
}

const collectCaseless = (text: string, re: RegExp, keep?: (s: string) => boolean) => collect(text, re, keep, lowered(text));

/** A bare year counts as a figure only where nothing better is there: "how many" is rarely answered by "2027". */
export const isBareYear = (s: string) => /^(?:19|20)\d{2}$/.test(s);

/** Words of organisation and place names: a capitalised run holding one is not a person's name up to there. */
const ORGANISATION_WORD =
  /^(?:Trade|Industry|Commerce|Finance|Finances|Economy|Affairs|Transition|Investment|Group|Groupe|Holding|Engineering|Morocco|Maroc|Bank|Banque|Forum|Africa|Afrique|Ministry|Ministère|Telecom|Télécom|Technologies|Technology|Services|Consulting|Capital|Foundation|Fondation|University|Université|Agency|Agence|Corporation|Cluster|Digital|Numeric|Company|Ltd|Inc|SA|Offshore|Shore|Factory|Center|Centre|Institute|Institut)$/u;

const TITLE_WORD =
  /^(?:Managing|Director|Directeur|Directrice|Général|Générale|General|Minister|Ministre|President|Président|Présidente|Chief|Executive|Officer|CEO|PDG|Head|Chairman|Founder|Fondateur|Fondatrice|Deputy|Vice|Secretary|Secrétaire|Governor|Gouverneur|Wali|Mayor|Maire|Dr|Mr|Mrs|Ms|Mme|Pr|Professor|Professeur)$/u;

/** The part of a capitalised run after its last organisation word ("Capgemini Engineering Morocco Idriss Elasri" → "Idriss Elasri"). */
function afterOrganisation(span: Span): Span | undefined {
  const parts = span.text.split(/\s+/);
  let last = -1;
  parts.forEach((p, i) => {
    // Titles before a name are not part of it ("Managing Director Idriss Elasri").
    if (ORGANISATION_WORD.test(p) || (TITLE_WORD.test(p) && i === last + 1)) last = i;
  });
  if (last < 0) return span;
  const rest = parts.slice(last + 1).join(' ');
  if (rest.split(' ').length < 2) return undefined;
  return { text: rest, start: span.end - rest.length, end: span.end };
}

function personSpans(text: string): Span[] {
  return collect(text, PERSON).flatMap((whole) => {
    const span = afterOrganisation(whole);
    if (!span) return [];
    // A sentence-initial article or title stays out of the name ("Le ministre Ryad Mezzour" → "Ryad Mezzour").
    const lead = NOT_A_PERSON.exec(span.text);
    if (!lead) return [span];
    const rest = span.text.slice(lead[0].length).trimStart();
    if (!/\s/.test(rest) || !/^\p{Lu}/u.test(rest)) return [];
    const start = span.end - rest.length;
    return [{ text: rest, start, end: span.end }];
  });
}

/** Whether a text may hold an amount of money at all: a cheap test before the money pattern. */
const MAYBE_CURRENCY = new RegExp(CURRENCY, 'i');
const LEADING_COUNT = new RegExp(`^(?:${COUNT})`, 'u');
/** What follows a count of time ("deux dernières années", "15 years"): a duration, asked by "how long", never a count of things. */
const TIME_UNIT_AFTER = /^\s?(?:(?:dernières?|derniers?|prochaines?|prochains?|premières?|premiers?|last|next|first|past|coming)\s)?(?:mois|ans|années|semaines|jours|heures|years?|months?|weeks?|days?|hours?)(?![\p{L}])/u;

function countsTime(text: string, span: Span): boolean {
  return TIME_UNIT_AFTER.test(lowered(text).slice(span.start).replace(LEADING_COUNT, ''));
}

/** Spans of the asked type in `text`, in text order. */
export function spansOf(text: string, type: AnswerType): Span[] {
  switch (type) {
    case 'any':
      return [];
    case 'date':
      // English "may" and "march" are verbs more often than months when no figure goes with them.
      return collectCaseless(text, DATE, (s) => !/^(?:may|march)$/i.test(s));
    case 'person':
      return personSpans(text);
    case 'extent':
      return [...collectCaseless(text, PATTERNS.duration), ...collectCaseless(text, LENGTH)].sort((a, b) => a.start - b.start);
    case 'name':
      // "Maroc Telecom" is a name; "Maroc" alone or "Le Maroc" is the country.
      return collect(text, NAME, (s) => !NOT_A_PERSON.test(s) || /^(?:Maroc|Morocco)\s\p{Lu}/u.test(s));
    case 'place': {
      const isPlace = (s: string) => !NOT_A_PERSON.test(s) || /^Maroc|^Morocco/.test(s);
      const sure = collect(text, PLACE, isPlace);
      const maybe = collect(text, MAYBE_PLACE, isPlace).filter((m) => !sure.some((s) => s.start === m.start)).map((m) => ({ ...m, unsure: true as const }));
      return [...sure, ...maybe].sort((a, b) => a.start - b.start);
    }
    case 'number': {
      // A day or a year inside a written date ("July 9, 2025") is not a count; "de 2000 m2" may be.
      // The costly patterns only where their words are (a sentence with no month has no written date).
      const dates = CALENDAR_WORD.test(lowered(text)) ? collectCaseless(text, DATE).filter((d) => CALENDAR_WORD.test(d.text.toLowerCase())) : [];
      // An amount of money ("42 milliards de DH") answers "how much", never "how many".
      const money = MAYBE_CURRENCY.test(text) ? collectCaseless(text, PATTERNS.money) : [];
      const inside = (n: Span, outer: Span[]) => outer.some((d) => n.start >= d.start && n.start < d.end);
      const all = collectCaseless(text, PATTERNS.number).filter((n) => !inside(n, dates) && !inside(n, money) && !countsTime(text, n));
      const figures = all.filter((s) => !isBareYear(s.text));
      return figures.length ? figures : all;
    }
    default:
      return collectCaseless(text, PATTERNS[type]);
  }
}

/** Leader titles in French and English: the words a "who runs X" answer stands next to. */
export const LEADER_TITLE =
  /\b(?:président-directeur général|président directeur général|directeur général|directrice générale|PDG|CEO|chief executive(?: officer)?|président|présidente|president|chairman|chairwoman|chair|fondateur|fondatrice|founder|co-?founder|directeur|directrice|director|managing director|head of|chef|patron|dirigeant|à la tête)\b/iu;
