// What a failed command must leave untouched: every corpus file and the live index generation.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { indexedArticles } from './index-files.js';

export function snapshot(corpus: string, index: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const f of readdirSync(corpus, { recursive: true }) as string[]) {
    const full = path.join(corpus, f);
    files[`corpus/${f}`] = existsSync(full) && !readdirSync(path.dirname(full), { withFileTypes: true }).find((d) => d.name === path.basename(f))?.isDirectory()
      ? createHash('sha256').update(readFileSync(full)).digest('hex')
      : 'dir';
  }
  const current = path.join(index, 'CURRENT');
  files.CURRENT = existsSync(current) ? readFileSync(current, 'utf8') : 'none';
  return files;
}

/** Chunk ids per article, as the live generation records them. */
export function chunkIdsByArticle(index: string): Map<string, number[]> {
  return new Map(indexedArticles(index).map((a) => [a.id, a.chunkIds]));
}
