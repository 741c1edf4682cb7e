import { franc } from 'franc';
import { eng, fra } from 'stopword';
import type { Lang } from '../types.js';

const ENGLISH = new Set(eng);
const FRENCH = new Set(fra);

/** Function words only one of the two languages uses ("did", "the" vs "le", "est"): decisive on short questions. */
function functionWordVote(text: string): Lang | undefined {
  let en = 0;
  let fr = 0;
  for (const w of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (ENGLISH.has(w) && !FRENCH.has(w)) en++;
    if (FRENCH.has(w) && !ENGLISH.has(w)) fr++;
  }
  if (en >= fr + 2) return 'en';
  if (fr >= en + 2) return 'fr';
  return undefined;
}

// Restricted to the two languages we serve: unrestricted, franc calls short
// French questions Catalan or Italian (../shared/NOTES.md). On short text its
// letter trigrams can still miss ("In what year did Capgemini set up in
// Morocco?" → French), so a clear majority of function words decides first.
export function detectLanguage(text: string): Lang {
  const sample = text.slice(0, 2000);
  return functionWordVote(sample) ?? (franc(sample, { only: ['fra', 'eng'], minLength: 1 }) === 'eng' ? 'en' : 'fr');
}
