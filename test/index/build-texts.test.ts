// A corpus scan holds each article's text as UTF-8 bytes (half the memory of a
// JS string of French text), and a build from scratch moves them to a spool file
// as it inserts articles (read back after the save). What users see must not
// change: every article reads back as the file's parse gives it, before and after
// the build, and every chunk of the index built from the scan, before and after it
// is saved and loaded again, is that text's span, accents, ’ and emoji included.
// A build that fails half-way loses nothing: the articles still read back whole
// and the index in place is untouched.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TextEmbeddings } from '../../src/embeddings/index.js';
import { LocalHashEmbeddings } from '../../src/embeddings/local.js';
import { HnswStore, updateIndex } from '../../src/index/index.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { parseArticle } from '../../src/ingest/load.js';
import { ROOT } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-texts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const embedder = { info: { provider: 'local' as const, model: 'hash' }, embeddings: new LocalHashEmbeddings() };

/** An embedding service that fails after `batches` batches (a network error half-way through a build). */
class FailingService implements TextEmbeddings {
  private readonly local = new LocalHashEmbeddings();
  constructor(private batches: number) {}

  async embedDocuments(texts: string[]): Promise<number[][]> {
    if (this.batches-- <= 0) throw new Error('the embedding service went away');
    return texts.map((t) => this.local.embedText(t));
  }

  async embedQuery(text: string): Promise<number[]> {
    return this.local.embedText(text);
  }
}

function edgeCorpus(name: string): string {
  const corpus = path.join(dir, name);
  cpSync(path.join(ROOT, 'eval/articles-dev'), corpus, { recursive: true });
  writeFileSync(
    path.join(corpus, 'zz-edges.md'),
    '---\ntitle: "L’été 🌍 à Casablanca"\nsource: "Médias24"\nlang: fr\n---\nL’État investit 3,2 milliards de dirhams 🚀 dans la « transition numérique » en 2025.\n\nÇa concerne 1 500 emplois à Tanger — selon le ministère.\n',
  );
  return corpus;
}

function expectParsed(corpus: string, articles: Awaited<ReturnType<typeof scanCorpus>>['articles']): void {
  for (const a of articles) {
    const parsed = parseArticle(readFileSync(path.join(corpus, a.file)), a.file);
    expect({ ...a, stamp: undefined }).toEqual({ ...parsed, stamp: undefined });
  }
}

describe('article texts held as UTF-8 bytes', () => {
  it('reads back every article as parsed and indexes every chunk with its exact text', async () => {
    const corpus = edgeCorpus('corpus');
    const scan = await scanCorpus(corpus);
    expect(scan.articles.map((a) => a.file).sort()).toEqual(readdirSync(corpus).sort());
    expectParsed(corpus, scan.articles);

    const indexDir = path.join(dir, 'index');
    const { store } = await updateIndex({ indexDir, scan, embedder, rebuild: true });
    const loaded = (await HnswStore.load(indexDir))!;
    const byId = new Map(scan.articles.map((a) => [a.id, a.text]));
    expect(loaded.chunkIds().sort((x, y) => x - y)).toEqual(store.chunkIds().sort((x, y) => x - y));
    for (const id of store.chunkIds()) {
      const chunk = store.chunk(id)!;
      const text = byId.get(chunk.articleId)!.slice(chunk.start, chunk.end);
      expect(chunk.text).toBe(text);
      expect(loaded.chunk(id)!.text).toBe(text);
    }
    for (const a of scan.articles) expect(loaded.article(a.id)!.text).toBe(a.text);
    expect(store.chunkIds().some((id) => store.chunk(id)!.text.includes('🚀'))).toBe(true);
    // The articles the build moved to its spool read back as before, and the spool left no file behind.
    expectParsed(corpus, scan.articles);
    expect(readdirSync(indexDir).filter((f) => !f.startsWith('gen-') && f !== 'CURRENT')).toEqual([]);
  });

  it('reads the texts from the spool when the built store is not to be searched (akhbar index)', async () => {
    const corpus = edgeCorpus('corpus-unsearched');
    const scan = await scanCorpus(corpus);
    const indexDir = path.join(dir, 'index-unsearched');
    const { store } = await updateIndex({ indexDir, scan, embedder, rebuild: true, searches: 'none' });
    expectParsed(corpus, scan.articles);
    const byId = new Map(scan.articles.map((a) => [a.id, a.text]));
    for (const id of store.chunkIds()) {
      const chunk = store.chunk(id)!;
      expect(chunk.text).toBe(byId.get(chunk.articleId)!.slice(chunk.start, chunk.end));
    }
    expect(readdirSync(indexDir).filter((f) => !f.startsWith('gen-') && f !== 'CURRENT')).toEqual([]);
  });

  it('loses nothing when a build from scratch fails half-way', async () => {
    const corpus = edgeCorpus('corpus-failing');
    const indexDir = path.join(dir, 'index-failing');
    const before = await scanCorpus(corpus, {});
    await updateIndex({ indexDir, scan: { articles: before.articles.slice(0, 3), problems: [] }, embedder });
    const live = readdirSync(indexDir).sort();

    const scan = await scanCorpus(corpus);
    const failing = { info: { provider: 'local' as const, model: 'hash' }, embeddings: new FailingService(1) };
    await expect(updateIndex({ indexDir, scan, embedder: failing, rebuild: true })).rejects.toThrow(/went away/);
    expectParsed(corpus, scan.articles);
    expect(readdirSync(indexDir).sort()).toEqual(live);
    const loaded = (await HnswStore.load(indexDir))!;
    expect(loaded.articles().map((a) => a.id)).toEqual(before.articles.slice(0, 3).map((a) => a.id));
    for (const a of before.articles.slice(0, 3)) expect(loaded.article(a.id)!.text).toBe(a.text);
  });
});
