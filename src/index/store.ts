// The embedded store: one folder per index generation under INDEX_DIR, and a
// CURRENT file naming the live one. A new generation is written beside the old
// and CURRENT is swapped by rename, so readers never see a half-written index.
import { constants as fsConstants, existsSync, type Stats } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { moveUtf8Text, textKey, utf8TextOf } from '../ingest/files.js';
import type { QueryTerm } from '../text/analyze.js';
import type { Article, ArticleMeta, Chunk, FileStamp } from '../types.js';
import type { CorpusStore, EmbedderStamp, ScoredChunkId, SearchLoad } from './corpus-store.js';
import { HnswFileError, HnswFileScan } from './hnsw-file.js';
import { KeywordIndex } from './keyword.js';
import {
  byteOffsets,
  decodeChunkRows,
  decodePassages,
  encodeChunkRows,
  passagePieces,
  spanText,
  textOf,
  type ArticleText,
  type ChunkRow,
  type ChunkSpan,
} from './passages.js';
import { jsonPieces, writePieces, type Piece } from './pieces.js';
import { StoreVectors } from './store-vectors.js';
import { TextSpool } from './text-spool.js';
import { VectorDelta } from './vector-delta.js';
import { VectorIndex } from './vector.js';
import { indexWriteError } from './write-error.js';

export { IndexWriteError } from './write-error.js';

/**
 * 3: a generation may hold vectors.delta and passages.delta, the vectors and texts changed since its
 * graph and passages files were written (an older akhbar would not see them). 2 (binary passages,
 * chunk table and postings) is format 3 without them.
 */
export const INDEX_FORMAT = 3;
const READABLE_FORMATS = new Set([2, INDEX_FORMAT]);

/**
 * Vector changes kept beside the graph before a write folds them into it (a compaction: the graph
 * is read, changed and written whole). Each query scans the delta exactly, about 0.5 ms at 1,024
 * vectors of 384 dimensions; an `akhbar add` of one article (a few chunks) stays a small write
 * until the delta reaches this size.
 */
export const DELTA_MAX_CHUNKS = 1024;


export interface ManifestArticle extends ArticleMeta {
  hash: string;
  /** Absent in indexes written before stamps were recorded: such files are read and hashed once more. */
  stamp?: FileStamp;
  /** Absent in indexes written before it was recorded: computed from the text when needed. */
  textKey?: string;
  chunkIds: number[];
}

const metaOf = ({ hash: _h, stamp: _s, textKey: _t, chunkIds: _c, ...meta }: ManifestArticle): ArticleMeta => meta;

export interface Manifest {
  format: number;
  embedder: EmbedderStamp;
  createdAt: string;
  updatedAt: string;
  nextChunkId: number;
  chunkCount: number;
  articles: ManifestArticle[];
  /** Size and CRC-32 of each data file: a cut, altered or swapped file is caught before it is parsed (hnswlib crashes on altered bytes). */
  files?: Record<string, ExpectedFile>;
  /** Absent when passages.bin holds every article's text in manifest order. */
  passages?: PassageSegments;
}

/**
 * Where the texts are after an update that did not rewrite passages.bin: it holds the texts of the
 * articles `base` lists (some since removed or changed), passages.delta those `delta` lists, which
 * take precedence.
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

async function timesOf(file: string): Promise<{ mtimeMs: number; ctimeMs: number }> {
  const { mtimeMs, ctimeMs } = await stat(file);
  return { mtimeMs, ctimeMs };
}

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
  passages: 'passages.bin',
  passagesDelta: 'passages.delta',
  chunks: 'chunks.bin',
  keyword: 'keyword.bin',
  vectors: 'vectors.hnsw',
  delta: 'vectors.delta',
};

/** The live generation's files that a later write may carry over unchanged (hard-linked). */
interface CarriedFiles {
  graph: SavedFile;
  passages: SavedFile;
}

