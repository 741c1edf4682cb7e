// Metadata for articles that arrive without front matter: outlet, headline, date
// and author read off the first lines, the way they appear on scraped pages.
import { isHeadlineLike } from './clean.js';

export interface ExtractedMeta {
  title?: string;
  source?: string;
  date?: string;
  author?: string;
}

const AUTHOR = /^(?:written by|by|par|[ée]crit par|auteur)\s*:?\s+(.{3,80})$/i;
const DATE_MARKER = /(?:^|\s)(?:date|publi[ée] le|published(?: on)?|mis à jour le)\s*:?\s*(\d{4}-\d{2}(?:-\d{2})?|\d{1,2}\/\d{1,2}\/\d{4})\s*/i;
const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+){3,}$/;
/** An outlet name: one to four capitalised words, nothing sentence-like. */
const OUTLET = /^(?:\p{Lu}[\p{L}\p{N}'&]*\.?)(?: (?:\p{Lu}[\p{L}\p{N}'&]*|du|de|des|la|le|of|the|and)\.?){0,3}$/u;

function fromSlug(slug: string): string {
  const text = slug.replace(/-/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function firstSentence(text: string, max = 110): string {
  const sentence = /^.+?[.!?](?=\s|$)/.exec(text)?.[0] ?? text;
  if (sentence.length <= max) return sentence.replace(/[.]$/, '');
  return sentence.slice(0, max).replace(/\s+\S*$/, '') + '…';
}

/**
 * Reads metadata lines off the top of a headerless article and returns them
 * with the remaining body paragraphs. Only the first few lines are considered.
 */
export function extractMetadata(paragraphs: string[]): { meta: ExtractedMeta; body: string[] } {
  const meta: ExtractedMeta = {};
  const body: string[] = [];
  let slugTitle: string | undefined;
  paragraphs.forEach((p, i) => {
    let line = p;
    const date = DATE_MARKER.exec(line);
    if (date && !meta.date && i < 8) {
      meta.date = date[1];
      line = (line.slice(0, date.index) + ' ' + line.slice(date.index + date[0].length)).trim();
      if (line === '') return;
    }
    const author = AUTHOR.exec(line);
    if (author && !meta.author && i < 8) {
      meta.author = author[1]!.trim();
      return;
    }
    if (i < 4 && SLUG.test(line)) {
      slugTitle ??= fromSlug(line);
      return;
    }
    if (body.length === 0 && !meta.title && !meta.source && OUTLET.test(line) && line.split(' ').length <= 4) {
      meta.source = line.replace(/\.$/, '');
      return;
    }
    if (body.length === 0 && !meta.title && i < 6 && isHeadlineLike(line) && line.length >= 20) {
      meta.title = line;
      return;
    }
    if (meta.source && line.replace(/\.$/, '') === meta.source) return;
    if (meta.author && line === meta.author) return;
    body.push(line);
  });
  meta.title ??= slugTitle ?? (body[0] ? firstSentence(body[0]) : undefined);
  return { meta, body };
}
