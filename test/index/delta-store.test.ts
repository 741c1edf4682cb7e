// Updates that add to the vector delta instead of rewriting the HNSW graph: real
// corpus files, real index generations on disk, read back by fresh loads in both
// search modes (exact scan of the graph file, built graph).
import { appendFileSync, copyFileSync, existsSync, linkSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config.js';
import { createEmbedder } from '../../src/embeddings/index.js';
import { embeddingText, HnswStore, IndexCorruptError, updateIndex } from '../../src/index/index.js';
import { DELTA_MAX_CHUNKS } from '../../src/index/store.js';
import { scanCorpus } from '../../src/ingest/index.js';
import { analyzeQuery } from '../../src/text/analyze.js';
import { DEV_ARTICLES } from '../support/articles.js';
import { runCli, scratchCorpus } from '../support/cli.js';
import { indexedArticles, manifestOf, rewriteAsFormat } from '../support/index-files.js';

const NEW = '021-outsourcing-65-millions-dirhams-5050-emplois.md';
const NEW_ID = NEW.replace(/\.md$/, '');

const live = (index: string) => path.join(index, readFileSync(path.join(index, 'CURRENT'), 'utf8').trim());

async function setUp() {
  const scratch = scratchCorpus();
  const embedder = await createEmbedder(loadSettings({ EMBEDDINGS_PROVIDER: 'local' }));
  const update = async () => (await updateIndex({ indexDir: scratch.index, scan: await scanCorpus(scratch.corpus), embedder, searches: 'none' })).report;
  await update();
  /** The stored chunks of an article, with the embedding each was indexed under. */
  const chunksOf = async (store: HnswStore, articleId: string) => {
    const article = store.article(articleId)!;
    const chunks = await store.getChunks(article.chunkIds);
    const vectors = await embedder.embeddings.embedDocuments(chunks.map((c) => embeddingText(c.text, article)));
    return chunks.map((c, i) => ({ id: c.id, vector: vectors[i]! }));
  };
  return { scratch, update, chunksOf };
}

/** Fresh loads in both modes: the top hit of each chunk's own vector is that chunk, and `gone` ids never come back. */
async function expectSearchable(index: string, probes: Array<{ id: number; vector: number[] }>, gone: number[] = []) {
  for (const searches of ['few', 'many'] as const) {
    const store = (await HnswStore.load(index, { searches }))!;
    expect(store.vectors === undefined, searches).toBe(searches === 'few');
    for (const probe of probes) {
      const hits = await store.vectorSearch(probe.vector, 20);
      expect(hits[0]!.chunkId, searches).toBe(probe.id);
      expect(hits.some((h) => gone.includes(h.chunkId)), searches).toBe(false);
    }
  }
}

describe('updates through the vector delta', () => {
  it('adds an article beside the graph: the graph file is linked, not rewritten, and both search modes find the new chunks', async () => {
    const { scratch, update, chunksOf } = await setUp();
    const graphBefore = path.join(live(scratch.index), 'vectors.hnsw');
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ added: 1 });

    const gen = live(scratch.index);
    expect(statSync(path.join(gen, 'vectors.hnsw')).ino).toBe(statSync(graphBefore).ino);
    expect(statSync(path.join(gen, 'passages.bin')).ino).toBe(statSync(path.join(path.dirname(graphBefore), 'passages.bin')).ino);
    expect(existsSync(path.join(gen, 'vectors.delta'))).toBe(true);
    expect(existsSync(path.join(gen, 'passages.delta'))).toBe(true);
    // The new name's stamp is what the manifest recorded: a load trusts the file without reading it.
    const expected = manifestOf(scratch.index).files!['vectors.hnsw']!;
    expect(statSync(path.join(gen, 'vectors.hnsw')).ctimeMs).toBe(expected.ctimeMs);

    const store = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    await expectSearchable(scratch.index, await chunksOf(store, NEW_ID));
    const other = store.articles().find((a) => a.id !== NEW_ID)!;
    await expectSearchable(scratch.index, await chunksOf(store, other.id));
    expect(runCli(['index', '--verify', '--corpus', scratch.corpus, '--index', scratch.index]).code).toBe(0);
  });

  it('removes an article the graph holds: its chunks leave both search modes, and a compaction writes the graph without them', async () => {
    const { scratch, update, chunksOf } = await setUp();
    const store = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    const [removed, kept] = store.articles();
    const removedChunks = await chunksOf(store, removed!.id);
    rmSync(path.join(scratch.corpus, removed!.file));
    expect(await update()).toMatchObject({ removed: 1 });
    expect(existsSync(path.join(live(scratch.index), 'vectors.delta'))).toBe(true);
    const keptChunks = await chunksOf(store, kept!.id);
    await expectSearchable(scratch.index, keptChunks, removedChunks.map((c) => c.id));

    // A compaction: the graph is built, the delta folded in, and the next save writes it whole.
    const loaded = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    await loaded.prepareToAdd(DELTA_MAX_CHUNKS);
    expect(loaded.vectors).toBeDefined();
    await loaded.save(scratch.index);
    expect(existsSync(path.join(live(scratch.index), 'vectors.delta'))).toBe(false);
    await expectSearchable(scratch.index, keptChunks, removedChunks.map((c) => c.id));
    expect(loaded.vectors!.size).toBe(manifestOf(scratch.index).chunkCount);
  });

  it('an add interrupted after linking the graph leaves the old generation readable, and the next add cleans up and keeps a trusted stamp', async () => {
    const { scratch, update, chunksOf } = await setUp();
    const before = live(scratch.index);
    const articles = (await HnswStore.load(scratch.index, { searches: 'none' }))!.articles().length;
    // What a writer killed mid-write leaves: a temporary generation holding a link to the live graph (its ctime moved) and a cut file.
    const leftover = path.join(scratch.index, 'gen-9999999999999-1.tmp');
    mkdirSync(leftover);
    linkSync(path.join(before, 'vectors.hnsw'), path.join(leftover, 'vectors.hnsw'));
    writeFileSync(path.join(leftover, 'passages.bin'), Buffer.alloc(100));

    for (const searches of ['few', 'many'] as const) expect((await HnswStore.load(scratch.index, { searches }))!.articles()).toHaveLength(articles);
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ added: 1 });
    expect(existsSync(leftover)).toBe(false);
    const gen = live(scratch.index);
    expect(statSync(path.join(gen, 'vectors.hnsw')).ctimeMs).toBe(manifestOf(scratch.index).files!['vectors.hnsw']!.ctimeMs);
    const store = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    await expectSearchable(scratch.index, await chunksOf(store, NEW_ID));
  });

  it('changes an article without rewriting the passages: its new text is read back, the others unchanged, also after a compaction', async () => {
    const { scratch, update } = await setUp();
    const before = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    const [changed, other] = before.articles();
    const otherText = before.article(other!.id)!.text;
    appendFileSync(path.join(scratch.corpus, changed!.file), '\n\nMise à jour : le programme sera étendu à Oujda en 2026.\n');
    expect(await update()).toMatchObject({ updated: 1 });
    expect(existsSync(path.join(live(scratch.index), 'passages.delta'))).toBe(true);
    const readBack = async () => {
      const store = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
      expect(store.article(changed!.id)!.text).toContain('étendu à Oujda');
      expect(store.article(other!.id)!.text).toBe(otherText);
      const chunks = await store.getChunks(store.article(changed!.id)!.chunkIds);
      expect(chunks.map((c) => c.text).join(' ')).toContain('étendu à Oujda');
      return store;
    };
    const store = await readBack();
    await store.prepareToAdd(DELTA_MAX_CHUNKS);
    await store.save(scratch.index);
    expect(existsSync(path.join(live(scratch.index), 'passages.delta'))).toBe(false);
    await readBack();
  });

  it.each(['vectors.delta', 'passages.delta', 'keyword.delta'])('refuses %s altered in place, as the other index files', async (file) => {
    const { scratch, update } = await setUp();
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    await update();
    const target = path.join(live(scratch.index), file);
    const bytes = readFileSync(target);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(target, bytes);
    await expect(HnswStore.load(scratch.index, { searches: 'few' })).rejects.toThrow(IndexCorruptError);
    const verify = runCli(['index', '--verify', '--corpus', scratch.corpus, '--index', scratch.index]);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toMatch(new RegExp(`${file.replace('.', '\\.')}: checksum mismatch`));
  });

  it('refuses sources.bin altered in place in an update, while a one-question load does not need it', async () => {
    const { scratch, update } = await setUp();
    const target = path.join(live(scratch.index), 'sources.bin');
    const bytes = readFileSync(target);
    bytes[bytes.length - 1]! ^= 0xff;
    writeFileSync(target, bytes);
    // What answers need is intact: a one-question load reads no file stamps.
    expect((await HnswStore.load(scratch.index, { searches: 'few' }))!.articles().length).toBeGreaterThan(0);
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    await expect(update()).rejects.toThrow(/sources\.bin: checksum mismatch/);
    const verify = runCli(['index', '--verify', '--corpus', scratch.corpus, '--index', scratch.index]);
    expect(verify.code).not.toBe(0);
    expect(verify.stderr).toMatch(/sources\.bin: checksum mismatch/);
  });

  it('reads an index of format 2 (articles in the manifest, no delta) and writes format 4 at the next update', async () => {
    const { scratch, update } = await setUp();
    const before = indexedArticles(scratch.index);
    rewriteAsFormat(scratch.index, 2);
    const old = (await HnswStore.load(scratch.index, { searches: 'few' }))!;
    expect(old.articles().map((a) => a.id)).toEqual(before.map((a) => a.id));
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ added: 1 });
    expect(manifestOf(scratch.index)).toMatchObject({ format: 4, articleCount: before.length + 1 });
    expect(manifestOf(scratch.index).articles).toBeUndefined();
    // What the old manifest recorded of each file carried over: nothing is read or re-indexed again.
    const after = new Map(indexedArticles(scratch.index).map((a) => [a.id, a]));
    for (const a of before) expect(after.get(a.id)).toMatchObject({ hash: a.hash, stamp: a.stamp, textKey: a.textKey, chunkIds: a.chunkIds });
    expect(await update()).toMatchObject({ added: 0, updated: 0, removed: 0 });
  });

  it('reads an index of format 3 after small updates (texts split between passages.bin and passages.delta) and keeps the graph and passages linked when upgrading', async () => {
    const { scratch, update } = await setUp();
    const changed = (await scanCorpus(scratch.corpus)).articles[1]!;
    appendFileSync(path.join(scratch.corpus, changed.file), '\nUne phrase ajoutée : Inetum ouvre un centre à Oujda.\n');
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ added: 1, updated: 1 });
    rewriteAsFormat(scratch.index, 3);
    expect(manifestOf(scratch.index).passages!.delta.sort()).toEqual([changed.id, NEW_ID].sort());
    const passagesBefore = statSync(path.join(live(scratch.index), 'passages.bin')).ino;
    const texts = async () => {
      const store = (await HnswStore.load(scratch.index, { searches: 'few' }))!;
      return new Map(store.articles().map((a) => [a.id, store.article(a.id)!.text]));
    };
    const old = await texts();
    expect(old.get(changed.id)).toContain('centre à Oujda');
    expect(old.get(NEW_ID)).toContain('5.050 nouveaux emplois');

    rmSync(path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ removed: 1 });
    expect(manifestOf(scratch.index).format).toBe(4);
    expect(statSync(path.join(live(scratch.index), 'passages.bin')).ino).toBe(passagesBefore);
    const upgraded = await texts();
    old.delete(NEW_ID);
    expect(upgraded).toEqual(old);
  });
});

