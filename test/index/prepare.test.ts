// An index build splits each chunk into words once and hands those words to
// both the local embedder and BM25, in batches, article by article, on the main
// thread or (large builds) on a worker thread. What comes
// out must be what each would make of the chunk's text on its own: the same
// terms as keywordTerms and the same vector as embedding embeddingText, for
// every chunk, with text on the edges where joining could change the split
// (figures at the end of a title and the start of a chunk, elisions, accents).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Embedder, TextEmbeddings } from '../../src/embeddings/index.js';
import { LocalHashEmbeddings } from '../../src/embeddings/local.js';
import { embeddingText, keywordTerms, preparedArticles } from '../../src/index/index.js';
import { chunkArticle, scanCorpus } from '../../src/ingest/index.js';
import type { Article } from '../../src/types.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function edgeArticle(): Article {
  const text = ['1 500 emplois créés en 2024, l’État investit 3,2 milliards.', "It's Morocco's 1,500-job plan: l'investissement d'OCP."].join('\n\n');
  return { id: 'edge', title: 'Plan 2030', source: 'Médias24 2', url: '', date: '', author: '', lang: 'fr', file: 'edge.md', text, hash: 'h' };
}

/** Text in, one vector per text out (the local embedder's, to compare): the path of embedders that are not the local one. */
class TextOnly implements TextEmbeddings {
  readonly seen: string[] = [];
  private readonly local = new LocalHashEmbeddings();

  async embedDocuments(texts: string[]): Promise<number[][]> {
    this.seen.push(...texts);
    return texts.map((t) => this.local.embedText(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.local.embedText(text);
  }
}

async function expected(articles: Article[], local: LocalHashEmbeddings) {
  const out = [];
  for (const a of articles) {
    for (const s of await chunkArticle(a)) {
      const text = a.text.slice(s.start, s.end);
      out.push({ article: a.id, start: s.start, end: s.end, terms: keywordTerms(text, a), vector: local.embedText(embeddingText(text, a)) });
    }
  }
  return out;
}

async function prepared(articles: Article[], embedder: Embedder, offThread?: boolean) {
  const out = [];
  const progress: number[] = [];
  for await (const { article, chunks } of preparedArticles(articles, embedder, (done) => progress.push(done), undefined, offThread)) {
    for (const c of chunks) out.push({ article: article.id, ...c });
  }
  return { out, progress };
}

describe('index build: one split per chunk', () => {
  it.each([
    ['on the main thread', false],
    ['on the preparation thread', true],
  ])('gives every chunk the terms and local vector its own text gives, %s', async (_, offThread) => {
    const articles = [...(await scanCorpus(path.join(ROOT, 'corpus'))).articles, edgeArticle()];
    const local = new LocalHashEmbeddings();
    const { out, progress } = await prepared(articles, { info: { provider: 'local', model: 'test' }, embeddings: local }, offThread);
    const want = await expected(articles, new LocalHashEmbeddings());
    expect(out.length).toBeGreaterThan(articles.length);
    expect(out).toEqual(want);
    expect(progress.at(-1)).toBe(want.length);
  });

  it('hands other embedders the chunk text with its headline, in batches', async () => {
    const articles = [edgeArticle(), ...(await scanCorpus(path.join(ROOT, 'corpus'))).articles];
    const embeddings = new TextOnly();
    const { out } = await prepared(articles, { info: { provider: 'openai', model: 'test' }, embeddings });
    const want = await expected(articles, new LocalHashEmbeddings());
    expect(out).toEqual(want);
    expect(embeddings.seen).toEqual(
      await Promise.all(articles.map(async (a) => (await chunkArticle(a)).map((s) => embeddingText(a.text.slice(s.start, s.end), a)))).then((x) => x.flat()),
    );
  });
});
