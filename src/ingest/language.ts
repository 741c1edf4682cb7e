import type { Lang } from '../types.js';

// Questions arrive as chat: lowercase, accents dropped, abbreviated, two to six
// words, many of them names, acronyms and English tech loanwords that French
// uses too (startup, data center, nearshore). Letter-trigram detectors guess
// badly on so little text, so the decision rests on words that only one of
// the two languages has, typed the way people type them.

/** Grammar and chat words of one language only; weighed twice as much as the other cues. */
const FRENCH_WORDS = words(`
  c d l j qu cest quoi koi kwa qui ki que ke quel kel quelle kelle quels quelles lequel laquelle lesquels lesquelles
  combien cb pourquoi pk pq pkoi pcq psk comment cmt quand qd où ou
  le la les un une des du de au aux ce cet cette ces mon ma mes ta tes sa ses leur leurs notre nos votre vos
  chaque quelques plusieurs aucun aucune tout tous toute toutes autre autres meme même
  je tu il ils elle elles nous vous te se lui eux moi toi soi en ça ca cela ceci celui celle ceux dont
  à dans ds sur sous pour par avec sans chez vers entre contre depuis pendant avant apres après selon malgre malgré
  et mais donc ni si comme parce puisque lorsque afin
  pas ne tres très bien aussi encore deja déjà toujours jamais ici là alors vraiment maintenant hier demain aujourd'hui
  oui non merci mrc bcp stp svp slt salut bonjour bonsoir coucou cc dsl tkt jsp mdr ptdr
  est es suis sommes êtes etes sont avons avez ont était etait étaient sera seront serait
  fait faire faut peut peux peuvent veux veut sais sait dois doit va vas vont avoir etre être
  jai jsuis chui jveux jpeux jcrois quest kest
`);
const ENGLISH_WORDS = words(`
  what whats who whos whom whose how hows which where wheres when whens why
  the this that thats these those my your his her its our their some any every each other another many much most few
  i im ive you youre he she it we they him us them something anything anyone someone there theres
  of to in for with at by from about into over under between without during before after since than
  and or but so if because while though although whether then also just only still yet not very too really
  is isnt are arent was wasnt were be been being do does doesnt did didnt have has had havent
  will would wouldnt can cant could couldnt should shouldnt wont might must
  get got give tell show explain summarize summarise know need want wanna gonna gotta kinda
  u ur r pls plz please thx thanks thank ty tysm rn tbh imo imho idk btw wtf lmk ppl smth abt cuz
  hey hi hello yes yeah yep nope tldr
`);

/**
 * Common news and chat words whose forms differ between the languages and
 * that neither borrows from the other (French says "job", "team", "big data").
 */
const FRENCH_CONTENT = words(`
  meteo prix emploi emplois offre offres recrutement formation formations gratuit gratuite ecole ecoles
  resultat resultats aujourdhui nouvelle nouvelles dernier derniere derniers dernieres ministre ministere
  entreprise entreprises societe pays ville ans mois semaine jour jours chiffre chiffres montant projet projets
  lancement levee fonds croissance sante enseignement universite etudiant etudiants poste postes bourse bourses
  equipe joueur meilleure premier premiere petit petite bon bonne vrai nombre hausse baisse bilan appel
  objectif objectifs prochain prochaine aide acheter vendre
  deux trois quatre cinq sept huit neuf dix onze douze vingt trente cent mille
  maroc marocain marocaine marocains marocaines afrique africain africaine espagne allemagne chine angleterre
`);
const ENGLISH_CONTENT = words(`
  weather price prices salary salaries offer offers hiring training free school schools schedule result results
  today tonight tomorrow yesterday new latest minister ministry company companies country city year years month week
  day days figures amount project projects launch funding growth health university student students internship
  internships scholarship scholarships player best first small good bad true number rise worth more next last
  buy sell help
  one two three four five seven eight nine ten eleven twelve twenty thirty hundred thousand
  morocco moroccan moroccans africa african spain germany china england
`);

/** Acronyms that differ between the languages (IA/AI, PIB/GDP); all other acronyms are names. */
const FRENCH_ACRONYMS = words('ia pme pib onu ue rh pdg tic ong');
const ENGLISH_ACRONYMS = words('ai sme gdp hr ngo ict');

/** Word endings of one language: unaccented French suffixes and plurals, English -y, -ed, -ght, -ness, -tor, -ous. */
const FRENCH_ENDING = /\p{L}{2}(?:iques?|[gmrt]ie|eurs?|aux|eux|euses?|[nu]ees?|eau|aires?|ettes?|ais|aises?)$/u;
const ENGLISH_ENDING = /\p{L}{2}(?:[^aeiouy]y|ed|ghts?|ness|tors?|ous)$/u;
const ACCENTED = /[àâçéèêëîïôûùœ]/;

/** French elides articles and pronouns before a vowel (l'IA, d'Inetum, qu'est); English contracts verbs ('s, n't, 're). */
const ELIDED = words('c d j l m n s t qu jusqu lorsqu puisqu');
const CONTRACTED = words('s t re ll ve d m');

const GRAMMAR = 2;
const CUE = 1;

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter(Boolean));
}

/** Positive when the evidence is French, negative when English, zero when there is none either way. */
function languageEvidence(text: string): number {
  const cleaned = text
    .replace(/\S+:\/\/\S+|www\.\S+/g, ' ')
    .replace(/[’`´]/g, "'")
    .replace(/\btl;dr\b/gi, 'tldr');
  const shouting = cleaned === cleaned.toUpperCase();
  // French typography puts a space before ? and !; English does not.
  let score = /\p{L} [?!]/u.test(cleaned) ? CUE : 0;
  for (const token of cleaned.match(/\p{L}+(?:'\p{L}+)*/gu) ?? []) score += tokenEvidence(token, shouting);
  return score;
}

/** One word's evidence. In text typed all in capitals, capitals mark neither names nor acronyms. */
function tokenEvidence(token: string, shouting: boolean): number {
  const lower = token.toLowerCase();
  if (!shouting && token.length > 1 && token === token.toUpperCase()) {
    return FRENCH_ACRONYMS.has(lower) ? CUE : ENGLISH_ACRONYMS.has(lower) ? -CUE : 0;
  }
  if (FRENCH_WORDS.has(lower)) return GRAMMAR;
  if (ENGLISH_WORDS.has(lower)) return -GRAMMAR;
  const apostrophe = lower.indexOf("'");
  if (apostrophe > 0) {
    if (ELIDED.has(lower.slice(0, apostrophe))) return GRAMMAR;
    return CONTRACTED.has(lower.slice(apostrophe + 1)) ? -GRAMMAR : 0;
  }
  // A capitalized word may be a name (Maroc Telecom, Société Générale): only grammar words count then.
  if (!shouting && token[0] !== lower[0]) return 0;
  const french = FRENCH_CONTENT.has(lower) || FRENCH_ACRONYMS.has(lower) || ACCENTED.test(lower) || FRENCH_ENDING.test(lower);
  const english = ENGLISH_CONTENT.has(lower) || ENGLISH_ACRONYMS.has(lower) || ENGLISH_ENDING.test(lower);
  return french === english ? 0 : french ? CUE : -CUE;
}

// The same evidence decides whole article bodies at ingest: thousands of
// grammar words leave no doubt, and the first 2,000 characters suffice.
// With no evidence at all, English: French grammar puts an article, a
// preposition or an accent into almost any question ("salaire d'un dev"),
// while English stacks bare nouns ("dev salary rabat").
export function detectLanguage(text: string): Lang {
  return languageEvidence(text.slice(0, 2000)) > 0 ? 'fr' : 'en';
}