describe('keyword updates through the keyword delta', () => {
  const QUERIES = ['outsourcing 65 millions de dirhams', 'Inetum emplois Maroc', 'programme étendu à Oujda', 'cybersécurité Thales', 'stratégie Maroc Digital 2030'];

  /** Each query's keyword hits, by article and chunk number (chunk ids differ between an updated and a rebuilt index). */
  async function keywordHits(index: string) {
    const store = (await HnswStore.load(index, { searches: 'few' }))!;
    const out: Array<Array<{ at: string; score: number }>> = [];
    for (const q of QUERIES) {
      const hits = await store.keywordSearch(analyzeQuery(q, 'fr'), 10);
      const chunks = await store.getChunks(hits.map((h) => h.chunkId));
      out.push(hits.map((h, i) => ({ at: `${chunks[i]!.articleId}#${chunks[i]!.chunkNo}`, score: Math.round(h.score * 1e9) / 1e9 })));
    }
    return out;
  }

  it('links keyword.bin and writes the changes beside it; a fresh load ranks exactly as an index rebuilt from the same corpus', async () => {
    const { scratch, update } = await setUp();
    const keywordBefore = statSync(path.join(live(scratch.index), 'keyword.bin')).ino;
    const [changed, removed] = (await scanCorpus(scratch.corpus)).articles;
    copyFileSync(path.join(DEV_ARTICLES, NEW), path.join(scratch.corpus, NEW));
    expect(await update()).toMatchObject({ added: 1 });
    appendFileSync(path.join(scratch.corpus, changed!.file), '\n\nMise à jour : le programme sera étendu à Oujda en 2026.\n');
    rmSync(path.join(scratch.corpus, removed!.file));
    expect(await update()).toMatchObject({ updated: 1, removed: 1 });
    expect(statSync(path.join(live(scratch.index), 'keyword.bin')).ino).toBe(keywordBefore);
    expect(existsSync(path.join(live(scratch.index), 'keyword.delta'))).toBe(true);

    const rebuilt = path.join(scratch.dir, 'rebuilt');
    const embedder = await createEmbedder(loadSettings({ EMBEDDINGS_PROVIDER: 'local' }));
    await updateIndex({ indexDir: rebuilt, scan: await scanCorpus(scratch.corpus), embedder, searches: 'none' });
    const expected = await keywordHits(rebuilt);
    expect(expected[0]![0]!.at).toMatch(new RegExp(`^${NEW_ID}#`));
    expect(expected[2]![0]!.at).toMatch(new RegExp(`^${changed!.id}#`));
    expect(expected.flat().some((h) => h.at.startsWith(`${removed!.id}#`))).toBe(false);
    expect(await keywordHits(scratch.index)).toEqual(expected);

    // Folded into keyword.bin when the graph is written whole: the same ranking, no delta left.
    const store = (await HnswStore.load(scratch.index, { searches: 'none' }))!;
    await store.prepareToAdd(DELTA_MAX_CHUNKS);
    await store.save(scratch.index);
    expect(existsSync(path.join(live(scratch.index), 'keyword.delta'))).toBe(false);
    expect(await keywordHits(scratch.index)).toEqual(expected);
  });
});

describe('add, then search in a fresh process', () => {
  it('finds the article just added, whose vectors are only in the delta, and a re-index after it is a no-op', () => {
    const scratch = scratchCorpus();
    const dirs = ['--corpus', scratch.corpus, '--index', scratch.index];
    expect(runCli(['index', ...dirs]).code).toBe(0);
    const added = runCli(['add', '--json', path.join(DEV_ARTICLES, NEW), ...dirs]);
    expect(added.code, added.stderr).toBe(0);
    expect(existsSync(path.join(live(scratch.index), 'vectors.delta'))).toBe(true);
    const hits = runCli(['search', '--json', '-k', '3', 'outsourcing 65 millions de dirhams 5050 emplois', ...dirs]).json();
    expect(hits.results[0].articleId).toBe(NEW_ID);
    // The add recorded the new file's stamp as a scan would: indexing again changes and writes nothing.
    const current = readFileSync(path.join(scratch.index, 'CURRENT'), 'utf8');
    expect(runCli(['index', '--json', ...dirs]).json()).toMatchObject({ added: 0, updated: 0, removed: 0 });
    expect(readFileSync(path.join(scratch.index, 'CURRENT'), 'utf8')).toBe(current);
  });
});
