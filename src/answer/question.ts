// Understanding a question, the way people type them in chat (lowercase, no
// accents, abbreviations): what it asks for (its intent and the type of answer
// that would settle it), and which of its words only say how it asks ("résume
// l'article sur…", "tl;dr", "c'est quoi") rather than what it is about.
import { fold } from '../text/analyze.js';

export type Intent = 'summary' | 'open' | 'meta' | 'list' | 'yesno' | 'when' | 'where' | 'who' | 'fact';

/** What would settle a fact question: its answer must contain a span of this type. */
/** `extent`: "how long will the line be?", a length or a duration. */
export type AnswerType = 'money' | 'percent' | 'age' | 'duration' | 'extent' | 'number' | 'date' | 'person' | 'name' | 'place' | 'any';

/** For a question about an article rather than its content. */
export type MetaField = 'outlet' | 'author' | 'published';

export interface QuestionIntent {
  intent: Intent;
  answerType: AnswerType;
  meta?: MetaField;
  /** A "who" question about whoever leads something: the answer must carry a leader's title. */
  asksLeader: boolean;
  /** Asks about something that already happened ("when did…", "a été signé quand"). */
  past: boolean;
  /** Asks for a year: a weekday or a month alone does not answer. */
  asksYear: boolean;
  /** Asks why: the answer is a sentence that gives a reason. */
  asksReason: boolean;
  /** The question with its asking phrases removed: what it is about. */
  subject: string;
}

