// The embedded store: one folder per index generation under INDEX_DIR, and a
// CURRENT file naming the live one. A new generation is written beside the old
// and CURRENT is swapped by rename, so readers never see a half-written index.
import { constants as fsConstants, existsSync, type Stats } from 'node:fs';
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { textKey } from '../ingest/files.js';
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
  encodePassages,
  spanText,
  textOf,
  type ArticleText,
  type ChunkRow,
  type ChunkSpan,
} from './passages.js';
import { StoreVectors } from './store-vectors.js';
import { VectorDelta } from './vector-delta.js';
import { VectorIndex } from './vector.js';
import { indexWriteError } from './write-error.js';

export { IndexWriteError } from './write-error.js';

/**
 * 3: a generation may hold vectors.delta, the vectors added since its graph was written (an older
 * akhbar would not see them). 2 (binary passages, chunk table and postings) is format 3 without one.
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

const FILES = { manifest: 'manifest.json', passages: 'passages.bin', chunks: 'chunks.bin', keyword: 'keyword.bin', vectors: 'vectors.hnsw', delta: 'vectors.delta' };

interface ChunkLocation extends ChunkSpan {
  articleId: string;
}

export class HnswStore implements CorpusStore {
  private readonly articlesById = new Map<string, ManifestArticle>();
  private readonly chunkLocations = new Map<number, ChunkLocation>();

  constructor(
    readonly manifest: Manifest,
    private readonly texts: Map<string, ArticleText>,
    readonly keyword: KeywordIndex,
    private readonly vectorSet: StoreVectors,
    /** The live generation's graph file; none for a store not saved yet. */
    private graphFile?: GraphFile,
  ) {
    for (const a of manifest.articles) this.indexArticle(a);
  }

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
    if (this.graphFile) await prepareVectors(this.vectorSet, this.graphFile, this.manifest.chunkCount, searches);
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
    this.texts.set(article.id, text);
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
      const graph = await this.writeFiles(tmp);
      const dir = path.join(indexDir, name);
      await rename(tmp, dir);
      await writeFile(path.join(indexDir, 'CURRENT.tmp'), name);
      await rename(path.join(indexDir, 'CURRENT.tmp'), path.join(indexDir, 'CURRENT'));
      this.graphFile = { file: path.join(dir, FILES.vectors), expected: graph, indexDir, current: name };
      // A scan reads the graph file by name: it follows it here, as a later write removes the old generation.
      if (this.vectorSet.scanning) this.vectorSet.useScan(HnswFileScan.open(this.graphFile.file, this.manifest.embedder.dimension));
      return dir;
    } catch (error) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      await rm(path.join(indexDir, 'CURRENT.tmp'), { force: true }).catch(() => undefined);
      throw indexWriteError(indexDir, error);
    }
  }

  /** Writes the generation's files into `dir`; returns what the manifest expects of its graph file. */
  private async writeFiles(dir: string): Promise<ExpectedFile> {
    const articleIndex = new Map(this.manifest.articles.map((a, i) => [a.id, i]));
    const rows: ChunkRow[] = [...this.chunkLocations].map(([id, l]) => ({ id, articleIndex: articleIndex.get(l.articleId)!, ...l }));
    const files: NonNullable<Manifest['files']> = {};
    const put = async (file: string, data: Buffer) => {
      await writeFile(path.join(dir, file), data);
      files[file] = { bytes: data.length, crc32: crc32(data), ...(await timesOf(path.join(dir, file))) };
    };
    await put(FILES.passages, encodePassages(this.manifest.articles.map((a) => this.texts.get(a.id) ?? '')));
    await put(FILES.chunks, encodeChunkRows(rows));
    await put(FILES.keyword, this.keyword.toBinary());
    const vectors = path.join(dir, FILES.vectors);
    const graph = this.vectorSet.compacted();
    if (graph) {
      graph.save(vectors);
      files[FILES.vectors] = { ...(await fileChecksum(vectors)), ...(await timesOf(vectors)) };
    } else {
      // The graph was never built: its file is carried over unchanged, and the changes go beside it.
      files[FILES.vectors] = await linkGraphFile(this.graphFile!, vectors);
      const delta = this.vectorSet.encodedDelta();
      if (delta) await put(FILES.delta, delta);
    }
    // The manifest goes last: a generation without one is never loaded.
    await writeFile(path.join(dir, FILES.manifest), JSON.stringify({ ...this.manifest, format: INDEX_FORMAT, files }));
    return files[FILES.vectors];
  }

  /**
   * The live generation's articles as a corpus scan reads them, by corpus file, from the manifest and
   * the passages only (not the vectors or postings): a scan given them skips files that kept their stamp.
   */
  static async readArticles(indexDir: string): Promise<IndexedArticles | undefined> {
    const generation = await openGeneration(indexDir);
    if (!generation) return undefined;
    const { current, manifest, files, read } = generation;
    const views = await read(FILES.passages, decodePassages, files[FILES.passages]);
    if (views.length !== manifest.articles.length) throw new IndexCorruptError(indexDir, 'article counts disagree between files');
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
    const expected = files[FILES.vectors];
    if (!expected) throw new IndexCorruptError(indexDir, `${current}/${FILES.vectors} is not in the manifest`);
    const graphFile: GraphFile = { file: path.join(dir, FILES.vectors), expected, indexDir, current, verify };
    // The graph file is read (off the main thread for hnswlib) while the other files are decoded.
    const loadVectors = async () => {
      const delta = files[FILES.delta] ? await read(FILES.delta, (data) => VectorDelta.decode(data, dimension), files[FILES.delta]) : new VectorDelta(dimension);
      const vectors = StoreVectors.unread(delta);
      await prepareVectors(vectors, graphFile, manifest.chunkCount, searches);
      return vectors;
    };
    const [views, rows, keyword, vectors] = await Promise.all([
      indexed?.generation === current ? indexed.views : read(FILES.passages, decodePassages, files[FILES.passages]),
      read(FILES.chunks, decodeChunkRows, files[FILES.chunks]),
      read(FILES.keyword, (data) => KeywordIndex.fromBinary(data), files[FILES.keyword]),
      loadVectors(),
    ]);
    if (views.length !== manifest.articles.length) throw new IndexCorruptError(indexDir, 'article counts disagree between files');
    if (rows.length !== manifest.chunkCount || keyword.size !== manifest.chunkCount) {
      throw new IndexCorruptError(indexDir, 'chunk counts disagree between files');
    }
    const texts = new Map<string, ArticleText>(manifest.articles.map((a, i) => [a.id, views[i]!]));
    const store = new HnswStore(manifest, texts, keyword, vectors, graphFile);
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
  return { current, dir, manifest, files, read };
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

/** The generation's graph file: read only when the graph is built or its vectors scanned. */
type GraphFile = DataFile & { expected: ExpectedFile };

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

/** Checks the graph file without keeping its bytes: a stat while it kept its stamp, else a streamed CRC (a whole-file Buffer would add its size to RSS until GC). */
async function checkGraphFile(graph: GraphFile): Promise<void> {
  const info = await stat(graph.file).catch((error: unknown) => {
    throw corrupt(graph, errorCode(error));
  });
  if (info.size !== graph.expected.bytes) throw corrupt(graph, `${info.size} bytes, expected ${graph.expected.bytes}`);
  if (!graph.verify && unchangedSince(info, graph.expected)) return;
  const actual = await fileChecksum(graph.file).catch((error: unknown) => {
    throw corrupt(graph, errorCode(error));
  });
  if (actual.bytes !== graph.expected.bytes || actual.crc32 !== graph.expected.crc32) throw corrupt(graph, 'checksum mismatch');
}

/** Builds hnswlib's graph from the file (on libuv's thread pool). */
async function loadGraphFile(graph: GraphFile, dimension: number, live: number): Promise<VectorIndex> {
  await checkGraphFile(graph);
  try {
    return await VectorIndex.load(graph.file, dimension, live);
  } catch (error) {
    throw corrupt(graph, (error as Error).message);
  }
}

/** An exact scan of the graph file's vectors; undefined for a layout this reader does not know (the graph is built instead). */
async function scanGraphFile(graph: GraphFile, dimension: number): Promise<HnswFileScan | undefined> {
  await checkGraphFile(graph);
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
async function prepareVectors(vectors: StoreVectors, graph: GraphFile, chunkCount: number, searches: SearchLoad): Promise<void> {
  if (searches === 'none' || vectors.graphIndex || (searches === 'few' && vectors.searchable)) return;
  if (searches === 'few') {
    const scan = await scanGraphFile(graph, vectors.dimension);
    if (scan) return vectors.useScan(scan);
  }
  vectors.useGraph(await loadGraphFile(graph, vectors.dimension, vectors.liveInGraphFile(chunkCount)));
}

/**
 * Carries the graph file into a new generation unchanged: a hard link (no bytes written), or a copy
 * where links are refused. Checked first as a load would: the new name gets a fresh stamp, which
 * must not vouch for bytes nobody checked.
 */
async function linkGraphFile(graph: GraphFile, to: string): Promise<ExpectedFile> {
  await checkGraphFile(graph);
  await link(graph.file, to).catch(async (error: NodeJS.ErrnoException) => {
    if (!['EXDEV', 'EPERM', 'ENOTSUP', 'EMLINK', 'ENOSYS'].includes(error.code ?? '')) throw error;
    await copyFile(graph.file, to, fsConstants.COPYFILE_FICLONE);
  });
  return { bytes: graph.expected.bytes, crc32: graph.expected.crc32, ...(await timesOf(to)) };
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
 * removes leftovers of interrupted writes. Not after the write: generations share their graph file
 * by hard link (see linkGraphFile), and removing a link changes the file's ctime, which the live
 * generation has just recorded.
 */
async function pruneGenerations(indexDir: string): Promise<void> {
  const gens = (await readdir(indexDir).catch(() => [])).filter((f) => f.startsWith('gen-')).sort();
  const named = existsSync(path.join(indexDir, 'CURRENT')) ? (await readFile(path.join(indexDir, 'CURRENT'), 'utf8')).trim() : undefined;
  const live = named && gens.includes(named) ? named : gens.filter((g) => !g.endsWith('.tmp')).at(-1);
  await Promise.all(gens.filter((g) => g !== live).map((g) => rm(path.join(indexDir, g), { recursive: true, force: true })));
}
