// What a failed command must leave untouched: every corpus file and the live index generation.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

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

/** Chunk ids per article, as the live manifest records them. */
export function chunkIdsByArticle(index: string): Map<string, number[]> {
  const gen = readFileSync(path.join(index, 'CURRENT'), 'utf8').trim();
  const manifest = JSON.parse(readFileSync(path.join(index, gen, 'manifest.json'), 'utf8')) as { articles: Array<{ id: string; chunkIds: number[] }> };
  return new Map(manifest.articles.map((a) => [a.id, a.chunkIds]));
}
