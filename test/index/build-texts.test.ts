// A corpus scan holds each article's text as UTF-8 bytes (half the memory of a
// JS string of French text) and the index stores those bytes as they are. What
// users see must not change: every article reads back as the file's parse gives
// it, and every chunk of the index built from the scan, before and after it is
// saved and loaded again, is that text's span, accents, ’ and emoji included.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalHashEmbeddings } from '../../src/embeddings/local.js';
import { HnswStore, updateIndex } from '../../src/index/index.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { parseArticle } from '../../src/ingest/load.js';
import { ROOT } from '../support/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'akhbar-texts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const embedder = { info: { provider: 'local' as const, model: 'hash' }, embeddings: new LocalHashEmbeddings() };

describe('article texts held as UTF-8 bytes', () => {
  it('reads back every article as parsed and indexes every chunk with its exact text', async () => {
    const corpus = path.join(dir, 'corpus');
    cpSync(path.join(ROOT, 'eval/articles-dev'), corpus, { recursive: true });
    writeFileSync(
      path.join(corpus, 'zz-edges.md'),
      '---\ntitle: "L’été 🌍 à Casablanca"\nsource: "Médias24"\nlang: fr\n---\nL’État investit 3,2 milliards de dirhams 🚀 dans la « transition numérique » en 2025.\n\nÇa concerne 1 500 emplois à Tanger — selon le ministère.\n',
    );
    const scan = await scanCorpus(corpus);
    const files = readdirSync(corpus);
    expect(scan.articles.map((a) => a.file).sort()).toEqual(files.sort());
    for (const a of scan.articles) {
      const parsed = parseArticle(readFileSync(path.join(corpus, a.file)), a.file);
      expect({ ...a, stamp: undefined }).toEqual({ ...parsed, stamp: undefined });
    }

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
  });
});