/** Lowercase, accents and typographic apostrophes folded, "?" and spaces tidied: what the patterns below read. */
function flatten(question: string): string {
  return fold(question)
    .toLowerCase()
    .replace(/[?!¿¡]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const test = (re: RegExp) => (q: string) => re.test(q);

const SUMMARY = test(/\b(?:resume[rsz]?|resumez|resumer|summar(?:y|ize|ise)|sum(?:s)? up|tl ?;? ?dr|recap|en bref|in (?:short|brief)|overview|gist|synthese|the (?:main )?points?)\b/);

const META: Array<[MetaField, (q: string) => boolean]> = [
  ['author', test(/\b(?:qui a (?:ecrit|redige|signe l'article)|auteur|author|who (?:wrote|authored|penned)|written by|byline|journaliste)\b/)],
  ['outlet', test(/\b(?:quel(?:le)? (?:media|journal|site|source|publication|quotidien|magazine)|which (?:outlet|newspaper|paper|site|website|media|publication|source)|what (?:outlet|newspaper|site|website|publication)|qui a publie|who (?:published|ran|reported)|publie par|published by|ran the)\b/)],
  ['published', test(/\b(?:(?:article|papier|piece|story|news|post)\b.*\b(?:date de quand|publie|paru|published|posted|dated|date)|when was (?:the|this|that) (?:article|piece|story|post)|date de (?:l'article|publication|parution)|publication date)\b/)],
];

const WHEN = test(/\b(?:when|quand|what (?:year|date|day|month)|which (?:year|date|day|month)|en quelle (?:annee|date)|quel(?:le)? (?:annee|date|jour|mois)|depuis quand|since when|d'ici quand|a quelle date)\b/);

const WHERE = test(/(?:^|\b)(?:where|which (?:city|town|country|region)|quelle (?:ville|region)|dans quel(?:le)? (?:ville|pays|region)|(?:^|c'?est |se passe |ca se passe |situe[es]? )ou\b|^ou\b|\bou (?:se |sera|est|sont|va|vont|a |ont |ca |c'est)|\bou$|se (?:trouve|situe)|located|based)/);

/** Titles of people who run something: "who runs X" is answered by one of them. */
const LEADER_WORDS = /\b(?:run|runs|running|lead|leads|leader|head|heads|boss|ceo|chief|chair(?:man|woman|person)?|president|director|managing|founder|founded|dirige|dirigee|diriger|patron|pdg|directeur|directrice|president(?:e)?|fondateur|fondatrice|chef|responsable|gere|a la tete)\b/;

/** Any public role: "who's the digital minister" asks for a person, "who is X" asks what X is. */
const ROLE_WORDS = /\b(?:minister|ministre|secretary|secretaire|governor|gouverneur|mayor|maire|spokesperson|porte-parole|ambassador|ambassadeur|wali)\b/;

const WHO = test(/^(?:who|whom|whose|qui\b|c'?est qui|c ki|ki\b)|\b(?:who(?:'s| is| are| was| were)?|c'?est qui|quel(?:le)?s? (?:ministre|minister|personne|dirigeant|patron|responsable|president|presidente|directeur|directrice|pdg|chef|fondateur|fondatrice|maire|gouverneur|wali|ambassadeur|porte-parole)|which (?:minister|person|executive|official|president|director|ceo|chief|head|founder|mayor|governor|ambassador|spokesperson)|qui (?:a |est |dirige|gere|etait|sont))\b/);

const NUMBER_ASK = /\b(?:how (?:many|much|big|large|long|old)|combien|quel(?:le)?s? (?:est |sont )?(?:le |la |les )?(?:montant|nombre|taux|pourcentage|part|budget|cout|prix|salaire|chiffre|somme|valeur|superficie|surface|capacite|puissance|longueur|distance|vitesse|duree|age|effectif)|(?:what|which)(?:'s| is| are)? (?:the )?(?:share|percentage|rate|amount|number|budget|cost|price|salary|revenue|turnover|value|size|capacity|power|length|distance|speed|area|duration|age|headcount|figure))\b/;

/** Attribute nouns whose value is a figure: "c'est quoi le taux d'insertion" is a fact question, not a definition. */
const MEASURE_NOUN = /\b(?:taux|montant|nombre|pourcentage|budget|cout|prix|salaire|chiffre d'affaires|revenu|somme|valeur|superficie|surface|capacite|puissance|longueur|distance|vitesse|effectif|age|rate|amount|number|percentage|cost|price|salary|wage|revenue|turnover|value|capacity|power|length|distance|speed|area|headcount|investment|investissement)\b/;

const LIST = test(/^(?:quel(?:le)?s|which \w+s\b|what (?:are|were) the|list|liste|name the|cite|who(?:'s| is| are) (?:in|on|part of|behind|involved)|lesquel)|\b(?:quel(?:le)?s \w+|which (?!(?:is|was|has|does)\b)\w+s\b|(?:three|four|five|two|trois|quatre|cinq|deux|\d+) (?:pillars?|piliers?|axes?|measures?|mesures?|companies|entreprises|conventions|agreements|accords|ministries|ministeres|operators?|operateurs?))/);

/** A French question word: "à quel forum Huawei a-t-il…" is not a yes/no question for its inversion. */
const FRENCH_WH = /\b(?:quel(?:le)?s?|qui|quoi|quand|ou|où|combien|comment|pourquoi|lequel|laquelle)\b/;

/** "à quel forum…", "which summit…": one thing, named. */
const ASKS_WHICH_ONE = /^(?:a |au |dans |de |en |pour |lors de |in |at |on |for |during )?(?:quel(?:le)?|which) (?!(?:est|sont|is|are|was|were)\b)\w+/;

const YES_NO_EN = test(/^(?:is|are|was|were|did|does|do|will|would|can|could|has|have|had|should|shall)\b/);
const YES_NO_FR = test(/^(?:est-ce|est ce|y a-t-il|ya t il)\b|\b(?:c'?est|c|c'etait|etait|est|sont|va|vont|a|ont|y a)\b.*\b(?:gratuit|vrai|premier|premiere|deja|encore|possible|ouvert|public|payant|fini|termine|officiel)\b|-(?:t-)?(?:il|elle|ils|elles|on)\b/);

/** A claim typed as a question, with no question word ("the plant will be solar?", "le musée sera gratuit ?"). */
const CLAIM = test(
  /^(?!.*\b(?:what|which|who|whom|whose|where|when|why|how|tell|explain|sum|summari[sz]e|tldr|quel(?:le)?s?|qui|quoi|quand|ou|combien|comment|pourquoi|resume|parle|explique)\b)(?:\S+ ){1,6}(?:is|are|was|were|will(?: be)?|has been|have been|est|sont|sera|seront|etait|va etre|vont etre) (?:\S+ ?){1,4}$/,
);

const OPEN = test(/\b(?:c'?est quoi|c quoi|cest quoi|qu'est-ce|qu'est ce|kesako|what(?:'s| is| are| was|s)|what about|tell me about|parle(?:-| )moi|explain|explique|why|pourquoi|pk|how (?:does|do|did|is|will|can)|comment|what role|what does|porte sur quoi|l'histoire|story|c'est quoi l'histoire|who (?:is|was|are) (?!the\b))\b/);

/** Phrases that say how the question asks, not what it is about: removed before matching the corpus. */
const ASKING_PHRASES = [
  /\b(?:tu peux|can you|could you|pourrais-tu|peux-tu|please|pls|plz|stp|svp|merci|thanks|quick|rapide|vite|moi|me|give me|donne(?:-| )moi|fais(?:-| )moi|make me|just)\b/g,
  /\b(?:resume[rsz]?|resumez|summar(?:y|ize|ise)|sum(?:s)? up|tl ?;? ?dr|recap|en bref|in (?:short|brief)|overview|gist|synthese)\b/g,
  /\b(?:l'article|article|articles|le papier|papier|the piece|piece|story|stories|news|post|report|reportage|nouvelle|info|infos)\b/g,
  /\b(?:quel(?:le)? (?:media|journal|site|source)|which (?:outlet|newspaper|paper|site|website|media|publication|source)|outlet|media|journal|publie|published|ran|wrote|ecrit|written|author|auteur|date de quand)\b/g,
  /\b(?:c'?est quoi|c quoi|qu'est-ce que|what(?:'s| is| are)|tell me about|parle(?:-| )moi de|l'histoire)\b/g,
];

/** "quelle entreprise", "which company": answered by a name, not necessarily a person's. */
const ASKS_ORGANISATION =
  /\b(?:quel(?:le)? (?:entreprise|societe|groupe|firme|operateur|banque|constructeur|fournisseur|partenaire|cabinet|organisme|institution|universite|ecole|marque|compagnie)|which (?:company|firm|group|operator|bank|manufacturer|supplier|partner|organi[sz]ation|institution|university|school|brand|carrier))\b/;

const PAST = /\b(?:did|was|were|has been|had|happened|a ete|ont ete|etait|c'etait|s'est|se sont|a (?:eu|\w+e)|ont (?:\w+e))\b/;

function answerTypeOf(q: string, intent: Intent): AnswerType {
  // A list is of things, whatever they did ("which companies are investing…"): quotes answer it, not one figure.
  if (intent === 'list') return 'any';
  if (intent === 'when') return 'date';
  if (intent === 'where') return 'place';
  if (intent === 'who') return ASKS_ORGANISATION.test(q) ? 'name' : 'person';
  if (/\bhow old\b|\bquel age\b|\bage\b/.test(q) && !/\bstone age\b/.test(q)) return 'age';
  // "How long will the line be?" may ask a length; "how long will the works take?" asks a duration.
  if (/\bhow long\b.*\b(?:be|measure|stretch)\s*\??$/.test(q)) return 'extent';
  if (/\bhow long\b|\bcombien de temps\b|\b(?:duree|duration)\b/.test(q)) return 'duration';
  if (/\b(?:how much (?:time|longer))\b/.test(q)) return 'duration';
  // "How much" alone may ask for money or for a quantity ("by how much will delays fall"): money words decide.
  if (/\b(?:combien (?:coute|coutent|a coute|va couter|ca coute|en (?:dollars|euros|dirhams))|en dollars|in dollars|money|argent|montant|amount|budget|cout|cost|prix|price|salaire|salary|wage|chiffre d'affaires|revenue|turnover|invest\w*|paye|payed|paid|pay|finance\w*|fund\w*|valeur|worth|dirhams?|dollars?|euros?)\b/.test(q)) return 'money';
  if (/\b(?:taux|rate|pourcentage|percentage|share|part)\b/.test(q)) return 'percent';
  if (intent === 'fact') return ASKS_WHICH_ONE.test(q) ? 'name' : 'number';
  return 'any';
}

/** "c'est quoi le taux d'insertion…", "what's the revenue of…": a definition question whose noun is a figure. */
function asksForMeasure(q: string): boolean {
  // The noun may follow an adjective: "what is the annual revenue".
  const m = /\b(?:c'?est quoi|c quoi|quel(?:le)? est|what(?:'s| is| are| was)) (?:le |la |les |l'|the )?(\w+(?: d'affaires)?)(?: (\w+))?/.exec(q);
  return m !== null && (MEASURE_NOUN.test(m[1]!) || (m[2] !== undefined && MEASURE_NOUN.test(m[2])));
}

const WHEN_WORD = /\b(?:when|quand)\b/;
const OTHER_WH = /\b(?:which|what|who|how|quel(?:le)?s?|qui|combien)\b/;

/** Another question word comes first: "which ministers were present when…" asks which, not when. */
function asksFirst(q: string, word: RegExp): boolean {
  const at = q.search(word);
  const other = q.search(OTHER_WH);
  return at > 0 && other >= 0 && other < at;
}

function intentOf(q: string): { intent: Intent; meta?: MetaField } {
  if (SUMMARY(q)) return { intent: 'summary' };
  for (const [field, matches] of META) if (matches(q)) return { intent: 'meta', meta: field };
  if (WHEN(q) && !asksFirst(q, WHEN_WORD)) return { intent: 'when' };
  if (NUMBER_ASK.test(q)) return { intent: 'fact' };
  if (asksForMeasure(q)) return { intent: 'fact' };
  if (WHERE(q)) return { intent: 'where' };
  if (LIST(q)) return { intent: 'list' };
  if (ASKS_ORGANISATION.test(q)) return { intent: 'who' };
  if (WHO(q)) {
    // "who is Aziz Akhannouch" asks what someone is; "who is the CEO" asks for a person.
    const aboutSomeone = /^(?:who(?:'s| is| was)|c'?est qui|qui est) (?!the\b|le\b|la\b|l')/.test(q) && !LEADER_WORDS.test(q) && !ROLE_WORDS.test(q);
    return { intent: aboutSomeone ? 'open' : 'who' };
  }
  if (YES_NO_EN(q) || (YES_NO_FR(q) && !FRENCH_WH.test(q)) || CLAIM(q)) return { intent: 'yesno' };
  if (ASKS_WHICH_ONE.test(q)) return { intent: 'fact' };
  if (OPEN(q)) return { intent: 'open' };
  // A bare topic ("inetum investment", "5g au maroc") asks for the fact its last word names.
  return { intent: /\b(?:investment|investissement|jobs|emplois|budget|cout|cost)\s*$/.test(q) ? 'fact' : 'open' };
}

const COUNT_WORDS: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, deux: 2, trois: 3, quatre: 4, cinq: 5 };
/** "the 3 agreements", "les trois conventions": a request about a set number of things. */
const ITEMS_ASKED = /(?<![\p{L}])(?:the|these|those|its|les|des|ces|ses)\s+(\d|two|three|four|five|deux|trois|quatre|cinq)\s+\p{L}{3,}[sx](?![\p{L}])/iu;

/** How many things the question asks about by number (2 to 5), if it does. */
export function itemsAsked(question: string): number | undefined {
  const m = ITEMS_ASKED.exec(question);
  if (!m) return undefined;
  const n = Number(m[1]) || COUNT_WORDS[m[1]!.toLowerCase()];
  return n !== undefined && n >= 2 && n <= 5 ? n : undefined;
}

/**
 * "In what year", "quel pays", "which city": the question word and the kind of answer it wants.
 * A passage that answers says the year or the country, rarely the word "year" or "pays", so these
 * words are left out of the search (where they favour passages that merely say "this year").
 */
const ASKED_KIND = /(?<![\p{L}])(?:(?:in|of|en|de|dans|à|a)\s+)?(?:what|which|quel(?:le)?s?)\s+(?:years?|dates?|days?|months?|time|cit(?:y|ies)|towns?|country|countries|places?|années?|annees?|ans?|jours?|mois|villes?|pays|lieux?|endroits?)(?![\p{L}])/giu;

/** The question as the search reads it: its asking phrase about the kind of answer left out. */
export function searchText(question: string): string {
  const stripped = question.replace(ASKED_KIND, ' ').replace(/\s+/g, ' ').trim();
  return stripped || question;
}

export function understandQuestion(question: string): QuestionIntent {
  const q = flatten(question);
  const { intent, meta } = intentOf(q);
  let subject = q;
  for (const phrase of ASKING_PHRASES) subject = subject.replace(phrase, ' ');
  subject = subject.replace(/\s+/g, ' ').trim();
  return {
    intent,
    meta,
    answerType: answerTypeOf(q, intent),
    asksLeader: intent === 'who' && LEADER_WORDS.test(q),
    past: PAST.test(q),
    asksReason: /^(?:why|pourquoi|pk|pq)\b/.test(q),
    asksYear: /\b(?:what|which) year\b|\bquelle annee\b|\bdepuis quand\b|\bsince when\b/.test(q),
    subject: subject || q,
  };
}
