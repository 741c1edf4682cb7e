// Index build: the product's own update path on a synthetic corpus, timed per
// stage, plus the keyword postings alone (to split insert into vector and keyword),
// and the floor of any build: a bare hnswlib graph of the same vectors.
import { createRequire } from 'node:module';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Embedder } from '../../src/embeddings/index.js';
import { keywordTerms, updateIndex, type IndexPhases } from '../../src/index/index.js';
import { KeywordIndex } from '../../src/index/keyword.js';
import { HNSW_EF_CONSTRUCTION, HNSW_M } from '../../src/index/vector.js';
import { chunkArticle } from '../../src/ingest/index.js';
import type { Article } from '../../src/types.js';
import type { EmbeddedChunks } from './recall.js';

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

/** Milliseconds to insert the chunks' vectors into a bare hnswlib graph built as the product builds its own. */
export function bareHnswBuild({ ids, dim, matrix }: EmbeddedChunks): number {
  const { HierarchicalNSW } = createRequire(import.meta.url)('hnswlib-node') as typeof import('hnswlib-node');
  const index = new HierarchicalNSW('cosine', dim);
  const t = performance.now();
  index.initIndex({ maxElements: ids.length, m: HNSW_M, efConstruction: HNSW_EF_CONSTRUCTION, randomSeed: 42 });
  for (let r = 0; r < ids.length; r++) index.addPoint(Array.from(matrix.subarray(r * dim, (r + 1) * dim)), r);
  return performance.now() - t;
}
