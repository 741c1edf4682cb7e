// Site junk removal and de-duplication of paragraphs. Line-level rules only, so a
// rule can drop a share button or a cross-link but never part of a real sentence.
import { fold } from '../text/analyze.js';

const JUNK_LINES: RegExp[] = [
  /^(facebook|twitter|x|linkedin|pinterest|whatsapp|telegram|reddit|email|e-mail|print|imprimer|partager|share|tweet|copier le lien|copy link)\s*:?$/i,
  /^(partager|share)( (sur|on) \w+| this( article)?| cet article)?\s*:?$/i,
  /^(leave a (comment|reply)|laisser un commentaire|laissez un commentaire|post a comment|commentaires?|comments?)\s*:?$/i,
  /^(votre adresse (e-?mail|de messagerie|email) ne sera pas publi)/i,
  /^(your email address will not be published|required fields are marked)/i,
  /^this site uses akismet/i,
  /^(advertisement|advertisements|publicit[ée]|sponsored|sponsoris[ée])\s*:?$/i,
  /^publish_date\]?$/i,
  /^(#[\p{L}\p{N}_-]+\s*)+$/u,
  /^(a|à) lire (ou|et) (à )?[ée]couter en podcast/i,
  /^(vous pourriez aussi aimer|vous aimerez aussi|you may also like|you might also like|related (posts|articles|stories))\s*:?$/i,
  /^([ée]dit[ée]|relu) par\b/i,
  /^(tags?|mots[- ]cl[ée]s)\s*:/i,
  /^(abonnez-vous|subscribe)\b.{0,60}$/i,
];

/** "Lire aussi" cross-links: the label alone, or the label followed by another story's headline. */
const CROSS_LINK = /^(lire aussi|[àa] lire aussi|voir aussi|read also|read more|see also|also read)\b\s*:?\s*(.*)$/i;

export function paragraphsOf(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '');
}

function key(paragraph: string): string {
  return fold(paragraph).toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
}

export interface CleanResult {
  paragraphs: string[];
  removed: string[];
}

/** Drops junk lines, cross-links and repeated paragraphs; keeps everything else verbatim. */
export function cleanParagraphs(paragraphs: string[], alsoDrop: string[] = []): CleanResult {
  const kept: string[] = [];
  const removed: string[] = [];
  const seen = new Set(alsoDrop.map(key).filter((k) => k !== ''));
  let dropNextAsHeadline = false;
  for (const p of paragraphs) {
    const crossLink = CROSS_LINK.exec(p);
    if (crossLink) {
      removed.push(p);
      dropNextAsHeadline = crossLink[2]!.trim() === '';
      continue;
    }
    if (dropNextAsHeadline && isHeadlineLike(p)) {
      removed.push(p);
      dropNextAsHeadline = false;
      continue;
    }
    dropNextAsHeadline = false;
    const k = key(p);
    if (k === '' || JUNK_LINES.some((re) => re.test(p)) || seen.has(k)) {
      removed.push(p);
      continue;
    }
    seen.add(k);
    kept.push(p);
  }
  return { paragraphs: kept, removed };
}

/** A short line with no final full stop: a headline rather than body text. */
export function isHeadlineLike(line: string): boolean {
  return line.length <= 200 && !/[.:;,]$/.test(line) && line.split(/\s+/).length >= 3;
}