interface ChunkLocation extends ChunkSpan {
  articleId: string;
}

export class HnswStore implements CorpusStore {
  private readonly articlesById = new Map<string, ManifestArticle>();
  private readonly chunkLocations = new Map<number, ChunkLocation>();
  private spool: TextSpool | undefined;

  constructor(
    readonly manifest: Manifest,
    private readonly texts: Map<string, ArticleText>,
    readonly keyword: KeywordIndex,
    private readonly vectorSet: StoreVectors,
    /** None for a store not saved yet. */
    private carried?: CarriedFiles,
  ) {
    for (const a of manifest.articles) this.indexArticle(a);
    this.passageBase = manifest.passages?.base ?? manifest.articles.map((a) => a.id);
    const inDelta = new Set(manifest.passages?.delta);
    this.inBase = new Set(this.passageBase.filter((id) => this.articlesById.has(id) && !inDelta.has(id)));
  }

  /** The articles whose texts passages.bin holds, in its order. */
  private passageBase: string[];
  /** Articles whose current text is the one in passages.bin (not changed since). */
  private inBase: Set<string>;

  static empty(embedder: EmbedderStamp): HnswStore {
    const now = new Date().toISOString();
    const manifest: Manifest = { format: INDEX_FORMAT, embedder, createdAt: now, updatedAt: now, nextChunkId: 0, chunkCount: 0, articles: [] };
    return new HnswStore(manifest, new Map(), new KeywordIndex(), StoreVectors.empty(embedder.dimension, 1024));
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
    return this.manifest.articles.map(metaOf);
  }

  async getArticleMetas(ids: string[]): Promise<ArticleMeta[]> {
    return ids.flatMap((id) => {
      const a = this.articlesById.get(id);
      return a ? [metaOf(a)] : [];
    });
  }


  async getArticle(id: string) {
    return this.article(id);
  }

  async getChunks(ids: number[]): Promise<Chunk[]> {
    return ids.map((id) => this.chunk(id)).filter((c): c is Chunk => c !== undefined);
  }

