// The embedded store: one folder per index generation under INDEX_DIR, and a
// CURRENT file naming the live one. A new generation is written beside the old
// and CURRENT is swapped by rename, so readers never see a half-written index.
import { closeSync, constants as fsConstants, existsSync, fstatSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { copyFile, open, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { moveUtf8Text, textKey, utf8TextOf } from '../ingest/files.js';
import type { QueryTerm } from '../text/analyze.js';
import type { Article, ArticleMeta, Chunk } from '../types.js';
import { ArticleRecord, decodeArticles, decodeSources, DELTA_SLOT, encodeArticles, encodeSources, type SourceState } from './article-table.js';
import type { CorpusStore, EmbedderStamp, ScoredChunkId, SearchLoad } from './corpus-store.js';
import { HnswFileError, HnswFileScan } from './hnsw-file.js';
import { KeywordIndex } from './keyword.js';
import { KeywordDelta } from './keyword-delta.js';
import {
  byteOffsets,
  ChunkTable,
  decodePassages,
  passagePieces,
  spanText,
  textOf,
  type ArticleText,
} from './passages.js';
import { crc32, writePieces, type Piece } from './pieces.js';
import { StoreVectors } from './store-vectors.js';
import { TextSpool } from './text-spool.js';
import { VectorDelta } from './vector-delta.js';
import { VectorIndex } from './vector.js';
import { indexWriteError } from './write-error.js';

export { IndexWriteError } from './write-error.js';

/**
 * 4: the article table is in articles.bin and sources.bin (article-table.ts), the manifest keeps
 * only counts, the embedder and the files' checksums; a small update links keyword.bin and writes
 * keyword.delta beside it (keyword-delta.ts). 3: the articles are in the manifest, and a
 * generation may hold vectors.delta and passages.delta, the vectors and texts changed since its
 * graph and passages files were written. 2 (binary passages, chunk table and postings) is format
 * 3 without them. Formats 2 and 3 still load; the next write saves format 4.
 */
export const INDEX_FORMAT = 4;
const READABLE_FORMATS = new Set([2, 3, INDEX_FORMAT]);

/**
 * Vector changes kept beside the graph before a write folds them into it (a compaction: the graph
 * is read, changed and written whole). Each query scans the delta exactly, about 0.5 ms at 1,024
 * vectors of 384 dimensions; an `akhbar add` of one article (a few chunks) stays a small write
 * until the delta reaches this size. The keyword and passage deltas are folded in at the same
 * writes (they hold the same chunks).
 */
export const DELTA_MAX_CHUNKS = 1024;


/** An article as formats 2 and 3 listed it in the manifest. */
export interface ManifestArticle extends ArticleMeta, SourceState {
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
  /** Format 4: the rows of articles.bin. */
  articleCount?: number;
  /** Formats 2 and 3 only. */
  articles?: ManifestArticle[];
  /** Size and CRC-32 of each data file: a cut, altered or swapped file is caught before it is parsed (hnswlib crashes on altered bytes). */
  files?: Record<string, ExpectedFile>;
  /** Format 3 only; absent when passages.bin holds every article's text in manifest order. */
  passages?: PassageSegments;
}

/**
 * Where format 3 put the texts after an update that did not rewrite passages.bin: it holds the
 * texts of the articles `base` lists (some since removed or changed), passages.delta those `delta`
 * lists, which take precedence. Format 4 keeps each article's slot in articles.bin instead.
 */
interface PassageSegments {
  base: string[];
  delta: string[];
}

interface ExpectedFile {
  bytes: number;
  crc32: number;
  /**
   * The file's times once written. While they and its size hold, a load trusts its bytes (the
   * vector file would otherwise be read twice, once to check it and once by hnswlib); `akhbar
   * index --verify` still checks them. No write can keep ctime, so any edit is checked. Absent in
   * indexes written before: checked on every load.
   */
  mtimeMs?: number;
  ctimeMs?: number;
}

function timesOf(file: string): { mtimeMs: number; ctimeMs: number } {
  const { mtimeMs, ctimeMs } = statSync(file);
  return { mtimeMs, ctimeMs };
}

/**
 * Files up to this size are read and written synchronously: a few microseconds from the page
 * cache, less than the four thread-pool round trips (open, stat, read, close) of an asynchronous
 * read, which under load cost a one-article `akhbar add` tens of milliseconds in all. Larger ones
 * stay asynchronous, not to hold a bot's event loop while they are copied. Operations on names
 * only (stat, link, rename, mkdir, removing a generation) are synchronous for the same reason.
 */
const SYNC_IO_MAX_BYTES = 1 << 20;

/** The file kept the size and times it was written with. */
function unchangedSince(info: Stats, expected: ExpectedFile): boolean {
  return info.size === expected.bytes && info.mtimeMs === expected.mtimeMs && info.ctimeMs === expected.ctimeMs;
}

export class IndexCorruptError extends Error {
  constructor(indexDir: string, detail: string, what = 'is damaged or incomplete') {
    super(`The index in ${indexDir} ${what} (${detail}). Run \`akhbar index --rebuild\` to rebuild it from the corpus.`);
  }
}

const FILES = {
  manifest: 'manifest.json',
  articles: 'articles.bin',
  sources: 'sources.bin',
  passages: 'passages.bin',
  passagesDelta: 'passages.delta',
  chunks: 'chunks.bin',
  keyword: 'keyword.bin',
  keywordDelta: 'keyword.delta',
  vectors: 'vectors.hnsw',
  delta: 'vectors.delta',
};

/** The live generation's files that a later write may carry over unchanged (hard-linked). */
interface CarriedFiles {
  graph: SavedFile;
  passages: SavedFile;
  keyword: SavedFile;
}

export class HnswStore implements CorpusStore {
  private readonly articlesById = new Map<string, ArticleRecord>();
  private chunkTable = new ChunkTable();
  private spool: TextSpool | undefined;

  constructor(
    readonly manifest: Manifest,
    /** The articles, in the order the article table keeps them. */
    private records: ArticleRecord[],
    private readonly texts: Map<string, ArticleText>,
    /** Undefined until first needed in a store loaded for an update (see keywords()). */
    private keywordIndex: KeywordIndex | undefined,
    private readonly vectorSet: StoreVectors,
    /** None for a store not saved yet. */
    private carried?: CarriedFiles,
    /** The keyword changes since the carried keyword.bin was written. */
    private keywordDelta = new KeywordDelta(),
  ) {
    for (const r of records) this.articlesById.set(r.id, r);
  }

  private keywordLoad: Promise<KeywordIndex> | undefined;

  /** The keyword postings (read already: not for a store loaded for an update, see keywords()). */
  get keyword(): KeywordIndex {
    if (!this.keywordIndex) throw new Error('the keyword postings were not read: this store was loaded for an update');
    return this.keywordIndex;
  }

  /**
   * The keyword postings, read on first use in a store loaded for an update: a small update
   * writes only keyword.delta and never needs them. Changes made meanwhile are in the delta.
   */
  private keywords(): Promise<KeywordIndex> {
    if (this.keywordIndex) return Promise.resolve(this.keywordIndex);
    this.keywordLoad ??= readKeywords(this.carried!.keyword, this.keywordDelta, this.manifest.chunkCount).then((index) => (this.keywordIndex = index));
    return this.keywordLoad;
  }

  static empty(embedder: EmbedderStamp): HnswStore {
    const now = new Date().toISOString();
    const manifest: Manifest = { format: INDEX_FORMAT, embedder, createdAt: now, updatedAt: now, nextChunkId: 0, chunkCount: 0, articleCount: 0 };
    return new HnswStore(manifest, [], new Map(), new KeywordIndex(), StoreVectors.empty(embedder.dimension, 1024));
  }

  /** hnswlib's graph, once built (see `prepareSearches`). */
  get vectors(): VectorIndex | undefined {
    return this.vectorSet.graphIndex;
  }

  /** Makes the vectors searchable as `searches` calls for (see SearchLoad): the graph, an exact scan of the graph file, or nothing yet. */
  async prepareSearches(searches: SearchLoad): Promise<void> {
    if (this.carried) await prepareVectors(this.vectorSet, this.carried.graph, this.manifest.chunkCount, searches);
  }

  /** Builds the graph when adding `chunks` would grow the delta past DELTA_MAX_CHUNKS: the next save then writes it whole. */
  async prepareToAdd(chunks: number): Promise<void> {
    if (this.vectorSet.deltaSize + chunks > DELTA_MAX_CHUNKS) await this.prepareSearches('many');
  }

  get embedder(): EmbedderStamp {
    return this.manifest.embedder;
  }

  async counts() {
    return { articles: this.records.length, chunks: this.manifest.chunkCount };
  }

  async listArticles(): Promise<ArticleMeta[]> {
    return this.records.map((r) => r.meta());
  }

  async getArticleMetas(ids: string[]): Promise<ArticleMeta[]> {
    return ids.flatMap((id) => {
      const r = this.articlesById.get(id);
      return r ? [r.meta()] : [];
    });
  }

  async getArticle(id: string) {
    const a = this.articlesById.get(id);
    return a && { ...a.meta(), text: this.textOf(id) };
  }

  async getChunks(ids: number[]): Promise<Chunk[]> {
    return ids.map((id) => this.chunk(id)).filter((c): c is Chunk => c !== undefined);
  }

  async vectorSearch(vector: number[], k: number): Promise<ScoredChunkId[]> {
    if (!this.vectorSet.searchable) await this.prepareSearches('few');
    return this.vectorSet.search(vector, k, (id) => this.chunkTable.has(id));
  }

  async keywordSearch(terms: QueryTerm[], k: number): Promise<ScoredChunkId[]> {
    return (await this.keywords()).search(terms, k);
  }

  async idf(terms: string[]): Promise<Map<string, number>> {
    const keyword = await this.keywords();
    return new Map(terms.map((t) => [t, keyword.idf(t)]));
  }

  /** The articles with what an update compares (hash, stamp): not for a store loaded to answer only. */
  articles(): readonly ArticleRecord[] {
    return this.records;
  }

  /** Undefined for a store loaded to answer only (it did not read the files' stamps): a scan then reads every file. */
  scannedArticles(): Map<string, Article> | undefined {
    if (this.records.some((r) => !r.source)) return undefined;
    return new Map(this.records.map((r) => [r.file, articleOf(r, this.texts.get(r.id))]));
  }

  /** An article with its stored state and chunk ids (for tests and tools: it scans every chunk). */
  article(id: string): (ManifestArticle & { text: string }) | undefined {
    const r = this.articlesById.get(id);
    if (!r) return undefined;
    const chunkIds = [...this.chunkTable.entries()].filter(([, articleId]) => articleId === id).map(([chunkId]) => chunkId);
    chunkIds.sort((a, b) => this.chunkTable.get(a)!.chunkNo - this.chunkTable.get(b)!.chunkNo);
    return { ...r.meta(), ...r.source!, chunkIds, text: this.textOf(id) };
  }

  private textOf(id: string): string {
    const stored = this.texts.get(id);
    return stored === undefined ? '' : textOf(stored);
  }

  chunk(chunkId: number): Chunk | undefined {
    const loc = this.chunkTable.get(chunkId);
    if (!loc) return undefined;
    const { articleId, chunkNo, start, end } = loc;
    return { id: chunkId, articleId, chunkNo, start, end, text: spanText(this.texts.get(articleId)!, loc) };
  }

  chunkIds(): number[] {
    return this.chunkTable.ids();
  }

  /** Adds an article whose chunks were embedded and analysed by the caller. */
  addArticle(article: Article, chunks: Array<{ start: number; end: number; vector: number[]; terms: string[] }>): number[] {
    const ids = chunks.map(() => this.manifest.nextChunkId++);
    const { text, hash, stamp, textKey: key, ...meta } = article;
    const record = ArticleRecord.of(meta, { hash, stamp, textKey: key ?? textKey(text) });
    // An article scanned from the corpus holds its text as UTF-8 bytes: kept as they are, not as a string of twice the size.
    const held = utf8TextOf(article) ?? text;
    if (this.spool) {
      // Written to the spool, and the article reads it from there: nobody holds the text in memory until the save.
      const spooled = this.spool.add(typeof held === 'string' ? Buffer.from(held, 'utf8') : held);
      moveUtf8Text(article, spooled);
      this.texts.set(article.id, spooled);
    } else this.texts.set(article.id, held);
    chunks.forEach((c, i) => {
      this.vectorSet.add(ids[i]!, c.vector);
      this.keywordIndex?.add(ids[i]!, c.terms);
      // Only a saved store has a keyword.bin to be brought up to date: a store never saved writes it whole, and the delta would hold every chunk's terms a second time.
      if (this.carried) this.keywordDelta.add(ids[i]!, c.terms);
    });
    this.records.push(record);
    this.articlesById.set(record.id, record);
    const bytes = byteOffsets(text, chunks.flatMap((c) => [c.start, c.end]));
    chunks.forEach((c, i) => this.chunkTable.set(ids[i]!, { articleId: article.id, chunkNo: i, start: c.start, end: c.end, byteStart: bytes[2 * i]!, byteEnd: bytes[2 * i + 1]! }));
    this.manifest.chunkCount += ids.length;
    return ids;
  }

  /** Texts of articles added from now on go to a spool file in `indexDir` (a build from scratch: see text-spool.ts) until `settleTexts`. */
  spoolTexts(indexDir: string): void {
    this.spool ??= TextSpool.open(indexDir);
  }

  /**
   * No more texts go to the spool. With `readBack` (a store to be searched, a failed build) they are
   * read back into memory and the spool closed; without, they stay in the spool, read on demand.
   */
  settleTexts(readBack: boolean): void {
    if (readBack) this.spool?.settle();
    this.spool = undefined;
  }

  /** Removes articles, their passages, vectors and keyword postings (found by chunk id, not by re-analysing the text). */
  removeArticles(ids: readonly string[]): void {
    const removed = new Set(ids.filter((id) => this.articlesById.has(id)));
    if (!removed.size) return;
    const chunkIds = [...this.chunkTable.entries()].filter(([, articleId]) => removed.has(articleId)).map(([chunkId]) => chunkId);
    for (const chunkId of chunkIds) {
      this.vectorSet.remove(chunkId);
      this.chunkTable.delete(chunkId);
    }
    for (const id of removed) {
      this.texts.delete(id);
      this.articlesById.delete(id);
    }
    this.manifest.chunkCount -= chunkIds.length;
    this.keywordIndex?.removeChunks(chunkIds);
    this.keywordDelta.remove(chunkIds);
    this.records = this.records.filter((r) => !removed.has(r.id));
  }

  /**
   * Writes a new generation and makes it current. Returns its folder. When a
   * write fails (full disk, permissions) the half-written generation is removed,
   * CURRENT still names the previous one, and an IndexWriteError says why.
   */
  async save(indexDir: string): Promise<string> {
    this.manifest.updatedAt = new Date().toISOString();
    const name = `gen-${Date.now()}-${process.pid}`;
    const tmp = path.join(indexDir, `${name}.tmp`);
    const slots = this.records.map((r) => r.slot);
    try {
      // The files a small update links are checked before pruning: removing an older generation's
      // links to them changes their ctime, and the check would then read them whole (26 MB at 10k
      // chunks) for bytes nobody changed.
      if (this.carried && !this.vectorSet.graphIndex) for (const file of Object.values(this.carried)) await checkSavedFile(file);
      pruneGenerations(indexDir);
      mkdirSync(tmp, { recursive: true });
      const files = await this.writeFiles(tmp);
      const dir = path.join(indexDir, name);
      renameSync(tmp, dir);
      writeFileSync(path.join(indexDir, 'CURRENT.tmp'), name);
      renameSync(path.join(indexDir, 'CURRENT.tmp'), path.join(indexDir, 'CURRENT'));
      const saved = (file: string): SavedFile => ({ file: path.join(dir, file), expected: files[file]!, indexDir, current: name });
      this.carried = { graph: saved(FILES.vectors), passages: saved(FILES.passages), keyword: saved(FILES.keyword) };
      // A scan reads the graph file by name: it follows it here, as a later write removes the old generation.
      if (this.vectorSet.scanning) this.vectorSet.useScan(HnswFileScan.open(this.carried.graph.file, this.manifest.embedder.dimension));
      return dir;
    } catch (error) {
      // The slots name the live generation's passages again.
      this.records.forEach((r, i) => (r.slot = slots[i]!));
      for (const leftover of [tmp, path.join(indexDir, 'CURRENT.tmp')]) {
        try {
          rmSync(leftover, { recursive: true, force: true });
        } catch {
          // Removed at the next write (pruneGenerations).
        }
      }
      throw indexWriteError(indexDir, error);
    }
  }

  /** Writes the generation's files into `dir`; returns what the manifest expects of them. */
  private async writeFiles(dir: string): Promise<Record<string, ExpectedFile>> {
    const articleIndex = new Map(this.records.map((a, i) => [a.id, i]));
    const files: NonNullable<Manifest['files']> = {};
    // Large files are written piece by piece: never whole in memory beside the index (see pieces.ts).
    const put = async (file: string, data: Buffer | Iterable<Piece>) => {
      const target = path.join(dir, file);
      if (!Buffer.isBuffer(data)) {
        files[file] = { ...(await writePieces(target, data)), ...timesOf(target) };
        return;
      }
      if (data.length <= SYNC_IO_MAX_BYTES) writeFileSync(target, data);
      else await writeFile(target, data);
      const { mtimeMs, ctimeMs } = statSync(target);
      files[file] = { bytes: data.length, crc32: crc32(data), mtimeMs, ctimeMs };
    };
    await put(FILES.chunks, this.chunkTable.encode(articleIndex));
    const vectors = path.join(dir, FILES.vectors);
    const graph = this.vectorSet.compacted();
    if (graph) {
      graph.save(vectors);
      files[FILES.vectors] = { ...(await fileChecksum(vectors)), ...timesOf(vectors) };
      await put(FILES.keyword, (await this.keywords()).binaryPieces());
      this.keywordDelta = new KeywordDelta();
      await put(FILES.passages, passagePieces(this.records.map((r) => this.texts.get(r.id) ?? '')));
      this.records.forEach((r, i) => (r.slot = i));
    } else {
      // A small update (the graph was never built): the big files are carried over unchanged, and the changes go beside them.
      files[FILES.vectors] = await linkSavedFile(this.carried!.graph, vectors);
      const delta = this.vectorSet.encodedDelta();
      if (delta) await put(FILES.delta, delta);
      files[FILES.keyword] = await linkSavedFile(this.carried!.keyword, path.join(dir, FILES.keyword));
      if (this.keywordDelta.size) await put(FILES.keywordDelta, this.keywordDelta.encode());
      files[FILES.passages] = await linkSavedFile(this.carried!.passages, path.join(dir, FILES.passages));
      // Texts not in passages.bin (added or changed since it was written) go to passages.delta, all of them each time.
      const changed = this.records.filter((r) => r.slot >= DELTA_SLOT);
      changed.forEach((r, i) => (r.slot = DELTA_SLOT + i));
      await put(FILES.passagesDelta, passagePieces(changed.map((r) => this.texts.get(r.id) ?? '')));
    }
    await put(FILES.articles, encodeArticles(this.records));
    await put(FILES.sources, encodeSources(this.records));
    // The manifest goes last: a generation without one is never loaded.
    const { articles: _a, passages: _p, ...manifest } = this.manifest;
    writeFileSync(path.join(dir, FILES.manifest), JSON.stringify({ ...manifest, format: INDEX_FORMAT, articleCount: this.records.length, files }));
    return files;
  }

  /**
   * The live generation's articles as a corpus scan reads them, by corpus file, from the article
   * table and the passages only (not the vectors or postings): a scan given them skips files that
   * kept their stamp.
   */
  static async readArticles(indexDir: string): Promise<IndexedArticles | undefined> {
    const generation = await openGeneration(indexDir);
    if (!generation) return undefined;
    const records = await readRecords(generation, true);
    const views = await readTexts(generation, records);
    const articles = new Map<string, Article>(records.map((r, i) => [r.file, articleOf(r, views[i]!)]));
    return { generation: generation.current, manifest: generation.manifest, records, views, articles };
  }

  /**
   * Loads the live generation; `verify` (`akhbar index --verify`) checks every file's CRC, even those
   * that kept their stamp. `searches` decides how the vectors are made searchable (`prepareSearches`);
   * with `few` (one question) the files' source states are not read. `indexed`: what `readArticles`
   * read earlier, not read again if its generation is still the live one.
   */
  static async load(indexDir: string, { verify = false, searches = 'many' as SearchLoad, indexed = undefined as IndexedArticles | undefined } = {}): Promise<HnswStore | undefined> {
    const generation = await openGeneration(indexDir, verify, indexed);
    if (!generation) return undefined;
    const { current, dir, manifest, files, read } = generation;
    const { dimension } = manifest.embedder;
    const saved = (file: string): SavedFile => {
      const expected = files[file];
      if (!expected) throw new IndexCorruptError(indexDir, `${current}/${file} is not in the manifest`);
      return { file: path.join(dir, file), expected, indexDir, current, verify };
    };
    const carried: CarriedFiles = { graph: saved(FILES.vectors), passages: saved(FILES.passages), keyword: saved(FILES.keyword) };
    const same = indexed?.generation === current ? indexed : undefined;
    // The graph file is read (off the main thread for hnswlib) while the other files are decoded.
    const loadVectors = async () => {
      const delta = files[FILES.delta] ? await read(FILES.delta, (data) => VectorDelta.decode(data, dimension), files[FILES.delta]) : new VectorDelta(dimension);
      const vectors = StoreVectors.unread(delta);
      await prepareVectors(vectors, carried.graph, manifest.chunkCount, searches);
      return vectors;
    };
    const loadTexts = async () => {
      const records = same?.records ?? (await readRecords(generation, searches !== 'few'));
      return { records, views: same?.views ?? (await readTexts(generation, records)) };
    };
    const keywordDelta = files[FILES.keywordDelta] ? await read(FILES.keywordDelta, KeywordDelta.decode, files[FILES.keywordDelta]) : new KeywordDelta();
    const [{ records, views }, rows, keyword, vectors] = await Promise.all([
      loadTexts(),
      read(FILES.chunks, (data) => data, files[FILES.chunks]),
      // Not for an update: a small one never needs the postings (see keywords()).
      searches === 'none' ? undefined : readKeywords(carried.keyword, keywordDelta, manifest.chunkCount),
      loadVectors(),
    ]);
    let chunks: ChunkTable;
    try {
      chunks = ChunkTable.decode(rows, records.map((r) => r.id), (i) => views[i]!.length);
    } catch (error) {
      throw new IndexCorruptError(indexDir, `${current}/${FILES.chunks}: ${(error as Error).message}`);
    }
    if (chunks.size !== manifest.chunkCount) throw new IndexCorruptError(indexDir, 'chunk counts disagree between files');
    const texts = new Map<string, ArticleText>(records.map((a, i) => [a.id, views[i]!]));
    const store = new HnswStore(manifest, records, texts, keyword, vectors, carried, keywordDelta);
    store.chunkTable = chunks;
    return store;
  }
}

/** An indexed article as a corpus scan would read it; its text decoded only if asked for (an unchanged article's text is rarely needed). */
function articleOf(r: ArticleRecord, stored: ArticleText | undefined): Article {
  return r.toArticle(() => (stored === undefined ? '' : textOf(stored)));
}

export interface IndexedArticles {
  /** The generation they were read from: generations never change once written. */
  generation: string;
  manifest: Manifest;
  records: ArticleRecord[];
  /** Each article's text in the passages file, in the article table's order. */
  views: Buffer[];
  articles: Map<string, Article>;
}

/**
 * Every data file of the live generation checked against its CRC, streamed, without loading the
 * index: what a long-running bot runs once it answers, since a load trusts a file that kept its
 * stamp. The problem found, or undefined when all match or a newer generation replaced this one
 * meanwhile (its old files may be pruned mid-check).
 */
export async function verifyLiveFiles(indexDir: string): Promise<IndexCorruptError | undefined> {
  let current: string | undefined;
  try {
    const generation = await openGeneration(indexDir);
    if (!generation) return undefined;
    current = generation.current;
    for (const [file, expected] of Object.entries(generation.files)) {
      await checkSavedFile({ file: path.join(generation.dir, file), expected, indexDir, current, verify: true });
    }
    return undefined;
  } catch (error) {
    if (!(error instanceof IndexCorruptError)) throw error;
    return current === undefined || (await currentGeneration(indexDir)) === current ? error : undefined;
  }
}

/** The live generation: its validated manifest and a reader that checks and decodes its data files. */
async function openGeneration(indexDir: string, verify = false, indexed?: IndexedArticles) {
  const current = await currentGeneration(indexDir);
  if (!current) return undefined;
  const dir = path.join(indexDir, current);
  const read = async <T>(file: string, decode: (data: Buffer) => T, expected?: ExpectedFile): Promise<T> => {
    const data = await readChecked({ file: path.join(dir, file), expected, indexDir, current, verify });
    try {
      return decode(data);
    } catch (error) {
      throw new IndexCorruptError(indexDir, `${current}/${file}: ${(error as Error).message}`);
    }
  };
  const manifest = indexed?.generation === current ? indexed.manifest : await read(FILES.manifest, (data) => JSON.parse(data.toString('utf8')) as Manifest);
  if (typeof manifest?.format === 'number' && !READABLE_FORMATS.has(manifest.format) && manifest.embedder) {
    throw new IndexCorruptError(indexDir, `format ${manifest.format}; this version reads format ${INDEX_FORMAT}`, 'was written by another version of akhbar');
  }
  const files = manifest?.files;
  const listed = manifest?.format === INDEX_FORMAT ? typeof manifest.articleCount === 'number' : Array.isArray(manifest?.articles);
  if (!READABLE_FORMATS.has(manifest?.format) || !manifest.embedder?.dimension || !listed || !files) {
    throw new IndexCorruptError(indexDir, 'unknown manifest format');
  }
  return { indexDir, current, dir, manifest, files, read };
}

type Generation = NonNullable<Awaited<ReturnType<typeof openGeneration>>>;

/** The article table; `withSources`: with each file's hash, stamp and duplicate key (an update needs them, an answer does not). */
async function readRecords(generation: Generation, withSources: boolean): Promise<ArticleRecord[]> {
  const { indexDir, manifest, files, read } = generation;
  if (manifest.articles) return legacyRecords(generation, manifest.articles);
  const sources = withSources ? await read(FILES.sources, decodeSources, expectedOf(generation, FILES.sources)) : undefined;
  const records = await read(FILES.articles, (data) => decodeArticles(data, sources), expectedOf(generation, FILES.articles));
  if (records.length !== manifest.articleCount) throw new IndexCorruptError(indexDir, 'article counts disagree between files');
  return records;
}

/** A data file format 4 always has. */
function expectedOf({ indexDir, current, files }: Generation, file: string): ExpectedFile {
  const expected = files[file];
  if (!expected) throw new IndexCorruptError(indexDir, `${current}/${file} is not in the manifest`);
  return expected;
}

/** The article table of a format 2 or 3 manifest, with the text slots its passage segments imply. */
function legacyRecords({ indexDir, manifest }: Generation, articles: ManifestArticle[]): ArticleRecord[] {
  const segments = manifest.passages;
  const slots = new Map<string, number>();
  segments?.base.forEach((id, i) => slots.set(id, i));
  segments?.delta.forEach((id, i) => slots.set(id, DELTA_SLOT + i));
  return articles.map(({ hash, stamp, textKey: key, chunkIds: _c, ...meta }, i) => {
    const slot = segments ? slots.get(meta.id) : i;
    if (slot === undefined) throw new IndexCorruptError(indexDir, 'article counts disagree between files');
    return ArticleRecord.of(meta, { hash, stamp, textKey: key }, slot);
  });
}

/** Each article's text, in the table's order, from passages.bin and (after a small update) passages.delta. */
async function readTexts({ indexDir, files, read }: Generation, records: readonly ArticleRecord[]): Promise<Buffer[]> {
  const [base, delta] = await Promise.all([
    read(FILES.passages, decodePassages, files[FILES.passages]),
    files[FILES.passagesDelta] ? read(FILES.passagesDelta, decodePassages, files[FILES.passagesDelta]) : [],
  ]);
  return records.map((r) => {
    const text = r.slot < DELTA_SLOT ? base[r.slot] : delta[r.slot - DELTA_SLOT];
    if (!text) throw new IndexCorruptError(indexDir, 'article counts disagree between files');
    return text;
  });
}

/** A generation's data file and what its manifest says of it (nothing for the manifest itself). */
interface DataFile {
  file: string;
  expected?: ExpectedFile;
  indexDir: string;
  current: string;
  /** Check the CRC even if the file kept its stamp. */
  verify?: boolean;
}

/** A data file the manifest lists. */
type SavedFile = DataFile & { expected: ExpectedFile };

function corrupt(data: DataFile, detail: string): IndexCorruptError {
  return new IndexCorruptError(data.indexDir, `${data.current}/${path.basename(data.file)}: ${detail}`);
}

const errorCode = (error: unknown) => (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** A data file's bytes, checked against the manifest's size and, unless it kept its stamp, CRC. */
async function readChecked(data: DataFile): Promise<Buffer> {
  let bytes: Buffer;
  let info: Stats;
  try {
    // The manifest (no expected size) is small since format 4.
    if ((data.expected?.bytes ?? 0) <= SYNC_IO_MAX_BYTES) ({ bytes, info } = readSync(data.file));
    else ({ bytes, info } = await readAsync(data.file));
  } catch (error) {
    throw corrupt(data, errorCode(error));
  }
  const { expected } = data;
  if (expected && bytes.length !== expected.bytes) throw corrupt(data, `${bytes.length} bytes, expected ${expected.bytes}`);
  if (expected && (data.verify || !unchangedSince(info, expected)) && crc32(bytes) !== expected.crc32) throw corrupt(data, 'checksum mismatch');
  return bytes;
}

function readSync(file: string): { bytes: Buffer; info: Stats } {
  const fd = openSync(file, 'r');
  try {
    return { info: fstatSync(fd), bytes: readFileSync(fd) };
  } finally {
    closeSync(fd);
  }
}

async function readAsync(file: string): Promise<{ bytes: Buffer; info: Stats }> {
  const handle = await open(file);
  try {
    return { info: await handle.stat(), bytes: await handle.readFile() };
  } finally {
    await handle.close();
  }
}

/** Checks a data file without keeping its bytes: a stat while it kept its stamp, else a streamed CRC (a whole-file Buffer would add its size to RSS until GC). */
async function checkSavedFile(saved: SavedFile): Promise<void> {
  let info: Stats;
  try {
    info = statSync(saved.file);
  } catch (error) {
    throw corrupt(saved, errorCode(error));
  }
  if (info.size !== saved.expected.bytes) throw corrupt(saved, `${info.size} bytes, expected ${saved.expected.bytes}`);
  if (!saved.verify && unchangedSince(info, saved.expected)) return;
  const actual = await fileChecksum(saved.file).catch((error: unknown) => {
    throw corrupt(saved, errorCode(error));
  });
  if (actual.bytes !== saved.expected.bytes || actual.crc32 !== saved.expected.crc32) throw corrupt(saved, 'checksum mismatch');
}

/** keyword.bin with the changes made since it was written. */
async function readKeywords(saved: SavedFile, delta: KeywordDelta, chunkCount: number): Promise<KeywordIndex> {
  const data = await readChecked(saved);
  let index: KeywordIndex;
  try {
    index = KeywordIndex.fromBinary(data);
  } catch (error) {
    throw corrupt(saved, (error as Error).message);
  }
  delta.applyTo(index);
  if (index.size !== chunkCount) throw new IndexCorruptError(saved.indexDir, 'chunk counts disagree between files');
  return index;
}

/** Builds hnswlib's graph from the file (on libuv's thread pool). */
async function loadGraphFile(graph: SavedFile, dimension: number, live: number): Promise<VectorIndex> {
  await checkSavedFile(graph);
  try {
    return await VectorIndex.load(graph.file, dimension, live);
  } catch (error) {
    throw corrupt(graph, (error as Error).message);
  }
}

/** An exact scan of the graph file's vectors; undefined for a layout this reader does not know (the graph is built instead). */
async function scanGraphFile(graph: SavedFile, dimension: number): Promise<HnswFileScan | undefined> {
  await checkSavedFile(graph);
  try {
    return HnswFileScan.open(graph.file, dimension);
  } catch (error) {
    if (error instanceof HnswFileError) return undefined;
    throw corrupt(graph, errorCode(error));
  }
}

/**
 * See HnswStore.prepareSearches. A few searches scan at any size: in a fresh process, building the
 * graph of 384-d vectors and searching it once took as long as 8 exact scans at 10k chunks (185 ms
 * against 23), 17 at 40k (1.17 s against 67 ms) and 24 at 100k (3.2 s against 131 ms), so a
 * question's one to three searches never pay for the graph.
 */
async function prepareVectors(vectors: StoreVectors, graph: SavedFile, chunkCount: number, searches: SearchLoad): Promise<void> {
  if (searches === 'none' || vectors.graphIndex || (searches === 'few' && vectors.searchable)) return;
  if (searches === 'few') {
    const scan = await scanGraphFile(graph, vectors.dimension);
    if (scan) return vectors.useScan(scan);
  }
  vectors.useGraph(await loadGraphFile(graph, vectors.dimension, vectors.liveInGraphFile(chunkCount)));
}

/**
 * Carries a data file into a new generation unchanged: a hard link (no bytes written), or a copy
 * where links are refused. The caller checked it first as a load would (see save): the new name
 * gets a fresh stamp, which must not vouch for bytes nobody checked.
 */
async function linkSavedFile(saved: SavedFile, to: string): Promise<ExpectedFile> {
  try {
    linkSync(saved.file, to);
  } catch (error) {
    if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'ENOSYS'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    await copyFile(saved.file, to, fsConstants.COPYFILE_FICLONE);
  }
  return { bytes: saved.expected.bytes, crc32: saved.expected.crc32, ...timesOf(to) };
}

/**
 * Size and CRC-32 of a file, read through one reused 1 MB buffer: not the whole file in memory,
 * and no fresh buffer per piece (a stream's were 5× slower here, in page faults).
 */
async function fileChecksum(file: string): Promise<{ bytes: number; crc32: number }> {
  const handle = await open(file);
  try {
    const buffer = Buffer.allocUnsafeSlow(1 << 20);
    let bytes = 0;
    let sum = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) return { bytes, crc32: sum };
      sum = crc32(buffer.subarray(0, bytesRead), sum);
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

async function currentGeneration(indexDir: string): Promise<string | undefined> {
  const file = path.join(indexDir, 'CURRENT');
  if (!existsSync(file)) {
    if (existsSync(indexDir) && readdirSync(indexDir).some((f) => f.startsWith('gen-') && !f.endsWith('.tmp'))) {
      throw new IndexCorruptError(indexDir, 'CURRENT is missing');
    }
    return undefined;
  }
  const name = readFileSync(file, 'utf8').trim();
  if (!/^gen-[\w-]+$/.test(name) || !existsSync(path.join(indexDir, name, FILES.manifest))) {
    throw new IndexCorruptError(indexDir, `CURRENT names a missing generation "${name}"`);
  }
  return name;
}

/**
 * Before a write: keeps only the live generation (so the one before it once the write is done) and
 * removes leftovers of interrupted writes. Not after the write: generations share their graph,
 * postings and passages files by hard link (see linkSavedFile), and removing a link changes the
 * file's ctime, which the live generation has just recorded (save checks those files before).
 */
function pruneGenerations(indexDir: string): void {
  const gens = (existsSync(indexDir) ? readdirSync(indexDir) : []).filter((f) => f.startsWith('gen-')).sort();
  const named = existsSync(path.join(indexDir, 'CURRENT')) ? readFileSync(path.join(indexDir, 'CURRENT'), 'utf8').trim() : undefined;
  const live = named && gens.includes(named) ? named : gens.filter((g) => !g.endsWith('.tmp')).at(-1);
  for (const g of gens) if (g !== live) rmSync(path.join(indexDir, g), { recursive: true, force: true });
}
