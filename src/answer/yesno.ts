// Yes/no questions: the claim's figures and bounds are checked against the
// evidence ("before 2000" is settled by "en 1999"), its words must all be said,
// and a word the evidence contradicts ("fossil" against "renewable") says no.
import { fold, joinDigitGroups, words } from '../text/analyze.js';
import type { Lang } from '../types.js';
import type { Concept, QuestionAnalysis } from './concepts.js';
import type { Candidate } from './score.js';
import { spansOf } from './spans.js';

/** Weight left to a yes/no question's own figures and places: the evidence may say another one. */
const CLAIM_SHARE = 0.5;

export const figuresOf = (text: string) => new Set((joinDigitGroups(text).match(/\d+(?:[.,]\d+)?/g) ?? []).map((f) => f.replace(',', '.')));

/** Words that turn a statement around: a yes/no answer can't be "yes" with one of them. */
const NEGATION = /\b(?:ne|n'|n’|pas|jamais|aucun|aucune|sans|not|no|never|none|without|isn't|wasn't|won't|doesn't|didn't)\b/i;
const BEFORE = /\b(?:before|avant|prior to|earlier than|less than|moins de|under|fewer than)\b/i;
const AFTER = /\b(?:after|après|apres|since|depuis|later than|more than|plus de|over|above)\b/i;

/**
 * A yes/no question's figures and comparisons are the claim to check, not
 * words the evidence must repeat ("before 2000" is settled by "en 1999").
 */
export function withoutClaim(analysis: QuestionAnalysis): QuestionAnalysis {
  // After "before"/"more than", a figure is a bound the evidence won't repeat.
  const bounded = /\b(?:before|after|avant|apres|après|since|depuis|more|less|plus|moins|over|under)\b/i.test(analysis.text);
  const places = placesClaimed(analysis.text);
  const concepts = analysis.concepts
    .filter((c) => !BEFORE.test(c.word) && !AFTER.test(c.word) && !(bounded && /\d/.test(c.word)))
    // A figure or a place helps find the passage, but one that says another answers too ("no, 2027", "no, in Casablanca").
    .map((c) => (/\d/.test(c.word) || places.has(fold(c.word)) ? { ...c, name: false, distinctive: false, weight: c.weight * CLAIM_SHARE } : c));
  return { ...analysis, concepts: concepts.length ? concepts : analysis.concepts };
}

/** "…in Rabat?", "…à Fès ?": the place a claim puts something, folded and lower-cased. */
const PLACE_CLAIM = /(?<![\p{L}])(?:in|at|near|à|a|au|dans|près de|pres de)\s+([\p{L}][\p{L}'’-]+)/giu;

function placesClaimed(question: string): Set<string> {
  return new Set([...question.matchAll(PLACE_CLAIM)].map((m) => fold(m[1]!).toLowerCase()));
}

/** Whether a sentence places something, by a pattern that rarely finds anything else ("in Casablanca", not "de CGI France"). */
const namesPlace = (sentence: string) => spansOf(sentence, 'place').some((s) => !s.unsure);

/** A claimed place the evidence doesn't say, where it says another place ("in Rabat?" against "in Casablanca"). */
function placeDiffers(question: string, best: Candidate): boolean {
  const claimed = [...best.covered].map((c) => fold(c.word));
  const unsaid = [...placesClaimed(question)].filter((p) => !claimed.includes(p));
  return unsaid.length > 0 && namesPlace(best.sentence);
}

/**
 * A claim with a figure ("1,500 jobs by 2026?") or a place ("…in Rabat?") is settled by a
 * sentence that gives figures or places: those come first, in their order.
 */
export function claimEvidenceFirst(question: string, candidates: Candidate[]): Candidate[] {
  const figures = figuresOf(question).size > 0;
  const places = placesClaimed(question).size > 0;
  if (!figures && !places) return candidates;
  const gives = (c: Candidate) => Number((figures && figuresOf(c.sentence).size > 0) || (places && namesPlace(c.sentence)));
  return [...candidates].sort((a, b) => gives(b) - gives(a));
}

/**
 * Word families that exclude each other (folded word starts): a claim with a
 * word of one, against evidence saying only the other, is answered "no".
 */
const OPPOSITES: ReadonlyArray<readonly [RegExp, RegExp]> = [
  [/^(?:fossil|coal|charbon|diesel|petrol)/, /^(?:renewabl|renouvelabl|solar|solair|wind|eolien)/],
  [/^(?:public)/, /^(?:privat|prive)/],
  [/^(?:gratuit|free)$/, /^(?:payant|paid|fee|fees)$/],
  [/^(?:increas|hauss|rise|rising|grow)/, /^(?:decreas|baiss|fall|falling|declin|drop|recul)/],
];

function contradicts(question: string, evidence: string): boolean {
  const asked = words(question).map(fold);
  const said = words(evidence).map(fold);
  const has = (list: string[], family: RegExp) => list.some((w) => family.test(w));
  return OPPOSITES.some(([a, b]) => (has(asked, a) && !has(said, a) && has(said, b)) || (has(asked, b) && !has(said, b) && has(said, a)));
}

/** Yes, no, or undecided: what the quoted sentence says of the question's claim. */
export function settle(question: string, lang: Lang, best: Candidate, concepts: Concept[]): 'yes' | 'no' | undefined {
  const asked = [...figuresOf(question)];
  const said = [...figuresOf(best.sentence)];
  if (asked.length) {
    const a = Number(asked[0]);
    const before = BEFORE.test(question);
    if ((before || AFTER.test(question)) && said.length) {
      const closest = said.map(Number).sort((x, y) => Math.abs(x - a) - Math.abs(y - a))[0]!;
      return (before ? closest < a : closest > a) ? 'yes' : 'no';
    }
    if (said.length && !asked.every((f) => said.includes(f))) return 'no';
  }
  if (contradicts(question, best.sentence) || placeDiffers(question, best)) return 'no';
  if (NEGATION.test(best.sentence)) return undefined;
  // Every word of the claim said, figures aside: a figure the sentence does not contradict (checked above) does not undo a yes.
  const crossLanguage = best.hit.article.lang !== lang;
  // A word no article uses is a claim no article backs ("…near casablanca?" of a corpus without it).
  // Names cross languages unchanged: only ordinary words may be missed for want of a translation.
  const claim = concepts.filter((c) => !/\d/.test(c.word) && !(crossLanguage && c.untranslated && !c.name && !c.absent));
  return claim.length > 0 && claim.every((c) => best.covered.has(c)) ? 'yes' : undefined;
}