  async vectorSearch(vector: number[], k: number): Promise<ScoredChunkId[]> {
    if (!this.vectorSet.searchable) await this.prepareSearches('few');
    return this.vectorSet.search(vector, k, (id) => this.chunkLocations.has(id));
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

  scannedArticles(): Map<string, Article> {
    return new Map(
      this.manifest.articles.map(({ chunkIds: _c, ...a }) => {
        const stored = this.texts.get(a.id);
        return [a.file, { ...a, get text() { return stored === undefined ? '' : textOf(stored); } }];
      }),
    );
  }

  article(id: string): (ManifestArticle & { text: string }) | undefined {
    const a = this.articlesById.get(id);
    const text = this.texts.get(id);
    return a && { ...a, text: text === undefined ? '' : textOf(text) };
  }

  chunk(chunkId: number): Chunk | undefined {
    const loc = this.chunkLocations.get(chunkId);
    if (!loc) return undefined;
    const { articleId, chunkNo, start, end } = loc;
    return { id: chunkId, articleId, chunkNo, start, end, text: spanText(this.texts.get(articleId)!, loc) };
  }

  chunkIds(): number[] {
    return [...this.chunkLocations.keys()];
  }

  /** Adds an article whose chunks were embedded and analysed by the caller. */
  addArticle(article: Article, chunks: Array<{ start: number; end: number; vector: number[]; terms: string[] }>): number[] {
    const ids = chunks.map(() => this.manifest.nextChunkId++);
    const { text, hash, ...meta } = article;
    const entry: ManifestArticle = { ...meta, hash, textKey: meta.textKey ?? textKey(text), chunkIds: ids };
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
      this.keyword.add(ids[i]!, c.terms);
    });
    this.manifest.articles.push(entry);
    const bytes = byteOffsets(text, chunks.flatMap((c) => [c.start, c.end]));
    this.indexArticle(entry, chunks.map((c, i) => ({ articleId: article.id, chunkNo: i, start: c.start, end: c.end, byteStart: bytes[2 * i]!, byteEnd: bytes[2 * i + 1]! })));
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
    const chunkIds: number[] = [];
    for (const id of ids) {
      const entry = this.articlesById.get(id);
      if (!entry) continue;
      for (const chunkId of entry.chunkIds) {
        this.vectorSet.remove(chunkId);
        this.chunkLocations.delete(chunkId);
        chunkIds.push(chunkId);
      }
      this.texts.delete(id);
      this.inBase.delete(id);
      this.articlesById.delete(id);
      this.manifest.chunkCount -= entry.chunkIds.length;
    }
    this.keyword.removeChunks(chunkIds);
    const removed = new Set(ids);
    this.manifest.articles = this.manifest.articles.filter((a) => !removed.has(a.id));
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
    try {
      await pruneGenerations(indexDir);
      await mkdir(tmp, { recursive: true });
      const files = await this.writeFiles(tmp);
      const dir = path.join(indexDir, name);
      await rename(tmp, dir);
      await writeFile(path.join(indexDir, 'CURRENT.tmp'), name);
      await rename(path.join(indexDir, 'CURRENT.tmp'), path.join(indexDir, 'CURRENT'));
      const saved = (file: string): SavedFile => ({ file: path.join(dir, file), expected: files[file]!, indexDir, current: name });
      this.carried = { graph: saved(FILES.vectors), passages: saved(FILES.passages) };
      // A scan reads the graph file by name: it follows it here, as a later write removes the old generation.
      if (this.vectorSet.scanning) this.vectorSet.useScan(HnswFileScan.open(this.carried.graph.file, this.manifest.embedder.dimension));
      return dir;
    } catch (error) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      await rm(path.join(indexDir, 'CURRENT.tmp'), { force: true }).catch(() => undefined);
      throw indexWriteError(indexDir, error);
    }
  }

  /** Writes the generation's files into `dir`; returns what the manifest expects of them. */
  private async writeFiles(dir: string): Promise<Record<string, ExpectedFile>> {
    const articleIndex = new Map(this.manifest.articles.map((a, i) => [a.id, i]));
    const rows: ChunkRow[] = [...this.chunkLocations].map(([id, l]) => ({ id, articleIndex: articleIndex.get(l.articleId)!, ...l }));
    const files: NonNullable<Manifest['files']> = {};
    // Written piece by piece: the large files are never whole in memory beside the index (see pieces.ts).
    const put = async (file: string, data: Iterable<Piece>) => {
      const written = await writePieces(path.join(dir, file), data);
      files[file] = { ...written, ...(await timesOf(path.join(dir, file))) };
    };
    await put(FILES.chunks, [encodeChunkRows(rows)]);
    await put(FILES.keyword, this.keyword.binaryPieces());
    const vectors = path.join(dir, FILES.vectors);
    const graph = this.vectorSet.compacted();
    let passages: PassageSegments | undefined;
    if (graph) {
      graph.save(vectors);
      files[FILES.vectors] = { ...(await fileChecksum(vectors)), ...(await timesOf(vectors)) };
      await put(FILES.passages, passagePieces(this.manifest.articles.map((a) => this.texts.get(a.id) ?? '')));
      this.passageBase = this.manifest.articles.map((a) => a.id);
      this.inBase = new Set(this.passageBase);
    } else {
      // A small update (the graph was never built): the big files are carried over unchanged, and the changes go beside them.
      files[FILES.vectors] = await linkSavedFile(this.carried!.graph, vectors);
      const delta = this.vectorSet.encodedDelta();
      if (delta) await put(FILES.delta, [delta]);
      files[FILES.passages] = await linkSavedFile(this.carried!.passages, path.join(dir, FILES.passages));
      const changed = this.manifest.articles.filter((a) => !this.inBase.has(a.id));
      await put(FILES.passagesDelta, passagePieces(changed.map((a) => this.texts.get(a.id) ?? '')));
      passages = { base: this.passageBase, delta: changed.map((a) => a.id) };
    }
    // The manifest goes last: a generation without one is never loaded.
    await writePieces(path.join(dir, FILES.manifest), jsonPieces({ ...this.manifest, format: INDEX_FORMAT, files, passages }, 'articles'));
    return files;
  }

  /**
   * The live generation's articles as a corpus scan reads them, by corpus file, from the manifest and
   * the passages only (not the vectors or postings): a scan given them skips files that kept their stamp.
   */
  static async readArticles(indexDir: string): Promise<IndexedArticles | undefined> {
    const generation = await openGeneration(indexDir);
    if (!generation) return undefined;
    const { current, manifest, read } = generation;
    const views = await readTexts(generation);
    const articles = new Map<string, Article>(
      manifest.articles.map(({ chunkIds: _c, ...a }, i) => {
        const stored = views[i]!;
        // Decoded only if asked for: an unchanged article's text is rarely needed.
        return [a.file, { ...a, get text() { return textOf(stored); } }];
      }),
    );
    return { generation: current, manifest, views, articles };
  }

  /**
   * Loads the live generation; `verify` (`akhbar index --verify`) checks every file's CRC, even those
   * that kept their stamp. `searches` decides how the vectors are made searchable (`prepareSearches`).
   * `indexed`: what `readArticles` read earlier, not read again if its generation is still the live one.
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
    const carried: CarriedFiles = { graph: saved(FILES.vectors), passages: saved(FILES.passages) };
    // The graph file is read (off the main thread for hnswlib) while the other files are decoded.
    const loadVectors = async () => {
      const delta = files[FILES.delta] ? await read(FILES.delta, (data) => VectorDelta.decode(data, dimension), files[FILES.delta]) : new VectorDelta(dimension);
      const vectors = StoreVectors.unread(delta);
      await prepareVectors(vectors, carried.graph, manifest.chunkCount, searches);
      return vectors;
    };
    const [views, rows, keyword, vectors] = await Promise.all([
      indexed?.generation === current ? indexed.views : readTexts(generation),
      read(FILES.chunks, decodeChunkRows, files[FILES.chunks]),
      read(FILES.keyword, (data) => KeywordIndex.fromBinary(data), files[FILES.keyword]),
      loadVectors(),
    ]);
    if (rows.length !== manifest.chunkCount || keyword.size !== manifest.chunkCount) {
      throw new IndexCorruptError(indexDir, 'chunk counts disagree between files');
    }
    const texts = new Map<string, ArticleText>(manifest.articles.map((a, i) => [a.id, views[i]!]));
    const store = new HnswStore(manifest, texts, keyword, vectors, carried);
    for (const { id, articleIndex, chunkNo, start, end, byteStart, byteEnd } of rows) {
      const articleId = manifest.articles[articleIndex]?.id;
      if (!articleId || byteEnd < byteStart || byteEnd > views[articleIndex]!.length) {
        throw new IndexCorruptError(indexDir, `chunk ${id} points outside the passages`);
      }
      // Fields named, not spread: two object spreads per chunk are measurably slower at 100k chunks.
      store.chunkLocations.set(id, { articleId, chunkNo, start, end, byteStart, byteEnd });
    }
    return store;
  }
}

export interface IndexedArticles {
  /** The generation they were read from: generations never change once written. */
  generation: string;
  manifest: Manifest;
  /** Each article's text in the passages file, in manifest order. */
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
  if (!READABLE_FORMATS.has(manifest?.format) || !manifest.embedder?.dimension || !Array.isArray(manifest.articles) || !files) {
    throw new IndexCorruptError(indexDir, 'unknown manifest format');
  }
  return { indexDir, current, dir, manifest, files, read };
}

