// Checks a generated answer against the passages it was given: every [n] must
// name one of them, unknown numbers are dropped (and a sentence whose every
// marker was unknown goes with them: nothing given supports it), and the
// sources are the cited articles only, renumbered in order of first use.
import type { Citation, SearchHit } from '../../types.js';
import { citationOf } from '../compose.js';

/** What the model must start its reply with when the passages do not answer the question. */
export const NO_ANSWER = 'NO_ANSWER';

/** One bracket group of passage numbers: [3], [1, 2], [1; 4], [2][3] is two groups. */
const MARKER = /\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]/g;
/** A marker still being streamed at the end of the text ("… [1" or "… [1, "). */
const OPEN_MARKER = /\s*\[[\d,;\s]*$/;
const MAX_QUOTE_CHARS = 400;

export interface VerifiedAnswer {
  text: string;
  citations: Citation[];
}

/** True when the reply declares, with the agreed token, that the passages do not answer. */
export function isNoAnswer(reply: string): boolean {
  const start = reply.replace(/^[\s*_`"'«“[(]+/, '');
  return start.toUpperCase().startsWith(NO_ANSWER);
}

/** While streaming: could these first characters still become the no-answer token? */
export function mayBecomeNoAnswer(reply: string): boolean {
  const start = reply.replace(/^[\s*_`"'«“[(]+/, '').toUpperCase();
  return NO_ANSWER.startsWith(start) || start.startsWith(NO_ANSWER);
}

function trimQuote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= MAX_QUOTE_CHARS ? flat : `${flat.slice(0, MAX_QUOTE_CHARS).replace(/\s+\S*$/, '')}…`;
}

/** Stands for a marker group that named no given passage, until its sentence is judged. */
const UNSUPPORTED = '\u0000';
/** Sentence ends: after . ! ? … and any markers that follow them, or at a line break (kept as separators). */
const SENTENCE_BREAK = /((?<=[.!?…](?:\s*(?:\[\d+\]|\u0000))*)\s+(?![[\u0000])|\n+)/;

/** Drops each sentence whose markers all named passages that were not given; sentences without markers stay. */
function dropUnsupportedSentences(text: string): string {
  if (!text.includes(UNSUPPORTED)) return text;
  const parts = text.split(SENTENCE_BREAK);
  const kept: string[] = [];
  for (let i = 0; i < parts.length; i += 2) {
    const sentence = parts[i]!;
    const unsupported = sentence.includes(UNSUPPORTED) && !/\[\d+\]/.test(sentence);
    if (!unsupported) kept.push(sentence.replaceAll(UNSUPPORTED, ''), parts[i + 1] ?? '');
  }
  return kept.join('');
}

/**
 * Rewrites the markers of `reply`: numbers outside 1..hits.length are removed,
 * the rest become source numbers (one per article, in order of first use).
 */
export function verifyCitations(reply: string, hits: SearchHit[]): VerifiedAnswer {
  const sourceOf = new Map<string, Citation>();
  const citations: Citation[] = [];
  const cite = (passageNo: number): number | undefined => {
    const hit = hits[passageNo - 1];
    if (!hit) return undefined;
    let citation = sourceOf.get(hit.article.id);
    if (!citation) {
      citation = citationOf(citations.length + 1, hit, trimQuote(hit.chunk.text));
      sourceOf.set(hit.article.id, citation);
      citations.push(citation);
    } else if (!citation.quote.includes(trimQuote(hit.chunk.text))) {
      citation.quote = `${citation.quote} … ${trimQuote(hit.chunk.text)}`;
    }
    return citation.n;
  };
  const marked = reply.replace(MARKER, (_, group: string) => {
    const numbers = group.split(/[,;]/).map((s) => cite(Number(s.trim())));
    const valid = [...new Set(numbers.filter((n): n is number => n !== undefined))];
    return valid.length ? ` ${valid.map((n) => `[${n}]`).join('')}` : UNSUPPORTED;
  });
  const text = dropUnsupportedSentences(marked)
    // Two groups naming the same source side by side ("[1] [1]") read as one.
    .replace(/(\[\d+\])(?:\s*\1)+/g, '$1')
    .replace(/(\[\d+\])\s+(?=\[\d+\])/g, '$1')
    .trim();
  return { text, citations };
}

/** The text to show while the answer streams: markers already verified, unfinished ones held back. */
export function partialText(reply: string, hits: SearchHit[]): string {
  return verifyCitations(reply.replace(OPEN_MARKER, ''), hits).text;
}
