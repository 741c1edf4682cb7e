// Discord's size limits, enforced in one place. Everything the bot sends goes
// through these functions: messages are split on paragraph, then sentence, then
// word boundaries, never inside a [n] citation marker or a link; a sources
// block stays in one message; links are wrapped in <…> so Discord shows no previews.
import type { APIEmbed } from 'discord.js';
import { messages } from '../answer/messages.js';
import type { AnswerResult, Citation, Lang } from '../types.js';

export const LIMITS = {
  message: 2000,
  embedTitle: 256,
  embedDescription: 4096,
  embedTotal: 6000,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
} as const;

const BARE_LINK = /(?<![<(])\bhttps?:\/\/[^\s<>]+[^\s<>.,;:!?)»”"']/g;

/** Wraps bare links in <…> (Discord then shows no preview). */
export function wrapLinks(text: string): string {
  return text.replace(BARE_LINK, (url) => `<${url}>`);
}

/** Cuts text to at most `max` characters at a word boundary, with an ellipsis. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const atWord = cut.replace(/\s+\S*$/, '');
  return `${atWord.length > max / 2 ? atWord : cut}…`;
}

interface Piece {
  text: string;
  /** What joins this piece to the one before when both go in the same message. */
  sep: string;
}

const SENTENCE_END = /[.!?…»”"\])]$/;
const NO_BREAK_BEFORE = /^(\[\d+\]|[»”"),.;:!?])/;

/** Words and the whitespace between them, tracking whether a word leaves us inside <…> or […](…). */
function words(paragraph: string): { word: string; sep: string; insideLink: boolean }[] {
  const tokens = paragraph.split(/(\s+)/);
  const out: { word: string; sep: string; insideLink: boolean }[] = [];
  let angle = false;
  let markdown = false;
  for (let i = 0; i < tokens.length; i += 2) {
    const word = tokens[i];
    if (!word) continue;
    const lastOpen = word.lastIndexOf('<');
    if (lastOpen >= 0) angle = word.indexOf('>', lastOpen) < 0;
    else if (angle && word.includes('>')) angle = false;
    if (/\[[^\]]*$/.test(word) || /\]\([^)]*$/.test(word)) markdown = true;
    else if (markdown && /[\])]/.test(word)) markdown = !/\)/.test(word);
    out.push({ word, sep: i > 0 ? tokens[i - 1] : '', insideLink: angle || markdown });
  }
  return out;
}

/** Splits one paragraph longer than `max` into sentences, then words, then (last resort) hard cuts. */
function splitParagraph(paragraph: string, max: number): Piece[] {
  const list = words(paragraph);
  const sentences: Piece[] = [];
  let current: Piece | undefined;
  list.forEach((w, i) => {
    if (!current) current = { text: w.word, sep: w.sep };
    else current.text += w.sep + w.word;
    const next = list[i + 1];
    if (!next || (SENTENCE_END.test(w.word) && !w.insideLink && !NO_BREAK_BEFORE.test(next.word))) {
      sentences.push(current);
      current = undefined;
    }
  });
  return sentences.flatMap((s) => (s.text.length <= max ? [s] : splitSentence(s, max)));
}

function splitSentence(sentence: Piece, max: number): Piece[] {
  const out: Piece[] = [];
  let current: Piece | undefined;
  const list = words(sentence.text);
  list.forEach((w, i) => {
    const sep = current ? w.sep : sentence.sep;
    const prevInsideLink = i > 0 && list[i - 1].insideLink;
    if (w.word.length > max) {
      if (current) out.push(current);
      current = undefined;
      for (let at = 0; at < w.word.length; at += max) out.push({ text: w.word.slice(at, at + max), sep: at ? '' : sep });
      return;
    }
    if (current && current.text.length + w.sep.length + w.word.length <= max) {
      current.text += w.sep + w.word;
      return;
    }
    // A citation marker (or the rest of a link) may not start a message: carry the word before it along.
    const glued = current && (NO_BREAK_BEFORE.test(w.word) || prevInsideLink);
    const carry = glued ? /\s\S+$/.exec(current!.text) : null;
    if (current && carry) {
      current.text = current.text.slice(0, carry.index);
      out.push(current);
      current = { text: `${carry[0].trimStart()}${w.sep}${w.word}`, sep: carry[0].match(/^\s+/)![0] };
    } else {
      if (current) out.push(current);
      current = { text: w.word, sep };
    }
  });
  if (current) out.push(current);
  return out;
}