/** Each article's text, in manifest order, from passages.bin and (after a small update) passages.delta. */
async function readTexts({ indexDir, manifest, files, read }: NonNullable<Awaited<ReturnType<typeof openGeneration>>>): Promise<Buffer[]> {
  const disagree = () => new IndexCorruptError(indexDir, 'article counts disagree between files');
  const segments = manifest.passages;
  const [base, delta] = await Promise.all([
    read(FILES.passages, decodePassages, files[FILES.passages]),
    segments ? read(FILES.passagesDelta, decodePassages, files[FILES.passagesDelta]) : [],
  ]);
  if (!segments) {
    if (base.length !== manifest.articles.length) throw disagree();
    return base;
  }
  if (base.length !== segments.base.length || delta.length !== segments.delta.length) throw disagree();
  const byId = new Map(segments.base.map((id, i) => [id, base[i]!]));
  segments.delta.forEach((id, i) => byId.set(id, delta[i]!));
  return manifest.articles.map((a) => {
    const text = byId.get(a.id);
    if (!text) throw disagree();
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
    const handle = await open(data.file);
    try {
      info = await handle.stat();
      bytes = await handle.readFile();
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw corrupt(data, errorCode(error));
  }
  const { expected } = data;
  if (expected && bytes.length !== expected.bytes) throw corrupt(data, `${bytes.length} bytes, expected ${expected.bytes}`);
  if (expected && (data.verify || !unchangedSince(info, expected)) && crc32(bytes) !== expected.crc32) throw corrupt(data, 'checksum mismatch');
  return bytes;
}

/** Checks a data file without keeping its bytes: a stat while it kept its stamp, else a streamed CRC (a whole-file Buffer would add its size to RSS until GC). */
async function checkSavedFile(saved: SavedFile): Promise<void> {
  const info = await stat(saved.file).catch((error: unknown) => {
    throw corrupt(saved, errorCode(error));
  });
  if (info.size !== saved.expected.bytes) throw corrupt(saved, `${info.size} bytes, expected ${saved.expected.bytes}`);
  if (!saved.verify && unchangedSince(info, saved.expected)) return;
  const actual = await fileChecksum(saved.file).catch((error: unknown) => {
    throw corrupt(saved, errorCode(error));
  });
  if (actual.bytes !== saved.expected.bytes || actual.crc32 !== saved.expected.crc32) throw corrupt(saved, 'checksum mismatch');
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
 * where links are refused. Checked first as a load would: the new name gets a fresh stamp, which
 * must not vouch for bytes nobody checked.
 */
async function linkSavedFile(saved: SavedFile, to: string): Promise<ExpectedFile> {
  await checkSavedFile(saved);
  await link(saved.file, to).catch(async (error: NodeJS.ErrnoException) => {
    if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'ENOSYS'].includes(error.code ?? '')) throw error;
    await copyFile(saved.file, to, fsConstants.COPYFILE_FICLONE);
  });
  return { bytes: saved.expected.bytes, crc32: saved.expected.crc32, ...(await timesOf(to)) };
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

/**
 * Before a write: keeps only the live generation (so the one before it once the write is done) and
 * removes leftovers of interrupted writes. Not after the write: generations share their graph and
 * passages files by hard link (see linkSavedFile), and removing a link changes the file's ctime,
 * which the live generation has just recorded.
 */
async function pruneGenerations(indexDir: string): Promise<void> {
  const gens = (await readdir(indexDir).catch(() => [])).filter((f) => f.startsWith('gen-')).sort();
  const named = existsSync(path.join(indexDir, 'CURRENT')) ? (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim() : undefined;
  const live = named && gens.includes(named) ? named : gens.filter((g) => !g.endsWith('.tmp')).at(-1);
  await Promise.all(gens.filter((g) => g !== live).map((g) => rm(path.join(indexDir, g), { recursive: true, force: true })));
}
