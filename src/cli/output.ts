// Human-readable rendering for the terminal.
import { messages } from '../answer/messages.js';
import type { AnswerResult, Citation, IndexReport, SearchHit } from '../types.js';
import { writeStderr } from '../std-streams.js';

export function formatSource(c: Pick<Citation, 'title' | 'source' | 'date' | 'url'>): string {
  const where = [c.source, c.date].filter(Boolean).join(', ');
  return `${c.title}${where ? ` — ${where}` : ''}${c.url ? ` <${c.url}>` : ''}`;
}

export function formatAnswer(result: AnswerResult): string {
  const lines = [...result.notices.map((n) => `(${n})`), result.answer];
  if (result.citations.length) {
    lines.push('', `${messages(result.language).sources}:`);
    for (const c of result.citations) lines.push(`  [${c.n}] ${formatSource(c)}`);
  }
  return lines.join('\n');
}

export function formatHits(hits: SearchHit[]): string {
  if (!hits.length) return 'No matching passages.';
  return hits
    .map((h) => {
      const excerpt = h.chunk.text.length > 240 ? `${h.chunk.text.slice(0, 240).replace(/\s+\S*$/, '')}…` : h.chunk.text;
      return `${h.rank}. [${h.score.toFixed(3)}] ${formatSource(h.article)}\n   ${excerpt.replace(/\n+/g, ' ')}`;
    })
    .join('\n\n');
}

export function formatReport(r: IndexReport): string {
  return `Indexed ${r.articles} articles (${r.chunks} chunks) in ${r.ms} ms with ${r.embedder}: ${r.added} added, ${r.updated} updated, ${r.removed} removed.`;
}

/** A one-line progress bar on stderr, only when it is a terminal. */
export function progressBar(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / Math.max(1, total)) * width);
    writeStderr(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}
