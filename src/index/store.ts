// The embedded store: one folder per index generation under INDEX_DIR, and a
// CURRENT file naming the live one. A new generation is written beside the old
// and CURRENT is swapped by rename, so readers never see a half-written index.
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { QueryTerm } from '../text/analyze.js';
import type { Article, ArticleMeta, Chunk } from '../types.js';
import type { CorpusStore, ScoredChunkId } from './corpus-store.js';
import { KeywordIndex, type KeywordIndexData } from './keyword.js';
import { VectorIndex } from './vector.js';

export const INDEX_FORMAT = 1;

export interface EmbedderStamp {
  provider: string;
  model: string;
  dimension: number;
}

export interface ManifestArticle extends ArticleMeta {
  hash: string;
  chunkIds: number[];
}

export interface Manifest {
  format: number;
  embedder: EmbedderStamp;
  createdAt: string;
  updatedAt: string;
  nextChunkId: number;
  chunkCount: number;
  articles: ManifestArticle[];
}

/** [chunkId, articleIndex, chunkNo, start, end] per chunk. */
type ChunkRow = [number, number, number, number, number];

export class IndexCorruptError extends Error {
  constructor(indexDir: string, detail: string) {
    super(`The index in ${indexDir} is damaged or incomplete (${detail}). Run \`akhbar index --rebuild\` to rebuild it from the corpus.`);
  }
}

const FILES = { manifest: 'manifest.json', texts: 'texts.json', chunks: 'chunks.json', keyword: 'keyword.json', vectors: 'vectors.hnsw' };

interface ChunkLocation {
  articleId: string;
  chunkNo: number;
  start: number;
  end: number;
}

export class HnswStore implements CorpusStore {
  private readonly articlesById = new Map<string, ManifestArticle>();
  private readonly chunkLocations = new Map<number, ChunkLocation>();

  constructor(
    readonly manifest: Manifest,
    private readonly texts: Map<string, string>,
    readonly keyword: KeywordIndex,
    readonly vectors: VectorIndex,
  ) {
    for (const a of manifest.articles) this.indexArticle(a);
  }

  static empty(embedder: EmbedderStamp): HnswStore {
    const now = new Date().toISOString();
    const manifest: Manifest = { format: INDEX_FORMAT, embedder, createdAt: now, updatedAt: now, nextChunkId: 0, chunkCount: 0, articles: [] };
    return new HnswStore(manifest, new Map(), new KeywordIndex(), VectorIndex.create(embedder.dimension, 1024));
  }

  private indexArticle(a: ManifestArticle, spans?: ChunkLocation[]): void {
    this.articlesById.set(a.id, a);
    if (spans) spans.forEach((s, i) => this.chunkLocations.set(a.chunkIds[i]!, s));
  }

  get embedder(): EmbedderStamp {
    return this.manifest.embedder;
  }

  async counts() {
    return { articles: this.manifest.articles.length, chunks: this.manifest.chunkCount };
  }

  async listArticles(): Promise<ArticleMeta[]> {
    return this.manifest.articles.map(({ hash: _h, chunkIds: _c, ...meta }) => meta);
  }

  async getArticleMetas(ids: string[]): Promise<ArticleMeta[]> {
    return ids.flatMap((id) => {
      const a = this.articlesById.get(id);
      if (!a) return [];
      const { hash: _h, chunkIds: _c, ...meta } = a;
      return [meta];
    });
  }

  async getArticle(id: string) {
    return this.article(id);
  }

  async getChunks(ids: number[]): Promise<Chunk[]> {
    return ids.map((id) => this.chunk(id)).filter((c): c is Chunk => c !== undefined);
  }

  async vectorSearch(vector: number[], k: number): Promise<ScoredChunkId[]> {
    return this.vectors.search(vector, k);
  }

  async keywordSearch(terms: QueryTerm[], k: number): Promise<ScoredChunkId[]> {
    return this.keyword.search(terms, k);
  }

  async idf(terms: string[]): Promise<Map<string, number>> {
    return new Map(terms.map((t) => [t, this.keyword.idf(t)]));
  }

  articles(): ManifestArticle[] {
    return this.manifest.articles;
  }

  article(id: string): (ManifestArticle & { text: string }) | undefined {
    const a = this.articlesById.get(id);
    return a && { ...a, text: this.texts.get(id) ?? '' };
  }

  chunk(chunkId: number): Chunk | undefined {
    const loc = this.chunkLocations.get(chunkId);
    if (!loc) return undefined;
    const text = this.texts.get(loc.articleId)!.slice(loc.start, loc.end);
    return { id: chunkId, ...loc, text };
  }

  chunkIds(): number[] {
    return [...this.chunkLocations.keys()];
  }

  /** Adds an article whose chunks were embedded and analysed by the caller. */
  addArticle(article: Article, chunks: Array<{ start: number; end: number; vector: number[]; terms: string[] }>): number[] {
    const ids = chunks.map(() => this.manifest.nextChunkId++);
    const { text, hash, ...meta } = article;
    const entry: ManifestArticle = { ...meta, hash, chunkIds: ids };
    this.texts.set(article.id, text);
    chunks.forEach((c, i) => {
      this.vectors.add(ids[i]!, c.vector);
      this.keyword.add(ids[i]!, c.terms);
    });
    this.manifest.articles.push(entry);
    this.indexArticle(entry, chunks.map((c, i) => ({ articleId: article.id, chunkNo: i, start: c.start, end: c.end })));
    this.manifest.chunkCount += ids.length;
    return ids;
  }

