// Sentences of a text with where they start in it: what the answer stage
// scores and quotes.
import type { Lang } from '../types.js';

export interface Sentence {
  text: string;
  /** Offset of the sentence in the text it was cut from. */
  start: number;
}

/** Shorter pieces are headings, bylines or list debris, not quotable statements. */
const MIN_SENTENCE_CHARS = 16;

/** The same passages and articles answer many questions: their sentences are cut once (a bounded cache). */
const cache = new Map<string, Sentence[]>();
const CACHE_LIMIT = 4_096;

/** `lang` is kept for callers: the sentence rules below are Unicode's, the same for French and English. */
export function sentencesOf(text: string, lang: Lang): Sentence[] {
  const key = `${lang}\u0000${text}`;
  let sentences = cache.get(key);
  if (!sentences) {
    sentences = cut(text);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(key, sentences);
  }
  return sentences;
}

/** Paragraph breaks end sentences too: headlines and list items carry no full stop. */
const LINE = /[^\r\n\u0085\u2028\u2029]+/g;

function cut(text: string): Sentence[] {
  const out: Sentence[] = [];
  for (const line of text.matchAll(LINE)) {
    const starts = sentenceStarts(line[0]);
    starts.forEach((from, i) => {
      const piece = line[0].slice(from, starts[i + 1]);
      const trimmed = piece.trim();
      if (trimmed.length >= MIN_SENTENCE_CHARS) out.push({ text: trimmed, start: line.index + from + piece.indexOf(trimmed) });
    });
  }
  return out;
}

// Unicode's sentence boundaries (UAX #29), as Intl.Segmenter draws them, within one
// line. Written out because the first Intl.Segmenter of a process loads ICU's
// locale and break-iterator data: 20–40 ms of every one-question `akhbar ask`.
// test/answer/sentences.test.ts holds them to Intl.Segmenter on real articles.
/** A full stop: ends a sentence unless what follows says otherwise ("1.5", "U.S", "M. dupont"). */
const A_TERM = '[.\\u2024\\uFE52\\uFF0E]';
/** Marks that always may end one. */
const S_TERM = '[!?\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07F9\\u0964\\u0965\\u1362\\u1367\\u1368\\u203C\\u203D\\u2047-\\u2049\\u2E2E\\u3002\\uFE56\\uFE57\\uFF01\\uFF1F\\uFF61]';
const CLOSE = `[\\p{Ps}\\p{Pe}\\p{Pi}\\p{Pf}"'\\u00AB\\u00BB]`;
const SPACE = '[\\t\\v\\f \\u00A0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000]';
/** Punctuation after which a sentence goes on ("…, said he", "; then"). */
const S_CONTINUE = '[,\\-:;\\u037E\\u055D\\u060C\\u060D\\u07F8\\u1802\\u1808\\u2013\\u2014\\u3001\\uFE10\\uFE11\\uFE13\\uFE31\\uFE32\\uFE50\\uFE51\\uFE55\\uFE58\\uFE63\\uFF0C\\uFF0D\\uFF1A\\uFF1B\\uFF64]';

/** A terminator with the closing quotes or brackets and the spaces after it. */
const ENDING = new RegExp(`(${A_TERM})|${S_TERM}`, 'gu');
const CLOSES_AND_SPACES = new RegExp(`${CLOSE}*${SPACE}*`, 'uy');
/** After a full stop: a figure ("1.5"), or a capital straight after a letter's stop ("U.S"), goes on. */
const FIGURE = /\p{Nd}/uy;
/** Unicode's sentence rules count title-case letters ("ǅ") as capitals. */
const CASED_LETTER = /[\p{Uppercase}\p{Lt}\p{Lowercase}]/uy;
const UPPER = /[\p{Uppercase}\p{Lt}]/uy;
const GOES_ON = new RegExp(`${S_CONTINUE}|${A_TERM}|${S_TERM}`, 'uy');
/** After a full stop and spaces, a lower-case letter before any other letter or terminator: the same sentence ("M. dupont", "etc. et"). */
const LOWER_NEXT = new RegExp(`(?:(?!\\p{Alphabetic}|${A_TERM}|${S_TERM})[^])*\\p{Lowercase}`, 'uy');

const matchesAt = (re: RegExp, text: string, at: number) => {
  re.lastIndex = at;
  return re.test(text);
};

/** Offsets where the sentences of `line` start (the first at 0). */
function sentenceStarts(line: string): number[] {
  const starts = [0];
  for (const m of line.matchAll(ENDING)) {
    const fullStop = m[1] !== undefined;
    const after = m.index + m[0].length;
    if (fullStop && (matchesAt(FIGURE, line, after) || (matchesAt(UPPER, line, after) && matchesAt(CASED_LETTER, line, m.index - 1)))) continue;
    CLOSES_AND_SPACES.lastIndex = after;
    CLOSES_AND_SPACES.test(line);
    const next = CLOSES_AND_SPACES.lastIndex;
    if (next >= line.length || matchesAt(GOES_ON, line, next)) continue;
    if (fullStop && matchesAt(LOWER_NEXT, line, next)) continue;
    starts.push(next);
  }
  return starts;
}
