// Dates as articles write them ("mercredi", "le 29 mai", "fin février", "last
// year", "Sept. 12") made absolute with the article's own date, and written
// out in the reader's language.
import { fold } from '../text/analyze.js';
import type { Lang } from '../types.js';

const MONTH_NAMES: Record<Lang, string[]> = {
  fr: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};
/** Month names and abbreviations in both languages (folded, lower case), index = month - 1. */
const MONTH_WORDS = [
  'janvier january jan janv', 'fevrier february feb fev fevr', 'mars march mar', 'avril april apr avr', 'mai may',
  'juin june jun', 'juillet july jul juil', 'aout august aug', 'septembre september sep sept',
  'octobre october oct', 'novembre november nov', 'decembre december dec',
].map((names) => names.split(' '));
const WEEKDAYS = [
  ['dimanche', 'sunday'], ['lundi', 'monday'], ['mardi', 'tuesday'], ['mercredi', 'wednesday'],
  ['jeudi', 'thursday'], ['vendredi', 'friday'], ['samedi', 'saturday'],
];

/** What an article's date says: a year, a month, maybe a day. */
export interface ArticleDate {
  year: number;
  month?: number;
  day?: number;
}

export function parseArticleDate(date: string): ArticleDate | undefined {
  const m = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?/.exec(date.trim());
  if (!m) return undefined;
  return { year: Number(m[1]), month: m[2] ? Number(m[2]) : undefined, day: m[3] ? Number(m[3]) : undefined };
}

function monthOf(word: string): number | undefined {
  const w = fold(word).toLowerCase().replace(/\.$/, '');
  const i = MONTH_WORDS.findIndex((names) => names.includes(w));
  return i >= 0 ? i + 1 : undefined;
}

function weekdayOf(word: string): number | undefined {
  const w = fold(word).toLowerCase();
  const i = WEEKDAYS.findIndex((names) => names.includes(w));
  return i >= 0 ? i : undefined;
}

export function formatDate(d: ArticleDate, lang: Lang): string {
  if (d.month === undefined) return String(d.year);
  const month = MONTH_NAMES[lang][d.month - 1]!;
  if (d.day === undefined) return `${month} ${d.year}`;
  return lang === 'fr' ? `${d.day === 1 ? '1er' : d.day} ${month} ${d.year}` : `${month} ${d.day}, ${d.year}`;
}

const shift = (d: ArticleDate, days: number): ArticleDate => {
  const t = new Date(Date.UTC(d.year, d.month! - 1, d.day!) + days * 86_400_000);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
};

/** A month named without a year happened in the article's year, unless that would put it after the article. */
function yearOfMonth(month: number, at: ArticleDate, past: boolean): number {
  if (at.month === undefined) return at.year;
  return past ? (month >= at.month ? at.year - 1 : at.year) : month > at.month + 1 ? at.year - 1 : at.year;
}

/**
 * The absolute date a relative or partial date stands for, given the article's
 * date; undefined when the text already says it all or the article's date can't settle it.
 */
export function resolveDate(span: string, articleDate: string, lang: Lang): string | undefined {
  const at = parseArticleDate(articleDate);
  if (!at) return undefined;
  const text = fold(span).toLowerCase();
  if (/\b(?:19|20)\d{2}\b/.test(text)) return undefined;
  const full = at.month !== undefined && at.day !== undefined;
  if (/\b(?:aujourd'hui|today)\b/.test(text)) return formatDate(at, lang);
  if (/\b(?:hier|yesterday)\b/.test(text)) return full ? formatDate(shift(at, -1), lang) : undefined;
  if (/\b(?:l'annee derniere|l'an dernier|last year)\b/.test(text)) return String(at.year - 1);
  if (/\b(?:cette annee|this year)\b/.test(text)) return String(at.year);
  if (/\b(?:le mois dernier|last month)\b/.test(text) && at.month !== undefined) {
    return formatDate(at.month === 1 ? { year: at.year - 1, month: 12 } : { year: at.year, month: at.month - 1 }, lang);
  }
  const tokens = text.split(/[\s,]+/);
  const month = tokens.map(monthOf).find((m) => m !== undefined);
  const day = Number(tokens.find((t) => /^\d{1,2}(?:er|st|nd|rd|th)?$/.test(t))?.replace(/\D/g, '')) || undefined;
  if (month !== undefined) {
    const past = /\b(?:dernier|last)\b/.test(text);
    return formatDate({ year: yearOfMonth(month, at, past), month, day }, lang);
  }
  const weekday = tokens.map(weekdayOf).find((w) => w !== undefined);
  if (weekday !== undefined) {
    // "mercredi" in a dated article is the last such day up to its publication.
    if (!full) return at.month !== undefined ? formatDate({ year: at.year, month: at.month }, lang) : undefined;
    const back = (new Date(Date.UTC(at.year, at.month! - 1, at.day!)).getUTCDay() - weekday + 7) % 7;
    return formatDate(shift(at, -back), lang);
  }
  return undefined;
}