/** Packs pieces greedily into messages of at most `max` characters. */
function pack(pieces: Piece[], max: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const p of pieces) {
    if (!current) current = p.text;
    else if (current.length + p.sep.length + p.text.length <= max) current += p.sep + p.text;
    else {
      out.push(current);
      current = p.text;
    }
  }
  if (current.trim()) out.push(current);
  return out.map((m) => m.trim()).filter(Boolean);
}

/** Splits text into messages of at most `max` characters on paragraph, sentence, then word boundaries. */
export function splitMessage(text: string, max: number = LIMITS.message): string[] {
  const pieces: Piece[] = [];
  text
    .trim()
    .split(/\n{2,}/)
    .forEach((paragraph, i) => {
      const sep = i ? '\n\n' : '';
      if (paragraph.length <= max) pieces.push({ text: paragraph, sep });
      else splitParagraph(paragraph, max).forEach((p, j) => pieces.push({ text: p.text, sep: j ? p.sep : sep }));
    });
  return pack(pieces, max);
}

export function sourceLine(c: Pick<Citation, 'n' | 'title' | 'source' | 'date' | 'url'>): string {
  const where = [c.source, c.date].filter(Boolean).join(', ');
  return `[${c.n}] **${truncate(c.title, 150)}**${where ? ` — ${where}` : ''}${c.url ? ` <${c.url}>` : ''}`;
}

export function sourcesBlock(citations: Citation[], lang: Lang): string {
  return [`**${messages(lang).sources}**`, ...citations.map(sourceLine)].join('\n');
}

/** The messages of a final answer: notices, the answer, then the sources block kept in one message. */
export function answerMessages(result: Pick<AnswerResult, 'answer' | 'citations' | 'notices' | 'language'>, max: number = LIMITS.message): string[] {
  const body = [...result.notices.map((n) => `*${n}*`), wrapLinks(result.answer)].join('\n\n');
  const parts = splitMessage(body, max);
  if (!result.citations.length) return parts;
  const sources = sourcesBlock(result.citations, result.language);
  const last = parts.at(-1);
  if (last !== undefined && last.length + 2 + sources.length <= max) parts[parts.length - 1] = `${last}\n\n${sources}`;
  // Only a block longer than a whole message is split, between source lines.
  else parts.push(...pack(sources.split('\n').map((text) => ({ text, sep: '\n' })), max));
  return parts;
}

/** What a reply shows while an answer streams in: the text so far, cut to one message. */
export function partialMessage(text: string, max: number = LIMITS.message): string {
  return truncate(`${wrapLinks(text)} …`, max);
}

function embedLength(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** Cuts an embed to Discord's limits: title, description, 25 fields, field sizes, 6,000 in all. */
export function fitEmbed(embed: APIEmbed): APIEmbed {
  const e: APIEmbed = {
    ...embed,
    ...(embed.title ? { title: truncate(embed.title, LIMITS.embedTitle) } : {}),
    ...(embed.description ? { description: truncate(wrapLinks(embed.description), LIMITS.embedDescription) } : {}),
    ...(embed.footer ? { footer: { ...embed.footer, text: truncate(embed.footer.text, LIMITS.footer) } } : {}),
    fields: (embed.fields ?? []).slice(0, LIMITS.embedFields).map((f) => ({
      ...f,
      name: truncate(f.name, LIMITS.fieldName),
      value: truncate(wrapLinks(f.value), LIMITS.fieldValue),
    })),
  };
  while (embedLength(e) > LIMITS.embedTotal && e.fields!.length) e.fields!.pop();
  if (embedLength(e) > LIMITS.embedTotal && e.description) {
    e.description = truncate(e.description, Math.max(1, e.description.length - (embedLength(e) - LIMITS.embedTotal)));
  }
  return e;
}