  /** `termsOf` re-analyses a chunk so its postings can be removed. */
  removeArticle(id: string, termsOf: (chunk: Chunk, article: ManifestArticle) => string[]): void {
    const entry = this.articlesById.get(id);
    if (!entry) return;
    for (const chunkId of entry.chunkIds) {
      const chunk = this.chunk(chunkId);
      if (chunk) this.keyword.remove(chunkId, termsOf(chunk, entry));
      this.vectors.remove(chunkId);
      this.chunkLocations.delete(chunkId);
    }
    this.texts.delete(id);
    this.articlesById.delete(id);
    this.manifest.articles = this.manifest.articles.filter((a) => a.id !== id);
    this.manifest.chunkCount -= entry.chunkIds.length;
  }

  /** Writes a new generation and makes it current. Returns its folder. */
  async save(indexDir: string): Promise<string> {
    await mkdir(indexDir, { recursive: true });
    this.manifest.updatedAt = new Date().toISOString();
    const name = `gen-${Date.now()}-${process.pid}`;
    const tmp = path.join(indexDir, `${name}.tmp`);
    await mkdir(tmp, { recursive: true });
    const articleIndex = new Map(this.manifest.articles.map((a, i) => [a.id, i]));
    const rows: ChunkRow[] = [...this.chunkLocations].map(([id, l]) => [id, articleIndex.get(l.articleId)!, l.chunkNo, l.start, l.end]);
    await writeFile(path.join(tmp, FILES.texts), JSON.stringify(Object.fromEntries(this.texts)));
    await writeFile(path.join(tmp, FILES.chunks), JSON.stringify(rows));
    await writeFile(path.join(tmp, FILES.keyword), JSON.stringify(this.keyword.toData()));
    this.vectors.save(path.join(tmp, FILES.vectors));
    // The manifest goes last: a generation without one is never loaded.
    await writeFile(path.join(tmp, FILES.manifest), JSON.stringify(this.manifest, null, 1));
    const dir = path.join(indexDir, name);
    await rename(tmp, dir);
    await writeFile(path.join(indexDir, 'CURRENT.tmp'), name);
    await rename(path.join(indexDir, 'CURRENT.tmp'), path.join(indexDir, 'CURRENT'));
    await pruneGenerations(indexDir, name);
    return dir;
  }

  static async load(indexDir: string): Promise<HnswStore | undefined> {
    const current = await currentGeneration(indexDir);
    if (!current) return undefined;
    const dir = path.join(indexDir, current);
    const read = async <T>(file: string): Promise<T> => {
      try {
        return JSON.parse(await readFile(path.join(dir, file), 'utf8')) as T;
      } catch (error) {
        throw new IndexCorruptError(indexDir, `${current}/${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
    };
    const manifest = await read<Manifest>(FILES.manifest);
    if (manifest.format !== INDEX_FORMAT || !manifest.embedder?.dimension || !Array.isArray(manifest.articles)) {
      throw new IndexCorruptError(indexDir, 'unknown manifest format');
    }
    const texts = new Map(Object.entries(await read<Record<string, string>>(FILES.texts)));
    const rows = await read<ChunkRow[]>(FILES.chunks);
    const keyword = KeywordIndex.fromData(await read<KeywordIndexData>(FILES.keyword));
    if (rows.length !== manifest.chunkCount || keyword.size !== manifest.chunkCount) {
      throw new IndexCorruptError(indexDir, 'chunk counts disagree between files');
    }
    let vectors: VectorIndex;
    try {
      vectors = VectorIndex.load(path.join(dir, FILES.vectors), manifest.embedder.dimension, manifest.chunkCount);
    } catch (error) {
      throw new IndexCorruptError(indexDir, `${current}/${FILES.vectors}: ${(error as Error).message}`);
    }
    const store = new HnswStore(manifest, texts, keyword, vectors);
    for (const [id, articleIdx, chunkNo, start, end] of rows) {
      const articleId = manifest.articles[articleIdx]?.id;
      if (!articleId || !texts.has(articleId)) throw new IndexCorruptError(indexDir, `chunk ${id} points to no article`);
      store.chunkLocations.set(id, { articleId, chunkNo, start, end });
    }
    return store;
  }
}

async function currentGeneration(indexDir: string): Promise<string | undefined> {
  const file = path.join(indexDir, 'CURRENT');
  if (!existsSync(file)) {
    if (existsSync(indexDir) && (await readdir(indexDir)).some((f) => f.startsWith('gen-') && !f.endsWith('.tmp'))) {
      throw new IndexCorruptError(indexDir, 'CURRENT is missing');
    }
    return undefined;
  }
  const name = (await readFile(file, 'utf8')).trim();
  if (!/^gen-[\w-]+$/.test(name) || !existsSync(path.join(indexDir, name, FILES.manifest))) {
    throw new IndexCorruptError(indexDir, `CURRENT names a missing generation "${name}"`);
  }
  return name;
}

/** Keeps the live generation and the one before it; removes leftovers of interrupted writes. */
async function pruneGenerations(indexDir: string, live: string): Promise<void> {
  const gens = (await readdir(indexDir)).filter((f) => f.startsWith('gen-')).sort();
  const complete = gens.filter((g) => !g.endsWith('.tmp') && g !== live);
  const keep = new Set([live, complete.at(-1)]);
  await Promise.all(gens.filter((g) => !keep.has(g)).map((g) => rm(path.join(indexDir, g), { recursive: true, force: true })));
}
