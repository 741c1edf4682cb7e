// Index build: the product's own update path on a synthetic corpus, timed per
// stage, plus the keyword postings alone (to split insert into vector and keyword).
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../../src/embeddings/index.js';
import { keywordTerms, updateIndex, type IndexPhases } from '../../src/index/index.js';
import { KeywordIndex } from '../../src/index/keyword.js';
import { chunkArticle } from '../../src/ingest/index.js';
import type { Article } from '../../src/types.js';

export interface BuildRun {
  chunks: number;
  totalMs: number;
  phases: IndexPhases;
  postingsMs: number;
}

export async function buildIndex(indexDir: string, articles: Article[], embedder: Embedder): Promise<BuildRun> {
  await rm(indexDir, { recursive: true, force: true });
  const t = performance.now();
  const { report, phases } = await updateIndex({ indexDir, scan: { articles, problems: [] }, embedder, rebuild: true });
  const totalMs = performance.now() - t;
  return { chunks: report.chunks, totalMs, phases, postingsMs: await postingsOnly(articles) };
}

/** Time to fill a KeywordIndex from already analysed terms (the keyword share of insertMs). */
async function postingsOnly(articles: Article[]): Promise<number> {
  const terms: string[][] = [];
  for (const a of articles) for (const s of await chunkArticle(a)) terms.push(keywordTerms(a.text.slice(s.start, s.end), a));
  const index = new KeywordIndex();
  const t = performance.now();
  terms.forEach((ts, i) => index.add(i, ts));
  return performance.now() - t;
}

/** Bytes per file of the live generation. */
export async function indexSize(indexDir: string): Promise<Record<string, number>> {
  const { readFile } = await import('node:fs/promises');
  const gen = (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim();
  const dir = path.join(indexDir, gen);
  const sizes: Record<string, number> = {};
  for (const f of await readdir(dir)) sizes[f] = (await stat(path.join(dir, f))).size;
  return sizes;
}
