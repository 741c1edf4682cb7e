// Retrieval on a real index of the seed and dev articles: what the per-article
// cap keeps must be the best candidates in fused order, whichever of them had
// their passages fetched to get there.
import { cpSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createEmbedder, type Embedder } from '../../src/embeddings/index.js';
import { HnswStore, updateIndex } from '../../src/index/index.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { retrieve } from '../../src/retrieve/index.js';
import type { Lang, SearchHit } from '../../src/types.js';
import { DEV_ARTICLES } from '../support/articles.js';
import { scratchCorpus } from '../support/cli.js';

const QUESTIONS: Array<[string, Lang]> = [
  ["Combien d'emplois Inetum va-t-il créer d'ici 2027 ?", 'fr'],
  ['Who is the CEO of Thales Holding Maroc?', 'en'],
  ['Capgemini 1,500 jobs memorandum', 'en'],
  ['stratégie Maroc Digital 2030', 'fr'],
];

describe('retrieve', () => {
  const scratch = scratchCorpus();
  let store: HnswStore;
  let embedder: Embedder;
  afterAll(() => rmSync(scratch.dir, { recursive: true, force: true }));

  beforeAll(async () => {
    cpSync(DEV_ARTICLES, scratch.corpus, { recursive: true });
    embedder = await createEmbedder(loadSettings({ EMBEDDINGS_PROVIDER: 'local' }));
    await updateIndex({ indexDir: scratch.index, scan: await scanCorpus(scratch.corpus), embedder, searches: 'none' });
    store = (await HnswStore.load(scratch.index))!;
  });

  const search = async (question: string, lang: Lang, k: number, perArticle: number) =>
    (await retrieve(store, embedder.embeddings, question, lang, { k, perArticle })).hits;

  /** Every fused candidate in order (no cap), then the first `k` that the cap lets through. */
  const capped = (all: SearchHit[], k: number, perArticle: number) => {
    const seen = new Map<string, number>();
    return all
      .filter((h) => {
        const n = (seen.get(h.article.id) ?? 0) + 1;
        seen.set(h.article.id, n);
        return n <= perArticle;
      })
      .slice(0, k);
  };
  const key = (hits: SearchHit[]) => hits.map((h) => [h.chunk.id, h.article.id, h.score]);

  it('keeps the best candidates in fused order, at most `perArticle` from one article, however many it had to look through', async () => {
    let reachedPastFirstBatch = false;
    for (const [question, lang] of QUESTIONS) {
      const all = await search(question, lang, 50, 0);
      expect(all.length, question).toBeGreaterThan(20);
      for (const [k, perArticle] of [[5, 3], [10, 1], [10, 3], [20, 2]] as const) {
        const hits = await search(question, lang, k, perArticle);
        const expected = capped(all, k, perArticle);
        expect(key(hits), `${question} k ${k} cap ${perArticle}`).toEqual(key(expected));
        expect(hits.map((h) => h.rank)).toEqual(expected.map((_, i) => i + 1));
        expect(hits.every((h) => h.chunk.text.length > 0 && h.article.title.length > 0)).toBe(true);
        // The k-th hit lies beyond the first k candidates: the search looked further than its first batch.
        if (hits.length === k && all.findIndex((h) => h.chunk.id === hits.at(-1)!.chunk.id) >= k) reachedPastFirstBatch = true;
      }
    }
    expect(reachedPastFirstBatch).toBe(true);
  });
});
